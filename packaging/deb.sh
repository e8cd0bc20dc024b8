#!/usr/bin/env bash
# Builds the Debian package: bash packaging/deb.sh [OUTDIR]  ->  OUTDIR/docpipe_<version>_amd64.deb
# (OUTDIR defaults to the build folder), then runs lintian on it when lintian is installed.
# Builds only the window and docpipe-cli (a build folder that already has them is reused).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${DOCPIPE_BUILD_DIR:-$ROOT/build}
OUT=$(realpath -m "${1:-$BUILD}")

bash "$ROOT/packaging/install-deps.sh"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCPIPE_BUILD_TESTS=OFF
fi
cmake --build "$BUILD" --parallel "$(nproc)" --target docpipe docpipe-cli docpipe_changelog

mkdir -p "$OUT"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$STAGE" >"$STAGE/cpack.log" || { cat "$STAGE/cpack.log"; exit 1; }
DEB=$(find "$STAGE" -maxdepth 1 -name 'docpipe_*.deb' | head -1)
[ -n "$DEB" ] || { cat "$STAGE/cpack.log"; echo "cpack made no package" >&2; exit 1; }
mv -f "$DEB" "$OUT/"
DEB="$OUT/$(basename "$DEB")"
echo "$DEB ($(du -h "$DEB" | cut -f1))"
dpkg-deb --field "$DEB" Package Version Architecture Depends

if command -v lintian >/dev/null; then
    # Errors fail the build; warnings and notes are printed for the record.
    lintian --fail-on error "$DEB"
    echo "lintian: no errors"
else
    echo "lintian is not installed: the package was not checked"
fi
