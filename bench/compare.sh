#!/usr/bin/env bash
# compare.sh - Duet against haproxy and nginx (Debian packages) on loopback, measured with wrk.
#
# Starts an nginx origin (1 worker; 127.0.0.1:9001 and :9002, /small = 100 B, /16k = 16384 B), the
# reference proxies (haproxy 1/2 threads, nginx 1/2 workers; each a 2-server round-robin pool with
# HTTP/1.1 keep-alive to the origin), and Duet itself from appliance/target/duet.jar with a generated
# configuration document (one listener, one default virtual host, one route, the same 2-server pool,
# access log off). Then it loads every config with wrk in interleaved rounds (A B C D, A B C D, ...),
# prints a markdown table (median req/s, p50/p99, proxy CPU us per request, RSS under load, errors),
# same-round ratios of Duet against the references, and PASS/FAIL against the first targets.
# Everything it started is stopped on exit (trap); it listens and connects on 127.0.0.1 only.
#
# Usage: bench/compare.sh [options]          (see bench/README.md)
#
# Options:
#   --configs LIST       configs to run, in this order, comma separated, from
#                        direct,haproxy1,haproxy2,nginx1,nginx2,duet (default direct,haproxy1,nginx1,duet)
#   --paths LIST         paths measured over plain HTTP/1.1 keep-alive (default /small,/16k)
#   --tls                add two TLS phases on /small: keep-alive over TLS ("tls") and a new connection with a
#                        full handshake per request ("tlsnew", wrk with Connection: close); every proxy gets
#                        the same certificate on its own port (haproxy 8101/8102, nginx 8111/8112, Duet 8131)
#   --tls-only           only the TLS phases
#   --tls-key TYPE       ec (default: ECDSA P-256, what Duet issues) or rsa (RSA 2048)
#   --duet-tls-engine E  jsse (default) or openssl (Duet's listener engine; ec or rsa keys)
#   --duration S         seconds per measured run (default 10)
#   --warmup S           one unrecorded run per config before each phase (default 5)
#   --jvm-warmup S       unrecorded load on Duet before the first phase (default 30); a cold JVM runs at
#                        a fifth of its speed for the first minute
#   --reps N             measured rounds (default 3; use 5 for decisions)
#   --threads T          wrk threads (default 2)
#   --conns C            wrk connections (default 50; the targets are defined at 50)
#   --pin MODE           split (default): wrk on cpu0, every proxy (Duet too) on cpu1, origin unpinned
#                        split-b0: wrk and origin on cpu0, proxies on cpu1;  none: nothing pinned
#   Duet:
#   --jar FILE           Duet fat jar (default <repo>/appliance/target/duet.jar)
#   --build              build the jar first (./mvnw -B -q package -DskipTests; also done if it is missing)
#   --xmx SIZE           Duet heap, -Xms = -Xmx (default 64m; see README for why)
#   --java-opts "OPTS"   JVM options replacing the defaults (then --xmx is ignored)
#   --duet-port N        Duet's listener (default 8031)
#   --lean-forwarding    turn off Duet's X-Forwarded-*/Forwarded/X-Real-IP/X-Request-Id headers
#                        (the references add none; default: Duet's defaults, i.e. it does more work)
#   --candidate-port N   do not start Duet: measure a proxy already listening on 127.0.0.1:N whose
#                        pool is 127.0.0.1:9001 + :9002 (it is pinned during the run, restored after)
#   --candidate-pid PID  its process (default: the owner of the port, from ss)
#   --candidate-name S   its label in the tables (default duet)
#   Run:
#   --workdir DIR        default /tmp/duet-bench/compare-<time>; raw figures in DIR/raw.csv
#   --quiet-wait S       before each run wait up to S s (default 8) until other processes use
#   --quiet-pct P        less than P% of one core (default 25); the box may be shared
#   --max-time S         stop the whole run after S s (default: twice the estimate plus 5 min)
#   --strict             exit 3 when a target FAILs (default: exit 0, the verdict is printed)
#   --install            apt-get install the missing tools first (root only)
#   -h, --help
#
# Needs: wrk haproxy nginx curl ss taskset timeout awk pgrep, java 17 for Duet.
#   Debian: apt-get install -y wrk haproxy nginx
# Fixed ports that must be free: 9001 9002 8001 8002 8011 8012, 8031 and 8098 (Duet, its management server).

set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)

CONFIGS="direct,haproxy1,nginx1,duet" PATHS="/small,/16k"
DURATION=10 WARMUP=5 JVM_WARMUP=30 REPS=3 THREADS=2 CONNS=50 PIN=split
QUIET_WAIT=8 QUIET_PCT=25 MAX_TIME="" STRICT=0 INSTALL=0
JAR="$REPO_DIR/appliance/target/duet.jar" BUILD=0 XMX=64m JAVA_OPTS_SET=0 DUET_JAVA_OPTS=()
DUET_PORT=8031 DUET_MGMT_PORT=8098 LEAN_FORWARDING=0 TLS=0 TLS_ONLY=0 TLS_KEY=ec DUET_TLS_ENGINE=jsse
CAND_PORT="" CAND_PID="" DUET_NAME=duet
WORKDIR="/tmp/duet-bench/compare-$(date +%Y%m%d-%H%M%S)"

