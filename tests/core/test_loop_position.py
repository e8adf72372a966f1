"""Where a loop over a tuple is, read from its iterator: the behaviour
per-configuration attribution relies on at no cost per iteration."""

from __future__ import annotations

from desktop_app._loop_position import position


def test_position_follows_a_loop_from_start_to_exhaustion():
    items = ("a", "b", "c")
    iterator = iter(items)
    assert position(iterator, len(items)) == 0
    seen = []
    for item in iterator:
        seen.append((item, position(iterator, len(items))))
    # Inside the body, the position is the number of items handed out.
    assert seen == [("a", 1), ("b", 2), ("c", 3)]
    assert position(iterator, len(items)) == 3  # exhausted


def test_position_of_a_loop_left_early_stays_on_its_item():
    items = (1, 2, 3, 4)
    iterator = iter(items)
    for item in iterator:
        if item == 2:
            break
    assert position(iterator, len(items)) == 2


def test_an_empty_tuple_is_done_at_once():
    iterator = iter(())
    assert position(iterator, 0) == 0
    assert list(iterator) == []
    assert position(iterator, 0) == 0
