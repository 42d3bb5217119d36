#!/bin/sh
# Copy Leaflet's built script and stylesheet from the npm package into pwa/vendor/leaflet/,
# where the app serves them itself (no CDN). The map draws circle markers, so no marker
# images are needed. Loaded lazily when a map first opens; safe to run again.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f node_modules/leaflet/dist/leaflet.js ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
dest=vendor/leaflet
mkdir -p "$dest"
for f in leaflet.js leaflet.css; do
  cp node_modules/leaflet/dist/$f "$dest/$f"
done
cp node_modules/leaflet/LICENSE "$dest/LICENSE"
echo "vendored leaflet $(node -p "require('./node_modules/leaflet/package.json').version") into pwa/$dest"
