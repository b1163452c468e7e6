"""Publishing through the binding, against a real local control plane over
loopback HTTP: publish, prune, pull back, test remotely, expectPubId
conflicts and the errors of each call."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

import flowspec as fs

SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


@pytest.fixture
def plane() -> Iterator[fs.LocalControlPlane]:
    with fs.LocalControlPlane() as plane:
        yield plane


def small() -> fs.Catalog:
    cat = fs.Catalog()
    cat.capture(
        "acmeCo/source-hello",
        image="ghcr.io/estuary/source-hello-world:dev",
        config={"rate": 1, "token": fs.secret("hunter2")},
    ).binding({"name": "greetings"}, target="acmeCo/greetings")
    cat.collection("acmeCo/greetings", schema=SCHEMA, key=["/id"])
    return cat


def test_a_local_control_plane_starts_stops_and_never_shows_its_token() -> None:
    plane = fs.LocalControlPlane()
    assert repr(plane) == "<LocalControlPlane stopped>"
    with pytest.raises(fs.ControlPlaneError) as err:
        plane.pg_url
    assert err.value.code == "local_control_plane_failed"
    assert "not running" in str(err.value)
    with plane:
        assert plane.running
        assert plane.pg_url.startswith("http://127.0.0.1:") and plane.pg_url.endswith("/rest/v1")
        assert plane.flow_auth_token not in repr(plane)
        options = plane.options()
        assert options["pg_url"] == plane.pg_url
        assert options["auth_token"] == plane.flow_auth_token
    assert not plane.running
    plane.stop()  # stopping again does nothing


def test_publish_then_publish_again_prunes_and_pull_brings_it_back(
    plane: fs.LocalControlPlane, tmp_path: Path
) -> None:
    cat = small()
    published = cat.publish(control_plane=plane)
    assert published["status"] == "success"
    assert published["dry_run"] is False
    assert published["pub_id"] is not None and len(published["pub_id"]) == 16
    assert sorted(s["catalog_name"] for s in published["specs"]) == ["acmeCo/greetings", "acmeCo/source-hello"]

    # Again: the collection is pruned; the capture's config is encrypted anew
    # by the control plane's service (as with flowctl), so it is published again.
    again = cat.publish(control_plane=plane)
    assert again["status"] == "success"
    assert again["pruned"] == ["acmeCo/greetings"]
    assert [s["catalog_name"] for s in again["specs"]] == ["acmeCo/source-hello"]

    listed = fs.list_specs(control_plane=plane, prefixes=["acmeCo/"])
    assert [(s["catalog_name"], s["catalog_type"], s["last_pub_id"]) for s in listed] == [
        ("acmeCo/greetings", "collection", published["pub_id"]),
        ("acmeCo/source-hello", "capture", again["pub_id"]),
    ]

    target = tmp_path / "pulled" / "flow.yaml"
    pulled = fs.pull_specs(control_plane=plane, prefixes=["acmeCo"], target=str(target), flat=True)
    assert pulled["written"] == 2
    back = fs.Catalog.load(target)
    assert back.collections["acmeCo/greetings"].spec["expectPubId"] == published["pub_id"]
    config = back.captures["acmeCo/source-hello"].spec["endpoint"]["connector"]["config"]
    # The secret came back encrypted by the control plane's service, never in plaintext.
    assert "hunter2" not in target.read_text()
    assert config["token_sops"].startswith("ENC[AES256_GCM,")
    assert "sops" in config
    # What was pulled is what is live: publishing it publishes nothing.
    unchanged = back.publish(control_plane=plane, source=str(target))
    assert unchanged["status"] == "nothingToPublish"
    assert unchanged["pruned"] == ["acmeCo/greetings", "acmeCo/source-hello"]
    assert unchanged["pub_id"] is None


def test_a_stale_expect_pub_id_fails_with_the_control_planes_error(plane: fs.LocalControlPlane) -> None:
    cat = small()
    cat.publish(control_plane=plane)
    stale = fs.Catalog()
    stale.collection("acmeCo/greetings", schema={**SCHEMA, "title": "changed"}, key=["/id"], expect_pub_id="0000000000000001")
    with pytest.raises(fs.ControlPlaneError) as err:
        stale.publish(control_plane=plane)
    assert err.value.code == "publication_failed"
    assert "expectPubIdMismatch" in str(err.value)


def test_an_invalid_catalog_is_refused_before_anything_is_sent(plane: fs.LocalControlPlane) -> None:
    cat = fs.Catalog()
    cat.collection("acmeCo/bad", schema={"type": "object"}, key=[])
    with pytest.raises(fs.ValidationError) as err:
        cat.publish(control_plane=plane)
    assert err.value.diagnostics[0].code == "key_empty"
    assert fs.list_specs(control_plane=plane, prefixes=["acmeCo/"]) == []


def test_a_remote_test_applies_nothing(plane: fs.LocalControlPlane) -> None:
    tested = small().test_remote(control_plane=plane)
    assert tested["status"] == "success" and tested["dry_run"] is True
    assert tested["pub_id"] is None
    assert fs.list_specs(control_plane=plane, prefixes=["acmeCo/"]) == []


def test_the_async_forms_await_the_same_results(plane: fs.LocalControlPlane, tmp_path: Path) -> None:
    target = tmp_path / "flow.yaml"

    async def run() -> tuple[fs.Publication, fs.PulledSpecs]:
        published = await small().publish_async(control_plane=plane)
        pulled = await fs.pull_specs_async(control_plane=plane, names=["acmeCo/greetings"], target=str(target))
        return published, pulled

    published, pulled = asyncio.run(run())
    assert published["status"] == "success"
    assert [s["catalog_name"] for s in pulled["specs"]] == ["acmeCo/greetings"]
    assert fs.Catalog.load(target).collections["acmeCo/greetings"].spec["expectPubId"] == published["pub_id"]


def test_bad_options_and_unreachable_control_planes_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(fs.InvalidSpecError) as err:
        small().publish(control_plane={"pg_url": "x"})  # type: ignore[typeddict-item]
    assert "publish" in str(err.value)
    with pytest.raises(TypeError):
        small().publish(nope=1)  # type: ignore[call-arg]
    unreachable = {
        "pg_url": "http://127.0.0.1:9/rest/v1",
        "agent_url": "http://127.0.0.1:9/",
        "config_encryption_url": "http://127.0.0.1:9/",
        "auth_token": "garbage-token-xyz",
    }
    with pytest.raises(fs.ControlPlaneError) as err:
        small().publish(control_plane=unreachable)  # type: ignore[arg-type]
    assert err.value.code == "auth_token_invalid"
    assert "garbage-token-xyz" not in str(err.value)
    with pytest.raises(fs.ControlPlaneError) as err:
        fs.list_specs(control_plane={**unreachable, "auth_token": "a.b.c"})  # type: ignore[typeddict-item]
    assert err.value.code == "auth_token_invalid"


def test_plan_shows_what_a_publication_would_change(plane: fs.LocalControlPlane) -> None:
    cat = small()
    plan = cat.plan(control_plane=plane)
    assert plan["has_changes"] is True
    assert [(s["catalog_name"], s["spec_type"], s["action"]) for s in plan["specs"]] == [
        ("acmeCo/greetings", "collection", "create"),
        ("acmeCo/source-hello", "capture", "create"),
    ]
    assert plan["summary"] == "Plan: 2 to create, 0 to change, 0 to delete, 0 unchanged."

    cat.publish(control_plane=plane)
    # The live token is the control plane's ciphertext: no change, every time.
    for _ in range(2):
        plan = cat.plan(control_plane=plane)
        assert plan["has_changes"] is False, plan["report"]
        assert [s["action"] for s in plan["specs"]] == ["unchanged", "unchanged"]

    edited = fs.Catalog()
    edited.capture(
        "acmeCo/source-hello",
        image="ghcr.io/estuary/source-hello-world:dev",
        config={"rate": 1, "token": fs.secret("hunter2"), "api_key": fs.secret("sk_live_1")},
    ).binding({"name": "greetings"}, target="acmeCo/greetings")
    edited.collection("acmeCo/greetings", schema={**SCHEMA, "title": "Greetings"}, key=["/id"])
    plan = asyncio.run(edited.plan_async(control_plane=plane))
    assert plan["has_changes"] is True
    changes = {s["catalog_name"]: s["changes"] for s in plan["specs"]}
    assert changes["acmeCo/greetings"] == [{"ptr": "/schema/title", "kind": "added", "new": "Greetings"}]
    assert changes["acmeCo/source-hello"] == [
        {"ptr": "/endpoint/connector/config/api_key", "kind": "secretAdded"}
    ]
    assert "sk_live_1" not in repr(plan)
    assert plan["report"].splitlines()[0] == "~ collection acmeCo/greetings"

    with pytest.raises(TypeError) as err:
        edited.plan(keep_sops=True)  # type: ignore[call-arg]
    assert "keep_sops" in str(err.value)


def test_publishing_a_pulled_catalog_refreshes_its_expect_pub_ids(plane: fs.LocalControlPlane, tmp_path: Path) -> None:
    small().publish(control_plane=plane)
    target = tmp_path / "flow.yaml"
    fs.pull_specs(control_plane=plane, names=["acmeCo/greetings"], target=str(target), flat=True)
    text = target.read_text()
    assert "expectPubId: " in text
    target.write_text("# a comment that stays\n" + text.replace("type: object", "type: object\n      title: Greetings", 1))

    published = fs.Catalog.load(target).publish(control_plane=plane, source=str(target))
    assert published["updated_files"] == [str(target.resolve())]
    written = target.read_text()
    assert written.startswith("# a comment that stays\n")
    assert fs.Catalog.load(target).collections["acmeCo/greetings"].spec["expectPubId"] == published["pub_id"]
    # So it publishes again after another edit.
    target.write_text(written.replace("title: Greetings", "title: Greetings again"))
    again = fs.Catalog.load(target).publish(control_plane=plane, update_pub_ids=False)
    assert again["status"] == "success" and again["updated_files"] == []
