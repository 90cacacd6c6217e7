#!/usr/bin/env bash
# SIINas load test (issue 14 §4): gunicorn on 127.0.0.1 + locust headless; docs/performance.md, "Load test".
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/siinas_scale_d bench/run.sh --copy [options]
#
#   --scenario mixed|surge|both   mixed (default): companies, verifiers, validators, Pemda, public + the
#                                 minimal page; surge: hundreds of companies start, save and submit, then
#                                 the duplicate check; both: mixed then surge on the same database
#   --copy                        run on a throwaway copy (createdb -T) of DATABASE_URL's database, dropped
#                                 afterwards (--keep-copy keeps it); the template must have no other session
#   --writes-ok                   run on DATABASE_URL itself: BOTH scenarios write (draft saves, audit rows,
#                                 sessions; the surge starts and submits hundreds of reports)
#   --users N (25; surge 40)  --spawn-rate N (5; surge 10)  --run-time T (3m; surge: at most 10m, it ends
#   when its accounts are done)  --surge-accounts N (300)  --companies N (40)  --workers N (WEB_CONCURRENCY
#   or 3, the image's count)  --port N (8099)
#   --cache redis://127.0.0.1:6379/N   the web processes share this Redis as their cache (REDIS_CACHE_URL), as a
#                                 deployment does; tasks still run in-process (no broker). Default: each
#                                 process its own local-memory cache
#
# Statistics go to var/loadtest/<UTC stamp>/<scenario>/ (locust CSV, plan.json, loadavg.txt, access and
# error logs, summary.json, check.json); the summary is printed. Exit status 0 only when every scenario ran
# without a failed request and, for the surge, nothing was made twice.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

SCENARIO=mixed USERS="" RATE="" RUN_TIME="" SURGE_ACCOUNTS=300 COMPANIES=40
WORKERS="${WEB_CONCURRENCY:-3}" PORT=8099 COPY=0 KEEP_COPY=0 WRITES_OK=0 CACHE_URL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) SCENARIO="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --spawn-rate) RATE="$2"; shift 2 ;;
    --run-time) RUN_TIME="$2"; shift 2 ;;
    --surge-accounts) SURGE_ACCOUNTS="$2"; shift 2 ;;
    --companies) COMPANIES="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --cache) CACHE_URL="$2"; shift 2 ;;
    --copy) COPY=1; shift ;;
    --keep-copy) KEEP_COPY=1; shift ;;
    --writes-ok) WRITES_OK=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$SCENARIO" in mixed|surge|both) ;; *) echo "--scenario must be mixed, surge or both" >&2; exit 2 ;; esac
if [ "${SIINAS_ENV:-}" = production ]; then
  echo "refused: the load test writes to its database and is not run with SIINAS_ENV=production" >&2; exit 2
fi
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "DATABASE_URL must name a PostgreSQL database (the national data set: manage.py load_scale)" >&2; exit 2 ;;
esac
if [ "$COPY" = 0 ] && [ "$WRITES_OK" = 0 ]; then
  echo "refused: the load test writes (draft saves, audit rows; the surge starts and submits hundreds of reports)." >&2
  echo "Use --copy (a throwaway createdb -T copy) or --writes-ok on a database whose changes can be thrown away." >&2
  exit 2
fi
if ! "$BIN/python" -c "import locust" 2>/dev/null; then
  echo "locust is missing: .venv/bin/pip install -e '.[dev]' (or make install)" >&2; exit 2
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is in use: pass --port" >&2; exit 2
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_ROOT="var/loadtest/$STAMP"
mkdir -p "$OUT_ROOT"
DB_URL="$DATABASE_URL"
DB_NAME="${DB_URL##*/}"; DB_NAME="${DB_NAME%%\?*}"
SERVER_URL="${DB_URL%/*}"
COPY_NAME=""
GUNICORN_PID="" SAMPLER_PID=""

cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$GUNICORN_PID" ]; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.5; done
  fi
  if [ -n "$COPY_NAME" ] && [ "$KEEP_COPY" = 0 ]; then
    psql "$SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$COPY_NAME\" WITH (FORCE)" >/dev/null 2>&1 \
      && echo "dropped the copy $COPY_NAME"
  fi
}
trap cleanup EXIT

if [ "$COPY" = 1 ]; then
  COPY_NAME="${DB_NAME}_lt_$(date -u +%H%M%S)"
  echo "copying $DB_NAME to $COPY_NAME (createdb -T) …"
  start=$(date +%s)
  psql "$SERVER_URL/postgres" -qc "CREATE DATABASE \"$COPY_NAME\" TEMPLATE \"$DB_NAME\""
  echo "  copied in $(( $(date +%s) - start )) s"
  DB_URL="$SERVER_URL/$COPY_NAME"
