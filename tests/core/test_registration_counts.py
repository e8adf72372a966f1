"""Registering many integrations at start-up reads the counts once.

Whether a newly registered integration starts enabled depends on its
enabled configurations; the counts answer that for every integration
whose snapshot is not loaded, and registering changes no configuration,
so the answer of the first registration serves all the others.
"""

from __future__ import annotations

from desktop_app import Integration
from desktop_app.store import ConfigRecord


def _integration_class(i: int) -> type:
    def initialize(self) -> None:
        pass

    return type(
        f"Many{i}",
        (Integration,),
        {
            "integration_id": f"tests.many.i{i}",
            "name": f"Many {i}",
            "initialize": initialize,
        },
    )


def test_registering_many_integrations_reads_the_counts_once(manager, monkeypatch):
    classes = [_integration_class(i) for i in range(20)]
    for i, cls in enumerate(classes):
        manager.store.save_config(
            ConfigRecord(cls.integration_id, name="c", enabled=i % 2 == 0)
        )
    manager.clear_all_configs_cache()
    reads = []
    real = manager.store.count_configs
    monkeypatch.setattr(
        manager.store, "count_configs", lambda: reads.append(1) or real()
    )

    for cls in classes:
        manager.register_integration_class(cls)
    counts = manager.count_configs()

    assert len(reads) == 1
    assert counts[classes[3].integration_id] == (1, 0)
    enabled = [manager.get_integration(cls).enabled for cls in classes]
    assert enabled == [i % 2 == 0 for i in range(20)]


def test_counts_follow_a_save_after_registration(manager):
    cls = _integration_class(0)
    manager.register_integration_class(cls)
    assert manager.count_configs().get(cls.integration_id, (0, 0)) == (0, 0)
    manager.store.save_config(ConfigRecord(cls.integration_id, name="c"))
    manager.clear_configs_cache(cls)
    assert manager.count_configs()[cls.integration_id][0] == 1
