"""``python -m pos_app.devices.acquiring --port 9300``: run the fake card terminal."""

from pos_app.devices.acquiring.emulator import main

raise SystemExit(main())
