#!/usr/bin/env bash
# The Debian package made from this build (CPack, as packaging/deb.sh does): it holds the
# window, docpipe-cli, the systemd units, the alert rules and the example configuration as
# conffiles, depends on the Qt plugins it loads at run time, and lintian finds no error in it.
# Exit 77 (skipped) only where lintian or dpkg-shlibdeps is missing.
set -euo pipefail
BUILD=$1
for tool in lintian dpkg-shlibdeps cpack; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (packaging/install-deps.sh installs it)"
        exit 77
    fi
done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$OUT" >"$OUT/cpack.log" 2>&1 || { cat "$OUT/cpack.log"; exit 1; }
DEB=$(find "$OUT" -maxdepth 1 -name 'docpipe_*_amd64.deb' | head -1)
[ -n "$DEB" ] || { cat "$OUT/cpack.log"; exit 1; }
echo "$(basename "$DEB"): $(du -h "$DEB" | cut -f1)"
contents=$(dpkg-deb -c "$DEB")
for path in ./usr/bin/docpipe ./usr/bin/docpipe-cli ./lib/systemd/system/docpipe-worker.service \
    ./lib/systemd/system/docpipe-worker-health.timer ./usr/share/applications/org.docpipe.Docpipe.desktop \
    ./usr/share/metainfo/org.docpipe.Docpipe.metainfo.xml ./usr/share/docpipe/prometheus/docpipe-alerts.yml \
    ./etc/docpipe/docpipe.ini ./etc/docpipe/worker.env; do
    grep -q " $path\$" <<<"$contents" || { echo "missing from the package: $path"; exit 1; }
done
conffiles=$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles)
grep -qx /etc/docpipe/docpipe.ini <<<"$conffiles" || { echo "docpipe.ini is not a conffile"; exit 1; }
depends=$(dpkg-deb -f "$DEB" Depends)
for dep in libqt6sql6-sqlite libqt6sql6-psql libqt6core6 libqt6widgets6; do
    grep -q "$dep" <<<"$depends" || { echo "Depends lacks $dep: $depends"; exit 1; }
done
lintian --fail-on error "$DEB"
echo "lintian: no errors"
