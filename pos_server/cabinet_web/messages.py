"""Sentences the domain raises in English that the cabinet shows: listed here so the
extraction (``scripts/cabinet_i18n.sh``) puts them in the catalogue; shown translated."""

from __future__ import annotations


def _(message: str) -> str:
    return message


DOMAIN_MESSAGES = (
    _("A guest needs a name."),
    _("A birthday is a date such as 1990-05-17."),
    _("A birthday cannot be in the future or before 1900."),
)
