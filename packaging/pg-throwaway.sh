# Sourced: pg_throwaway_start starts a private PostgreSQL on 127.0.0.1 (a free port from 55432)
# and exports DOCPIPE_TEST_PG_URL; pg_throwaway_stop stops it and removes its files.
# As root, the server runs as the `postgres` user (initdb refuses root).

pg_throwaway_start() {
    local pgbin port
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    port=${DOCPIPE_PG_PORT:-55432}
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    PG_THROWAWAY_DIR=$(mktemp -d /tmp/docpipe-pg.XXXXXX)
    PG_THROWAWAY_BIN=$pgbin
    local runas=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_THROWAWAY_DIR"
        runas=(runuser -u postgres --)
    fi
    PG_THROWAWAY_RUNAS=("${runas[@]}")
    chmod 700 "$PG_THROWAWAY_DIR"
    echo superpw > "$PG_THROWAWAY_DIR/pw"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_THROWAWAY_DIR/pw"
    (cd / && "${runas[@]}" "$pgbin/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres --pwfile="$PG_THROWAWAY_DIR/pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_THROWAWAY_DIR/initdb.log")
    (cd / && "${runas[@]}" "$pgbin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_THROWAWAY_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null)
    (cd / && "${runas[@]}" "$pgbin/psql" -h "$PG_THROWAWAY_DIR" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE tester LOGIN CREATEDB PASSWORD 'testpw'" -c "CREATE DATABASE tester OWNER tester")
    export DOCPIPE_TEST_PG_URL="postgresql://tester:testpw@127.0.0.1:$port/tester"
    echo "throwaway PostgreSQL on 127.0.0.1:$port"
}

pg_throwaway_stop() {
    [ -n "${PG_THROWAWAY_DIR:-}" ] || return 0
    (cd / && "${PG_THROWAWAY_RUNAS[@]}" "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m fast -w stop >/dev/null 2>&1) || true
    rm -rf "$PG_THROWAWAY_DIR"
    PG_THROWAWAY_DIR=
}
