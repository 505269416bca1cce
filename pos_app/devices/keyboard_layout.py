"""Undo a Russian keyboard layout on wedge input.

A keyboard-wedge reader "types" key codes; when the till's active layout is Russian
(ЙЦУКЕН), the OS turns ``;1234?`` into ``ж1234,``. Card and barcode data never contain
Cyrillic, so a Cyrillic letter in a reading means the layout was Russian and the text can be
mapped back key by key to what a US layout would have produced.
"""

from __future__ import annotations

# Same physical keys, unshifted and shifted, in the US and the Russian layout.
_US = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./" + '~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?' + "@#$^&|"
_RU = "ёйцукенгшщзхъфывапролджэячсмитьбю." + "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ," + '"№;:?/'

_RU_TO_US = str.maketrans(dict(zip(_RU, _US, strict=True)))


def looks_russian(text: str) -> bool:
    """True when the text holds a Cyrillic letter, i.e. it was typed in a Russian layout."""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def ru_to_us(text: str) -> str:
    """Map text typed in the Russian layout to the keys' US-layout characters."""
    return text.translate(_RU_TO_US)


def normalize_wedge_text(text: str) -> str:
    """Return the US-layout text if ``text`` was typed in a Russian layout, else ``text``."""
    return ru_to_us(text) if looks_russian(text) else text
