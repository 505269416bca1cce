#!/usr/bin/env bash
# Builds the frozen Linux till: a PyInstaller folder (dist/tillkeeper/pos-app) and, where
# dpkg-deb exists, a .deb around it (dist/tillkeeper_<version>_amd64.deb).
#
#   ./scripts/build-till.sh [OUT_DIR]        (default OUT_DIR: dist/ in the checkout)
#
# The .deb installs the till in /opt/tillkeeper, `pos-app` in /usr/bin (its data in the
# machine-wide folder /var/lib/tillkeeper unless POS_DATA_DIR says otherwise), a menu entry
# and its icon; `tillkeeper-autostart on|off` starts the till at every graphical login (an
# entry in /etc/xdg/autostart). `apt remove tillkeeper` uninstalls it and keeps the data
# folder (the till's unsent sales live there); `apt purge` leaves it too, said in its message.
# Uses the checkout's .venv (scripts/bootstrap.sh), which has PyInstaller (the dev extra).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)"
PY="${POS_BUILD_PYTHON:-$ROOT/.venv/bin/python}"
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build-till: PyInstaller is not installed in $PY's environment (pip install pyinstaller," \
       "or ./scripts/bootstrap.sh, whose dev extra has it)" >&2
  exit 2
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== PyInstaller (one folder) -> $OUT/tillkeeper"
(cd "$ROOT" && PYTHONPATH="$ROOT" "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT" --workpath "$WORK/build" installer/linux/tillkeeper.spec)
test -x "$OUT/tillkeeper/pos-app"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-till: no dpkg-deb here; the frozen till is $OUT/tillkeeper (no .deb)"
  exit 0
fi
VERSION="$(cd "$ROOT" && PYTHONPATH="$ROOT" "$PY" -c \
  'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(dpkg --print-architecture)"
PKG="$WORK/pkg"
echo "== .deb $VERSION ($ARCH)"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/tillkeeper"
cp -a "$OUT/tillkeeper" "$PKG/opt/tillkeeper"
install -m 0755 "$ROOT/installer/linux/pos-app.sh" "$PKG/usr/bin/pos-app"
install -m 0755 "$ROOT/installer/linux/tillkeeper-autostart.sh" "$PKG/usr/bin/tillkeeper-autostart"
install -m 0644 "$ROOT/installer/pos-app.desktop" "$PKG/usr/share/applications/tillkeeper.desktop"
install -m 0644 "$ROOT/installer/pos-app.desktop" "$PKG/usr/share/tillkeeper/autostart.desktop"
install -m 0644 "$ROOT/pos_app/resources/icons/tillkeeper.svg" \
  "$PKG/usr/share/icons/hicolor/scalable/apps/tillkeeper.svg"
install -m 0755 "$ROOT/installer/linux/postinst" "$PKG/DEBIAN/postinst"
install -m 0755 "$ROOT/installer/linux/postrm" "$PKG/DEBIAN/postrm"
SIZE="$(du -sk "$PKG" | cut -f1)"
cat > "$PKG/DEBIAN/control" <<EOF
Package: tillkeeper
Version: $VERSION
Architecture: $ARCH
Maintainer: Tillkeeper developers <tillkeeper@example.invalid>
Installed-Size: $SIZE
Depends: libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libglib2.0-0, libdbus-1-3, libxcb-cursor0
Recommends: libpulse0, libasound2, libgstreamer1.0-0, libgstreamer-plugins-base1.0-0, libusb-1.0-0
Section: misc
Priority: optional
Description: Tillkeeper, an offline-first point of sale (the till)
 The till and the operator console of Tillkeeper, frozen with their Python and Qt.
EOF
DEB="$OUT/tillkeeper_${VERSION}_${ARCH}.deb"
# gzip: xz takes many minutes for the ~280 MB of Qt; every dpkg reads gzip
dpkg-deb --root-owner-group -Zgzip -z6 --build "$PKG" "$DEB" >/dev/null
echo "build-till: $DEB and $OUT/tillkeeper/pos-app"
