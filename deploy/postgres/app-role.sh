#!/bin/sh
# Run by the postgres image once, when it creates the database volume: the role the Glowpath
# API and worker log in as. `glowpath migrate --grant-to glowpath_app` grants it the tables.
set -eu
psql -v ON_ERROR_STOP=1 -v password="$GLOWPATH_APP_DB_PASSWORD" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE glowpath_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
