#!/usr/bin/env bash
# The Prometheus alert rules in packaging/prometheus: valid for promtool, and each alert fires
# (and stays quiet) as its unit tests say. Exit 77 (skipped) only where promtool is missing.
set -euo pipefail
RULES_DIR=$1
if ! command -v promtool >/dev/null; then
    echo "SKIP: promtool is not installed (Debian package prometheus; packaging/install-deps.sh installs it)"
    exit 77
fi
cd "$RULES_DIR"
promtool check rules docpipe-alerts.yml
promtool test rules docpipe-alerts.test.yml
# The example Prometheus configuration, pointed at the rules in this tree instead of /usr/share.
config=$(mktemp)
trap 'rm -f "$config"' EXIT
sed "s#/usr/share/docpipe/prometheus/docpipe-alerts.yml#$PWD/docpipe-alerts.yml#" prometheus.example.yml >"$config"
promtool check config "$config"
