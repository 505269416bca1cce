"""The enrolment link of the back office's QR code: one format, read back whatever a scanner
adds around it, and refused with a sentence when it is something else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.enrol_link import (
    BadEnrolLink,
    EnrolLink,
    format_enrol_link,
    looks_like_enrol_link,
    parse_enrol_link,
)


def test_the_format_is_a_tillkeeper_url_with_encoded_parts() -> None:
    link = format_enrol_link("https://pos.example:8765/chain?a=1&b=2", "AbC-_9")
    assert link == ("tillkeeper://enrol?server=https%3A%2F%2Fpos.example%3A8765%2Fchain"
                    "%3Fa%3D1%26b%3D2&code=AbC-_9")  # fmt: skip
    assert parse_enrol_link(link) == EnrolLink("https://pos.example:8765/chain?a=1&b=2", "AbC-_9")


@pytest.mark.parametrize("text", [
    "  tillkeeper://enrol?server=https%3A%2F%2Fpos.example&code=K1\r\n",
    "\ufeffTILLKEEPER://ENROL?server=https%3A%2F%2Fpos.example%2F&code=K1",
    "tillkeeper:enrol?code=K1&server=https://pos.example",  # unencoded, other order, no //
    "tillkeeper://enrol/?server=https%3A%2F%2Fpos.example&code=K1&code=K1",
])  # fmt: skip
def test_what_scanners_add_is_forgiven(text: str) -> None:
    assert looks_like_enrol_link(text)
    assert parse_enrol_link(text) == EnrolLink("https://pos.example", "K1")


@pytest.mark.parametrize("text", [
    "4607001234567",
    "https://pos.example/?code=K1",
    "tillkeeper://other?server=https%3A%2F%2Fpos.example&code=K1",
    "tillkeeper://enrol?server=ftp%3A%2F%2Fpos.example&code=K1",
    "tillkeeper://enrol?server=https%3A%2F%2Fpos.example",
    "tillkeeper://enrol?server=https%3A%2F%2Fpos.example&code=K1&code=K2",
    "tillkeeper://enrol?server=https%3A%2F%2Fpos.example&code=K%201",
    "tillkeeper://enrol?server=https%3A%2F%2F%5Bbad&code=K1",
])  # fmt: skip
def test_anything_else_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(BadEnrolLink):
        parse_enrol_link(text)


@given(
    host=st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,5}){0,2}", fullmatch=True),
    port=st.integers(1, 65535),
    path=st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zs"]), max_size=20),
    code=st.from_regex(r"[A-Za-z0-9_-]{1,24}", fullmatch=True),
)
def test_any_server_and_code_survive_the_round_trip(host: str, port: int, path: str,
                                                    code: str) -> None:  # fmt: skip
    server = f"https://{host}:{port}/{path}".rstrip("/")
    assert parse_enrol_link(format_enrol_link(server, code)) == EnrolLink(server, code)
