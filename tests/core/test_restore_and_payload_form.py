"""Core helpers the window needs: Undo of a delete, and payload forms."""

from __future__ import annotations

import pytest

from desktop_app import forms, signals
from desktop_app.config import IntegrationConfig
from desktop_app.errors import StoreError
from desktop_app.integration import Integration


class Sample(Integration):
    integration_id = "tests.restore.Sample"
    name = "Sample"

    def initialize(self):
        pass


def test_restored_config_comes_back_with_its_old_id_and_settings(manager):
    manager.register_integration_class(Sample)
    config = manager.create_config(
        Sample, name="Keep me", enabled=True, settings={"a": 1}
    )
    old_id, old_added = config.id, config.time_added
    deleted = manager.get_config(old_id)
    manager.delete_config(deleted)
    created = []

    def on_created(sender, config):
        created.append(config)

    with signals.config_created.connected_to(on_created, sender=manager):
        manager.restore_config(deleted)
    restored = manager.get_config(old_id)
    assert (restored.name, restored.enabled, restored.settings) == (
        "Keep me",
        True,
        {"a": 1},
    )
    assert restored.time_added == old_added
    assert restored.revision == deleted.revision
    assert created and created[0].id == old_id
    assert manager.get_integration(Sample).enabled


def test_restoring_a_config_whose_id_is_in_use_is_a_store_error(manager):
    manager.register_integration_class(Sample)
    config = manager.create_config(Sample, name="Still here")
    with pytest.raises(StoreError, match="in use"):
        manager.restore_config(config.copy())
    with pytest.raises(StoreError):
        manager.restore_config(
            IntegrationConfig(Sample.integration_id, name="never saved")
        )


def test_payload_form_class_cleans_a_signals_payload():
    signals.define_signal(
        "tests.payload.sent",
        payload={"count": forms.IntegerField(min_value=1), "who": forms.CharField()},
    )
    try:
        form_cls = signals.payload_form_class(
            signals.get_signal_info("tests.payload.sent")
        )
        form = form_cls({"count": "3", "who": "ann"})
        assert form.is_valid()
        assert form.cleaned_data == {"count": 3, "who": "ann"}
        assert "count" in form_cls({"count": 0, "who": "x"}).errors
    finally:
        signals.unregister_signal("tests.payload.sent")
