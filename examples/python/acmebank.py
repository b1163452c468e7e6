#!/usr/bin/env python3
"""Acme Bank's transfers, derived with SQLite: Estuary's SQL derivations tutorial.

A collection of transfers between accounts, and three SQLite derivations
of it:

- ``acmeBank/transfer-outcomes`` approves a transfer when its sender's
  balance covers it, and denies it otherwise. One transform debits the
  sender, using SQLite's ``CHANGES()`` to learn whether the debit happened;
  a second reads the derivation's own approved transfers back (its
  ``outcome: approve`` partition) to credit the recipient.
- ``acmeBank/first-send`` keeps only the first transfer of each sender and
  recipient pair: an ``INSERT … ON CONFLICT DO NOTHING RETURNING`` returns
  a row only for a pair not seen before.
- ``acmeBank/grouped-transfers`` adds to each transfer the sender's other
  transfers of the last day: a window table that one transform adds to and
  another, reading the same source a day later (``readDelay: 24h``),
  removes from.

Each has a test, run locally with Estuary's semantics by ``run_tests``.

Usage: ``python examples/python/acmebank.py [OUT_DIR]`` — runs the tests,
prints the report, and writes ``OUT_DIR/flow.yaml`` (default
``out/acmebank``). Exits 1 if a test fails.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import flowspec as fs

TRANSFERS = "acmeBank/transfers"
OUTCOMES = "acmeBank/transfer-outcomes"
FIRST_SEND = "acmeBank/first-send"
GROUPED = "acmeBank/grouped-transfers"

TRANSFER_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"},
    "sender": {"type": "string"},
    "recipient": {"type": "string"},
    "amount": {"type": "number"},
}
TRANSFER_REQUIRED = ["id", "sender", "recipient", "amount"]


def transfer_schema(extra: dict[str, Any] | None = None, required: list[str] | None = None) -> dict[str, Any]:
    """The schema of a transfer, ``{id, sender, recipient, amount}``, with
    ``extra`` properties (also ``required``)."""
    return {
        "type": "object",
        "properties": {**TRANSFER_PROPERTIES, **(extra or {})},
        "required": TRANSFER_REQUIRED + (required or []),
    }


def transfer(id: int, sender: str, recipient: str, amount: float, **rest: Any) -> dict[str, Any]:
    """A transfer document."""
    return {"id": id, "sender": sender, "recipient": recipient, "amount": amount, **rest}


# Debits the sender, then publishes the transfer with its outcome. The
# UPDATE changes a row only if the sender's account holds the amount, and
# CHANGES() tells how many rows the last UPDATE changed. Deposits come from
# outside the bank: they are always approved.
DEBIT_SENDER = """\
UPDATE current_balances
   SET balance = balance - $amount
 WHERE account = $sender AND balance >= $amount;

SELECT $id AS id, $sender AS sender, $recipient AS recipient, $amount AS amount,
       IIF(CHANGES() > 0 OR $sender = 'DEPOSIT', 'approve', 'deny') AS outcome,
       IFNULL((SELECT balance FROM current_balances WHERE account = $sender), 0)
         AS sender_balance;
"""

# Credits the recipient of an approved transfer, opening the account on its
# first credit.
CREDIT_RECIPIENT = """\
INSERT INTO current_balances (account, balance) VALUES ($recipient, $amount)
ON CONFLICT (account) DO UPDATE SET balance = balance + excluded.balance;
"""

# Publishes a transfer only the first time its sender pays its recipient:
# RETURNING yields no row when the pair is already in the table.
FIRST_OF_PAIR = """\
INSERT INTO seen_pairs (sender, recipient) VALUES ($sender, $recipient)
ON CONFLICT DO NOTHING
RETURNING $id AS id, $sender AS sender, $recipient AS recipient, $amount AS amount;
"""

# Publishes a transfer with the sender's other transfers still in the
# window, then adds it to the window.
ENRICH_AND_ADD = """\
SELECT $id AS id, $sender AS sender, $recipient AS recipient, $amount AS amount,
       (SELECT JSON_GROUP_ARRAY(JSON_OBJECT('id', id, 'recipient', recipient, 'amount', amount))
          FROM recent_transfers
         WHERE sender = $sender) AS "window";

