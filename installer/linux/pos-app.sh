#!/bin/sh
# /usr/bin/pos-app of the .deb: the frozen till, its data in the machine-wide folder unless
# POS_DATA_DIR (or --data-dir) says otherwise.
export POS_DATA_DIR="${POS_DATA_DIR:-/var/lib/tillkeeper}"
exec /opt/tillkeeper/pos-app "$@"
