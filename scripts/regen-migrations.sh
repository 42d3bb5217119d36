#!/usr/bin/env bash
# Regenerate the initial migrations of every app from the tables (pre-release only: nothing
# is deployed yet, so each app keeps one initial migration). Serialised with a lock so that
# two people running it at once cannot leave two files behind.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/rounds-migrations.lock
flock 9
export PICCOLO_CONF=backend.piccolo_conf
tmp=$(mktemp -d)
export ROUNDS_DATA_DIR="$tmp" ROUNDS_DATABASE_URL="sqlite:///$tmp/gen.sqlite3"
apps=$(python - <<'PY'
from piccolo.conf.apps import Finder
print(" ".join(Finder().get_sorted_app_names()))
PY
)
for app in $apps; do
  folder=$(python -c "from piccolo.conf.apps import Finder; print(Finder().get_app_config('$app').migrations_folder_path)")
  mkdir -p "$folder"; touch "$folder/__init__.py"
  find "$folder" -maxdepth 1 -name "${app}_*.py" -delete
  piccolo migrations new "$app" --auto --desc "initial" >/dev/null
  # Deterministic-ish: sleep so the next app's migration id is later than this one's.
  sleep 1
done
rm -rf "$tmp"
ls backend/migrations sync/migrations 2>/dev/null
