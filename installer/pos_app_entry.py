"""The frozen till's entry point (PyInstaller): the same table of commands as ``pos-app``."""

from pos_app.app import main

if __name__ == "__main__":
    raise SystemExit(main())
