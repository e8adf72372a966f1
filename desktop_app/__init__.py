"""desktop-app: a Qt desktop application and framework for integrations.

The public names below import without Qt. The window lives in
:py:mod:`desktop_app.ui` and is never imported from here.
"""

from __future__ import annotations

from desktop_app import forms
from desktop_app.config import ConfigSnapshot, IntegrationConfig
from desktop_app.extension import Extension
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import Hook, IntegrationHook, SignalHook
from desktop_app.integration import Integration
from desktop_app.manager import (
    IntegrationManager,
    get_integration_manager,
    set_integration_manager,
)
from desktop_app.resources import static
from desktop_app.signals import define_signal

__version__ = "0.1.0"

__all__ = [
    "ConfigSnapshot",
    "Extension",
    "Hook",
    "Integration",
    "IntegrationConfig",
    "IntegrationConfigForm",
    "IntegrationHook",
    "IntegrationManager",
    "SignalHook",
    "__version__",
    "define_signal",
    "forms",
    "get_integration_manager",
    "set_integration_manager",
    "static",
]
