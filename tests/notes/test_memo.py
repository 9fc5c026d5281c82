"""The bounded memories behind search: full, they forget their oldest entry, never everything at once."""

from bot.notes.memo import remember


def test_a_full_memory_forgets_its_oldest_entry_only() -> None:
    cache: dict[str, int] = {}
    for number, key in enumerate("abc"):
        assert remember(cache, key, number, limit=3) == number
    remember(cache, "a", 10, limit=3)  # a key it holds is updated in place: nothing is forgotten
    assert cache == {"a": 10, "b": 1, "c": 2}
    remember(cache, "d", 3, limit=3)
    assert cache == {"b": 1, "c": 2, "d": 3}
