#!/bin/sh
# Copy Chart.js's UMD build from the npm package into pwa/vendor/chartjs/, where the app
# serves it itself (no CDN). The console's plan-vs-actual screen loads it lazily; safe to
# run again.
set -eu
cd "$(dirname "$0")/.."
VERSION=4.6.1
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent "chart.js@$VERSION" >/dev/null && tar xzf "chart.js-$VERSION.tgz")
dest=vendor/chartjs
mkdir -p "$dest"
cp "$tmp/package/dist/chart.umd.min.js" "$dest/chart.umd.min.js"
cp "$tmp/package/LICENSE.md" "$dest/LICENSE.md"
rm -rf "$tmp"
echo "vendored chart.js $VERSION into pwa/$dest"
