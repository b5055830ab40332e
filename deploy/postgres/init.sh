#!/bin/sh
# Runs once, when the PostgreSQL container initialises its data folder: one database and one
# login role per subgraph, and no role may connect to another subgraph's database.
set -eu
for subgraph in accounts catalog reviews inventory orders payments; do
  var=$(echo "$subgraph" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD
  password=$(printenv "$var")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$subgraph" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role" ENCODING 'UTF8';
REVOKE CONNECT, TEMPORARY ON DATABASE :"role" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"role" TO :"role";
SQL
done
