#!/usr/bin/env python3
"""The CI/CD pipeline of Estuary's "flowctl in automated contexts" guide.

A Stripe capture into two collections, a TypeScript derivation joining
orders and customers, a Snowflake materialization, and a test of the line
items' totals, derived both in SQLite and in TypeScript: the same catalog as
``examples/rust/src/cicd.rs``, written byte-for-byte the same.

Usage: ``python examples/python/cicd.py [--plaintext-secrets] [--no-publish] [OUT_DIR]``
(default ``out/cicd``). Builds the catalog, validates it, and writes
``OUT_DIR/flow.yaml`` and the derivations' TypeScript modules, runs the
catalog's test locally (both derivations of the totals), with
the Stripe token and the Snowflake private key encrypted with sops to a new
age identity made in a temporary directory; then loads what was written,
validates it, and decrypts it back with that identity. Last, unless
``--no-publish``, it starts a local control plane, publishes the catalog to
it (the secrets opened with that identity and re-encrypted by the control
plane's config-encryption service), pulls it back into ``OUT_DIR-pulled``,
and checks that the two catalogs hold the same specs.
``--plaintext-secrets`` writes the secrets as plain ``_sops`` values instead
(what ``tests/golden/cicd/flow.yaml`` holds).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any, cast

import flowspec as fs

FULL_OUTER_JOIN_TS = """\
import {
    IDerivation,
    Document,
    SourceFromCustomers,
    SourceFromOrders,
} from "flow/acmeCo/customers-with-orders.ts";

// Joins customers and their orders. Documents of one customer are reduced
// by the collection schema's `merge` annotations, so each lambda publishes
// only what it knows.
export class Derivation extends IDerivation {
    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        const { customer_id, order_id } = read.doc;
        return [{ customer_id, orders: [{ order_id }] }];
    }

    fromCustomers(read: { doc: SourceFromCustomers }): Document[] {
        const { customer_id, name } = read.doc;
        return [{ customer_id, name }];
    }
}
"""
"""The TypeScript module of the ``customers-with-orders`` derivation."""

LINE_ITEM_TOTALS_TS = """\
import { IDerivation, Document, SourceFromLineItems } from "flow/acmeCo/line-item-totals-ts.ts";

