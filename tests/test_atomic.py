"""Tests of ``placemap.atomic``: a file appears whole or not at all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from placemap.atomic import atomic_open, atomic_path


def test_the_file_appears_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "new" / "map.geojson"
    with atomic_path(target) as temporary:
        assert not temporary.exists() and not target.exists()
        assert temporary.parent == target.parent and temporary.suffix == ".geojson"
        temporary.write_text("{}", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "{}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["map.geojson"]


def test_a_failure_keeps_the_old_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("half a ")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_text_and_bytes(tmp_path: Path) -> None:
    with atomic_open(tmp_path / "a.txt") as handle:
        handle.write("Київ\n")
    with atomic_open(tmp_path / "b.bin", "wb") as handle:
        handle.write(b"\x00\x01")
    assert (tmp_path / "a.txt").read_bytes() == "Київ\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    with pytest.raises(ValueError, match="mode"), atomic_open(tmp_path / "c.txt", "a"):
        pass


def test_a_locked_file_refuses_a_second_writer(tmp_path: Path) -> None:
    from placemap.atomic import locked

    target = tmp_path / "out.jsonl.partial"
    with locked(target) as handle:
        handle.write(b"first\n")
        with pytest.raises(BlockingIOError), locked(target):
            pass
    assert target.read_bytes() == b"first\n"  # the refused writer truncated nothing
    with locked(target):  # released with the block
        pass


def test_a_waiting_writer_locks_the_file_that_replaced_the_one_it_waited_for(tmp_path: Path) -> None:
    import threading

    from placemap.atomic import locked

    target = tmp_path / "store.sqlite"
    target.write_bytes(b"old")
    seen: list[bytes] = []

    def second() -> None:
        with locked(target, wait=True) as handle:
            handle.seek(0)
            seen.append(handle.read())

    with locked(target):
        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(0.3)
        assert waiter.is_alive() and not seen  # it waits for the first holder
        with atomic_path(target) as temporary:
            temporary.write_bytes(b"new")
    waiter.join(10)
    assert seen == [b"new"]
