#!/bin/sh
# Copy Leaflet-Geoman's built script and stylesheet (the team map draws and edits territory
# shapes with it) from the npm package into pwa/vendor/geoman/. No CDN; safe to run again.
set -eu
cd "$(dirname "$0")/.."
pkg=node_modules/@geoman-io/leaflet-geoman-free
if [ ! -f $pkg/dist/leaflet-geoman.min.js ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
dest=vendor/geoman
mkdir -p "$dest"
cp $pkg/dist/leaflet-geoman.min.js "$dest/leaflet-geoman.js"
cp $pkg/dist/leaflet-geoman.css "$dest/leaflet-geoman.css"
cp $pkg/LICENSE "$dest/LICENSE"
echo "vendored leaflet-geoman $(node -p "require('./$pkg/package.json').version") into pwa/$dest"
