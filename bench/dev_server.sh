# Sourced by bench/run-load, bench/run-load-catalog and bench/run-cluster (they set $CKAN): CKAN's
# development server for a measured run.
# dev_server_start LOG INI PORT [NAME=VALUE...]: `ckan run --threaded` on 127.0.0.1:PORT with those
# variables set, its output appended to LOG; returns once it answers, its pid in $dev_server_pid.
dev_server_start() {
  local log=$1 ini=$2 port=$3 start=$SECONDS
  shift 3
  env "$@" "$CKAN" -c "$ini" run -H 127.0.0.1 -p "$port" --threaded --disable-reloader >>"$log" 2>&1 </dev/null &
  dev_server_pid=$!
  until curl -fsS "http://127.0.0.1:$port/api/3/action/status_show" >/dev/null 2>&1; do
    kill -0 "$dev_server_pid" 2>/dev/null || { echo "CKAN's development server exited (log: $log)" >&2; exit 2; }
    (( SECONDS - start < 120 )) || { echo "CKAN's development server did not start (log: $log)" >&2; exit 2; }
    sleep 0.5
  done
}