die() { echo "compare.sh: ERROR: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --configs) need_arg "$@"; CONFIGS=$2; shift 2 ;;
    --paths) need_arg "$@"; PATHS=$2; shift 2 ;;
    --duration) need_arg "$@"; DURATION=$2; shift 2 ;;
    --warmup) need_arg "$@"; WARMUP=$2; shift 2 ;;
    --jvm-warmup) need_arg "$@"; JVM_WARMUP=$2; shift 2 ;;
    --reps) need_arg "$@"; REPS=$2; shift 2 ;;
    --threads) need_arg "$@"; THREADS=$2; shift 2 ;;
    --conns) need_arg "$@"; CONNS=$2; shift 2 ;;
    --pin) need_arg "$@"; PIN=$2; shift 2 ;;
    --jar) need_arg "$@"; JAR=$2; shift 2 ;;
    --build) BUILD=1; shift ;;
    --xmx) need_arg "$@"; XMX=$2; shift 2 ;;
    --java-opts) need_arg "$@"; read -r -a DUET_JAVA_OPTS <<<"$2"; JAVA_OPTS_SET=1; shift 2 ;;
    --duet-port) need_arg "$@"; DUET_PORT=$2; shift 2 ;;
    --tls) TLS=1; shift ;;
    --tls-only) TLS=1; TLS_ONLY=1; shift ;;
    --tls-key) need_arg "$@"; TLS_KEY=$2; shift 2 ;;
    --duet-tls-engine) need_arg "$@"; DUET_TLS_ENGINE=$2; shift 2 ;;
    --lean-forwarding) LEAN_FORWARDING=1; shift ;;
    --candidate-port) need_arg "$@"; CAND_PORT=$2; shift 2 ;;
    --candidate-pid) need_arg "$@"; CAND_PID=$2; shift 2 ;;
    --candidate-name) need_arg "$@"; DUET_NAME=$2; shift 2 ;;
    --workdir) need_arg "$@"; WORKDIR=$2; shift 2 ;;
    --quiet-wait) need_arg "$@"; QUIET_WAIT=$2; shift 2 ;;
    --quiet-pct) need_arg "$@"; QUIET_PCT=$2; shift 2 ;;
    --max-time) need_arg "$@"; MAX_TIME=$2; shift 2 ;;
    --strict) STRICT=1; shift ;;
    --install) INSTALL=1; shift ;;
    -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

isnum() { [[ "$1" =~ ^[0-9]+$ ]]; }
for v in DURATION WARMUP JVM_WARMUP REPS THREADS CONNS QUIET_WAIT QUIET_PCT DUET_PORT; do
  isnum "${!v}" || die "${v,,} must be a whole number (got '${!v}')"
done
[[ -z "$MAX_TIME" ]] || isnum "$MAX_TIME" || die "--max-time must be a whole number of seconds"
[[ -z "$CAND_PORT" ]] || isnum "$CAND_PORT" || die "--candidate-port must be a number"
[[ -z "$CAND_PID" ]] || isnum "$CAND_PID" || die "--candidate-pid must be a number"
[[ "$XMX" =~ ^[0-9]+[kKmMgG]?$ ]] || die "--xmx must look like 64m (got '$XMX')"
(( DURATION >= 1 && DURATION <= 120 )) || die "--duration must be 1..120 s"
(( REPS >= 1 && REPS <= 20 )) || die "--reps must be 1..20"
(( JVM_WARMUP <= 600 && WARMUP <= 120 )) || die "--jvm-warmup must be <= 600 s and --warmup <= 120 s"
(( THREADS >= 1 && CONNS >= THREADS )) || die "--conns must be >= --threads >= 1"
case "$PIN" in none|split|split-b0) ;; *) die "--pin must be split, split-b0 or none" ;; esac
(( JAVA_OPTS_SET )) || DUET_JAVA_OPTS=("-Xms$XMX" "-Xmx$XMX" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError)

# ---- configs ---------------------------------------------------------------------------------
declare -A HTTP_PORT=([direct]=9001 [haproxy1]=8001 [haproxy2]=8002 [nginx1]=8011 [nginx2]=8012 [duet]=$DUET_PORT)
declare -A TLS_PORT=()
if (( TLS )); then
  [[ "$TLS_KEY" == ec || "$TLS_KEY" == rsa ]] || die "--tls-key: ec or rsa"
  TLS_PORT=([haproxy1]=8101 [haproxy2]=8102 [nginx1]=8111 [nginx2]=8112 [duet]=8131)
