#!/bin/bash
# Stops the Ceph RGW that rgw-up.sh started in DIR (gateway, then OSD, then mon), by the PIDs
# in DIR/run, and removes DIR. Nothing else is touched; nothing running is fine.
#
# usage: rgw-down.sh [DIR]   (DIR default: $RGW_DIR or /tmp/taskcluster-queue-rgw)
set -uo pipefail

D=${1:-${RGW_DIR:-/tmp/taskcluster-queue-rgw}}

stop() {
  local pidfile="$D/run/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  echo "rgw-down: $1 (pid $pid) ignored SIGTERM for 10 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null
}

if [ -d "$D/run" ]; then
  stop client.rgw.a
  for f in "$D"/run/osd.*.pid; do [ -e "$f" ] && stop "$(basename "$f" .pid)"; done
  stop mon.a
fi
rm -rf "$D"
echo "rgw-down: stopped; removed $D" >&2
