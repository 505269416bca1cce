"""Write the list of operation kinds and payload fields in docs/api.md from their definitions
(``pos_app.domain.operations``); ``--check`` only says whether the document is up to date.

    PYTHONPATH=. python scripts/operation_docs.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from pos_app.domain.operations.reference import replaced

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = replaced(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is out of date: run scripts/operation_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
