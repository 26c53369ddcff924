#!/usr/bin/env bash
# Elasticsearch node lifecycle for development and tests (issue #6).
#
#   ops/es.sh up       fetch (once, through Maven), unpack, start one node, wait for health yellow
#   ops/es.sh down     stop the node and remove its data
#   ops/es.sh stop     stop the node, keep its data (`up` starts it again with its indices)
#   ops/es.sh status   running or not, and the cluster health
#
# Environment:
#   DULUAN_ES_PORT   HTTP port on 127.0.0.1 (default 9200); one node per port, each in its own work dir
#   DULUAN_CACHE     where the distribution zip is kept (default ~/.cache/duluan), outside the repository
#   DULUAN_ES_BASE   where the distribution is unpacked and nodes keep data/logs
#                    (default /var/tmp/duluan-es when run as root, else $DULUAN_CACHE/es)
#   DULUAN_ES_HEAP   JVM heap (default 512m)
#   DULUAN_ES_TIMEOUT  seconds to wait for health yellow (default 120)
#
# The integ-test zip is the plain server: no bundled JDK (the machine's Java 17 runs it) and
# only the modules transport-netty4, x-pack-core, x-pack-security and apm — no analysis-common,
# so no asciifolding / mapping / pattern analysis: duluan folds text in Python (duluan/text).
# Elasticsearch refuses to run as root, so as root the node runs as the unprivileged user duluan-es.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"  # runuser, useradd: not on every user's PATH

ES_VERSION="${DULUAN_ES_VERSION:-8.19.14}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
PORT="${DULUAN_ES_PORT:-9200}"
CACHE="${DULUAN_CACHE:-$HOME/.cache/duluan}"
HEAP="${DULUAN_ES_HEAP:-512m}"
TIMEOUT="${DULUAN_ES_TIMEOUT:-120}"
ES_USER="duluan-es"

if [ "$(id -u)" = 0 ]; then
    BASE="${DULUAN_ES_BASE:-/var/tmp/duluan-es}"
else
    BASE="${DULUAN_ES_BASE:-$CACHE/es}"
fi
ES_HOME="$BASE/elasticsearch-$ES_VERSION"
NODE="$BASE/node-$PORT"
PIDFILE="$NODE/es.pid"
URL="http://127.0.0.1:$PORT"

say() { echo "es.sh: $*" >&2; }
die() { say "LỖI / ERROR: $*"; exit 1; }

as_es() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

health() {  # prints the health JSON, fails when the node does not answer
    curl -fsS --max-time 5 "$URL/_cluster/health" 2>/dev/null
}

