"""Strict JSON decoding of the operation dataclasses from field specs (stdlib only).

Every field of an operation carries a ``Spec`` in its dataclass metadata (``spec(...)``): how a
JSON value becomes the field's value and back. Decoding is strict where money is concerned (an
int is an int: no ``true``, no ``"5"``, no ``5.0``), unknown keys are refused, and every problem
is collected as ``{"type", "loc", "msg"}`` - the keys pydantic's error list has, so the
server's 422 answer keeps its shape - then raised once as ``OperationInvalid``. A message never
repeats the input's value (it may be a guest's phone or card).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

Loc = tuple[str | int, ...]
ErrorDetail = dict[str, Any]

MAX_AMOUNT = 10**11  # one billion roubles in kopecks: anything above is a corrupted number
MAX_QUANTITY = 100_000


class OperationInvalid(ValueError):
    """A payload that does not have its kind's shape; ``errors`` says where and why."""

    def __init__(self, errors: list[ErrorDetail]) -> None:
        super().__init__(f"{len(errors)} problem(s) with the operation's payload")
        self.errors = errors


class UnknownKind(KeyError):
    """No operation of this kind is defined."""


class _Bad:
    __slots__ = ()


BAD: Any = _Bad()  # a value that failed to decode (its error is already recorded)
_ABSENT: Any = object()


def error(errors: list[ErrorDetail], kind: str, loc: Loc, msg: str) -> Any:
    errors.append({"type": kind, "loc": list(loc), "msg": msg})
    return BAD


class Spec:
    """How one JSON value is checked and turned into a field's value, and back."""

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        """``value`` (found at ``key`` of the object at ``loc``) checked, or ``BAD``."""
        raise NotImplementedError

    def encode(self, value: Any) -> Any:
        return value

    def describe(self) -> str:
        raise NotImplementedError


class Int(Spec):
    def __init__(self, ge: int = 0, le: int = MAX_AMOUNT) -> None:
        self.ge, self.le = ge, le

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if type(value) is int and self.ge <= value <= self.le:
            return value
        if type(value) is not int:
            return error(errors, "int_type", (*loc, key), "Input should be a valid integer")
        if value < self.ge:
            return error(errors, "greater_than_equal", (*loc, key),
                         f"Input should be greater than or equal to {self.ge}")  # fmt: skip
        if value > self.le:
            return error(errors, "less_than_equal", (*loc, key),
                         f"Input should be less than or equal to {self.le}")  # fmt: skip
        return value

    def describe(self) -> str:
        return f"int {_number(self.ge)}..{_number(self.le)}"


def _number(number: int) -> str:
    return {MAX_AMOUNT: "10^11", -MAX_AMOUNT: "-10^11"}.get(number, str(number))


class Bool(Spec):
    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if type(value) is not bool:
            return error(errors, "bool_type", (*loc, key), "Input should be a valid boolean")
        return value

    def describe(self) -> str:
        return "bool"


ID_RULE = ("an id may hold printable characters only: no control characters, line breaks or "
           "invisible formatting such as U+202E")  # fmt: skip


def printable_id(value: str) -> bool:
    """The one rule for ids, in operation payloads and in every other body or path alike
    (``pos_server.http.schemas.printable_id``): printable characters only. ``str.isprintable``
    refuses control characters (C0/C1, line breaks), format characters - bidirectional
    overrides such as U+202E, zero-width joiners - separators other than the plain space and
    unassigned code points: an id that shows differently from what it is (or that a log line
    splits on) cannot be stored, then found under another look."""
    return value.isprintable()


