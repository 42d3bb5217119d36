#!/bin/sh
# Copy axe-core's axe.min.js (4.10.2) into tests/e2e/vendor/ for the accessibility tests
# (tests/e2e/test_a11y.py injects it into the page). Tests only: the app never loads it.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
(cd "$tmp" && npm pack axe-core@4.10.2 --silent >/dev/null && tar xzf axe-core-4.10.2.tgz)
dest=../tests/e2e/vendor
mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$dest/"
rm -rf "$tmp"
echo "vendored axe-core 4.10.2 into tests/e2e/vendor"
