"""What a process keeps between builds: the newest, up to a bound."""

from __future__ import annotations

from briefing.core.memo import remember


def test_the_oldest_is_forgotten_first_and_a_value_kept_again_is_the_newest() -> None:
    kept: dict[str, int] = {}
    for number, key in enumerate("abc"):
        assert remember(kept, key, number, most=3) == number
    assert remember(kept, "a", 10, most=3) == 10  # "a" is now the newest
    remember(kept, "d", 4, most=3)
    assert list(kept.items()) == [("c", 2), ("a", 10), ("d", 4)]  # "b", the oldest, forgotten