fi
# Ports of a future --tls phase go here (TLS_PORT[...]); the TLS module does not exist yet.
[[ -n "$CAND_PORT" ]] && HTTP_PORT[duet]=$CAND_PORT
declare -A MAIN_PID=() WANT=()
IFS=',' read -r -a CFG <<<"$CONFIGS"
((${#CFG[@]})) || die "--configs is empty"
for c in "${CFG[@]}"; do
  case "$c" in
    direct|haproxy1|haproxy2|nginx1|nginx2|duet) ;;
    *) die "unknown config '$c' (have direct,haproxy1,haproxy2,nginx1,nginx2,duet)" ;;
  esac
  [[ -n "${WANT[$c]:-}" ]] && die "config '$c' listed twice"
  WANT[$c]=1
done
START_DUET=0
[[ -n "${WANT[duet]:-}" && -z "$CAND_PORT" ]] && START_DUET=1
[[ -n "$CAND_PORT" && -z "${WANT[duet]:-}" ]] && die "--candidate-port given but 'duet' is not in --configs"
declare -A SIZE=([/small]=100 [/16k]=16384)
IFS=',' read -r -a PL <<<"$PATHS"
((${#PL[@]})) || die "--paths is empty"
for p in "${PL[@]}"; do [[ -n "${SIZE[$p]:-}" ]] || die "unknown path '$p' (have /small, /16k)"; done

# ---- tools -----------------------------------------------------------------------------------
missing=()
for t in wrk haproxy nginx curl ss taskset timeout awk pgrep; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
if ((${#missing[@]})) && (( INSTALL )); then
  (( EUID == 0 )) || die "--install needs root (missing: ${missing[*]})"
  log "installing wrk haproxy nginx curl iproute2 util-linux procps"
  timeout 900 apt-get update -q >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q wrk haproxy nginx curl iproute2 util-linux procps >/dev/null \
    || die "apt-get install failed"
  missing=()
  for t in wrk haproxy nginx curl ss taskset timeout awk pgrep; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
fi
((${#missing[@]})) && die "missing: ${missing[*]}. Debian: apt-get install -y wrk haproxy nginx (or rerun as root with --install)"
if (( START_DUET )); then command -v java >/dev/null 2>&1 || die "'java' (17+) not found; it is needed to start Duet"; fi
NCPU=$(nproc)
[[ "$PIN" == none ]] || (( NCPU >= 2 )) || die "--pin $PIN needs 2 CPUs; use --pin none"

# ---- the Duet jar ----------------------------------------------------------------------------
if (( START_DUET )) && [[ "$JAR" != "$REPO_DIR/appliance/target/duet.jar" ]]; then
  [[ -f "$JAR" ]] || die "jar $JAR not found"
  (( BUILD )) && log "--build ignored: --jar names a jar this repository does not build"
elif (( START_DUET )) && { (( BUILD )) || [[ ! -f "$JAR" ]]; }; then
  log "building Duet (./mvnw -B -q package -DskipTests), at most 15 min"
  mkdir -p "$WORKDIR/logs" || die "cannot create $WORKDIR"
  (cd "$REPO_DIR" && timeout -k 10 900 ./mvnw -B -q package -DskipTests) >"$WORKDIR/logs/build.log" 2>&1 \
    || die "build failed, see $WORKDIR/logs/build.log"
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi

mkdir -p "$WORKDIR"/{www,logs,run,tmp,out,duet-data} || die "cannot create $WORKDIR"
RAW="$WORKDIR/raw.csv"
echo "phase,config,round,rps,p50_ms,p99_ms,non2xx,sock_err,requests,rss_kib,cpu_us_per_req,bg_pct,steal_pct,wrk_rc" >"$RAW"
CLK_TCK=$(getconf CLK_TCK)

# ---- cleanup: stop everything we started -------------------------------------------------------
STARTED=()         # PIDs we started, each the root of its own small tree
SAMPLER_PID="" WATCHDOG_PID="" WRK_PID="" CAND_AFFINITY=""
tree_pids() { echo "$1"; pgrep -P "$1" 2>/dev/null || true; }   # nginx master -> workers
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  local rc=$? p i alive
  trap - EXIT INT TERM
  [[ -n "$WATCHDOG_PID" ]] && kill "$WATCHDOG_PID" 2>/dev/null
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
  [[ -n "$WRK_PID" ]] && kill -TERM "$WRK_PID" 2>/dev/null
  for p in "${STARTED[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for ((i = 0; i < 100; i++)); do          # up to 10 s for a clean stop, then KILL
    alive=0
    for p in "${STARTED[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.1
  done
  for p in "${STARTED[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [[ -n "$CAND_AFFINITY" && -n "$CAND_PID" ]]; then
    for p in $(tree_pids "$CAND_PID"); do taskset -a -p -c "$CAND_AFFINITY" "$p" >/dev/null 2>&1; done
  fi
  log "stopped ${#STARTED[@]} process(es) we started; work dir: $WORKDIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { [[ -n "$(ss -ltnH "( sport = :$1 )" 2>/dev/null)" ]]; }
wait_port() { # port seconds [pid that must stay alive]
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    [[ -n "${3:-}" ]] && ! kill -0 "$3" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}

ours=(9001 9002)
for c in haproxy1 haproxy2 nginx1 nginx2; do [[ -n "${WANT[$c]:-}" ]] && ours+=("${HTTP_PORT[$c]}"); done
(( START_DUET )) && ours+=("$DUET_PORT" "$DUET_MGMT_PORT")
for c in "${!TLS_PORT[@]}"; do [[ -n "${WANT[$c]:-}" ]] && ours+=("${TLS_PORT[$c]}"); done
for p in "${ours[@]}"; do port_busy "$p" && die "port $p is already in use (a previous run still alive?)"; done
if [[ -n "$CAND_PORT" ]]; then port_busy "$CAND_PORT" || die "nothing listens on candidate port $CAND_PORT"; fi

# ---- TLS certificate (--tls): one self-signed certificate for every proxy -------------------------
if (( TLS )); then
  command -v openssl >/dev/null 2>&1 || die "--tls needs openssl"
  mkdir -p "$WORKDIR/tls"
  if [[ "$TLS_KEY" == ec ]]; then newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); else newkey=(-newkey rsa:2048); fi
  openssl req -x509 "${newkey[@]}" -nodes -keyout "$WORKDIR/tls/key.pem" -out "$WORKDIR/tls/cert.pem" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >"$WORKDIR/logs/openssl.log" 2>&1 \
    || die "openssl could not make the test certificate: $(cat "$WORKDIR/logs/openssl.log")"
  cat "$WORKDIR/tls/cert.pem" "$WORKDIR/tls/key.pem" >"$WORKDIR/tls/haproxy.pem"
fi

# ---- origin ----------------------------------------------------------------------------------
head -c 100 /dev/zero | tr '\0' 'a' >"$WORKDIR/www/small"
head -c 16384 /dev/zero | tr '\0' 'b' >"$WORKDIR/www/16k"
chmod -R a+rX "$WORKDIR"

nginx_common() { # name
  cat <<EOF
daemon off;
master_process on;
pid $WORKDIR/run/$1.pid;
error_log $WORKDIR/logs/$1-error.log warn;
events { worker_connections 4096; }
EOF
}
nginx_http_common() { # name
  cat <<EOF
  access_log off;
  client_body_temp_path $WORKDIR/tmp/$1-body;
  proxy_temp_path $WORKDIR/tmp/$1-proxy;
  fastcgi_temp_path $WORKDIR/tmp/$1-fcgi;
  uwsgi_temp_path $WORKDIR/tmp/$1-uwsgi;
  scgi_temp_path $WORKDIR/tmp/$1-scgi;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  tcp_nodelay on;
EOF
}
start_nginx() { # name conf
  nginx -t -q -e "$WORKDIR/logs/$1-error.log" -c "$2" -p "$WORKDIR" >/dev/null 2>"$WORKDIR/logs/$1-t.log" \
    || die "nginx config $2 invalid: $(cat "$WORKDIR/logs/$1-t.log")"
  nginx -e "$WORKDIR/logs/$1-error.log" -c "$2" -p "$WORKDIR" >"$WORKDIR/logs/$1.out" 2>&1 &
  MAIN_PID[$1]=$!
  STARTED+=("$!")
}

{
  echo "worker_processes 1;"
  nginx_common origin
  echo "http {"
  nginx_http_common origin
  cat <<EOF
  sendfile on;
  tcp_nopush on;
  open_file_cache max=100 inactive=60s;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:9001 backlog=4096;
    listen 127.0.0.1:9002 backlog=4096;
    root $WORKDIR/www;
    location / { }
  }
}
EOF
} >"$WORKDIR/origin.conf"
start_nginx origin "$WORKDIR/origin.conf"
{ wait_port 9001 10 "${MAIN_PID[origin]}" && wait_port 9002 10 "${MAIN_PID[origin]}"; } \
  || die "origin nginx did not come up (see $WORKDIR/logs/origin-error.log)"

# ---- reference proxies -----------------------------------------------------------------------
for w in 1 2; do
  name="nginx$w"
  [[ -n "${WANT[$name]:-}" ]] || continue
  {
    echo "worker_processes $w;"
    nginx_common "$name"
    echo "http {"
    nginx_http_common "$name"
    cat <<EOF
  upstream pool {
    server 127.0.0.1:9001;
    server 127.0.0.1:9002;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${HTTP_PORT[$name]} backlog=4096;
$( [[ -n "${TLS_PORT[$name]:-}" ]] && printf '    listen 127.0.0.1:%s ssl backlog=4096;\n    ssl_certificate %s;\n    ssl_certificate_key %s;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:bench:10m;\n' "${TLS_PORT[$name]}" "$WORKDIR/tls/cert.pem" "$WORKDIR/tls/key.pem")
    location / {
      proxy_pass http://pool;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  } >"$WORKDIR/$name.conf"
  start_nginx "$name" "$WORKDIR/$name.conf"
done

for t in 1 2; do
  name="haproxy$t"
  [[ -n "${WANT[$name]:-}" ]] || continue
  cat >"$WORKDIR/$name.cfg" <<EOF
global
  nbthread $t
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend fe
  bind 127.0.0.1:${HTTP_PORT[$name]}
$( [[ -n "${TLS_PORT[$name]:-}" ]] && echo "  bind 127.0.0.1:${TLS_PORT[$name]} ssl crt $WORKDIR/tls/haproxy.pem ssl-min-ver TLSv1.2")
  default_backend pool
backend pool
  balance roundrobin
  server s1 127.0.0.1:9001
  server s2 127.0.0.1:9002
EOF
  haproxy -c -q -f "$WORKDIR/$name.cfg" >"$WORKDIR/logs/$name-check.log" 2>&1 \
    || die "haproxy config invalid: $(cat "$WORKDIR/logs/$name-check.log")"
  haproxy -db -f "$WORKDIR/$name.cfg" >"$WORKDIR/logs/$name.log" 2>&1 &
  MAIN_PID[$name]=$!
  STARTED+=("$!")
done

# ---- Duet ------------------------------------------------------------------------------------
# The configuration document (config/src/main/java/io/duet/config/*.java): one plain listener, one
# default virtual host whose only route forwards everything to a 2-server round-robin pool.
json_text() { # file -> its content as a JSON string (quotes included)
  awk 'BEGIN { printf "\"" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "%s\\n", $0 } END { printf "\"" }' "$1"
}
write_duet_config() { # file
  local fwd="" tls_listener="" tls_cert=""
  if [[ -n "${TLS_PORT[duet]:-}" ]]; then
    tls_listener=",
    { \"name\": \"bench-tls\", \"address\": \"127.0.0.1\", \"port\": ${TLS_PORT[duet]}, \"protocol\": \"https\",
      \"tls\": { \"certificates\": [ \"bench\" ], \"engine\": \"$DUET_TLS_ENGINE\" } }"
    tls_cert="
  \"certificates\": [ { \"name\": \"bench\", \"certificateChain\": $(json_text "$WORKDIR/tls/cert.pem"),
                      \"privateKey\": $(json_text "$WORKDIR/tls/key.pem") } ],"
  fi
  (( LEAN_FORWARDING )) && fwd='
  "forwarding": { "requestIdHeader": "", "xForwarded": false, "forwarded": false, "xRealIp": false, "via": false },'
  cat >"$1" <<EOF
{
  "revision": 1,
  "listeners": [ { "name": "bench", "address": "127.0.0.1", "port": $DUET_PORT, "protocol": "http" }$tls_listener ],$fwd$tls_cert
  "accessLog": { "enabled": false },
  "virtualHosts": [
    { "name": "bench", "hostnames": [ "localhost" ], "defaultHost": true,
      "routes": [ { "name": "all", "pool": "origin" } ] }
  ],
  "pools": [
    { "name": "origin", "balancer": "round-robin",
      "servers": [ { "id": "o1", "address": "127.0.0.1", "port": 9001 },
                   { "id": "o2", "address": "127.0.0.1", "port": 9002 } ] }
  ]
}
EOF
}
# The node bootstrap file (keys: appliance/src/main/java/io/duet/appliance/bootstrap/BootstrapKey.java). It names
# the document above (config.file), keeps the data directory in the work directory and the management
# (metrics) server on loopback at a port this script checks is free. io.threads 0 = one per core: 1 when
# pinned from the start.
write_duet_bootstrap() { # bootstrap.properties config.json
  cat >"$1" <<EOF
node.id = bench
data.dir = $WORKDIR/duet-data
config.file = $2
management.address = 127.0.0.1
management.port = $DUET_MGMT_PORT
io.threads = 0
log.level = INFO
EOF
}
# THE Duet start command: the one place to adjust while the appliance CLI settles. Runs in the
# background; its PID must be the JVM's (taskset and exec keep it so). Pinned from the start when
# pinning: the JVM then sizes itself (GC and JIT threads, Undertow I/O threads) for the one core it
# gets, as haproxy1 gets nbthread 1 and nginx1 one worker.
duet_start() { # config.json bootstrap.properties log   (the bootstrap names the document)
  local pin=()
  [[ "$PIN" == none ]] || pin=(taskset -c 1)
  "${pin[@]}" java "${DUET_JAVA_OPTS[@]}" -jar "$JAR" run --config "$2" >"$3" 2>&1 &
}

if (( START_DUET )); then
  write_duet_config "$WORKDIR/duet.json"
  write_duet_bootstrap "$WORKDIR/duet.properties" "$WORKDIR/duet.json"
  log "starting Duet: java ${DUET_JAVA_OPTS[*]} -jar $JAR (port $DUET_PORT)"
  duet_start "$WORKDIR/duet.json" "$WORKDIR/duet.properties" "$WORKDIR/logs/duet.log"
  MAIN_PID[duet]=$!
  STARTED+=("$!")
fi

for c in haproxy1 haproxy2 nginx1 nginx2 duet; do
  [[ -n "${WANT[$c]:-}" && -n "${MAIN_PID[$c]:-}" ]] || continue
  wait_port "${HTTP_PORT[$c]}" 60 "${MAIN_PID[$c]}" \
    || die "$c did not come up on port ${HTTP_PORT[$c]}: $(tail -n 5 "$WORKDIR/logs/$c"*.log 2>/dev/null | tr '\n' ' ')"
  if [[ -n "${TLS_PORT[$c]:-}" ]]; then
    wait_port "${TLS_PORT[$c]}" 60 "${MAIN_PID[$c]}" || die "$c did not come up on TLS port ${TLS_PORT[$c]}"
  fi
done

if [[ -n "$CAND_PORT" ]]; then
  [[ -n "$CAND_PID" ]] || CAND_PID=$(ss -ltnpH "( sport = :$CAND_PORT )" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  if [[ -n "$CAND_PID" ]] && kill -0 "$CAND_PID" 2>/dev/null; then
    MAIN_PID[duet]=$CAND_PID
  else
    log "WARNING: candidate PID unknown: no RSS/CPU figures and no pinning for it (pass --candidate-pid)"
    CAND_PID=""
  fi
fi

# ---- every target answers 200 with the right size ----------------------------------------------
check_url() { # config url expected_size
  local r
  r=$(curl -sk -o /dev/null -m 5 -w '%{http_code} %{size_download}' "$2") \
    || die "$1: curl $2 failed$([[ $1 == duet && -n "${MAIN_PID[duet]:-}" && -z $CAND_PORT ]] && echo "; Duet log: $(tail -n 5 "$WORKDIR/logs/duet.log" | tr '\n' ' ')")"
  [[ "$r" == "200 $3" ]] || die "$1: $2 answered '$r', expected '200 $3'"
}
for c in "${CFG[@]}"; do
  for p in "${PL[@]}"; do check_url "$c" "http://127.0.0.1:${HTTP_PORT[$c]}$p" "${SIZE[$p]}"; done
  if [[ -n "${TLS_PORT[$c]:-}" ]]; then check_url "$c" "https://127.0.0.1:${TLS_PORT[$c]}/small" "${SIZE[/small]}"; fi
done

# ---- pinning ---------------------------------------------------------------------------------
WRK_PREFIX=()
pin_tree() { # pid cpus
  local p
  for p in $(tree_pids "$1"); do taskset -a -p -c "$2" "$p" >/dev/null || die "taskset on $p failed"; done
}
if [[ "$PIN" != none ]]; then
  WRK_PREFIX=(taskset -c 0)
  if [[ "$PIN" == split-b0 ]]; then pin_tree "${MAIN_PID[origin]}" 0; else pin_tree "${MAIN_PID[origin]}" "0-$((NCPU - 1))"; fi
  for c in haproxy1 haproxy2 nginx1 nginx2 duet; do
    [[ -n "${MAIN_PID[$c]:-}" ]] || continue
    if [[ "$c" == duet && -n "$CAND_PID" ]]; then CAND_AFFINITY=$(taskset -p -c "$CAND_PID" | awk -F': ' '{print $2}'); fi
    pin_tree "${MAIN_PID[$c]}" 1
  done
fi

# ---- measurement -----------------------------------------------------------------------------
sys_ticks() { # -> "busy irq+softirq steal total", summed over CPUs (/proc/stat)
  local c u n sy id io irq sirq st _
  read -r c u n sy id io irq sirq st _ </proc/stat
  echo "$((u + n + sy)) $((irq + sirq)) $((st)) $((u + n + sy + id + io + irq + sirq + st))"
}
tm2t() { # "1m2.345s" -> ticks (1/100 s)
  local v=${1%s} m sec i f
  m=${v%%m*}; sec=${v#*m}; i=${sec%%.*}; f=${sec#*.}; f=${f}00; f=${f:0:2}
  echo $(( (10#$m * 60 + 10#$i) * 100 + 10#$f ))
}
child_ticks() { # CPU ticks of the waited-for children of this shell (wrk, samplers)
  local _l u s
  times >"$WORKDIR/run/times"
  { read -r _l; read -r u s; } <"$WORKDIR/run/times"
  echo $(( $(tm2t "$u") + $(tm2t "$s") ))
}
wait_quiet() { # wait until other processes use < QUIET_PCT % of one core (1 s samples), at most QUIET_WAIT s
  local i a b pct=0
  for ((i = 0; i < QUIET_WAIT || i == 0; i++)); do
    read -r -a a <<<"$(sys_ticks)"; sleep 1; read -r -a b <<<"$(sys_ticks)"
    pct=$(( (b[0] - a[0] + b[2] - a[2]) * 100 * NCPU / (b[3] - a[3] > 0 ? b[3] - a[3] : 1) ))
    (( pct < QUIET_PCT )) && return 0
  done
  log "box not quiet (${pct}% of a core busy before the run, waited ${QUIET_WAIT}s); measuring anyway"
}
cpu_ticks() { # pids... -> summed utime+stime (ticks)
  local t=0 p s f
  for p in "$@"; do
    s=$(<"/proc/$p/stat") 2>/dev/null || continue
    s=${s##*) }
    read -r -a f <<<"$s"
    t=$((t + f[11] + f[12]))
  done
  echo "$t"
}
rss_now() { # pids... -> summed VmRSS (KiB)
  local sum=0 p k v _
  for p in "$@"; do
    [[ -r "/proc/$p/status" ]] || continue
    while read -r k v _; do [[ $k == VmRSS: ]] && { sum=$((sum + v)); break; }; done <"/proc/$p/status"
  done
  echo "$sum"
}
rss_sampler() { # outfile pids...  (max summed VmRSS in KiB, every 0.5 s)
  local out=$1 max=0 sum
  shift
  while :; do
    sum=$(rss_now "$@")
    (( sum > max )) && { max=$sum; echo "$max" >"$out"; }
    sleep 0.5
  done
}
parse_wrk() { # file -> "rps p50_ms p99_ms non2xx sock_err requests"
  awk '
    function ms(v,  n, u) { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "ms") return n; if (u == "s") return n * 1000
      if (u == "m") return n * 60000; return n }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non = $NF }
    /Socket errors:/ { gsub(",", ""); err = $4 + $6 + $8 + $10 }
    / requests in / { req = $1 }
    END { printf "%.1f %.3f %.3f %d %d %d\n", rps, p50, p99, non, err, req }' "$1"
}

url_for() { # phase config -> URL (empty when the config has no port for this phase)
  case "$1" in
    h1:*) [[ -n "${HTTP_PORT[$2]:-}" ]] && echo "http://127.0.0.1:${HTTP_PORT[$2]}${1#h1:}" ;;
    tls:*|tlsnew:*) [[ -n "${TLS_PORT[$2]:-}" ]] && echo "https://127.0.0.1:${TLS_PORT[$2]}${1#*:}" ;;
  esac
}

run_one() { # phase config round duration   (round 0 = warm-up, not recorded)
  local phase=$1 c=$2 r=$3 d=$4 url out pids=() origin_pids=() t0=0 t1=0 rss=0 rss_end cpu_us=0
  local s0 s1 c0 c1 o0=0 o1=0 bg=0 steal=0 span wrc res rps p50 p99 non err req
  url=$(url_for "$phase" "$c")
  [[ -n "$url" ]] || return 0
  out="$WORKDIR/out/${phase//[:\/]/_}-$c-r$r.txt"
  read -r -a origin_pids <<<"$(tree_pids "${MAIN_PID[origin]}" | tr '\n' ' ')"
  if [[ "$c" == direct ]]; then
    pids=("${origin_pids[@]}")                       # "direct" reports the origin's own CPU and RSS
  elif [[ -n "${MAIN_PID[$c]:-}" ]]; then
    read -r -a pids <<<"$(tree_pids "${MAIN_PID[$c]}" | tr '\n' ' ')"
  fi
  rm -f "$WORKDIR/run/rss"
  [[ "$c" == direct ]] || o0=$(cpu_ticks "${origin_pids[@]}")
  read -r -a s0 <<<"$(sys_ticks)"; c0=$(child_ticks)
  if ((${#pids[@]})); then
    rss_sampler "$WORKDIR/run/rss" "${pids[@]}" &
    SAMPLER_PID=$!
    t0=$(cpu_ticks "${pids[@]}")
  fi
  # In the background and waited for, so that INT/TERM stop the run at once (cleanup stops wrk too).
  local extra=()
  [[ "$phase" == tlsnew:* ]] && extra=(-H "Connection: close")   # every request a new connection: a full handshake
  timeout -k 5 $((d + 30)) "${WRK_PREFIX[@]}" wrk -t"$THREADS" -c"$CONNS" -d"${d}s" --timeout 5s --latency "${extra[@]}" "$url" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID"
  wrc=$?
  WRK_PID=""
  if ((${#pids[@]})); then
    t1=$(cpu_ticks "${pids[@]}")
    rss_end=$(rss_now "${pids[@]}")
    kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
    rss=$(cat "$WORKDIR/run/rss" 2>/dev/null || echo 0)
    (( rss_end > rss )) && rss=$rss_end
  fi
  [[ "$c" == direct ]] || o1=$(cpu_ticks "${origin_pids[@]}")
  read -r -a s1 <<<"$(sys_ticks)"; c1=$(child_ticks)
  # CPU used during the run by processes that are not ours (not origin, proxy, wrk): % of one core
  span=$(( s1[3] - s0[3] > 0 ? s1[3] - s0[3] : 1 ))
  bg=$(( (s1[0] - s0[0] - (c1 - c0) - (o1 - o0) - (t1 - t0)) * 100 * NCPU / span ))
  (( bg < 0 )) && bg=0
  steal=$(( (s1[2] - s0[2]) * 100 * NCPU / span ))
  res=$(parse_wrk "$out")
  read -r rps p50 p99 non err req <<<"$res"
  if (( wrc != 0 )); then
    log "wrk failed (rc=$wrc) for $c $phase round $r, see $out"
    rps=0 req=0
  fi
  if ((${#pids[@]})) && (( req > 0 )); then
    cpu_us=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$req" 'BEGIN { printf "%.1f", t * 1000000 / hz / n }')
  fi
  (( non > 0 || err > 0 )) && log "WARNING: $c $phase round $r: $non non-2xx, $err socket errors"
  (( r > 0 )) && echo "$phase,$c,$r,$rps,$p50,$p99,$non,$err,$req,$rss,$cpu_us,$bg,$steal,$wrc" >>"$RAW"
  log "$(printf '%-10s %-9s r%d %9s req/s p50 %6s p99 %7s ms rss %6s KiB cpu %5s us/req bg %3s%% steal %2s%%' \
    "$phase" "$([[ $c == duet ]] && echo "$DUET_NAME" || echo "$c")" "$r" "$rps" "$p50" "$p99" "$rss" "$cpu_us" "$bg" "$steal")"
}

PHASES=()
(( TLS_ONLY )) || for p in "${PL[@]}"; do PHASES+=("h1:$p"); done
(( TLS )) && PHASES+=("tls:/small" "tlsnew:/small")

est=$(( ${#PHASES[@]} * ${#CFG[@]} * (REPS * (DURATION + 4) + WARMUP + 3) + 15 ))
[[ -n "${WANT[duet]:-}" ]] && est=$(( est + JVM_WARMUP + 2 ))
[[ -n "$MAX_TIME" ]] || MAX_TIME=$(( 2 * est + 300 ))
# Watchdog: the whole run is bounded; on expiry the main shell gets TERM and cleanup runs.
( trap 'kill "$s" 2>/dev/null; exit 0' TERM; sleep "$MAX_TIME" & s=$!; wait "$s"; log "--max-time ${MAX_TIME}s reached, stopping"; kill -TERM $$ ) &
WATCHDOG_PID=$!
log "pin=$PIN configs=${CFG[*]} phases=${PHASES[*]} reps=$REPS duration=${DURATION}s wrk -t$THREADS -c$CONNS; ~${est}s (limit ${MAX_TIME}s)"

if (( JVM_WARMUP > 0 )) && [[ -n "${WANT[duet]:-}" ]]; then
  log "JVM warm-up: $DUET_NAME ${JVM_WARMUP}s (not recorded)"
  run_one "${PHASES[0]}" duet 0 "$JVM_WARMUP"
  # Handshake code paths are compiled separately: warm them up too before measuring new connections.
  (( TLS )) && run_one "tlsnew:/small" duet 0 "$JVM_WARMUP"
fi
for phase in "${PHASES[@]}"; do
  if (( WARMUP > 0 )); then for c in "${CFG[@]}"; do sleep 1; run_one "$phase" "$c" 0 "$WARMUP"; done; fi
  for ((r = 1; r <= REPS; r++)); do
    for c in "${CFG[@]}"; do wait_quiet; run_one "$phase" "$c" "$r" "$DURATION"; done
  done
done

# ---- summary (markdown) ------------------------------------------------------------------------
VERDICT="$WORKDIR/verdict"
{
  echo "## Duet vs haproxy/nginx: wrk -t$THREADS -c$CONNS -d${DURATION}s, $REPS round(s), pin $PIN ($(date -u +%FT%TZ))"
  echo
  echo "$(nproc) CPUs; $(haproxy -v 2>/dev/null | head -1 | awk '{print "haproxy " $3}'), $(nginx -v 2>&1 | awk -F/ '{print "nginx " $2}'), $(wrk -v 2>&1 | head -1 | awk '{print "wrk " $2}')$(
    (( START_DUET )) && echo ", duet: java ${DUET_JAVA_OPTS[*]}, $(java -version 2>&1 | head -1)")$(
    [[ -n "$CAND_PORT" ]] && echo ", $DUET_NAME: already running on port $CAND_PORT (pid ${CAND_PID:-unknown})")"
  awk -F, -v order="$CONFIGS" -v dname="$DUET_NAME" -v conns="$CONNS" -v verdict="$VERDICT" '
    function sortv(s, a,  n, i, j, t) { n = split(s, a, " ")
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n }
    function med(s,  a, n) { n = sortv(s, a); if (n == 0) return -1; return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    function mn(s,  a, n) { n = sortv(s, a); return n ? a[1] : -1 }
    function mx(s,  a, n) { n = sortv(s, a); return n ? a[n] : -1 }
    function label(c) { return c == "duet" ? dname : c }
    function paired(P, c, ref, col,  r, a, b, s) { s = ""   # per-round ratios c/ref of column col
      for (r = 1; r <= nr; r++) { a = val[P SUBSEP c SUBSEP r SUBSEP col]; b = val[P SUBSEP ref SUBSEP r SUBSEP col]
        if (a > 0 && b > 0) s = s " " a / b }
      return s }
    function fmtp(s) { return s == "" ? "-" : sprintf("%.2f [%.2f-%.2f]", med(s), mn(s), mx(s)) }
    NR == 1 { next }
    { P = $1; c = $2; k = P SUBSEP c; seen[k] = 1
      if (!(P in ph)) { ph[P] = 1; phs[++np] = P }
      if ($14 + 0 != 0) { failed[k]++; failed_c[c]++ }
      else { rps[k] = rps[k] " " $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $6; if ($11 + 0 > 0) cpu[k] = cpu[k] " " $11
             val[k SUBSEP $3 SUBSEP "rps"] = $4; val[k SUBSEP $3 SUBSEP "cpu"] = $11 }
      if ($10 + 0 > rss[k] + 0) rss[k] = $10; if ($10 + 0 > rss_c[c] + 0) rss_c[c] = $10
      errs[k] += $7 + $8; errs_c[c] += $7 + $8; if ($12 + 0 > bgx[k] + 0) bgx[k] = $12
      if ($3 + 0 > nr) nr = $3 + 0 }
    END {
      nc = split(order, cf, ",")
      for (i = 1; i <= np; i++) {
        P = phs[i]; split(P, pp, ":")
        how = pp[1] == "tls" ? "TLS keep-alive" : pp[1] == "tlsnew" ? "TLS, a new connection and full handshake per request" : "HTTP/1.1 keep-alive"
        printf "\n### %s %s (%s)\n\n", pp[1], pp[2], how
        print "| config | req/s (median) | spread | p50 ms | p99 ms | CPU us/req | RSS MiB | errors | max bg% |"
        print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for (j = 1; j <= nc; j++) {
          c = cf[j]; k = P SUBSEP c; if (!(k in seen)) continue
          m = med(rps[k]); sp = (m > 0) ? sprintf("%.0f%%", 100 * (mx(rps[k]) - mn(rps[k])) / m) : "-"
          cu = med(cpu[k]); e = errs[k] + 0; if (failed[k]) e = e " (+" failed[k] " failed runs)"
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", label(c) (c == "direct" ? " (origin)" : ""),
            (m >= 0 ? sprintf("%.0f", m) : "-"), sp, (m >= 0 ? sprintf("%.2f", med(p50[k])) : "-"), (m >= 0 ? sprintf("%.2f", med(p99[k])) : "-"),
            (cu > 0 ? sprintf("%.1f", cu) : "-"), (rss[k] > 0 ? sprintf("%.1f", rss[k] / 1024) : "-"), e, bgx[k]
        }
        if (!((P SUBSEP "duet") in seen)) continue
        print ""
        print "| same-round ratio, median [min-max] | req/s | CPU us/req |"
        print "|---|---:|---:|"
        for (j = 1; j <= nc; j++) {
          ref = cf[j]; if (ref == "duet" || !((P SUBSEP ref) in seen)) continue
          printf "| %s / %s | %s | %s |\n", dname, ref, fmtp(paired(P, "duet", ref, "rps")), (ref == "direct" ? "-" : fmtp(paired(P, "duet", ref, "cpu")))
        }
      }
      # first targets (issue): 100 B over keep-alive at 50 connections
      P = "h1:/small"; print ""
      printf "### First targets (h1 /small keep-alive, %d connections%s)\n\n", conns, (conns == 50 ? "" : "; defined at 50")
      print "| target | measured | result |"
      print "|---|---:|---|"
      fails = 0
      if (!((P SUBSEP "duet") in seen)) { print "| (needs duet and /small in the run) | - | n/a |" }
      else {
        s = ((P SUBSEP "haproxy1") in seen) ? paired(P, "duet", "haproxy1", "rps") : ""
        if (s == "") print "| " dname " >= 0.85x haproxy1 req/s (paired median) | - | n/a (needs haproxy1) |"
        else { v = med(s); ok = v >= 0.85; fails += !ok; printf "| %s >= 0.85x haproxy1 req/s (paired median) | %.2fx | %s |\n", dname, v, ok ? "PASS" : "FAIL" }
        s = ((P SUBSEP "haproxy1") in seen) ? paired(P, "duet", "haproxy1", "cpu") : ""
        if (s == "") print "| CPU/request <= 1.3x haproxy1 (paired median) | - | n/a (needs haproxy1 and the proxy pid) |"
        else { v = med(s); ok = v <= 1.3; fails += !ok; printf "| CPU/request <= 1.3x haproxy1 (paired median) | %.2fx | %s |\n", v, ok ? "PASS" : "FAIL" }
        if (rss_c["duet"] + 0 <= 0) print "| RSS under load <= 150 MiB (max over all runs) | - | n/a (no pid) |"
        else { v = rss_c["duet"] / 1024; ok = v <= 150; fails += !ok; printf "| RSS under load <= 150 MiB (max over all runs) | %.1f MiB | %s |\n", v, ok ? "PASS" : "FAIL" }
        e = errs_c["duet"] + 0; f = failed_c["duet"] + 0; ok = (e == 0 && f == 0); fails += !ok
        printf "| zero errors at %d connections (all runs) | %d%s | %s |\n", conns, e, (f ? sprintf(" + %d failed runs", f) : ""), ok ? "PASS" : "FAIL"
      }
      print fails > verdict
    }' "$RAW"
  echo
  echo "req/s: median over rounds; spread: (max-min)/median; p50/p99: medians of wrk --latency; CPU us/req: the"
  echo "proxy's own utime+stime per request, median (direct: the origin's); RSS: max under load over the process"
  echo "tree; errors: non-2xx + socket errors (wrk); max bg%: CPU of other processes during a run (a high value"
  echo "means a disturbed run). Same-round ratios are the figures to track; under 15% (req/s) or 10% (CPU) is noise."
  echo "Raw figures: $RAW"
} | tee "$WORKDIR/summary.md"

fails=$(cat "$VERDICT" 2>/dev/null || echo 0)
if (( STRICT )) && (( fails > 0 )); then exit 3; fi
exit 0
