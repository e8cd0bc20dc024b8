#!/usr/bin/env bash
# Regenerates the window's screenshots under Xvfb: every step of a tour (empty, busy, idle with
# failures, failures filtered, details, details-chunks, details-error, settings) goes to OUTPUT_DIR
# (default build/screenshots); the two the README shows (busy, idle) are copied to
# resources/screenshots/.
# Usage: bash packaging/screenshots.sh [OUTPUT_DIR]   (DOCPIPE_TOUR_LANGUAGE=de for German)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${DOCPIPE_BUILD_DIR:-$ROOT/build}
OUT=${1:-$BUILD/screenshots}

bash "$ROOT/packaging/install-deps.sh"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$BUILD" --parallel 2 --target docpipe-screenshot-tour docpipe-gendocs

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export XDG_RUNTIME_DIR="$WORK/xdg" && mkdir -m 700 "$XDG_RUNTIME_DIR"
# 120 generated documents (a 60-page PDF first) and every kind of broken file.
QT_QPA_PLATFORM=offscreen "$BUILD/tests/support/docpipe-gendocs" --out "$WORK/corpus" --count 120 --seed 11 --pdf-pages 60 --bad >/dev/null
mkdir -p "$OUT" "$ROOT/resources/screenshots"
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" "$BUILD/tests/ui/docpipe-screenshot-tour" "$WORK/corpus" "$OUT" </dev/null
cp "$OUT/busy.png" "$OUT/idle.png" "$ROOT/resources/screenshots/"
echo "screenshots in $OUT; README images in resources/screenshots/"
