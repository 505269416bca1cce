"""Composite products' parts checked as a whole (issue 18 point 6).

Why apart: a bundle may hold another bundle, so a file (or one form) can only be judged
against the catalogue it would leave behind - the server's bundles with the file's replacing
theirs. Pure: the service hands in what the server has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

MAX_PARTS = 50  # a bundle lists its parts on the receipt; a longer list is a data error


class BundleError(ValueError):
    """What is wrong with a bundle, in words for the person who made it; ``kind`` (``self``,
    ``unknown``, ``twice``, ``cycle``) and ``subject`` (the product or the chain) let a page
    say it in its own language."""

    def __init__(self, message: str, kind: str, subject: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.subject = subject


def check_bundles(
    bundles: Mapping[str, Sequence[str]], known: Iterable[str], given: Iterable[str]
) -> None:
    """``bundles``: every bundle after the change, by id, with its parts' ids; ``known``: every
    product id after the change (the withdrawn too); ``given``: the bundles the change names
    (only they are blamed for an unknown part, so an old row never stops a new file).

    Refused: a part that is no product, a bundle that holds itself, a part named twice,
    and a cycle through nested bundles (A holds B, B holds A)."""
    products = set(known)
    for bundle_id in given:
        parts = bundles.get(bundle_id, ())
        for part in parts:
            if part == bundle_id:
                raise BundleError(f"Bundle {bundle_id!r} cannot hold itself.", "self", bundle_id)
            if part not in products:
                raise BundleError(
                    f"Bundle {bundle_id!r} holds {part!r}, which is no product.", "unknown", part
                )
        twice = sorted({part for part in parts if list(parts).count(part) > 1})
        if twice:
            raise BundleError(
                f"Bundle {bundle_id!r} names {twice[0]!r} more than once.", "twice", twice[0]
            )
    for bundle_id in given:
        _no_cycle(bundles, bundle_id)


def _no_cycle(bundles: Mapping[str, Sequence[str]], start: str) -> None:
    """Walk the parts from ``start``; reaching ``start`` again is a cycle."""
    path = [start]
    seen: set[str] = set()
    stack = [(start, iter(bundles.get(start, ())))]
    while stack:
        _node, parts = stack[-1]
        part = next(parts, None)
        if part is None:
            stack.pop()
            path.pop()
            continue
        if part == start:
            chain = " → ".join([*path, start])
            raise BundleError(f"Bundles cannot hold each other: {chain}.", "cycle", chain)
        if part in seen or part not in bundles:
            continue
        seen.add(part)
        path.append(part)
        stack.append((part, iter(bundles[part])))
