"""Storing configurations for a test the way the app does: through the
integration's own form, or straight into the store for an integration
whose plugin is not loaded yet."""

from __future__ import annotations

from desktop_app.store import ConfigRecord


def save_config(manager, integration_id: str, **data):
    """Create a config through the integration's own form (as the UI does)."""
    integration = manager.get_integration(integration_id)
    values = dict(integration.default_settings)
    values.update({"name": "test", "enabled": True}, **data)
    form = integration.config_form_cls(integration, values)
    assert form.is_valid(), form.errors
    return form.save()


def add_enabled_config(manager, integration_id: str, name: str = "cfg") -> int:
    """Store an enabled config for an integration that is not registered yet."""
    record = manager.store.save_config(
        ConfigRecord(integration_id, name=name, enabled=True)
    )
    manager.clear_all_configs_cache()
    assert record.id is not None
    return record.id
