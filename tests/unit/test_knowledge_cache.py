from pathlib import Path

from seamline.memory.cache import DiskCache, atomic_write_text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_round_trip_and_expiry(tmp_path: Path) -> None:
    clock = Clock()
    cache = DiskCache(tmp_path / "c", ttl=60, clock=clock)
    assert cache.get("k") is None
    cache.set("k", {"hits": [1, 2]})
    assert cache.get("k") == {"hits": [1, 2]}
    clock.now += 61
    assert cache.get("k") is None


def test_ttl_zero_disables(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", ttl=0)
    cache.set("k", 1)
    assert cache.get("k") is None
    assert not (tmp_path / "c").exists()


def test_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", ttl=60)
    cache.set("k", 1)
    [entry] = list((tmp_path / "c").glob("*/*.json"))
    entry.write_text("{not json")
    assert cache.get("k") is None
    cache.set("k", 2)
    assert cache.get("k") == 2
    assert cache.clear() == 1


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "d" / "f.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]
