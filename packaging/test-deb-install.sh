#!/usr/bin/env bash
# Proves the package installs and runs on a Debian 12 system that has nothing but the package's
# dependencies: makes a minimal bookworm root with mmdebstrap (apt variant: essential packages and
# apt only), installs the .deb with apt (which brings exactly its dependencies), then inside it
#   1. docpipe-cli check --init on a fresh SQLite database (creates it),
#   2. docpipe-cli ingest --wait of a Markdown and a text file (the whole pipeline, local parser
#      and embedder), and status --json,
#   3. docpipe-cli check against PostgreSQL when DOCPIPE_TEST_PG_URL is set (the QPSQL driver),
#   4. the window, offscreen, for a few seconds: it starts its engine (a worker row appears) and
#      no Qt plugin is missing.
# Usage (root): bash packaging/test-deb-install.sh path/to/docpipe_<version>_amd64.deb
# Takes a few minutes (most of it downloading and unpacking about 100 packages); not run by CI.
set -euo pipefail
DEB=$(realpath "${1:?usage: test-deb-install.sh DEB}")
SOURCES=${DOCPIPE_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
ROOTFS=$(mktemp -d /tmp/docpipe-rootfs.XXXXXX)
cleanup() {
    umount "$ROOTFS/proc" 2>/dev/null || true
    rm -rf "$ROOTFS"
}
trap cleanup EXIT
started=$(date +%s)

echo "== a minimal Debian 12 root in $ROOTFS"
mmdebstrap --variant=apt --quiet bookworm "$ROOTFS" "$SOURCES"
made=$(date +%s)

echo "== apt install ./$(basename "$DEB")"
cp "$DEB" "$ROOTFS/tmp/docpipe.deb"
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" # mmdebstrap leaves none, nor package lists
chroot "$ROOTFS" apt-get update -q >"$ROOTFS/tmp/apt-update.log" || { cat "$ROOTFS/tmp/apt-update.log"; exit 1; }
before=$(chroot "$ROOTFS" dpkg-query -W -f='${Package}\n' | wc -l)
chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    /tmp/docpipe.deb >"$ROOTFS/tmp/apt.log" || { tail -30 "$ROOTFS/tmp/apt.log"; exit 1; }
after=$(chroot "$ROOTFS" dpkg-query -W -f='${Package}\n' | wc -l)
installed=$(date +%s)
echo "   $((after - before)) packages installed (the package and its dependencies, no recommends)"
mount -t proc proc "$ROOTFS/proc"

run() { chroot "$ROOTFS" env HOME=/root XDG_RUNTIME_DIR=/tmp/xdg QT_QPA_PLATFORM=offscreen "$@"; }
mkdir -p "$ROOTFS/tmp/xdg" "$ROOTFS/tmp/docs" && chmod 700 "$ROOTFS/tmp/xdg"
printf '# Installed\n\nDocpipe runs from its Debian package.\n\n## Second\n\nMore text here.\n' >"$ROOTFS/tmp/docs/a.md"
printf 'A plain text document, ingested inside a clean Debian root.\n' >"$ROOTFS/tmp/docs/b.txt"

echo "== docpipe-cli check (SQLite)"
run docpipe-cli --db /tmp/check.sqlite check --init
echo "== docpipe-cli ingest --wait"
run docpipe-cli --db /tmp/check.sqlite ingest --wait /tmp/docs
run docpipe-cli --db /tmp/check.sqlite status --json | tee "$ROOTFS/tmp/status.json"
grep -q '"embedded": *2' "$ROOTFS/tmp/status.json" || { echo "FAILED: the two documents were not embedded"; exit 1; }

if [ -n "${DOCPIPE_TEST_PG_URL:-}" ]; then
    echo "== docpipe-cli check (PostgreSQL)"
    run docpipe-cli --db "$DOCPIPE_TEST_PG_URL" check
fi

echo "== the window (offscreen, 8 s)"
set +e
run timeout -s TERM 8 docpipe --db /tmp/window.sqlite >"$ROOTFS/tmp/window.log" 2>&1
code=$?
set -e
cat "$ROOTFS/tmp/window.log"
[ "$code" -eq 124 ] || { echo "FAILED: the window exited with $code before it was asked to"; exit 1; }
if grep -Ei 'could not (load|find) the qt platform plugin|driver not loaded|cannot load library' "$ROOTFS/tmp/window.log"; then
    echo "FAILED: a Qt plugin is missing"
    exit 1
fi
run docpipe-cli --db /tmp/window.sqlite check | tee "$ROOTFS/tmp/window-check.txt"
grep -q ' [1-9][0-9]* worker(s) seen' "$ROOTFS/tmp/window-check.txt" || { echo "FAILED: the window's engine never started"; exit 1; }

done_at=$(date +%s)
echo "== ok: root $((made - started)) s, install $((installed - made)) s, checks $((done_at - installed)) s, total $((done_at - started)) s"
