#!/bin/sh
# Copy Swagger UI's built files from the npm package into pwa/vendor/swagger-ui/, so the API
# docs at /schema load nothing from a CDN (and work offline). Run by `make install`.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f node_modules/swagger-ui-dist/swagger-ui-bundle.js ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
dest=vendor/swagger-ui
mkdir -p "$dest"
for f in swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css LICENSE; do
  cp node_modules/swagger-ui-dist/$f "$dest/$f"
done
echo "vendored swagger-ui $(node -p "require('./node_modules/swagger-ui-dist/package.json').version") into pwa/$dest"
