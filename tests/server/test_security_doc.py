"""docs/security.md backs each limit it claims with a test: every test module and test it
names exists, so a renamed or deleted test cannot leave a claim pointing at nothing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _named(text: str) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    text = re.sub(r"::\s*\n\s*", "::", text)  # a reference broken over two lines
    modules = set(re.findall(r"tests/[\w/]+\.py", text))
    qualified = set(re.findall(r"(tests/[\w/]+\.py)::(test_\w+)", text))
    bare = set(re.findall(r"\b(test_\w+)\b", text))
    return modules, qualified, bare


def test_every_test_the_security_notes_name_exists() -> None:
    modules, qualified, bare = _named((ROOT / "docs" / "security.md").read_text("utf-8"))
    assert len(qualified) >= 20  # the notes do name their tests
    missing = sorted(m for m in modules if not (ROOT / m).is_file())
    missing += sorted(f"{m}::{t}" for m, t in qualified
                      if (ROOT / m).is_file() and f"def {t}(" not in (ROOT / m).read_text("utf-8"))
    sources = "\n".join(p.read_text("utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    module_names = {p.stem for p in (ROOT / "tests").rglob("test_*.py")}
    missing += sorted(t for t in bare if t not in module_names and f"def {t}(" not in sources)
    assert missing == []
