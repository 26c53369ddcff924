#!/usr/bin/env bash
# PostgreSQL for development and tests (issue #9): Debian's packages, one throwaway cluster.
#
#   ops/pg.sh up       install postgresql if missing (apt-get, as root), create the cluster once,
#                      start it on 127.0.0.1:$PORT, create role and database duluan/duluan
#   ops/pg.sh down     stop the cluster and remove its data
#   ops/pg.sh stop     stop the cluster, keep its data
#   ops/pg.sh status   running or not
#
# Environment:
#   DULUAN_PG_PORT   port on 127.0.0.1 (default 5432)
#   DULUAN_PG_BASE   where the cluster lives (default /var/tmp/duluan-pg as root, else ~/.cache/duluan/pg)
#
# The URL is postgresql+psycopg://duluan:duluan@127.0.0.1:$PORT/duluan. As root the server runs as
# the `postgres` user Debian's package creates (PostgreSQL refuses to run as root).
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

PORT="${DULUAN_PG_PORT:-5432}"
if [ "$(id -u)" = 0 ]; then
    BASE="${DULUAN_PG_BASE:-/var/tmp/duluan-pg}"
else
    BASE="${DULUAN_PG_BASE:-$HOME/.cache/duluan/pg}"
fi
DATA="$BASE/data-$PORT"
LOG="$BASE/server-$PORT.log"
SOCK="$BASE/run"

say() { echo "pg.sh: $*" >&2; }
die() { say "LỖI / ERROR: $*"; exit 1; }

bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install_pg() {
    bindir >/dev/null && return 0
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; as root: apt-get install postgresql"
    say "cài đặt / installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    # policy-rc.d keeps the package from starting its own cluster on 5432.
    local policy=/usr/sbin/policy-rc.d created=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; fi
    apt-get install -y -qq postgresql >/dev/null || { [ "$created" = 1 ] && rm -f "$policy"; die "apt-get install postgresql failed"; }
    [ "$created" = 1 ] && rm -f "$policy"
    bindir >/dev/null || die "postgresql installed but pg_ctl not found under /usr/lib/postgresql"
}

running() {
    local bin
    bin="$(bindir)" || return 1
    [ -f "$DATA/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

psql_admin() {
    local bin
    bin="$(bindir)"
    as_pg "$bin/psql" -h "$SOCK" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

cmd_up() {
    install_pg
    local bin
    bin="$(bindir)"
    mkdir -p "$BASE" "$SOCK"
    [ "$(id -u)" = 0 ] && chown postgres: "$BASE" "$SOCK"
    if ! running; then
        if [ ! -s "$DATA/PG_VERSION" ]; then
            say "tạo cụm / initialising a cluster in $DATA"
            as_pg "$bin/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
                -E UTF8 --locale=C.UTF-8 >/dev/null || die "initdb failed"
        fi
        say "khởi động / starting PostgreSQL on 127.0.0.1:$PORT"
        as_pg "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$SOCK -c fsync=off" start \
            >/dev/null || { tail -n 30 "$LOG" >&2 || true; die "PostgreSQL did not start (port $PORT busy?)"; }
    fi
    if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='duluan'")" != 1 ]; then
        psql_admin -c "CREATE ROLE duluan LOGIN PASSWORD 'duluan' CREATEDB"
    fi
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='duluan'")" != 1 ]; then
        psql_admin -c "CREATE DATABASE duluan OWNER duluan"
    fi
    say "sẵn sàng / ready: postgresql+psycopg://duluan:duluan@127.0.0.1:$PORT/duluan"
}

cmd_stop() {
    local bin
    bin="$(bindir)" || return 0
    if running; then
        as_pg "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "đã dừng / stopped"
    fi
}

case "${1:-}" in
    up) cmd_up ;;
    stop) cmd_stop ;;
    down) cmd_stop; rm -rf "$DATA" "$LOG"; say "đã xoá dữ liệu / data removed" ;;
    status) if running; then echo "running on 127.0.0.1:$PORT ($DATA)"; else echo "not running"; exit 1; fi ;;
    *) echo "usage: $0 up|down|stop|status" >&2; exit 2 ;;
esac
