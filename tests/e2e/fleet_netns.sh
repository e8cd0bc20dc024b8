#!/usr/bin/env bash
# Across hosts: three worker "hosts" (network namespaces), each joined by its own link to a fourth
# that runs PostgreSQL. One `docpipe-cli worker` per host; a few hundred generated documents; then
# host 1's worker is killed (SIGKILL), host 2's link is cut for 20 s, host 3 is left alone.
# Checks: every job embedded exactly once, each chunk stored once, the killed host's jobs rescued
# within its lease plus one rescue interval, the cut host's late writes refused.
#
#   fleet_netns.sh DOCPIPE_CLI DOCPIPE_GENDOCS [DOCUMENTS]
#
# Needs root (ip netns). Exits 77 (ctest: skipped) with the reason where namespaces cannot be made.
set -euo pipefail
CLI=$1
GENDOCS=$2
DOCS=${3:-300}
LEASE_S=6
HEARTBEAT_MS=1000
SKIP=77

[ "$(id -u)" -eq 0 ] || { echo "SKIP: making network namespaces needs root"; exit $SKIP; }
command -v ip >/dev/null || { echo "SKIP: ip (iproute2) is not installed"; exit $SKIP; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "SKIP: PostgreSQL is not installed"; exit $SKIP; }

TAG=dp$(( $$ % 100000 ))
NSDB=${TAG}db
WORK=$(mktemp -d /tmp/docpipe-netns.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    if [ -d "$WORK/pg/data" ]; then
        (cd / && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    for ns in "$NSDB" "${TAG}w1" "${TAG}w2" "${TAG}w3"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
if ! ip netns add "$NSDB" 2>"$WORK/netns.err"; then
    echo "SKIP: cannot make network namespaces here: $(cat "$WORK/netns.err")"
    exit $SKIP
fi
ip -n "$NSDB" link set lo up
for i in 1 2 3; do
    ip netns add "${TAG}w$i"
    ip -n "${TAG}w$i" link set lo up
    ip link add "${TAG}h$i" type veth peer name "${TAG}d$i"
    ip link set "${TAG}h$i" netns "${TAG}w$i"
    ip link set "${TAG}d$i" netns "$NSDB"
    ip -n "$NSDB" addr add "10.231.$i.1/24" dev "${TAG}d$i"
    ip -n "$NSDB" link set "${TAG}d$i" up
    ip -n "${TAG}w$i" addr add "10.231.$i.2/24" dev "${TAG}h$i"
    ip -n "${TAG}w$i" link set "${TAG}h$i" up
done

# PostgreSQL inside the database host, reachable only over the three links.
mkdir -p "$WORK/pg"
chown postgres:postgres "$WORK/pg"
chmod 700 "$WORK/pg"
echo superpw >"$WORK/pg/pw"
chown postgres "$WORK/pg/pw"
(cd / && runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --pwfile="$WORK/pg/pw" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$WORK/pg/initdb.log")
echo "host all all 10.231.0.0/16 scram-sha-256" >>"$WORK/pg/data/pg_hba.conf"
(cd / && ip netns exec "$NSDB" runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
    -w -t 60 -o "-c listen_addresses=* -p 5432 -k $WORK/pg -c fsync=off -c synchronous_commit=off -c idle_in_transaction_session_timeout=5s" start >/dev/null)
psql() { (cd / && runuser -u postgres -- "$PGBIN/psql" -h "$WORK/pg" -p 5432 -U postgres -d "${PGDB:-postgres}" \
    -v ON_ERROR_STOP=1 -qtAX "$@"); }
psql -c "CREATE ROLE fleet LOGIN PASSWORD 'fleetpw'" -c "CREATE DATABASE fleet OWNER fleet"
PGDB=fleet
url() { echo "postgresql://fleet:fleetpw@10.231.$1.1:5432/fleet"; }
server_ms() { psql -c "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"; }

cat >"$WORK/worker.ini" <<INI
[engine]
lease_seconds=$LEASE_S
heartbeat_ms=$HEARTBEAT_MS
[watch]
enabled=false
INI
"$GENDOCS" --out "$WORK/docs" --count "$DOCS" --seed 9 --pdf-pages 12 >/dev/null
export QT_QPA_PLATFORM=offscreen
for i in 1 2 3; do
    ip netns exec "${TAG}w$i" "$CLI" --db "$(url "$i")" --config "$WORK/worker.ini" -v worker >"$WORK/w$i.log" 2>&1 &
    PIDS+=($!)
done
for _ in $(seq 1 100); do
    [ "$(psql -c "SELECT COUNT(*) FROM workers WHERE state = 'running'" 2>/dev/null || echo 0)" = 3 ] && break
    sleep 0.3
done
W1=$(psql -c "SELECT id FROM workers WHERE pid = ${PIDS[0]}")
W2=$(psql -c "SELECT id FROM workers WHERE pid = ${PIDS[1]}")
[ -n "$W1" ] && [ -n "$W2" ] || { echo "FAIL: the workers did not register"; tail -5 "$WORK"/w*.log; exit 1; }
ip netns exec "${TAG}w3" "$CLI" --db "$(url 3)" ingest "$WORK/docs" >/dev/null
TOTAL=$(psql -c "SELECT COUNT(*) FROM jobs")
echo "ingested $TOTAL jobs; workers $W1, $W2 and one more"

# Host 1 dies while it holds work.
for _ in $(seq 1 200); do
    [ "$(psql -c "SELECT COUNT(*) FROM jobs WHERE lease_owner = '$W1' AND status = 'running'")" -gt 0 ] && break
    sleep 0.05
done
kill -KILL "${PIDS[0]}"
KILLED_AT=$(server_ms)
echo "killed $W1 holding $(psql -c "SELECT COUNT(*) FROM jobs WHERE lease_owner = '$W1' AND status = 'running'") job(s)"

# Host 2 loses its link for 20 s (packets dropped, connections not refused), then gets it back.
ip -n "${TAG}w2" link set "${TAG}h2" down
CUT_HELD=$(psql -c "SELECT COUNT(*) FROM jobs WHERE lease_owner = '$W2' AND status = 'running'")
sleep 20
ip -n "${TAG}w2" link set "${TAG}h2" up
echo "cut $W2's link for 20 s while it held $CUT_HELD job(s)"

for _ in $(seq 1 1200); do
    [ "$(psql -c "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')")" = 0 ] && break
    sleep 0.5
done
sleep 3 # host 2 finishes what it had in hand when its link came back, and is refused
fail=0
check() { # name, actual, expected
    if [ "$2" = "$3" ]; then echo "ok: $1 ($2)"; else echo "FAIL: $1: $2, expected $3"; fail=1; fi
}
check "jobs embedded" "$(psql -c "SELECT COUNT(*) FROM jobs WHERE status = 'done'")" "$TOTAL"
check "jobs embedded other than once" "$(psql -c "SELECT COUNT(*) FROM (SELECT job_id FROM job_events WHERE kind = 'transition' AND to_stage = 'embedded' GROUP BY job_id HAVING COUNT(*) <> 1) x")" 0
check "chunks stored twice" "$(psql -c "SELECT COUNT(*) FROM (SELECT job_id, idx FROM chunks GROUP BY job_id, idx HAVING COUNT(*) > 1) x")" 0
check "chunks stored = chunks counted" "$(psql -c "SELECT COUNT(*) FROM chunks")" "$(psql -c "SELECT SUM(chunks) FROM jobs")"
RESCUED=$(psql -c "SELECT COUNT(*) FROM job_events WHERE kind = 'lease_expired' AND message LIKE '%$W1%'")
LATEST=$(psql -c "SELECT COALESCE(MAX(at), 0) - $KILLED_AT FROM job_events WHERE kind = 'lease_expired' AND message LIKE '%$W1%'")
BOUND=$((LEASE_S * 1000 + HEARTBEAT_MS + 2000))
if [ "$RESCUED" -gt 0 ] && [ "$LATEST" -le "$BOUND" ]; then
    echo "ok: $RESCUED job(s) of the killed host rescued, the last $LATEST ms after the kill (lease + rescue interval + 2 s: $BOUND ms)"
else
    echo "FAIL: killed host's jobs: $RESCUED rescued, the last $LATEST ms after the kill (bound $BOUND ms)"
    fail=1
fi
CUT_RESCUED=$(psql -c "SELECT COUNT(*) FROM job_events WHERE kind = 'lease_expired' AND message LIKE '%$W2%'")
REFUSED=$(grep -c "taken away\|cancelled or lease lost" "$WORK/w2.log" || true)
echo "cut host: $CUT_RESCUED job(s) rescued from it while cut; $REFUSED late result(s) refused (its log)"
check "cut host still working after the cut" "$(kill -0 "${PIDS[1]}" 2>/dev/null && echo alive || echo gone)" alive
[ "$fail" = 0 ] || { echo "--- host 2 log (tail)"; tail -20 "$WORK/w2.log"; }
exit $fail
