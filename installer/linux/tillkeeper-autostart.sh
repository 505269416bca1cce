#!/bin/sh
# tillkeeper-autostart on|off: start the till at every graphical login on this machine, or not.
set -e
ENTRY=/etc/xdg/autostart/tillkeeper.desktop
case "${1:-}" in
  on) install -m 0644 /usr/share/tillkeeper/autostart.desktop "$ENTRY"
      echo "the till starts at every graphical login ($ENTRY)" ;;
  off) rm -f "$ENTRY"; echo "the till no longer starts at login" ;;
  *) echo "usage: tillkeeper-autostart on|off" >&2; exit 2 ;;
esac
