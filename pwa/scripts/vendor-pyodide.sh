#!/bin/sh
# Copy the Pyodide runtime the PDF worker needs from the npm package into pwa/vendor/pyodide/,
# where the app serves it itself (no CDN, ever). Run by `make install`; safe to run again.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f node_modules/pyodide/pyodide.mjs ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
dest=vendor/pyodide
mkdir -p "$dest"
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
  cp node_modules/pyodide/$f "$dest/$f"
done
cp node_modules/pyodide/package.json "$dest/package.json"
echo "vendored pyodide $(node -p "require('./node_modules/pyodide/package.json').version") into pwa/$dest"