// Totals each line item with its sales tax, in dollars: the TypeScript
// twin of the SQLite derivation acmeCo/line-item-totals.
export class Derivation extends IDerivation {
    fromLineItems(read: { doc: SourceFromLineItems }): Document[] {
        const { id, item, price, sales_tax } = read.doc;
        return [{ id, item, total: `$${((price + sales_tax) / 100).toFixed(2)}` }];
    }
}
"""
"""The TypeScript module of the ``line-item-totals-ts`` derivation."""

SNOWFLAKE_PRIVATE_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder\n"
    "-----END PRIVATE KEY-----\n"
)
"""The Snowflake private key of the example: a placeholder in PEM form."""

STRIPE_ACCESS_TOKEN = "sk_test_placeholder"
"""The Stripe access token of the example: a placeholder."""


def catalog(base_dir: Path | None = None) -> fs.Catalog:
    """Builds the CI/CD pipeline catalog, to live in ``base_dir`` (where its
    TypeScript module is; default: the current directory).

    >>> cat = catalog()
    >>> len(cat.captures), len(cat.materializations)
    (1, 1)
    """
    cat = fs.Catalog(base_dir=base_dir)

    cat.capture(
        "acmeCo/ci-cd/source-stripe-native",
        image="ghcr.io/estuary/source-stripe-native:dev",
        config={
            "credentials": {
                "credentials_title": "Private App Credentials",
                "access_token": fs.secret(STRIPE_ACCESS_TOKEN),
            }
        },
    ).binding(
        {"stream": "charges", "syncMode": "incremental"}, target="acmeCo/ci-cd/stripe_charges"
    ).binding(
        {"stream": "plans", "syncMode": "full_refresh"}, target="acmeCo/ci-cd/stripe_plans"
    )

    cat.collection(
        "acmeCo/ci-cd/stripe_charges",
        schema={
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "created": {"type": "string"},
                "amount": {"type": "integer"},
                "currency": {"type": "string"},
                "customer": {"type": ["string", "null"]},
            },
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/ci-cd/stripe_plans",
        schema={
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "active": {"type": "boolean"},
                "interval": {"type": "string"},
                "amount": {"type": "integer"},
            },
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/join-collections/orders",
        schema={
            "type": "object",
            "required": ["order_id", "customer_id"],
            "properties": {
                "order_id": {"type": "string"},
                "customer_id": {"type": "string"},
                "total": {"type": "integer"},
            },
        },
        key=["/order_id"],
    )
    cat.collection(
        "acmeCo/join-collections/customers",
        schema={
            "type": "object",
            "required": ["customer_id"],
            "properties": {
                "customer_id": {"type": "string"},
                "name": {"type": "string"},
                "email": {"type": "string"},
            },
        },
        key=["/customer_id"],
    )

    cat.derivation(
        "acmeCo/customers-with-orders",
        schema={
            "type": "object",
            "properties": {
                "customer_id": {"type": "string"},
                "name": {"type": "string"},
                "orders": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"order_id": {"type": "string"}},
                    },
                    "reduce": {"strategy": "merge", "key": ["/order_id"]},
                },
            },
            "required": ["customer_id"],
            "reduce": {"strategy": "merge"},
        },
        key=["/customer_id"],
        typescript="full-outer-join.flow.ts",
    ).transform(
        "fromOrders", source="acmeCo/join-collections/orders", shuffle=["/customer_id"]
    ).transform(
        "fromCustomers", source="acmeCo/join-collections/customers", shuffle=["/customer_id"]
    )

    cat.collection(
        "acmeCo/ci-cd/postgres_shipments",
        schema={
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer"},
                "order_id": {"type": "string"},
                "shipped_at": {"type": "string", "format": "date-time"},
            },
        },
        key=["/id"],
    )

    cat.materialization(
        "acmeCo/ci-cd/materialize-snowflake",
        image="ghcr.io/estuary/materialize-snowflake:dev",
        config={
            "host": "orgname-accountname.snowflakecomputing.com",
            "database": "estuary_db",
            "schema": "estuary_schema",
            "credentials": {
                "auth_type": "jwt",
                "user": "estuary_user",
                "privateKey": fs.secret(SNOWFLAKE_PRIVATE_KEY),
            },
        },
    ).binding({"table": "shipments"}, source="acmeCo/ci-cd/postgres_shipments")

    cat.collection(
        "acmeCo/line-items",
        schema={
            "type": "object",
            "required": ["id", "item", "price", "sales_tax"],
            "properties": {
                "id": {"type": "string"},
                "item": {"type": "string"},
                "price": {"type": "integer", "description": "Price in cents."},
                "sales_tax": {"type": "integer", "description": "Sales tax in cents."},
            },
        },
        key=["/id"],
    )
    totals_schema = {
        "type": "object",
        "required": ["id", "item", "total"],
        "properties": {
            "id": {"type": "string"},
            "item": {"type": "string"},
            "total": {"type": "string", "description": "Price plus tax, in dollars."},
        },
    }
    totals = [
        {"id": "1", "item": "popcorn", "total": "$5.24"},
        {"id": "2", "item": "hot dog", "total": "$6.82"},
    ]
    cat.derivation(
        "acmeCo/line-item-totals",
        schema=totals_schema,
        key=["/id"],
        sqlite=[],
    ).transform(
        "fromLineItems",
        source="acmeCo/line-items",
        shuffle=["/id"],
        lambda_=(
            "SELECT $id AS id, $item AS item,\n"
            "  printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n"
        ),
    )

    cat.derivation(
        "acmeCo/line-item-totals-ts",
        schema=totals_schema,
        key=["/id"],
        typescript="line-item-totals.flow.ts",
    ).transform("fromLineItems", source="acmeCo/line-items", shuffle=["/id"])

    cat.test(
        "acmeCo/tests/example", description="Line items are totalled with their sales tax."
    ).ingest(
        "acmeCo/line-items",
        [
            {"id": "1", "item": "popcorn", "price": 499, "sales_tax": 25},
            {"id": "2", "item": "hot dog", "price": 650, "sales_tax": 32},
        ],
    ).verify("acmeCo/line-item-totals", totals).verify("acmeCo/line-item-totals-ts", totals)
    return cat


def failure(cls: type[fs.FlowspecError], code: fs.ErrorCode, message: str) -> fs.FlowspecError:
    """An error of the example's own checks, carrying a code as the
    binding's errors do."""
    err = cls(message)
    err.code = code
    return err


def comparable(spec: Any) -> Any:
    """A spec as a secret-aware comparison sees it: without ``expectPubId``
    and sops metadata, every value of a ``_sops`` key standing for "a
    secret" whatever its ciphertext."""
    if isinstance(spec, dict):
        items = cast("dict[str, Any]", spec)
        return {
            key: "<secret>" if key.endswith("_sops") else comparable(value)
            for key, value in items.items()
            if key not in ("expectPubId", "sops")
        }
    if isinstance(spec, list):
        elements = cast("list[object]", spec)
        return [comparable(item) for item in elements]
    return spec


def encrypted_values(value: Any) -> int:
    """How many values of ``_sops`` keys are sops ciphertext."""
    if isinstance(value, dict):
        items = cast("dict[str, Any]", value)
        return sum(
            1 if key.endswith("_sops") and str(item).startswith("ENC[") else encrypted_values(item)
            for key, item in items.items()
        )
    if isinstance(value, list):
        elements = cast("list[object]", value)
        return sum(encrypted_values(item) for item in elements)
    return 0


