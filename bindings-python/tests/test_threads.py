"""A catalog shared by threads: reads may overlap, a change needs the
catalog to itself, and using it otherwise is a clear error, never PyO3's
"Already borrowed"."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

import flowspec as fs
from conftest import OBJECT_WITH_ID

IN_USE = (
    "the catalog is in use by another thread, or by a call that has not returned: a Catalog "
    "may be read by several threads at once, but changed only while nothing else uses it "
    "(see Threads in flowspec's README)"
)


pytestmark = pytest.mark.usefixtures("no_sops_environment")


class Running:
    """A call running in another thread, and what it returned or raised."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.result: dict[str, Any] = {}

        def run() -> None:
            try:
                self.result["value"] = call()
            except BaseException as err:  # noqa: BLE001 - handed to the test
                self.result["error"] = err

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> dict[str, Any]:
        self.thread.join(30)
        assert not self.thread.is_alive()
        return self.result


def wait_until_in_use(probe: Callable[[], Any]) -> None:
    """Calls `probe` until it raises the in-use error: the other thread
    then holds the catalog, blocked on a FIFO it is reading."""
    deadline = time.monotonic() + 30
    while True:
        try:
            probe()
        except RuntimeError as err:
            assert str(err) == IN_USE
            return
        assert time.monotonic() < deadline, "the other thread never took the catalog"
        time.sleep(0.01)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "blocking.fifo"
    os.mkfifo(path)
    yield path


def test_a_change_in_progress_excludes_every_other_use(tmp_path: Path, fifo: Path) -> None:
    cat = fs.Catalog()
    cat.collection("acmeCo/x", schema=OBJECT_WITH_ID, key=["/id"])
    # decrypt_secrets() changes the catalog; it waits here to read its key file.
    running = Running(lambda: cat.decrypt_secrets(key_file=fifo))
    wait_until_in_use(lambda: len(cat.collections))
    for use in [
        lambda: cat.validate(),
        lambda: cat.to_yaml(),
        lambda: cat.to_dict(),
        lambda: cat.collections["acmeCo/x"],
        lambda: cat.collections["acmeCo/x"].spec,
        lambda: cat.collection("acmeCo/y", schema=OBJECT_WITH_ID, key=["/id"]),
        lambda: cat == fs.Catalog(),
    ]:
        with pytest.raises(RuntimeError) as info:
            use()
        assert str(info.value) == IN_USE
    assert repr(cat) == "<Catalog (in use)>"
    keys = tmp_path / "keys.txt"
    fs.age_keygen(keys)
    with open(fifo, "w") as f:
        f.write(keys.read_text())
    assert running.join() == {"value": 0}
    # Afterwards, the catalog is free again.
    cat.collection("acmeCo/y", schema=OBJECT_WITH_ID, key=["/id"])
    assert list(cat.collections) == ["acmeCo/x", "acmeCo/y"]


def test_reads_overlap_and_exclude_changes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fifo: Path) -> None:
    cat = fs.Catalog()
    cat.capture("acmeCo/c", image="ghcr.io/estuary/source-x:v1", config={"token": fs.secret("x")})
    # to_yaml() reads the catalog; it waits here to read the sops config
    # that names the recipients of the secret.
    monkeypatch.setenv("SOPS_CONFIG", str(fifo))
    running = Running(lambda: cat.to_yaml())
    wait_until_in_use(lambda: cat.captures.pop("acmeCo/nothing", None))
    # Other reads go on meanwhile.
    assert cat.validate() == []
    assert len(cat.captures) == 1
    assert cat.captures["acmeCo/c"].spec["endpoint"]["connector"]["image"] == "ghcr.io/estuary/source-x:v1"
    with pytest.raises(RuntimeError) as info:
        del cat.captures["acmeCo/c"]
    assert str(info.value) == IN_USE
    recipient = fs.age_keygen(tmp_path / "keys.txt")
    with open(fifo, "w") as f:
        f.write(f"creation_rules:\n  - age: {recipient}\n")
    result = running.join()
    assert "token_sops: ENC[AES256_GCM," in result["value"]
    del cat.captures["acmeCo/c"]
    assert len(cat.captures) == 0


def test_threads_may_each_build_their_own_catalog() -> None:
    def build(i: int) -> str:
        cat = fs.Catalog()
        for j in range(50):
            cat.collection(f"acmeCo/t{i}/c{j}", schema=OBJECT_WITH_ID, key=["/id"])
        cat.validate()
        return cat.to_yaml()

    runs = [Running(lambda i=i: build(i)) for i in range(4)]
    texts = [r.join()["value"] for r in runs]
    assert [t.count("acmeCo/t") for t in texts] == [50, 50, 50, 50]