running_pid() {  # the pid of our node if it is alive
    [ -f "$PIDFILE" ] || return 1
    local pid
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fetch() {
    local zip="$CACHE/elasticsearch-$ES_VERSION.zip"
    if [ ! -s "$zip" ]; then
        command -v mvn >/dev/null || die "Maven (mvn) không có / is not installed: apt-get install maven"
        mkdir -p "$CACHE"
        say "tải / fetching $ARTIFACT with Maven into $CACHE"
        mvn -q -B dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$CACHE" \
            || die "Maven could not resolve $ARTIFACT (check ~/.m2/settings.xml mirrors)"
    fi
    if [ ! -x "$ES_HOME/bin/elasticsearch" ]; then
        mkdir -p "$BASE"
        local tmp="$BASE/.unpack.$$"
        rm -rf "$tmp"
        unzip -q "$zip" -d "$tmp"
        mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
        rm -rf "$tmp"
    fi
}

ensure_user() {
    [ "$(id -u)" = 0 ] || return 0
    if ! id "$ES_USER" >/dev/null 2>&1; then
        say "tạo người dùng / creating unprivileged user $ES_USER"
        useradd --system --no-create-home --home-dir "$BASE" --shell /usr/sbin/nologin "$ES_USER"
    fi
    chown -R "$ES_USER:" "$BASE"
}

write_config() {
    mkdir -p "$NODE/config/jvm.options.d" "$NODE/data" "$NODE/logs" "$NODE/tmp"
    cp "$ES_HOME/config/log4j2.properties" "$NODE/config/"
    # The zip's jvm.options writes gc.log and hs_err files into the working directory: point them at logs/.
    sed -e "s#file=gc.log#file=$NODE/logs/gc.log#" -e "s#ErrorFile=hs_err_pid#ErrorFile=$NODE/logs/hs_err_pid#" \
        "$ES_HOME/config/jvm.options" > "$NODE/config/jvm.options"
    printf -- '-Xms%s\n-Xmx%s\n' "$HEAP" "$HEAP" > "$NODE/config/jvm.options.d/heap.options"
    cat > "$NODE/config/elasticsearch.yml" <<EOF
# written by ops/es.sh — a throwaway single node for duluan development and tests
cluster.name: duluan-$PORT
node.name: duluan-$PORT
path.data: $NODE/data
path.logs: $NODE/logs
network.host: 127.0.0.1
http.port: $PORT
discovery.type: single-node
xpack.security.enabled: false
# a nearly full disk in CI must not turn the index read-only
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
}

cmd_up() {
    if pid="$(running_pid)"; then
        if health >/dev/null; then
            say "đang chạy / already running (pid $pid) at $URL"
            return 0
        fi
    elif health >/dev/null; then
        die "port $PORT already answers but not from our node ($PIDFILE); stop it or set DULUAN_ES_PORT"
    fi
    command -v java >/dev/null || die "Java không có / is not installed (need Java 17+): apt-get install openjdk-17-jre-headless"
    command -v curl >/dev/null || die "curl is needed to wait for the node"
    local java_home
    java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    fetch
    if [ -z "${pid:-}" ]; then
        rm -f "$PIDFILE"
        write_config
        ensure_user
        say "khởi động / starting Elasticsearch $ES_VERSION on $URL (heap $HEAP, java $java_home)"
        (cd "$NODE" && as_es env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$NODE/config" ES_TMPDIR="$NODE/tmp" \
            ES_JAVA_OPTS="${ES_JAVA_OPTS:-}" "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" >"$NODE/logs/console.log" 2>&1) \
            || { tail -n 40 "$NODE/logs/console.log" "$NODE/logs/duluan-$PORT.log" >&2 2>/dev/null || true
                 die "Elasticsearch did not start"; }
    fi
    local waited=0
    while :; do
        if out="$(health)" && echo "$out" | grep -Eq '"status":"(yellow|green)"'; then
            say "sẵn sàng / ready: $out"
            return 0
        fi
        if [ "$waited" -ge "$TIMEOUT" ]; then
            say "không lên sau / not healthy after ${TIMEOUT}s; log tail:"
            tail -n 80 "$NODE/logs/console.log" "$NODE/logs/duluan-$PORT.log" >&2 2>/dev/null || true
            die "Elasticsearch on $URL is not healthy"
        fi
        if ! running_pid >/dev/null && [ "$waited" -gt 5 ]; then
            say "tiến trình đã thoát / the node exited; log tail:"
            tail -n 80 "$NODE/logs/console.log" "$NODE/logs/duluan-$PORT.log" >&2 2>/dev/null || true
            die "Elasticsearch on $URL exited during start"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

cmd_stop() {  # stop, keep the data (an outage in tests; `up` starts it again with its indices)
    if pid="$(running_pid)"; then
        say "dừng / stopping pid $pid"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -0 "$pid" 2>/dev/null && { say "still alive, SIGKILL"; kill -9 "$pid" 2>/dev/null || true; }
    else
        say "không chạy / not running on port $PORT"
    fi
    rm -f "$PIDFILE"
}

cmd_down() {
    cmd_stop
    rm -rf "$NODE/data" "$NODE/tmp"
}

cmd_status() {
    if pid="$(running_pid)"; then
        echo "running pid=$pid url=$URL"
        health && echo || echo "(no answer yet)"
    else
        echo "stopped url=$URL"
        return 3
    fi
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 up|down|stop|status   (port: DULUAN_ES_PORT=${PORT})" >&2; exit 2 ;;
esac
