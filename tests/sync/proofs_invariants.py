"""The five invariants of DESIGN.md, checked against the server's database (and the tills').

1. Exactly once, in order: per terminal, the judged operations are seq 1..last_seq with no gap,
   and they are exactly the till's outbox (same op_id at the same seq, nothing else).
2. Conservation: per account, total = sum of the postings' total deltas, held = sum of their
   held deltas = sum of the open holds, available >= 0 unless an overdraft is recorded.
3. Every hold ends exactly once: one ``hold`` posting; its held points come back exactly once
   (commit + release of the rest, release, or expiry) if it ended, never if it is open.
4. Durability: every sale a till reported done is on the server once (``sales_of``).
5. Convergence: a drained till's cached account snapshots equal the server's accounts.

Each check returns a list of readable problems (empty = holds) so a failure names them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import (
    MONEY,
    POINTS,
    AccountRow,
    AppliedOperation,
    BonusHoldRow,
    OverdraftRow,
    PostingRow,
    Sale,
    Terminal,
)

# (total delta sign, held delta sign) of each posting kind (pos_app.domain.ledger/bonus)
DELTAS = {"credit": (1, 0), "accrual": (1, 0), "adjustment": (1, 0), "debit": (-1, 0),
          "debt": (-1, 0), "hold": (0, 1), "commit": (-1, -1), "release": (0, -1),
          "expire": (0, -1)}  # fmt: skip


@dataclass(frozen=True)
class TillOps:
    """What a till's outbox holds: (op_id, seq) of every operation, and how many still wait."""

    terminal_id: str
    ops: Sequence[tuple[str, int]]
    pending: int = 0


