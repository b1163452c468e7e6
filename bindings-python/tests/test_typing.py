"""The typing test file's right calls also run (its wrong calls are only for the type checkers)."""

from __future__ import annotations

from pathlib import Path

import typing_check


def test_right_calls_run(tmp_path: Path) -> None:
    cat = typing_check.build()
    typing_check.read_back(cat, tmp_path)
    typing_check.errors()
