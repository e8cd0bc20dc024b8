#!/usr/bin/env bash
# Installs the Debian 12 packages Docpipe needs to build, run and test.
# Skips apt entirely when everything is already installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS="cmake ninja-build g++ pkg-config \
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev \
  qt6-tools-dev qt6-l10n-tools linguist-qt6 qt6-translations-l10n \
  libqt6sql6-sqlite libqt6sql6-psql \
  libpoppler-qt6-dev poppler-data qtkeychain-qt6-dev libsecret-1-0 gnome-keyring dbus \
  libminizip-dev libgl-dev postgresql xvfb xauth imagemagick poppler-utils ghostscript \
  fonts-dejavu-core zlib1g-dev libqt6svg6 prometheus dpkg-dev lintian \
  libmimalloc-dev clang libclang-rt-14-dev faketime iproute2 \
  libtesseract-dev libleptonica-dev tesseract-ocr-eng"
missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PKGS 2>&1 | grep -v '^ii ' || true)
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q $PKGS
fi
# Node.js and npm for the official SDK checks (tests/e2e/tst_officialsdks, which installs the
# pinned npm packages itself with `npm ci`). A Node.js already installed (e.g. NodeSource's, which
# carries its own npm and conflicts with Debian's npm package) is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  NODE_PKGS="npm"
  command -v node >/dev/null || NODE_PKGS="nodejs npm"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q $NODE_PKGS
fi
