"""The Windows installer cannot be built here (PyInstaller and Inno Setup run on Windows; the
CI is Linux), so this checks what can be checked without them: the Inno Setup script installs
the folder and the programs that ``installer/windows/tillkeeper.spec`` makes, its data folder is
the one the till uses on Windows, it has the start-menu entry, the autostart and desktop tasks,
the uninstaller entry, every custom text in both languages, and every local file it names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pos_app.commands import store_factory
from pos_app.commands.store_factory import data_dir

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ROOT / "installer" / "windows"
ISS = WINDOWS / "tillkeeper.iss"
SPEC = WINDOWS / "tillkeeper.spec"


def iss_text() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads a UTF-8 script by its BOM"
    return raw.decode("utf-8-sig")


def defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*#define (\w+) "([^"]*)"', text, re.MULTILINE))


def expand(value: str, names: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: names[m.group(1)], value)


def sections(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith((";", "#")):
            continue
        if re.fullmatch(r"\[\w+\]", stripped):
            current = stripped[1:-1]
            found[current] = []
        elif current:
            found[current].append(stripped)
    return found


def entries(lines: list[str]) -> list[dict[str, str]]:
    """``Name: "x"; Filename: "y"; ...`` lines as dicts (quotes doubled inside values)."""
    pattern = re.compile(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)')
    out = []
    for line in lines:
        fields = {k: v.strip().strip('"').replace('""', '"') for k, v in pattern.findall(line)}
        out.append(fields)
    return out


def spec_programs() -> tuple[set[str], str, list[str]]:
    """The EXE names, the COLLECT folder and the Analysis scripts of the spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    exes, folder, scripts = set(), "", []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names = {k.arg: k.value for k in node.keywords}
            if node.func.id == "EXE":
                exes.add(ast.literal_eval(names["name"]))
                assert "icon" in names
            elif node.func.id == "COLLECT":
                folder = ast.literal_eval(names["name"])
    assert "ENTRY" in SPEC.read_text(encoding="utf-8")
    scripts.append(str(WINDOWS / ".." / "pos_app_entry.py"))
    return exes, folder, scripts


def test_the_spec_compiles_and_its_files_exist() -> None:
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    exes, folder, scripts = spec_programs()
    assert exes == {"tillkeeper", "pos-app"} and folder == "tillkeeper"
    assert all(Path(s).is_file() for s in scripts)
    assert (WINDOWS / "tillkeeper.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO
    text = SPEC.read_text(encoding="utf-8")
    assert 'subdir="resources"' in text and 'subdir="db/migrations"' in text


def test_the_installer_installs_what_the_spec_builds() -> None:
    text = iss_text()
    names = defines(text)
    exes, folder, _ = spec_programs()
    found = sections(text)
    [files] = entries(found["Files"])
    source = expand(files["Source"], names)
    assert source == rf"..\..\dist\{folder}\*"  # the spec's COLLECT folder under --distpath dist
    assert "recursesubdirs" in files["Flags"]
    icons = entries(found["Icons"])
    run = [expand(i["Filename"], names) for i in icons + entries(found["Run"])]
    programs = {r.removeprefix("{app}\\") for r in run if r.startswith("{app}\\")}
    assert programs == {f"{exe}.exe" for exe in exes}
    assert expand(dict(e.split("=", 1) for e in found["Setup"])["UninstallDisplayIcon"],
                  names) == r"{app}\tillkeeper.exe"  # fmt: skip
    for local in ("SetupIconFile",):
        value = dict(e.split("=", 1) for e in found["Setup"])[local]
        assert (WINDOWS / value).is_file(), value


def test_start_menu_autostart_desktop_and_uninstaller() -> None:
    text = iss_text()
    names = defines(text)
    found = sections(text)
    tasks = {t["Name"]: t for t in entries(found["Tasks"])}
    assert set(tasks) == {"autostart", "desktopicon"}
    assert "unchecked" in tasks["autostart"]["Flags"]  # an option, not imposed
    icons = [{k: expand(v, names) for k, v in i.items()} for i in entries(found["Icons"])]
    by_place = {i["Name"].split("\\")[0]: i for i in icons}
    assert by_place["{commonstartup}"]["Tasks"] == "autostart"
    assert by_place["{commondesktop}"]["Tasks"] == "desktopicon"
    menu = [i for i in icons if i["Name"].startswith("{group}")]
    assert any(i["Filename"] == r"{app}\tillkeeper.exe" and "Parameters" not in i for i in menu)
    assert any(i["Filename"] == "{uninstallexe}" for i in menu)
    assert any(i.get("Parameters") == "devices" for i in menu)


def test_the_data_folder_is_the_one_the_till_uses_on_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = iss_text()
    names = defines(text)
    [folder] = entries(sections(text)["Dirs"])
    assert expand(folder["Name"], names) == "{commonappdata}\\" + store_factory.WINDOWS_FOLDER
    assert "users-modify" in folder["Permissions"] and "uninsneveruninstall" in folder["Flags"]
    monkeypatch.delenv(store_factory.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(store_factory.sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", "C:\\ProgramData")  # what {commonappdata} is
    assert str(data_dir()) == str(Path("C:\\ProgramData") / store_factory.WINDOWS_FOLDER)


def test_every_custom_message_is_in_both_languages() -> None:
    text = iss_text()
    found = sections(text)
    languages = {e["Name"] for e in entries(found["Languages"])}
    assert languages == {"en", "ru"}
    defined: dict[str, set[str]] = {}
    for line in found["CustomMessages"]:
        key, _, value = line.partition("=")
        language, _, name = key.partition(".")
        assert value.strip(), key
        defined.setdefault(name, set()).add(language)
    used = set(re.findall(r"\{cm:(\w+)", text)) | set(re.findall(r"CustomMessage\('(\w+)'\)",
                                                                 text))  # fmt: skip
    builtin = {"CreateDesktopIcon", "AdditionalIcons", "UninstallProgram", "LaunchProgram"}
    for name in used - builtin:
        assert defined.get(name) == languages, name
