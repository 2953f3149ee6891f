#!/bin/bash
# First start of the database container: the DataStore's database and its read-only user (CKAN's
# datastore plugin; uploaded tables become APIs). The permissions are then set once with
#   docker compose exec ckan ckan -c /srv/app/ckan.ini datastore set-permissions \
#     | docker compose exec -T db psql -U ckan
# (see docs/operations.md).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres <<SQL
CREATE ROLE datastore_ro LOGIN PASSWORD '${DATASTORE_READONLY_PASSWORD}';
CREATE DATABASE datastore OWNER ${POSTGRES_USER} ENCODING 'UTF8';
SQL