class ServerView:
    """Reads the server's database for the checks (one short session per call)."""

    def __init__(self, db_url: str) -> None:
        self._engine = make_engine(db_url)
        self._sessions = make_sessions(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> ServerView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self._sessions()

    def sales_of(self, terminal_id: str) -> list[str]:
        with self.session() as s:
            return list(s.scalars(select(Sale.id).where(Sale.terminal_id == terminal_id)))

    def hold_status(self, hold_id: str) -> str | None:
        with self.session() as s:
            hold = s.get(BonusHoldRow, hold_id)
            return None if hold is None else hold.status

    def accounts(self) -> dict[str, tuple[int, int]]:
        """(total, held) by the till's account id: the guest's for points, ``balance:<guest>``
        for money (as the feed names them)."""
        with self.session() as s:
            found = {a.id: (a.total, a.held) for a in s.scalars(
                select(AccountRow).where(AccountRow.kind == POINTS))}
            found.update((f"balance:{a.id}", (a.total, 0)) for a in s.scalars(
                select(AccountRow).where(AccountRow.kind == MONEY)))  # fmt: skip
            return found

    def exactly_once(self, tills: Iterable[TillOps]) -> list[str]:
        problems: list[str] = []
        with self.session() as s:
            for till in tills:
                rows = s.execute(select(AppliedOperation.op_id, AppliedOperation.seq)
                                 .where(AppliedOperation.terminal_id == till.terminal_id)
                                 .order_by(AppliedOperation.seq)).all()  # fmt: skip
                last_seq = s.get_one(Terminal, till.terminal_id).last_seq
                seqs = [r.seq for r in rows]
                if seqs != list(range(1, len(seqs) + 1)) or last_seq != len(seqs):
                    problems.append(f"{till.terminal_id}: seqs {seqs[:5]}... last_seq {last_seq}")
                server = {(r.op_id, r.seq) for r in rows}
                local = set(till.ops)
                if till.pending == 0 and server != local:
                    problems.append(f"{till.terminal_id}: on the server only "
                                    f"{sorted(server - local)[:3]}, in the till only "
                                    f"{sorted(local - server)[:3]}")  # fmt: skip
                elif not server <= local:
                    problems.append(f"{till.terminal_id}: unknown ops {sorted(server - local)[:3]}")
        return problems

    def conservation(self) -> list[str]:
        problems: list[str] = []
        with self.session() as s:
            sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for p in s.scalars(select(PostingRow).where(PostingRow.account_kind == POINTS)
                               .order_by(PostingRow.id)):  # fmt: skip
                dt, dh = DELTAS[p.kind]
                sums[p.account_id][0] += dt * p.amount
                sums[p.account_id][1] += dh * p.amount
            open_held: dict[str, int] = defaultdict(int)
            for h in s.scalars(select(BonusHoldRow).where(BonusHoldRow.status == "open")):
                open_held[h.account_id] += h.amount
            overdrawn = set(s.scalars(select(OverdraftRow.account_id)
                                      .where(OverdraftRow.account_kind == POINTS)))
            for a in s.scalars(select(AccountRow).where(AccountRow.kind == POINTS)):
                total, held = sums[a.id]
                if (a.total, a.held) != (total, held):
                    problems.append(f"account {a.id}: {a.total}/{a.held} but postings say "
                                    f"{total}/{held}")  # fmt: skip
                if a.held != open_held[a.id]:
                    problems.append(f"account {a.id}: held {a.held}, open holds {open_held[a.id]}")
                if a.total - a.held < 0 and a.id not in overdrawn:
                    problems.append(f"account {a.id}: available {a.total - a.held} unrecorded")
        return problems

    def balance_conservation(self) -> list[str]:
        """Money (balance) accounts: total = sum of the postings, negative only by a debt
        posting or a recorded overdraft."""
        problems: list[str] = []
        with self.session() as s:
            sums: dict[str, int] = defaultdict(int)
            debts: set[str] = set()
            for p in s.scalars(select(PostingRow).where(PostingRow.account_kind == MONEY)
                               .order_by(PostingRow.id)):  # fmt: skip
                sums[p.account_id] += DELTAS[p.kind][0] * p.amount
                if p.kind == "debt":
                    debts.add(p.account_id)
            overdrawn = set(s.scalars(select(OverdraftRow.account_id)
                                      .where(OverdraftRow.account_kind == MONEY)))
            for a in s.scalars(select(AccountRow).where(AccountRow.kind == MONEY)):
                if a.total != sums[a.id]:
                    problems.append(f"balance {a.id}: {a.total} but postings say {sums[a.id]}")
                if a.total < 0 and a.id not in debts | overdrawn:
                    problems.append(f"balance {a.id}: {a.total} with no debt or overdraft")
        return problems

    def holds_end_once(self) -> list[str]:
        problems: list[str] = []
        with self.session() as s:
            held_back: dict[str, int] = defaultdict(int)
            placed: dict[str, int] = defaultdict(int)
            for p in s.scalars(select(PostingRow).where(PostingRow.hold_id.is_not(None))):
                if p.kind == "hold":
                    placed[p.hold_id or ""] += 1
                elif DELTAS[p.kind][1] < 0:
                    held_back[p.hold_id or ""] += p.amount
            for h in s.scalars(select(BonusHoldRow)):
                back = held_back[h.id]
                if placed[h.id] != 1:
                    problems.append(f"hold {h.id}: {placed[h.id]} hold postings")
                if h.status == "open" and back:
                    problems.append(f"hold {h.id}: open but {back} came back")
                if h.status != "open" and back != h.amount:
                    problems.append(f"hold {h.id}: {h.status}, {back} of {h.amount} came back")
        return problems

    def all_invariants(self, tills: Iterable[TillOps]) -> list[str]:
        return (self.exactly_once(tills) + self.conservation() + self.balance_conservation()
                + self.holds_end_once())


def converged(
    server: Mapping[str, tuple[int, int]], cached: Mapping[str, tuple[int, int]]
) -> list[str]:
    """Invariant 5: every account the till caches equals the server's (total, held)."""
    return [f"account {a}: till {cached[a]}, server {server.get(a)}"
            for a in sorted(cached) if server.get(a) != cached[a]]  # fmt: skip