class Str(Spec):
    """A string of ``min_len..max_len`` characters after ``strip`` (and ``upper``);
    ``printable``: an id, held to ``printable_id``."""

    def __init__(self, min_len: int = 0, max_len: int = 64, *, strip: bool = False,
                 upper: bool = False, pattern: str | None = None,
                 printable: bool = False) -> None:  # fmt: skip
        self.min_len, self.max_len, self.strip, self.upper = min_len, max_len, strip, upper
        self.pattern = re.compile(pattern) if pattern else None
        self.printable = printable
        self.plain = pattern is None and not upper

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if not isinstance(value, str):
            return error(errors, "string_type", (*loc, key), "Input should be a valid string")
        if self.printable and not value.strip().isprintable():
            return error(errors, "value_error", (*loc, key), f"Value error, {ID_RULE}")
        if self.plain:  # the common case first: no pattern, no upper-casing
            if self.strip:
                value = value.strip()
            if self.min_len <= len(value) <= self.max_len:
                return value
        elif self.strip or self.upper:
            value = value.strip()
        if self.upper:
            value = value.upper()
        if len(value) < self.min_len:
            return error(errors, "string_too_short", (*loc, key),
                         f"String should have at least {self.min_len} character"
                         f"{'s' if self.min_len != 1 else ''}")  # fmt: skip
        if len(value) > self.max_len:
            return error(errors, "string_too_long", (*loc, key),
                         f"String should have at most {self.max_len} characters")
        if self.pattern is not None and not self.pattern.match(value):
            return error(errors, "string_pattern_mismatch", (*loc, key),
                         f"String should match pattern '{self.pattern.pattern}'")
        return value

    def describe(self) -> str:
        text = f"str({self.min_len}..{self.max_len})"
        if self.upper:
            text += " upper-cased"
        return text if self.pattern is None else f"{text} `{self.pattern.pattern}`"


class Choice(Spec):
    """One of a few strings (a ``StrEnum``'s values: decoded to the enum member)."""

    def __init__(self, choices: Sequence[str] | type[StrEnum]) -> None:
        self.enum = choices if isinstance(choices, type) else None
        self.values: tuple[str, ...] = tuple(str(c) for c in choices)

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if not isinstance(value, str) or value not in self.values:
            listed = ", ".join(repr(v) for v in self.values[:-1])
            return error(errors, "enum" if self.enum else "literal_error", (*loc, key),
                         f"Input should be {listed} or {self.values[-1]!r}")  # fmt: skip
        return self.enum(value) if self.enum is not None else value

    def encode(self, value: Any) -> Any:
        return str(value)

    def describe(self) -> str:
        return "|".join(f'"{v}"' for v in self.values)


class DateTime(Spec):
    """An ISO-8601 time with its zone (a naive time is refused)."""

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if not isinstance(value, str):
            return error(errors, "datetime_type", (*loc, key), "Input should be a valid datetime")
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            return error(errors, "datetime_from_date_parsing", (*loc, key),
                         "Input should be a valid datetime in ISO 8601 format")  # fmt: skip
        if at.tzinfo is None or at.utcoffset() is None:
            return error(errors, "timezone_aware", (*loc, key), "Input should have timezone info")
        return at

    def encode(self, value: Any) -> Any:
        return value.isoformat()

    def describe(self) -> str:
        return "ISO-8601 time with zone"


class Optional(Spec):
    """``null`` or the inner spec's value."""

    def __init__(self, inner: Spec) -> None:
        self.inner = inner

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        return None if value is None else self.inner.decode(value, loc, key, errors)

    def encode(self, value: Any) -> Any:
        return None if value is None else self.inner.encode(value)

    def describe(self) -> str:
        return f"{self.inner.describe()}|null"


class ListOf(Spec):
    """A JSON array, kept as a tuple (the dataclasses are frozen)."""

    def __init__(self, item: Spec, min_len: int = 0, max_len: int = 1000) -> None:
        self.item, self.min_len, self.max_len = item, min_len, max_len

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if not isinstance(value, list):
            return error(errors, "list_type", (*loc, key), "Input should be a valid list")
        if len(value) < self.min_len:
            return error(errors, "too_short", (*loc, key),
                         f"List should have at least {self.min_len} item"
                         f"{'s' if self.min_len != 1 else ''}")  # fmt: skip
        if len(value) > self.max_len:
            return error(errors, "too_long", (*loc, key),
                         f"List should have at most {self.max_len} items")
        before, here, item = len(errors), (*loc, key), self.item
        items = tuple([item.decode(v, here, i, errors) for i, v in enumerate(value)])
        return BAD if len(errors) > before else items

    def encode(self, value: Any) -> Any:
        return [self.item.encode(v) for v in value]

    def describe(self) -> str:
        return f"[{self.item.describe()}] ({self.min_len}..{self.max_len})"