fi

# What a deployment runs with, minus TLS: DEBUG off, a real secret key, the host allow-list; development
# profile because production insists on HTTPS-only cookies (there is no TLS proxy on loopback). No Redis
# (local-memory cache, tasks in-process), e-mail kept in memory: the run never leaves the machine.
SECRET=$("$BIN/python" -c "import secrets; print(secrets.token_urlsafe(48))")
run_env=(env -u REDIS_URL -u REDIS_CACHE_URL -u SENTRY_DSN -u METRICS_TOKEN SIINAS_ENV=development DEBUG=0
         SECRET_KEY="$SECRET" ALLOWED_HOSTS=127.0.0.1 EMAIL_BACKEND=locmem LOG_LEVEL=WARNING
         DATABASE_URL="$DB_URL")
if [ -n "$CACHE_URL" ]; then
  run_env+=(REDIS_CACHE_URL="$CACHE_URL")
  redis-cli -u "$CACHE_URL" flushdb >/dev/null  # no page served from an earlier run's cache
fi

"${run_env[@]}" "$BIN/python" manage.py migrate --noinput -v0

one_scenario() {
  local scenario="$1" out="$OUT_ROOT/$1" users rate run_time classes
  mkdir -p "$out"
  if [ "$scenario" = surge ]; then
    users="${USERS:-40}" rate="${RATE:-10}" run_time="${RUN_TIME:-10m}" classes=(SurgeCompany)
    echo "== surge: planning $SURGE_ACCOUNTS accounts whose report will pass its checks …"
    "${run_env[@]}" "$BIN/python" -m bench plan --out "$out/plan.json" --companies "$COMPANIES" --surge "$SURGE_ACCOUNTS"
  else
    users="${USERS:-25}" rate="${RATE:-5}" run_time="${RUN_TIME:-3m}" classes=(Company Verifier Validator Pemda Public)
    echo "== mixed: planning …"
    "${run_env[@]}" "$BIN/python" -m bench plan --out "$out/plan.json" --companies "$COMPANIES"
  fi
  "$BIN/python" - "$out/meta.json" "$scenario" "$users" "$WORKERS" "${COPY_NAME:-$DB_NAME}" "$run_time" <<'EOF'
import json, subprocess, sys
path, scenario, users, workers, database, run_time = sys.argv[1:]
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
json.dump({"scenario": scenario, "users": int(users), "workers": int(workers), "database": database,
           "run_time": run_time, "commit": commit}, open(path, "w"), indent=1)
EOF

  PROMETHEUS_MULTIPROC_DIR="$PWD/$out/prometheus" "${run_env[@]}" "$BIN/gunicorn" siinas.wsgi:application \
    --bind "127.0.0.1:$PORT" --workers "$WORKERS" --worker-class sync --timeout 30 \
    --access-logfile "$out/access.log" --error-logfile "$out/gunicorn.log" &
  GUNICORN_PID=$!
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/"; then break; fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn did not start: $out/gunicorn.log" >&2; tail -20 "$out/gunicorn.log" >&2; return 1; }
    sleep 0.5
  done
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/" || { echo "gunicorn is not answering /health/" >&2; return 1; }

  ( while :; do cat /proc/loadavg >> "$out/loadavg.txt"; sleep 5; done ) &
  SAMPLER_PID=$!
  local since status=0
  since=$(date -u +%Y-%m-%dT%H:%M:%S.%6N+00:00)
  echo "== $scenario: $users users (spawn $rate/s) for at most $run_time against 127.0.0.1:$PORT ($WORKERS sync workers)"
  LOADTEST_PLAN="$PWD/$out/plan.json" "$BIN/locust" -f bench/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    --users "$users" --spawn-rate "$rate" --run-time "$run_time" --stop-timeout 20 --only-summary \
    --csv "$out/locust" "${classes[@]}" > "$out/locust.log" 2>&1 || true
  kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  kill -TERM "$GUNICORN_PID" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.5; done
  GUNICORN_PID=""
  if [ "$scenario" = surge ]; then
    "${run_env[@]}" "$BIN/python" -m bench check --since "$since" --json "$out/check.json" || status=1
  fi
  "$BIN/python" -m bench summary "$out" || status=1
  return $status
}

result=0
if [ "$SCENARIO" = mixed ] || [ "$SCENARIO" = both ]; then one_scenario mixed || result=1; fi
if [ "$SCENARIO" = surge ] || [ "$SCENARIO" = both ]; then one_scenario surge || result=1; fi
echo "figures: $OUT_ROOT/"
exit $result