def publish_and_pull(target: Path, key_file: Path, pulled_dir: Path) -> None:
    """Publishes the written catalog to a local control plane (its secrets
    opened with ``key_file`` and re-encrypted by the control plane's
    service), pulls it back into ``pulled_dir``, and checks that both
    catalogs hold the same specs."""
    local = fs.Catalog.load(target)
    with fs.LocalControlPlane() as plane:
        published = local.publish(control_plane=plane, source=str(target), key_file=str(key_file))
        print(
            f"published {len(published['specs'])} specs to a local control plane "
            f"({plane.pg_url}) as publication {published['pub_id']}"
        )
        pulled = fs.pull_specs(control_plane=plane, prefixes=["acmeCo/"], target=str(pulled_dir / "flow.yaml"))
        print(f"pulled {pulled['written']} specs back into {pulled_dir}")
    back = fs.Catalog.load(pulled_dir / "flow.yaml").bundle().to_dict()
    mine = local.bundle().to_dict()
    differ = [
        f"{kind}/{name}"
        for kind in ("captures", "collections", "materializations", "tests")
        for name in sorted(set(mine.get(kind, {})) | set(back.get(kind, {})))
        if comparable(mine.get(kind, {}).get(name)) != comparable(back.get(kind, {}).get(name))
    ]
    if differ:
        raise failure(
            fs.ControlPlaneError, "internal", f"the pulled catalog differs from the published one: {', '.join(differ)}"
        )
    secrets = encrypted_values(back)
    print(f"pulled catalog matches the published one ({secrets} secrets encrypted by the control plane)")


def run(out: Path, plaintext_secrets: bool = False, publish: bool = True) -> None:
    """Builds, validates and writes the pipeline, then checks what was written."""
    # The catalog lives in `out`, beside its derivation's TypeScript module:
    # its relative references resolve there.
    out.mkdir(parents=True, exist_ok=True)
    module = out / "full-outer-join.flow.ts"
    totals_module = out / "line-item-totals.flow.ts"
    for path, text in ((module, FULL_OUTER_JOIN_TS), (totals_module, LINE_ITEM_TOTALS_TS)):
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    cat = catalog(base_dir=out)
    for warning in cat.validate():
        print(warning, file=sys.stderr)
    print(
        f"{len(cat.captures)} captures, {len(cat.collections)} collections, "
        f"{len(cat.materializations)} materializations, {len(cat.tests)} tests: valid"
    )
    # The catalog's test, run here: the SQLite and TypeScript derivations of
    # the line items' totals, verified as Estuary verifies them.
    results = cat.run_tests()
    print(results["report"], end="")
    if not results["ok"]:
        failed = ", ".join(t["test"] for t in results["tests"] if not t["passed"])
        raise failure(fs.ValidationError, "validation", f"failed tests: {failed}")

    target = out / "flow.yaml"

    # A new age identity, only for this run.
    with tempfile.TemporaryDirectory() as keys:
        key_file = Path(keys) / "keys.txt"
        recipient = "" if plaintext_secrets else fs.age_keygen(key_file)
        if plaintext_secrets:
            written = cat.write(target, layout="flat", plaintext_secrets=True)
        else:
            written = cat.write(target, layout="flat", recipients=[recipient])
        for path in written:
            print(f"wrote {path}")
        print(f"wrote {module}")
        print(f"wrote {totals_module}")

        fs.Catalog.load(target).validate()
        if plaintext_secrets:
            return
        print(f"secrets: encrypted to {recipient} (a temporary age identity)")
        decrypted = fs.Catalog.load(target, decrypt=True, key_file=key_file)
        if publish:
            publish_and_pull(target, key_file, out.with_name(out.name + "-pulled"))

    stripe = decrypted.captures["acmeCo/ci-cd/source-stripe-native"]
    snowflake = decrypted.materializations["acmeCo/ci-cd/materialize-snowflake"]
    decrypted_secrets = [
        stripe.spec["endpoint"]["connector"]["config"]["credentials"]["access_token_sops"],
        snowflake.spec["endpoint"]["connector"]["config"]["credentials"]["privateKey_sops"],
    ]
    if decrypted_secrets != [STRIPE_ACCESS_TOKEN, SNOWFLAKE_PRIVATE_KEY]:
        raise failure(fs.SecretsError, "catalog_secrets", "the decrypted secrets differ from the ones built")
    print(f"secrets: {len(decrypted_secrets)} configs decrypt back to the catalog as built")


def main(argv: list[str]) -> int:
    args = argv[1:]
    plaintext_secrets = "--plaintext-secrets" in args
    publish = "--no-publish" not in args
    args = [a for a in args if a not in ("--plaintext-secrets", "--no-publish")]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        print("usage: cicd.py [--plaintext-secrets] [--no-publish] [OUT_DIR]", file=sys.stderr)
        return 2
    out = Path(args[0]) if args else Path("out/cicd")
    try:
        run(out, plaintext_secrets, publish)
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