class MapOf(Spec):
    """A JSON object of ``key`` strings to ``value``s, kept as a read-only mapping."""

    def __init__(self, key: Str, value: Spec, max_len: int = 100) -> None:
        self.key, self.value, self.max_len = key, value, max_len

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        if not isinstance(value, dict):
            return error(errors, "dict_type", (*loc, key), "Input should be a valid dictionary")
        if len(value) > self.max_len:
            return error(errors, "too_long", (*loc, key),
                         f"Dictionary should have at most {self.max_len} items")
        before, here = len(errors), (*loc, key)
        out = {self.key.decode(k, here, str(k), errors):
               self.value.decode(v, here, str(k), errors) for k, v in value.items()}
        return BAD if len(errors) > before else out

    def encode(self, value: Any) -> Any:
        return {k: self.value.encode(v) for k, v in value.items()}

    def describe(self) -> str:
        return f"{{str: {self.value.describe()}}}"


class Nested(Spec):
    """A JSON object that is another record (``Record`` subclass)."""

    def __init__(self, record: Callable[[], type[Record]]) -> None:
        self._record = record  # a callable: the record may be defined after the field

    @property
    def record(self) -> type[Record]:
        return self._record()

    def decode(self, value: object, loc: Loc, key: str | int, errors: list[ErrorDetail]
               ) -> Any:  # fmt: skip
        return self._record().decode(value, (*loc, key), errors)

    def encode(self, value: Any) -> Any:
        return value.to_json()

    def describe(self) -> str:
        return self.record.__name__


# The common field shapes (the server's limits before this module: pos_server/http/schemas.py).
AMOUNT = Int(0, MAX_AMOUNT)
ENTITY_ID = Str(1, 64, strip=True, printable=True)
NAME = Str(1, 200, strip=True)


def spec(s: Spec, default: Any = dataclasses.MISSING) -> Any:
    """A dataclass field checked by ``s``; with ``default`` it may be left out of the JSON."""
    if isinstance(default, list | dict) or (isinstance(default, tuple) and default):
        raise TypeError("use an immutable default (an empty tuple for a list)")
    return dataclasses.field(default=default, metadata={"spec": s})


_Field = tuple[str, Spec, bool, Any]  # name, spec, required, default


class Record:
    """A frozen dataclass decoded from / encoded to a JSON object by its fields' specs."""

    __slots__ = ()
    _fields_cache: ClassVar[dict[type, tuple[tuple[_Field, ...], frozenset[str]]]] = {}

    @classmethod
    def spec_fields(cls) -> tuple[tuple[_Field, ...], frozenset[str]]:
        cached = Record._fields_cache.get(cls)
        if cached is None:
            table = tuple(
                (f.name, f.metadata["spec"], f.default is dataclasses.MISSING, f.default)
                for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            )
            cached = Record._fields_cache[cls] = (table, frozenset(t[0] for t in table))
        return cached

    @classmethod
    def decode(cls, data: object, loc: Loc, errors: list[ErrorDetail]) -> Any:
        """The record at ``loc``, or ``BAD`` with its problems added to ``errors``."""
        if not isinstance(data, Mapping):
            return error(errors, "model_type", loc,
                         "Input should be a valid dictionary or object")  # fmt: skip
        table, names = cls.spec_fields()
        values: dict[str, Any] = {}
        before = len(errors)
        get = data.get
        for field_name, field_spec, required, _default in table:
            value = get(field_name, _ABSENT)
            if value is not _ABSENT:
                values[field_name] = field_spec.decode(value, loc, field_name, errors)
            elif required:
                error(errors, "missing", (*loc, field_name), "Field required")
        if not names.issuperset(data):
            for key in data:
                if key not in names:
                    error(errors, "extra_forbidden", (*loc, str(key)),
                          "Extra inputs are not permitted")  # fmt: skip
        if len(errors) > before:
            return BAD
        return cls(**values)

    @classmethod
    def from_json(cls, data: object) -> Self:
        """The record, or ``OperationInvalid`` listing every problem of ``data``."""
        errors: list[ErrorDetail] = []
        value = cls.decode(data, (), errors)
        if errors:
            raise OperationInvalid(errors)
        assert isinstance(value, cls)
        return value

    def to_json(self) -> dict[str, Any]:
        """Every field (``null`` for an absent optional one), JSON-ready."""
        table, _names = self.spec_fields()
        return {name: s.encode(value) if (value := getattr(self, name)) is not None else None
                for name, s, _required, _default in table}  # fmt: skip


class Operation(Record):
    """One kind of outbox operation: ``KIND`` names it on the wire and in the outbox."""

    __slots__ = ()
    KIND: ClassVar[str]
