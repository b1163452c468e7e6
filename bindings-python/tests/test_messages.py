"""What a wrong value is told: what is accepted, where, and never the
internals of the binding or of its Rust decoding ("untagged enum", "Can't
extract `str` to `Vec`", "expected struct ...")."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

import flowspec as fs
from conftest import OBJECT_WITH_ID


def message(error: type[BaseException], call: Callable[[], Any]) -> str:
    with pytest.raises(error) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize(
    "recipients, expected",
    [
        ("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq", "recipients: expected a list of strings, got str"),
        (5, "recipients: expected a list of strings, got int"),
        (b"age1", "recipients: expected a list of strings, got bytes"),
        (["age1x", 5], "recipients[1]: expected a string, got int"),
    ],
)
def test_recipients_must_be_a_list_of_strings(tmp_path: Path, recipients: Any, expected: str) -> None:
    cat = fs.Catalog()
    assert message(TypeError, lambda: cat.to_yaml(recipients=recipients)) == expected
    assert message(TypeError, lambda: cat.to_json(recipients=recipients)) == expected
    assert message(TypeError, lambda: cat.write(tmp_path / "flow.yaml", recipients=recipients)) == expected
    assert message(TypeError, lambda: fs.encrypt({"a_sops": 1}, recipients=recipients)) == expected
    config = tmp_path / "config.yaml"
    config.write_text("password: x\n")
    assert message(TypeError, lambda: fs.encrypt_file(config, recipients=recipients)) == expected
    assert not (tmp_path / "flow.yaml").exists()


def test_recipients_may_be_any_sequence() -> None:
    cat = fs.Catalog()
    # Nothing to encrypt: the recipients are decoded, then not needed.
    assert cat.to_yaml(recipients=("age1x",)).startswith("# yaml-language-server")


@pytest.mark.parametrize(
    "call, expected",
    [
        (
            lambda cat: cat.capture("acmeCo/c", image="i", shards={"min_txn_duration": "1s", "minTxnDuration": "2s"}),
            "Catalog.capture(): shards: `min_txn_duration` and `minTxnDuration` are two spellings of one option: give only one of them",
        ),
        (
            lambda cat: cat.capture("acmeCo/c", image="i", auto_discover={"addNewBindings": True, "add_new_bindings": False}),
            "Catalog.capture(): auto_discover: `addNewBindings` and `add_new_bindings` are two spellings of one option: give only one of them",
        ),
        (
            lambda cat: cat.materialization(
                "acmeCo/m",
                image="i",
                bindings=[{"resource": {}, "source": "acmeCo/x"}, {"resource": {}, "source": "acmeCo/x", "fields": {"group_by": ["a"], "groupBy": ["b"]}}],
            ),
            'Catalog.materialization(): bindings[1]["fields"]: `group_by` and `groupBy` are two spellings of one option: give only one of them',
        ),
        (
            lambda cat: cat.materialization("acmeCo/m", image="i").binding(
                {}, source="acmeCo/x", fields={"recommended": True, "group_by": ["a"], "groupBy": ["a"]}
            ),
            "Materialization.binding(): fields: `group_by` and `groupBy` are two spellings of one option: give only one of them",
        ),
        (
            lambda cat: cat.collection(
                "acmeCo/x", schema=OBJECT_WITH_ID, key=["/id"], journals={"fragments": {"flush_interval": "1h", "flushInterval": "2h"}}
            ),
            'Catalog.collection(): journals["fragments"]: `flush_interval` and `flushInterval` are two spellings of one option: give only one of them',
        ),
        (
            lambda cat: cat.derivation("acmeCo/d", schema=OBJECT_WITH_ID, key=["/id"], sqlite=[]).transform(
                "t", source={"name": "acmeCo/x", "not_before": "2024-01-01T00:00:00Z", "notBefore": "2024-01-01T00:00:00Z"}
            ),
            "Derivation.transform(): source: `not_before` and `notBefore` are two spellings of one option: give only one of them",
        ),
        # Two spellings the model knows, spelled alike in both cases.
        (
            lambda cat: cat.materialization("acmeCo/m", image="i").binding(
                {}, source="acmeCo/x", fields={"recommended": True, "require": {}, "include": {}}
            ),
            "materialization acmeCo/m binding 0: fields: `require` and `include` are two spellings of one option: give only one of them",
        ),
    ],
)
def test_two_spellings_of_one_option_are_an_error(call: Callable[[fs.Catalog], Any], expected: str) -> None:
    assert message(fs.InvalidSpecError, lambda: call(fs.Catalog())) == expected


@pytest.mark.parametrize(
    "call, expected",
    [
        (
            lambda cat: cat.derivation("acmeCo/d", schema=OBJECT_WITH_ID, key=["/id"], sqlite=5),
            "derivation acmeCo/d: sqlite: invalid type: integer `5`, expected a list of migrations (SQL or file URLs), or an object {migrations}",
        ),
        (
            lambda cat: cat.derivation("acmeCo/d", schema=OBJECT_WITH_ID, key=["/id"], sqlite=[]).transform(
                "t", source="acmeCo/x", shuffle={"key": ["/id"], "lambda": "x"}
            ),
            "derivation acmeCo/d transform 0: shuffle: shuffle takes exactly one of `key` or `lambda`, but this object has `key` and `lambda`",
        ),
        (
            lambda cat: cat.capture("acmeCo/c", image="i", auto_discover="yes"),
            'capture acmeCo/c: autoDiscover: invalid type: string "yes", expected true, false, or an object {addNewBindings, evolveIncompatibleCollections}',
        ),
        (
            lambda cat: cat.capture("acmeCo/c", image="i", shards={"log_level": 3}),
            "capture acmeCo/c: shards.logLevel: invalid type: integer `3`, expected one of `error`, `warn`, `info`, `debug`, `trace`",
        ),
        (
            lambda cat: cat.capture("acmeCo/c", image="i", shards={"hot_standbys": -1}),
            "capture acmeCo/c: shards.hotStandbys: invalid value: integer `-1`, expected a whole number from 0 to 4294967295",
        ),
        (
            lambda cat: cat.capture("acmeCo/c", image="i", shards=5),
            "capture acmeCo/c: shards: invalid type: integer `5`, expected a shard template: an object {disable, minTxnDuration, maxTxnDuration, …}",
        ),
    ],
)
def test_core_messages_say_what_is_accepted(call: Callable[[fs.Catalog], Any], expected: str) -> None:
    assert message(fs.InvalidSpecError, lambda: call(fs.Catalog())) == expected


def test_a_spec_that_is_not_an_object() -> None:
    cat = fs.Catalog()
    cap = cat.capture("acmeCo/c", image="ghcr.io/estuary/source-x:v1")
    expected = "capture acmeCo/c: invalid type: integer `5`, expected a capture: an object {endpoint, bindings, …}"
    assert message(fs.InvalidSpecError, lambda: setattr(cap, "spec", 5)) == expected
    assert message(fs.InvalidSpecError, lambda: cat.captures.__setitem__("acmeCo/c", 5)) == expected
