#!/bin/bash
# Brings up Ceph RGW (the S3 server of Ceph, from Debian's packages) for *.rgw.test.ts:
# S3 at http://127.0.0.1:${RGW_PORT:-7480}, access key TESTAK, secret key TESTSK.
#
# usage: rgw-up.sh [DIR]   (DIR default: $RGW_DIR or /tmp/taskcluster-queue-rgw)
#
# Idempotent: when the endpoint already answers, it does nothing. Otherwise it installs the
# packages if they are missing (root or sudo needed), stops whatever an earlier run left in DIR,
# and starts a one-node cluster there: one mon, one in-memory OSD, no cephx, loopback only
# (recipe and gotchas: shared/infra-notes.md §3). Stop it with rgw-down.sh DIR.
set -euo pipefail

D=${1:-${RGW_DIR:-/tmp/taskcluster-queue-rgw}}
PORT=${RGW_PORT:-7480}
URL="http://127.0.0.1:$PORT/"
HERE=$(cd "$(dirname "$0")" && pwd)
START=$(date +%s%N)
elapsed() { local ms=$((($(date +%s%N) - START) / 1000000)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
log() { echo "rgw-up: $*" >&2; }

if curl -s -o /dev/null -m 2 "$URL"; then
  log "$URL already answers; nothing to do"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null \
  || ! command -v radosgw-admin >/dev/null || ! command -v ceph-authtool >/dev/null || ! command -v monmaptool >/dev/null; then
  log "installing ceph-mon ceph-osd radosgw ceph-common"
  PKGS="ceph-mon ceph-osd radosgw ceph-common"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! $SUDO apt-get install -y -q --no-install-recommends $PKGS >/dev/null; then
    log "install failed; running apt-get update and trying again"
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends $PKGS >/dev/null
  fi
  log "installed after $(elapsed) s"
fi

# Whatever an earlier run left in DIR (daemons without a working gateway) goes first.
"$HERE/rgw-down.sh" "$D" >/dev/null 2>&1 || true
rm -rf "$D"
mkdir -p "$D"/{mon.a,osd.0,run,log}

FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
# Without these, radosgw (auth none) waits 300 s for a "secure" mon session that never comes.
ms mon client mode = crc secure
ms client mode = crc secure
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 1073741824
run dir = $D/run
log file = $D/log/\$name.log
admin socket = $D/run/\$name.asok
pid file = $D/run/\$name.pid
keyring = $D/keyring
[mon.a]
mon data = $D/mon.a
[osd.0]
osd data = $D/osd.0
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
CONF

C=(-c "$D/ceph.conf")
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' --fsid "$FSID" "$D/monmap" >/dev/null
ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap"
ceph-mon "${C[@]}" -i a                                  # daemonizes
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(timeout 60 ceph "${C[@]}" osd new "$OSD_UUID")
ceph-osd "${C[@]}" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" 2>/dev/null
ceph-osd "${C[@]}" -i "$OSD_ID" 2>/dev/null              # daemonizes
radosgw "${C[@]}" -n client.rgw.a                        # daemonizes

for _ in $(seq 1 240); do
  curl -s -o /dev/null -m 2 "$URL" && break
  sleep 0.5
done
if ! curl -s -o /dev/null -m 2 "$URL"; then
  log "RGW did not answer at $URL within 120 s; last lines of its log:"
  tail -n 30 "$D/log/client.rgw.a.log" >&2 || true
  exit 1
fi
timeout 60 radosgw-admin "${C[@]}" user create --uid=test --display-name=test \
  --access-key=TESTAK --secret-key=TESTSK >/dev/null
log "RGW answers at $URL (access key TESTAK) after $(elapsed) s; data and logs in $D"
