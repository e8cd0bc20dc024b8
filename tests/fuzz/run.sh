#!/bin/sh
# Runs every libFuzzer target for SECONDS each (default 20) on its seed corpus; new inputs go to a
# temporary folder, never into the repository. Exit status 1 when a target crashed (its input is
# kept under $FUZZ_ARTIFACTS, default ./fuzz-artifacts).
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
set -u
build=${1:?build directory with the fuzz targets}
seconds=${2:-20}
shift 2 2>/dev/null || shift $#
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-"fuzz_textdecoding fuzz_html fuzz_markdown fuzz_docx fuzz_pdf fuzz_chunker fuzz_tokens"}
artifacts=${FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
# System libraries' own process-lifetime allocations are not findings (lsan-suppressions.txt).
LSAN_OPTIONS="suppressions=$here/lsan-suppressions.txt:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
for target in $targets; do
    bin=$(find "$build" -type f -name "$target" -perm -u+x | head -1)
    if [ -z "$bin" ]; then
        echo "fuzz: $target not built in $build" >&2
        failed=1
        continue
    fi
    mkdir -p "$work/$target"
    # -rss_limit_mb: a parser that needs more than this on a small input is a finding too.
    if "$bin" "$work/$target" "$here/corpus/$target" -max_total_time="$seconds" -timeout=25 \
        -rss_limit_mb=2048 -max_len=131072 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
        >"$work/$target.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
        echo "fuzz: $target: ${runs:-?} runs in ${seconds} s, no crash"
    else
        echo "fuzz: $target FAILED; last lines:" >&2
        tail -30 "$work/$target.log" >&2
        failed=1
    fi
done
exit $failed
