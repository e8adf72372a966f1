"""Benchmark 7: build and show the generated configuration dialog.

A form of 50 fields in 5 fieldsets (text, integer, float, boolean and
choice fields, ten of each), through :py:class:`ConfigDialog`, against a
hand-written ``QDialog`` with one ``QFormLayout`` holding the same 50
editors. Each round builds, shows, processes events until painted, and
closes. Target: ≤ 2×.
"""

from __future__ import annotations

import os
import time

from benchmarks._harness import Measurement, Result, interleaved

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIELDSETS = 5
PER_FIELDSET = 10
KINDS = ("char", "int", "float", "bool", "choice")


def _form_class() -> type:
    from desktop_app import forms
    from desktop_app.forms import IntegrationConfigForm

    attrs: dict = {}
    names: list[list[str]] = [[] for _ in range(FIELDSETS)]
    for i in range(FIELDSETS * PER_FIELDSET):
        kind = KINDS[i % len(KINDS)]
        name = f"{kind}_{i:02d}"
        label = f"{kind.title()} setting {i}"
        if kind == "choice":
            choices = [("a", "A"), ("b", "B"), ("c", "C")]
            attrs[name] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
        else:
            field_cls = {
                "char": forms.CharField,
                "int": forms.IntegerField,
                "float": forms.FloatField,
                "bool": forms.BooleanField,
            }[kind]
            attrs[name] = field_cls(label=label, required=False)
        names[i // PER_FIELDSET].append(name)
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "fieldsets": tuple(
                (f"Section {s + 1}", {"fields": tuple(names[s])})
                for s in range(FIELDSETS)
            )
        },
    )
    return type("FiftyFieldForm", (IntegrationConfigForm,), attrs)


def _hand_written(parent=None):
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDialog,
        QDialogButtonBox,
        QDoubleSpinBox,
        QFormLayout,
        QLineEdit,
        QSpinBox,
    )

    dialog = QDialog(parent)
    layout = QFormLayout(dialog)
    for i in range(FIELDSETS * PER_FIELDSET):
        kind = KINDS[i % len(KINDS)]
        if kind == "char":
            editor = QLineEdit()
        elif kind == "int":
            editor = QSpinBox()
        elif kind == "float":
            editor = QDoubleSpinBox()
        elif kind == "bool":
            editor = QCheckBox()
        else:
            editor = QComboBox()
            editor.addItems(["A", "B", "C"])
        layout.addRow(f"{kind.title()} setting {i}", editor)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    layout.addRow(buttons)
    return dialog


def run(quick: bool = False) -> list[Result]:
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.ui.config_dialog import ConfigDialog

    app = QApplication.instance() or QApplication([])
    rounds = 10 if quick else 30
    form_cls = _form_class()

    class FiftyFields(Integration):
        integration_id = "benchmarks.dialog.FiftyFields"
        name = "Fifty fields"
        config_form_cls = form_cls

        def initialize(self) -> None:
            pass

    with tempfile.TemporaryDirectory() as tmp:
        manager = IntegrationManager(Path(tmp) / "db.sqlite3", watch_interval=None)
        set_integration_manager(manager)
        integration = manager.register_integration_class(FiftyFields)

        def shown(build) -> float:
            t0 = time.perf_counter()
            dialog = build()
            dialog.show()
            app.processEvents()
            elapsed = (time.perf_counter() - t0) * 1e3
            dialog.close()
            dialog.deleteLater()
            # processEvents() outside exec() never runs deferred deletes:
            # without this every round's dialog stayed alive, and showing a
            # dialog walks all live widgets (QDialog::adjustPosition,
            # active-window changes), so each round paid for all the earlier
            # ones, most for the side with more widgets.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
            return elapsed

        def ours() -> float:
            return shown(lambda: ConfigDialog(integration))

        def floor() -> float:
            return shown(_hand_written)

        ours(), floor()  # warm-up: fonts, styles, imports
        samples = interleaved(rounds, {"floor": floor, "ours": ours})
        manager.shutdown()
        set_integration_manager(None)
    return [
        Result(
            "7. dialog build",
            Measurement(
                "ConfigDialog, 50 fields in 5 fieldsets", "ms", samples["ours"]
            ),
            Measurement("hand-written QFormLayout, 50 editors", "ms", samples["floor"]),
            target=2.0,
        )
    ]
