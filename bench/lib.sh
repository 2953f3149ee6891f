# Shared by bench/run-catalog and bench/run-api (sourced): the local stack's services, and the
# benchmark's own database and Solr core (both $BENCH_DB, default ckan_bench), never the portal's or the
# tests'. A database holds at least the datasets seeded into it (seeding only adds), so a smaller size
# after a bigger one needs its own: BENCH_DB=ckan_bench_1k SIZES=1000 bench/run-catalog.
# Exports the CKAN_* variables that point CKAN (test.ini, bench/stock.ini) at them.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=${KALMAR_STACK_DIR:-$ROOT/.stack}
PG_PORT=${KALMAR_PG_PORT:-5433}
SOLR_PORT=${KALMAR_SOLR_PORT:-8983}
REDIS_PORT=${KALMAR_REDIS_PORT:-6380}
PY=$STACK/venv/bin/python
CKAN=$STACK/venv/bin/ckan
SOLR=http://127.0.0.1:$SOLR_PORT/solr
BENCH_DB=${BENCH_DB:-ckan_bench}
case $BENCH_DB in ckan_bench*) ;; *) echo "BENCH_DB must start with ckan_bench" >&2; exit 2 ;; esac

"$ROOT/scripts/stack" services >/dev/null
export PGPASSWORD=ckan
if ! psql -h 127.0.0.1 -p "$PG_PORT" -U ckan -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$BENCH_DB'" | grep -q 1; then
  createdb -h 127.0.0.1 -p "$PG_PORT" -U ckan "$BENCH_DB"
fi

# bench_core NAME: a Solr core with CKAN's schema (as the portal's and the tests' cores), created once.
bench_core() {
  if ! curl -fsS "$SOLR/$1/select?q=*:*&rows=0" >/dev/null 2>&1; then
    local core=$STACK/solr/home/$1
    mkdir -p "$core/conf" && cp "$STACK/solr/home/ckan_test/conf/"* "$core/conf/"
    curl -fsS "$SOLR/admin/cores?action=CREATE&name=$1&instanceDir=$1" >/dev/null
  fi
}
bench_core "$BENCH_DB"

export CKAN_SQLALCHEMY_URL="postgresql://ckan:ckan@127.0.0.1:$PG_PORT/$BENCH_DB"
export CKAN_SOLR_URL="$SOLR/$BENCH_DB"
export CKAN_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/2"
export CKAN_DATASTORE_WRITE_URL="postgresql://ckan:ckan@127.0.0.1:$PG_PORT/datastore_test"
export CKAN_DATASTORE_READ_URL="postgresql://datastore_ro:datastore_ro@127.0.0.1:$PG_PORT/datastore_test"
export CKAN_SITE_URL="http://bench.example.org"
# The benchmark's kept catalogs and parts, apart from the tests' (test.ini's storage directory)
export CKAN_STORAGE_PATH="$STACK/bench-storage/$BENCH_DB"
mkdir -p "$CKAN_STORAGE_PATH"
"$CKAN" -c "$ROOT/test.ini" db init >/dev/null 2>&1
"$CKAN" -c "$ROOT/test.ini" db pending-migrations --apply >/dev/null 2>&1 || true

# seed_to N: the benchmark database holds N synthetic datasets (bench/seed.py; idempotent), made by
# $SEED_PROCESSES processes in parallel (default 2, one per core), each its own shard.
seed_to() {
  local n=${SEED_PROCESSES:-2} k
  echo "==> seeding to $1 datasets ($n processes)"
  for k in $(seq 0 $((n - 1))); do
    (cd "$ROOT/bench" && "$PY" seed.py --count "$1" --shard "$k/$n" 2>&1 | grep -v ' INFO ' || true) &
  done
  wait
}