INSERT INTO recent_transfers (id, sender, recipient, amount)
VALUES ($id, $sender, $recipient, $amount);
"""


def add_transfers(cat: fs.Catalog) -> None:
    """The collection of transfers between accounts."""
    cat.collection(TRANSFERS, schema=transfer_schema(), key=["/id"])


def add_transfer_outcomes(cat: fs.Catalog) -> None:
    """Transfers with their outcome and the sender's balance after them,
    partitioned by outcome."""
    cat.derivation(
        OUTCOMES,
        schema=transfer_schema(
            {
                "outcome": {
                    "description": "Approved, or denied for lack of funds.",
                    "enum": ["approve", "deny"],
                },
                "sender_balance": {"type": "number"},
            },
            ["outcome", "sender_balance"],
        ),
        key=["/id"],
        projections={"outcome": {"location": "/outcome", "partition": True}},
        sqlite=[
            "CREATE TABLE current_balances (\n"
            "  account TEXT PRIMARY KEY NOT NULL,\n"
            "  balance REAL NOT NULL\n"
            ");\n"
        ],
    ).transform(
        # Shuffled on the sender, whose balance it debits.
        "debitSender",
        source=TRANSFERS,
        shuffle=["/sender"],
        lambda_=DEBIT_SENDER,
    ).transform(
        # The derivation reads its own approved transfers, shuffled on the
        # recipient, whose balance it credits.
        "creditRecipient",
        source={"name": OUTCOMES, "partitions": {"include": {"outcome": ["approve"]}}},
        shuffle=["/recipient"],
        lambda_=CREDIT_RECIPIENT,
    )


def add_first_send(cat: fs.Catalog) -> None:
    """The first transfer between each sender and recipient."""
    cat.derivation(
        FIRST_SEND,
        schema=transfer_schema(),
        key=["/id"],
        sqlite=[
            "CREATE TABLE seen_pairs (\n"
            "  sender TEXT NOT NULL,\n"
            "  recipient TEXT NOT NULL,\n"
            "  PRIMARY KEY (sender, recipient)\n"
            ");\n"
        ],
    ).transform(
        "fromTransfers",
        source=TRANSFERS,
        shuffle=["/sender", "/recipient"],
        lambda_=FIRST_OF_PAIR,
    )


def add_grouped_transfers(cat: fs.Catalog) -> None:
    """Transfers with the window of the sender's other transfers of the last
    day."""
    cat.derivation(
        GROUPED,
        schema=transfer_schema({"window": {"type": "array"}}, ["window"]),
        key=["/id"],
        sqlite=[
            "CREATE TABLE recent_transfers (\n"
            "  id INTEGER PRIMARY KEY NOT NULL,\n"
            "  sender TEXT NOT NULL,\n"
            "  recipient TEXT NOT NULL,\n"
            "  amount REAL NOT NULL\n"
            ");\n"
            "CREATE INDEX recent_transfers_by_sender ON recent_transfers (sender);\n"
        ],
    ).transform(
        "enrichAndAddToWindow",
        source=TRANSFERS,
        shuffle=["/sender"],
        lambda_=ENRICH_AND_ADD,
    ).transform(
        # The same transfers, a day later: they leave the window.
        "removeFromWindow",
        source=TRANSFERS,
        shuffle=["/sender"],
        read_delay="24h",
        lambda_="DELETE FROM recent_transfers WHERE id = $id;\n",
    )


def add_tests(cat: fs.Catalog) -> None:
    """A test of each derivation."""
    cat.test(
        "acmeBank/tests/transfer-outcomes",
        description="Transfers are approved while the sender's balance covers them.",
    ).ingest(
        TRANSFERS,
        [transfer(1, "DEPOSIT", "Alice", 20), transfer(2, "DEPOSIT", "Bob", 20)],
        description="Deposits open two accounts.",
    ).ingest(
        TRANSFERS,
        [transfer(3, "Alice", "Bob", 32.50), transfer(4, "Bob", "Carol", 10.75)],
        description="Alice sends more than she has; Bob sends less.",
    ).verify(
        OUTCOMES,
        [
            transfer(1, "DEPOSIT", "Alice", 20, outcome="approve", sender_balance=0),
            transfer(2, "DEPOSIT", "Bob", 20, outcome="approve", sender_balance=0),
            transfer(3, "Alice", "Bob", 32.50, outcome="deny", sender_balance=20),
            transfer(4, "Bob", "Carol", 10.75, outcome="approve", sender_balance=9.25),
        ],
        description="Each transfer has its outcome and the sender's balance after it.",
    ).verify(
        {"name": OUTCOMES, "partitions": {"include": {"outcome": ["deny"]}}},
        [transfer(3, "Alice", "Bob", 32.50, outcome="deny", sender_balance=20)],
        description="The deny partition holds the denied transfer only.",
    )

    cat.test(
        "acmeBank/tests/first-send",
        description="Only the first transfer of each sender and recipient pair is kept.",
    ).ingest(
        TRANSFERS,
        [
            transfer(1, "alice", "bob", 10.25),
            transfer(2, "alice", "bob", 13.40),
            transfer(3, "carol", "alice", 12.50),
            transfer(4, "alice", "carol", 16.96),
            transfer(5, "carol", "alice", 2.36),
            transfer(6, "alice", "carol", 7.13),
        ],
    ).verify(
        FIRST_SEND,
        [
            transfer(1, "alice", "bob", 10.25),
            transfer(3, "carol", "alice", 12.50),
            transfer(4, "alice", "carol", 16.96),
        ],
    )

    cat.test(
        "acmeBank/tests/grouped-transfers",
        description="A transfer is grouped with the sender's transfers of the last day.",
    ).ingest(
        TRANSFERS,
        [
            transfer(1, "alice", "bob", 10),
            transfer(2, "alice", "carol", 20),
            transfer(3, "bob", "alice", 5),
        ],
    ).verify(
        GROUPED,
        [
            transfer(1, "alice", "bob", 10, window=[]),
            transfer(2, "alice", "carol", 20, window=[{"id": 1, "recipient": "bob", "amount": 10}]),
            transfer(3, "bob", "alice", 5, window=[]),
        ],
        description="Alice's second transfer sees her first.",
    ).ingest(
        TRANSFERS,
        [transfer(4, "alice", "bob", 7), transfer(5, "alice", "carol", 1)],
        description="A day later (the verify waited for the window to close), Alice sends again.",
    ).verify(
        GROUPED,
        [
            transfer(1, "alice", "bob", 10, window=[]),
            transfer(2, "alice", "carol", 20, window=[{"id": 1, "recipient": "bob", "amount": 10}]),
            transfer(3, "bob", "alice", 5, window=[]),
            transfer(4, "alice", "bob", 7, window=[]),
            transfer(5, "alice", "carol", 1, window=[{"id": 4, "recipient": "bob", "amount": 7}]),
        ],
        description="Transfers 1 and 2 have left the window.",
    )


def catalog() -> fs.Catalog:
    """The Acme Bank catalog: transfers, three derivations and their tests.

    >>> cat = catalog()
    >>> len(cat.collections), len(cat.tests)
    (4, 3)
    """
    cat = fs.Catalog()
    add_transfers(cat)
    add_transfer_outcomes(cat)
    add_first_send(cat)
    add_grouped_transfers(cat)
    add_tests(cat)
    return cat


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("out/acmebank")
    cat = catalog()
    try:
        results = cat.run_tests()
        print(results["report"], end="")
        cat.write(out / "flow.yaml")
        print(f"wrote {out / 'flow.yaml'}")
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
