"""Extensions: bundles of hooks that can be enabled and disabled as a unit.

An extension usually provides integrations through
:py:class:`~desktop_app.hooks.IntegrationHook`, so they appear while the
extension is enabled and disappear when it is disabled.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from desktop_app.hooks import shutdown_hooks

if TYPE_CHECKING:
    from desktop_app.hooks import Hook

__all__ = ["Extension"]


class Extension:
    """Base class of extensions. Constructible with no arguments.

    The running instance is available as ``MyExtension.instance`` while the
    extension is enabled.
    """

    #: Unique id; defaults to ``"<module>.<ClassName>"``.
    id: ClassVar[str] = "desktop_app.extension.Extension"
    #: Human-readable name.
    name: ClassVar[str | None] = None
    #: One or two sentences about what it adds.
    description: ClassVar[str] = ""
    #: djblets' package metadata (``'Name'``, ``'Summary'``, ``'Version'``
    #: …); ``Name`` and ``Summary`` fill :py:attr:`name` and
    #: :py:attr:`description` when the class does not set them.
    metadata: ClassVar[Mapping[str, Any]] = {}
    #: The enabled instance of this class, or ``None``.
    instance: ClassVar[Extension | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" not in cls.__dict__:
            cls.id = f"{cls.__module__}.{cls.__name__}"
        metadata = cls.__dict__.get("metadata") or {}
        if "name" not in cls.__dict__ and metadata.get("Name"):
            cls.name = str(metadata["Name"])
        if "description" not in cls.__dict__ and metadata.get("Summary"):
            cls.description = str(metadata["Summary"])
        cls.instance = None

    def __init__(self) -> None:
        #: The hooks this extension set up while enabled.
        self.hooks: list[Hook] = []
        self.enabled = False

    @property
    def display_name(self) -> str:
        return self.name or type(self).__name__

    def initialize(self) -> None:
        """Set up hooks. Called when the extension is enabled."""

    def shutdown(self) -> None:
        """Undo what :py:meth:`initialize` did besides hooks."""

    def enable_extension(self) -> None:
        """Initialize the extension (idempotent).

        If ``initialize()`` raises, its hooks are shut down and the error
        propagates.
        """
        if self.enabled:
            return
        self.enabled = True
        type(self).instance = self
        try:
            self.initialize()
        except BaseException:
            self.enabled = False
            type(self).instance = None
            self._shutdown_hooks()
            raise

    def disable_extension(self) -> None:
        """Shut the extension and its hooks down (idempotent)."""
        if not self.enabled:
            return
        self.enabled = False
        try:
            self._shutdown_hooks()
            self.shutdown()
        finally:
            if type(self).instance is self:
                type(self).instance = None

    def _shutdown_hooks(self) -> None:
        shutdown_hooks(self)

    def get_static_url(self, path: str) -> str:
        """Return the absolute path of a file shipped with the extension.

        Looks in the ``static/`` folder beside the extension's module, then
        beside the module itself.
        """
        module = sys.modules.get(type(self).__module__)
        module_file = getattr(module, "__file__", None)
        base = Path(module_file).resolve().parent if module_file else Path.cwd()
        candidate = base / "static" / path
        if not candidate.exists() and (base / path).exists():
            candidate = base / path
        return str(candidate)

    def get_bundle_id(self, name: str) -> str:
        """Return the id djblets gives a static media bundle of the extension.

        Web integrations name their CSS/JavaScript bundles with it
        (``form.js_bundle_names``); the desktop loads no web media, so the id
        is only a name, kept so such code runs unchanged.
        """
        return f"{self.id}-{name}"
