#!/usr/bin/env python3
"""Acme Bank's account balances, derived with TypeScript: Estuary's
TypeScript derivations tutorial.

``acmeBank/balances`` reads the approved transfers of
``acmeBank/transfer-outcomes`` (the SQLite derivation of
``examples/python/acmebank.py``; only its ``outcome: approve`` partition),
in any order (``shuffle: any``). For each transfer its TypeScript module
publishes two documents: the amount taken from the sender and the amount
given to the recipient. The collection's schema sums ``balance`` by user,
so the derivation keeps no state of its own. The tests run it locally on
three shards, as Estuary does: Estuary's, and one of a denied transfer.

Usage: ``python examples/python/balances.py [OUT_DIR]`` — runs the tests,
prints the report, and writes ``OUT_DIR/flow.yaml`` and the derivation's
``balances.flow.ts`` (default ``out/balances``). Exits 1 if a test fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import flowspec as fs
from acmebank import OUTCOMES, TRANSFERS, add_transfer_outcomes, add_transfers, transfer

BALANCES = "acmeBank/balances"

BALANCES_TS = """\
import { IDerivation, Document, SourceFromOutcomes } from "flow/acmeBank/balances.ts";

// An approved transfer moves its amount from the sender's balance to the
// recipient's. The collection sums `balance` by user.
export class Derivation extends IDerivation {
    fromOutcomes(read: { doc: SourceFromOutcomes }): Document[] {
        const { sender, recipient, amount } = read.doc;
        return [
            { user: sender, balance: -amount },
            { user: recipient, balance: amount },
        ];
    }
}
"""
"""The TypeScript module of the ``acmeBank/balances`` derivation."""

MODULE = "balances.flow.ts"
"""The module's file, beside the catalog."""


def catalog(base_dir: Path | None = None) -> fs.Catalog:
    """Transfers, their outcomes and the balances derived from them, to live
    in ``base_dir`` (where the TypeScript module is; default: the current
    directory).

    >>> cat = catalog()
    >>> sorted(cat.collections)
    ['acmeBank/balances', 'acmeBank/transfer-outcomes', 'acmeBank/transfers']
    """
    cat = fs.Catalog(base_dir=base_dir)
    add_transfers(cat)
    add_transfer_outcomes(cat)
    cat.derivation(
        BALANCES,
        schema={
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "user": {"type": "string"},
                "balance": {"type": "number", "reduce": {"strategy": "sum"}},
            },
            "required": ["user", "balance"],
        },
        key=["/user"],
        typescript=MODULE,
    ).transform(
        "fromOutcomes",
        source={"name": OUTCOMES, "partitions": {"include": {"outcome": ["approve"]}}},
        shuffle="any",
    )

    cat.test("acmeBank/tests/balances", description="Balances add up approved transfers.").ingest(
        TRANSFERS,
        [
            transfer(1, "DEPOSIT", "alice", 100),
            transfer(2, "DEPOSIT", "bob", 100),
            transfer(3, "DEPOSIT", "carol", 100),
        ],
        description="Deposits into three accounts.",
    ).ingest(
        TRANSFERS,
        [
            transfer(4, "alice", "bob", 20),
            transfer(5, "bob", "carol", 40),
            transfer(6, "carol", "alice", 90),
            transfer(7, "bob", "DEPOSIT", 40),
        ],
        description="Transfers between the accounts, and a withdrawal.",
    ).verify(
        BALANCES,
        [
            {"user": "DEPOSIT", "balance": -260},
            {"user": "alice", "balance": 170},
            {"user": "bob", "balance": 40},
            {"user": "carol", "balance": 50},
        ],
        description="Each account's balance.",
    )

    cat.test(
        "acmeBank/tests/denied-transfers",
        description="A denied transfer moves nothing: balances read only approved ones.",
    ).ingest(
        TRANSFERS,
        [transfer(1, "DEPOSIT", "alice", 50)],
        description="A deposit.",
    ).ingest(
        TRANSFERS,
        [transfer(2, "alice", "bob", 80), transfer(3, "alice", "carol", 30)],
        description="Alice overdraws, then sends what she has.",
    ).verify(
        BALANCES,
        [
            {"user": "DEPOSIT", "balance": -50},
            {"user": "alice", "balance": 20},
            {"user": "carol", "balance": 30},
        ],
        description="Bob received nothing.",
    )
    return cat


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("out/balances")
    # The catalog lives in `out`, beside its TypeScript module: its relative
    # reference resolves there.
    out.mkdir(parents=True, exist_ok=True)
    module = out / MODULE
    with open(module, "w", encoding="utf-8", newline="\n") as f:
        f.write(BALANCES_TS)
    cat = catalog(base_dir=out)
    try:
        results = cat.run_tests()
        print(results["report"], end="")
        cat.write(out / "flow.yaml")
        print(f"wrote {out / 'flow.yaml'}")
        print(f"wrote {module}")
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
