#!/bin/bash
# One-off start-up job of docker-compose.yml: create the demo database with
# every add-on mounted in /mnt/extra-addons, demo data and Chinese, unless it
# exists already. Runs in the odoo:18 image, as its odoo user.
set -euo pipefail

DB_NAME="${DB_NAME:-dealer_demo}"
ADDONS_DIR="${ADDONS_DIR:-/mnt/extra-addons}"

# Connection settings for psql, taken from the Odoo configuration.
conf() { sed -n "s/^\s*$1\s*=\s*//p" "$ODOO_RC" | tail -n 1; }
export PGHOST="$(conf db_host)" PGPORT="$(conf db_port)" PGUSER="$(conf db_user)"
export PGPASSWORD="$(conf db_password)"

exists=$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
if [ "$exists" = "1" ]; then
    echo "Database $DB_NAME exists already: nothing to do."
    exit 0
fi

# The installable add-ons, from the folders present at run time.
addons=$(python3 - "$ADDONS_DIR" <<'PY'
import ast, pathlib, sys
names = [
    manifest.parent.name
    for manifest in sorted(pathlib.Path(sys.argv[1]).glob("*/__manifest__.py"))
    if ast.literal_eval(manifest.read_text()).get("installable", True)
]
print(",".join(names))
PY
)
if [ -z "$addons" ]; then
    echo "No add-on found in $ADDONS_DIR." >&2
    exit 1
fi

echo "Creating $DB_NAME with $addons, demo data and zh_CN."
# A half-created database would be taken for a finished one on the next start.
trap 'echo "Failed: dropping $DB_NAME." >&2; dropdb --if-exists "$DB_NAME"' ERR
odoo --config="$ODOO_RC" --database="$DB_NAME" --init="$addons" \
    --load-language=zh_CN --stop-after-init --no-http
