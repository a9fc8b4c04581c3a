#!/usr/bin/env bash
# compare.sh - Duet against haproxy and nginx (Debian packages) on loopback, measured with wrk and h2load.
#
# Starts an nginx origin (1 worker; 127.0.0.1:9001 and :9002, /small = 100 B, /16k = 16384 B), the reference
# proxies (haproxy 1/2 threads, nginx 1/2 workers; each a 2-server round-robin pool with HTTP/1.1 keep-alive to
# the origin) and Duet as the RPM's unit starts it: the launcher rpm/src/main/rpm/duet with the shipped JVM options
# (rpm/src/main/rpm/jvm.options) and the unit's environment (Environment=, LimitNOFILE, UMask), the jar
# appliance/target/duet.jar, a generated configuration document. Every proxy runs with its access log on and off
# (--logs). Then it loads every config in interleaved rounds (A B C D, A B C D, ...), holds idle connections to each,
# and writes WORKDIR/results.md: one table per phase (median req/s, p50/p99, proxy CPU us per request, RSS, errors,
# same-round ratios to haproxy and nginx) and the targets of issue 18. bench/readme-section.sh WORKDIR puts those
# tables into README.md. Everything it started is stopped on exit (trap); it listens and connects on 127.0.0.1 only.
#
# Usage: bench/compare.sh [options]          (see bench/README.md)
#
# Options:
#   --configs LIST       configs, in this order, comma separated, from direct,haproxy1,haproxy2,nginx1,nginx2,
#                        duet,duet2 (default direct,haproxy1,nginx1,duet). haproxy2, nginx2 and duet2 (Duet with
#                        io.threads 2) are two-core configs: unpinned, and their load generator unpinned too
#   --two-cores          add haproxy2,nginx2,duet2 (the two-core phase: the same phases, a table of their own)
#   --logs LIST          access-log settings, on,off (default both: every proxy config runs as two processes)
#   --paths LIST         paths measured over plain HTTP/1.1 keep-alive (default /small,/16k)
#   --tls                add the TLS phases on /small: "tls" (wrk, keep-alive over TLS), "tlsnew" (wrk with
#                        Connection: close: a new connection and a full handshake per request, no resumption) and
#                        "h2" (h2load, HTTP/2 by ALPN, --h2-streams streams per connection); every proxy gets the
#                        same certificate on its own port (TLS port = HTTP port + 100)
#   --tls-only           only the TLS phases (and the idle phase unless --idle-conns 0)
#   --tls-key TYPE       ec (default: ECDSA P-256, what Duet issues) or rsa (RSA 2048)
#   --duet-tls-engine E  jsse (default) or openssl (Duet's listener engine; ec or rsa keys)
#   --h2-conns N         h2load connections (default 10)
#   --h2-streams N       h2load streams per connection, -m (default 100)
#   --idle-conns N       idle keep-alive connections held to each proxy config after the load phases, RSS read
#                        before and while held (default 10000; 0: no idle phase). Needs an open-files hard
#                        limit above 2N + 500 (haproxy holds two per connection); the script raises the
#                        limit to the unit's LimitNOFILE where it may and refuses an N it cannot hold
#   --idle-hold S        how long they are held (default 5)
#   --duration S         seconds per measured run (default 10)
#   --warmup S           one unrecorded run per config before each phase (default 5)
#   --jvm-warmup S       unrecorded load on each Duet before the first phase (default 30); a cold JVM runs at
#                        a fifth of its speed for the first minute
#   --reps N             measured rounds (default 3; use 5 for decisions)
#   --threads T          wrk and h2load threads (default 2)
#   --conns C            wrk connections (default 50; the targets are defined at 50)
#   --pin MODE           split (default): the load generator on cpu0, one-core proxies (Duet too) on cpu1,
#                        origin unpinned; split-b0: origin on cpu0 too; none: nothing pinned.
#                        Two-core configs are never pinned.
#   Duet:
#   --jar FILE           Duet fat jar (default <repo>/appliance/target/duet.jar)
#   --build              build the jar first (./mvnw -B -q package -DskipTests -pl appliance -am; also done if
#                        it is missing)
#   --java-opts "OPTS"   JVM options replacing the shipped rpm/src/main/rpm/jvm.options (DUET_JAVA_OPTS, as an
#                        admin's /etc/sysconfig/duet would); for experiments, printed in the results' header
#   --duet-port N        Duet's listener (default 8031; duet2 N+1; log-on variants +200; TLS +100)
#   --lean-forwarding    turn off Duet's X-Forwarded-*/Forwarded/X-Real-IP/X-Request-Id headers
#                        (the references add none; default: Duet's defaults, i.e. it does more work)
#   --candidate-port N   do not start Duet: measure a proxy already listening on 127.0.0.1:N whose pool is
#                        127.0.0.1:9001 + :9002 (pinned during the run, restored after); needs a single --logs
#                        value saying how it logs, and no duet2
#   --candidate-pid PID  its process (default: the owner of the port, from ss)
#   --candidate-name S   its label in the tables (default duet)
#   Run:
#   --workdir DIR        default /tmp/duet-bench/compare-<time>; results.md, raw.csv, idle.csv, logs, configs
#   --quiet-wait S       before each run wait up to S s (default 8) until other processes use
#   --quiet-pct P        less than P% of one core (default 25); the box may be shared
#   --max-time S         stop the whole run after S s (default: twice the estimate plus 5 min)
#   --strict             exit 3 when a target FAILs (default: exit 0, the verdict is printed)
#   --install            apt-get install the missing tools first (root only)
#   -h, --help
#
# Needs: wrk haproxy nginx curl ss taskset timeout awk pgrep python3 (log receiver, idle connections), java 17
# and sh for Duet, openssl and h2load (Debian nghttp2-client) for --tls.
#   Debian: apt-get install -y wrk haproxy nginx curl python3 nghttp2-client
# Fixed ports that must be free: 9001 9002, the proxies' (8001 8002 8011 8012 8031 8032, +200 with the log on,
# +100 for TLS), Duet's management (8096-8099) and admin (8086-8089) listeners.

set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
for f in common refs duet load idle report; do
  # shellcheck source=/dev/null
  source "$SCRIPT_DIR/lib/$f.sh" || { echo "compare.sh: cannot read $SCRIPT_DIR/lib/$f.sh" >&2; exit 1; }
done

CONFIGS="direct,haproxy1,nginx1,duet" LOGS="on,off" PATHS="/small,/16k" TWO_CORES=0
DURATION=10 WARMUP=5 JVM_WARMUP=30 REPS=3 THREADS=2 CONNS=50 PIN=split H2_CONNS=10 H2_STREAMS=100
IDLE_CONNS=10000 IDLE_HOLD=5
QUIET_WAIT=8 QUIET_PCT=25 MAX_TIME="" STRICT=0 INSTALL=0
JAR="$REPO_DIR/appliance/target/duet.jar" BUILD=0 JAVA_OPTS_SET=0 JAVA_OPTS_OVERRIDE=""
DUET_PORT=8031 LEAN_FORWARDING=0 TLS=0 TLS_ONLY=0 TLS_KEY=ec DUET_TLS_ENGINE=jsse
CAND_PORT="" DUET_NAME=duet
WORKDIR="/tmp/duet-bench/compare-$(date +%Y%m%d-%H%M%S)"

need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --configs) need_arg "$@"; CONFIGS=$2; shift 2 ;;
    --two-cores) TWO_CORES=1; shift ;;
    --logs) need_arg "$@"; LOGS=$2; shift 2 ;;
    --paths) need_arg "$@"; PATHS=$2; shift 2 ;;
    --duration) need_arg "$@"; DURATION=$2; shift 2 ;;
    --warmup) need_arg "$@"; WARMUP=$2; shift 2 ;;
    --jvm-warmup) need_arg "$@"; JVM_WARMUP=$2; shift 2 ;;
    --reps) need_arg "$@"; REPS=$2; shift 2 ;;
    --threads) need_arg "$@"; THREADS=$2; shift 2 ;;
    --conns) need_arg "$@"; CONNS=$2; shift 2 ;;
    --pin) need_arg "$@"; PIN=$2; shift 2 ;;
    --h2-conns) need_arg "$@"; H2_CONNS=$2; shift 2 ;;
    --h2-streams) need_arg "$@"; H2_STREAMS=$2; shift 2 ;;
    --idle-conns) need_arg "$@"; IDLE_CONNS=$2; shift 2 ;;
    --idle-hold) need_arg "$@"; IDLE_HOLD=$2; shift 2 ;;
    --jar) need_arg "$@"; JAR=$2; shift 2 ;;
    --build) BUILD=1; shift ;;
    --java-opts) need_arg "$@"; JAVA_OPTS_OVERRIDE=$2; JAVA_OPTS_SET=1; shift 2 ;;
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
    # --xmx is gone: the heap comes from the shipped options file (--java-opts for experiments)
    --xmx) die "--xmx was removed: Duet runs with rpm/src/main/rpm/jvm.options; use --java-opts for experiments" ;;
    -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# ---- checks of the options ---------------------------------------------------------------------
for v in DURATION WARMUP JVM_WARMUP REPS THREADS CONNS QUIET_WAIT QUIET_PCT DUET_PORT H2_CONNS H2_STREAMS \
  IDLE_CONNS IDLE_HOLD; do
  isnum "${!v}" || die "${v,,} must be a whole number (got '${!v}')"
done
[[ -z "$MAX_TIME" ]] || isnum "$MAX_TIME" || die "--max-time must be a whole number of seconds"
[[ -z "$CAND_PORT" ]] || isnum "$CAND_PORT" || die "--candidate-port must be a number"
[[ -z "$CAND_PID" ]] || isnum "$CAND_PID" || die "--candidate-pid must be a number"
(( DURATION >= 1 && DURATION <= 120 )) || die "--duration must be 1..120 s"
(( REPS >= 1 && REPS <= 20 )) || die "--reps must be 1..20"
(( JVM_WARMUP <= 600 && WARMUP <= 120 )) || die "--jvm-warmup must be <= 600 s and --warmup <= 120 s"
(( THREADS >= 1 && CONNS >= THREADS && H2_CONNS >= THREADS )) || die "--conns and --h2-conns must be >= --threads >= 1"
(( IDLE_CONNS <= 100000 && IDLE_HOLD >= 1 && IDLE_HOLD <= 60 )) || die "--idle-conns must be <= 100000, --idle-hold 1..60 s"
(( DUET_PORT >= 1024 && DUET_PORT <= 65000 )) || die "--duet-port must be 1024..65000"
case "$PIN" in none|split|split-b0) ;; *) die "--pin must be split, split-b0 or none" ;; esac
[[ "$TLS_KEY" == ec || "$TLS_KEY" == rsa ]] || die "--tls-key: ec or rsa"
[[ "$DUET_TLS_ENGINE" == jsse || "$DUET_TLS_ENGINE" == openssl ]] || die "--duet-tls-engine: jsse or openssl"

# ---- configs: base x access-log setting ----------------------------------------------------------
(( TWO_CORES )) && CONFIGS="$CONFIGS,haproxy2,nginx2,duet2"
declare -A BASE=() LOGMODE=() GROUP=() HTTP_PORT=() TLS_PORT=() DUET_MGMT=() DUET_ADMIN=() MAIN_PID=() WANT=()
IFS=',' read -r -a BASES <<<"$CONFIGS"
IFS=',' read -r -a LOGL <<<"$LOGS"
((${#BASES[@]})) || die "--configs is empty"
((${#LOGL[@]})) || die "--logs is empty"
for l in "${LOGL[@]}"; do [[ "$l" == on || "$l" == off ]] || die "--logs: on, off or on,off (got '$l')"; done
[[ "${LOGL[*]}" == "on on" || "${LOGL[*]}" == "off off" ]] && die "--logs lists '${LOGL[0]}' twice"
declare -A PORT0=([haproxy1]=8001 [haproxy2]=8002 [nginx1]=8011 [nginx2]=8012 [duet]=$DUET_PORT [duet2]=$((DUET_PORT + 1)))
declare -A MGMT0=([duet_off]=8098 [duet_on]=8099 [duet2_off]=8096 [duet2_on]=8097)
CFG=()
for b in "${BASES[@]}"; do
  [[ -n "${WANT[$b]:-}" ]] && continue                 # --two-cores may repeat one already listed
  case "$b" in direct|haproxy1|haproxy2|nginx1|nginx2|duet|duet2) ;;
    *) die "unknown config '$b' (have direct,haproxy1,haproxy2,nginx1,nginx2,duet,duet2)" ;; esac
  WANT[$b]=1
  if [[ "$b" == direct ]]; then
    CFG+=(direct); BASE[direct]=direct LOGMODE[direct]=- GROUP[direct]=1 HTTP_PORT[direct]=9001
    continue
  fi
  for l in "${LOGL[@]}"; do
    k="${b}_$l"
    CFG+=("$k"); BASE[$k]=$b LOGMODE[$k]=$l
    GROUP[$k]=1; [[ "$b" == *2 ]] && GROUP[$k]=2
    HTTP_PORT[$k]=${PORT0[$b]}
    [[ "$l" == on ]] && HTTP_PORT[$k]=$(( PORT0[$b] + 200 ))
    (( TLS )) && TLS_PORT[$k]=$(( HTTP_PORT[$k] + 100 ))
    if [[ "$b" == duet* ]]; then DUET_MGMT[$k]=${MGMT0[$k]}; DUET_ADMIN[$k]=$(( MGMT0[$k] - 10 )); fi
  done
done
START_DUET=0
if [[ -n "$CAND_PORT" ]]; then
  [[ -n "${WANT[duet]:-}" ]] || die "--candidate-port given but 'duet' is not in --configs"
  [[ -z "${WANT[duet2]:-}" ]] || die "--candidate-port measures one process: leave duet2 out"
  ((${#LOGL[@]} == 1)) || die "--candidate-port needs a single --logs value: how the candidate logs"
  HTTP_PORT[duet_${LOGL[0]}]=$CAND_PORT
  unset "TLS_PORT[duet_${LOGL[0]}]"
elif [[ -n "${WANT[duet]:-}${WANT[duet2]:-}" ]]; then
  START_DUET=1
fi
label() { # key -> its name in the tables
  case "$1" in
    direct) echo "direct (origin)" ;;
    duet_*) echo "$DUET_NAME log ${LOGMODE[$1]}" ;;
    *) echo "${BASE[$1]} log ${LOGMODE[$1]}" ;;
  esac
}
declare -A SIZE=([/small]=100 [/16k]=16384)
IFS=',' read -r -a PL <<<"$PATHS"
((${#PL[@]})) || die "--paths is empty"
for p in "${PL[@]}"; do [[ -n "${SIZE[$p]:-}" ]] || die "unknown path '$p' (have /small, /16k)"; done

# ---- tools -------------------------------------------------------------------------------------
TOOLS=(wrk haproxy nginx curl ss taskset timeout awk pgrep python3)
(( TLS )) && TOOLS+=(openssl h2load)
(( START_DUET )) && TOOLS+=(java sh)
missing_tools() { local t; for t in "${TOOLS[@]}"; do command -v "$t" >/dev/null 2>&1 || echo "$t"; done; }
mapfile -t missing < <(missing_tools)
if ((${#missing[@]})) && (( INSTALL )); then
  (( EUID == 0 )) || die "--install needs root (missing: ${missing[*]})"
  pkgs="wrk haproxy nginx curl iproute2 util-linux procps python3 openssl nghttp2-client"
  log "installing $pkgs"
  timeout 900 apt-get update -q >/dev/null || die "apt-get update failed"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q $pkgs >/dev/null || die "apt-get install failed"
  mapfile -t missing < <(missing_tools)
fi
((${#missing[@]})) && die "missing: ${missing[*]}. Debian: apt-get install -y wrk haproxy nginx curl python3 openssl nghttp2-client (or rerun as root with --install); Duet needs java 17"
NCPU=$(nproc)
[[ "$PIN" == none ]] || (( NCPU >= 2 )) || die "--pin $PIN needs 2 CPUs; use --pin none"
CLK_TCK=$(getconf CLK_TCK)

# ---- the Duet jar ------------------------------------------------------------------------------
mkdir -p "$WORKDIR"/{www,logs,run,tmp,out} || die "cannot create $WORKDIR"
if (( START_DUET )) && [[ "$JAR" != "$REPO_DIR/appliance/target/duet.jar" ]]; then
  [[ -f "$JAR" ]] || die "jar $JAR not found"
  JAR=$(realpath "$JAR")
  (( BUILD )) && log "--build ignored: --jar names a jar this repository does not build"
elif (( START_DUET )) && { (( BUILD )) || [[ ! -f "$JAR" ]]; }; then
  log "building Duet (./mvnw -B -q package -DskipTests -pl appliance -am), at most 15 min"
  (cd "$REPO_DIR" && timeout -k 10 900 ./mvnw -B -q package -DskipTests -pl appliance -am) >"$WORKDIR/logs/build.log" 2>&1 \
    || die "build failed, see $WORKDIR/logs/build.log"
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi

RAW="$WORKDIR/raw.csv" IDLE_CSV="$WORKDIR/idle.csv"
echo "phase,config,group,log,round,rps,p50_ms,p99_ms,non2xx,errors,requests,rss_kib,cpu_us_per_req,bg_pct,steal_pct,rc" >"$RAW"
echo "config,group,log,ok,failed,held,rss_before_kib,rss_after_kib" >"$IDLE_CSV"

# ---- phases and the time limit -------------------------------------------------------------------
PHASES=()
(( TLS_ONLY )) || for p in "${PL[@]}"; do PHASES+=("h1:$p"); done
(( TLS )) && PHASES+=("tls:/small" "tlsnew:/small" "h2:/small")
est=$(( ${#PHASES[@]} * ${#CFG[@]} * (REPS * (DURATION + 4) + WARMUP + 3) + 30 ))
(( IDLE_CONNS > 0 )) && est=$(( est + ${#CFG[@]} * (IDLE_HOLD + 25) ))
(( START_DUET )) && est=$(( est + ${#CFG[@]} * (JVM_WARMUP * (TLS ? 2 : 1) + 2) / 2 ))
[[ -n "$MAX_TIME" ]] || MAX_TIME=$(( 2 * est + 300 ))

install_trap
start_watchdog "$MAX_TIME"

# ---- the unit's open-files limit for everything we start (LimitNOFILE); the idle phase needs it ---
(( START_DUET )) && duet_prepare
want_nofile=${UNIT_NOFILE:-1048576}
ulimit -Hn "$want_nofile" 2>/dev/null; ulimit -n "$want_nofile" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)
# haproxy reserves two descriptors per connection (client and server side) and refuses a maxconn it cannot hold
max_idle=$(( (NOFILE - 100) / 2 - 200 ))
(( IDLE_CONNS <= max_idle )) || die "the open-files limit here is $NOFILE (the unit's LimitNOFILE=${UNIT_NOFILE:-?} could not be set): \
it allows at most --idle-conns $max_idle (haproxy needs two per connection); raise the hard limit (ulimit -Hn, as root) or pass --idle-conns $max_idle"

# ---- ports -------------------------------------------------------------------------------------
ours=(9001 9002)
for c in "${CFG[@]}"; do
  [[ "$c" == direct || ( -n "$CAND_PORT" && "${BASE[$c]}" == duet ) ]] && continue
  ours+=("${HTTP_PORT[$c]}")
  [[ -n "${TLS_PORT[$c]:-}" ]] && ours+=("${TLS_PORT[$c]}")
  [[ -n "${DUET_MGMT[$c]:-}" ]] && ours+=("${DUET_MGMT[$c]}" "${DUET_ADMIN[$c]}")
done
for p in "${ours[@]}"; do port_busy "$p" && die "port $p is already in use (a previous run still alive?)"; done
if [[ -n "$CAND_PORT" ]]; then port_busy "$CAND_PORT" || die "nothing listens on candidate port $CAND_PORT"; fi

# ---- start everything ----------------------------------------------------------------------------
(( TLS )) && make_certificate
start_origin
for c in "${CFG[@]}"; do
  case "${BASE[$c]}" in
    haproxy*) start_haproxy "$c" ;;
    nginx*) start_nginx_proxy "$c" ;;
    duet*) [[ -z "$CAND_PORT" ]] && start_duet "$c" ;;
  esac
done
(( START_DUET )) && log "Duet: $(duet_command | sed "s|$WORKDIR|WORKDIR|g"); unit env: ${UNIT_ENV[*]:-none}; nofile $NOFILE"
(( JAVA_OPTS_SET )) && log "JVM options overridden (--java-opts): $JAVA_OPTS_OVERRIDE"
for c in "${CFG[@]}"; do
  [[ -n "${MAIN_PID[$c]:-}" ]] || continue
  wait_port "${HTTP_PORT[$c]}" 90 "${MAIN_PID[$c]}" \
    || die "$c did not come up on port ${HTTP_PORT[$c]}: $(tail -n 5 "$WORKDIR/logs/$c"*.log 2>/dev/null | tr '\n' ' ')"
  if [[ -n "${TLS_PORT[$c]:-}" ]]; then
    wait_port "${TLS_PORT[$c]}" 60 "${MAIN_PID[$c]}" || die "$c did not come up on TLS port ${TLS_PORT[$c]}"
  fi
done
if [[ -n "$CAND_PORT" ]]; then
  ck="duet_${LOGL[0]}"
  [[ -n "$CAND_PID" ]] || CAND_PID=$(ss -ltnpH "( sport = :$CAND_PORT )" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  if [[ -n "$CAND_PID" ]] && kill -0 "$CAND_PID" 2>/dev/null; then
    MAIN_PID[$ck]=$CAND_PID
  else
    log "WARNING: candidate PID unknown: no RSS/CPU figures and no pinning for it (pass --candidate-pid)"
    CAND_PID=""
  fi
fi

# ---- every target answers 200 with the right size ------------------------------------------------
check_url() { # key url expected_size [curl option]
  local r
  r=$(curl -sk ${4:+"$4"} -o /dev/null -m 5 -w '%{http_code} %{size_download} %{http_version}' "$2") \
    || die "$1: curl $2 failed$([[ -f "$WORKDIR/logs/$1.log" ]] && echo "; log: $(tail -n 5 "$WORKDIR/logs/$1.log" | tr '\n' ' ')")"
  [[ "${r% *}" == "200 $3" ]] || die "$1: $2 answered '$r', expected '200 $3'"
  [[ "${4:-}" != --http2 || "${r##* }" == 2 ]] || die "$1: $2 did not answer over HTTP/2 ('$r')"
}
for c in "${CFG[@]}"; do
  for p in "${PL[@]}"; do check_url "$c" "http://127.0.0.1:${HTTP_PORT[$c]}$p" "${SIZE[$p]}"; done
  if [[ -n "${TLS_PORT[$c]:-}" ]]; then
    check_url "$c" "https://127.0.0.1:${TLS_PORT[$c]}/small" "${SIZE[/small]}"
    check_url "$c" "https://127.0.0.1:${TLS_PORT[$c]}/small" "${SIZE[/small]}" --http2
  fi
done

# ---- pinning -----------------------------------------------------------------------------------
pin_tree() { # pid cpus
  local p
  for p in $(tree_pids "$1"); do taskset -a -p -c "$2" "$p" >/dev/null || die "taskset on $p failed"; done
}
if [[ "$PIN" != none ]]; then
  if [[ "$PIN" == split-b0 ]]; then pin_tree "${MAIN_PID[origin]}" 0; else pin_tree "${MAIN_PID[origin]}" "0-$((NCPU - 1))"; fi
  for c in "${CFG[@]}"; do
    [[ -n "${MAIN_PID[$c]:-}" && "${GROUP[$c]}" == 1 ]] || continue
    if [[ -n "$CAND_PORT" && "${BASE[$c]}" == duet ]]; then CAND_AFFINITY=$(taskset -p -c "$CAND_PID" | awk -F': ' '{print $2}'); fi
    pin_tree "${MAIN_PID[$c]}" 1
  done
fi

# ---- measurement -------------------------------------------------------------------------------
log "pin=$PIN configs=${CFG[*]} phases=${PHASES[*]} idle=$IDLE_CONNS reps=$REPS duration=${DURATION}s; ~${est}s (limit ${MAX_TIME}s)"
if (( JVM_WARMUP > 0 )); then
  for c in "${CFG[@]}"; do
    [[ "${BASE[$c]}" == duet* ]] || continue
    log "JVM warm-up: $(label "$c") ${JVM_WARMUP}s (not recorded)"
    run_one "${PHASES[0]}" "$c" 0 "$JVM_WARMUP"
    # Handshake code paths are compiled separately: warm them up too before measuring new connections.
    (( TLS )) && run_one "tlsnew:/small" "$c" 0 "$JVM_WARMUP"
  done
fi
for phase in "${PHASES[@]}"; do
  if (( WARMUP > 0 )); then for c in "${CFG[@]}"; do sleep 1; run_one "$phase" "$c" 0 "$WARMUP"; done; fi
  for ((r = 1; r <= REPS; r++)); do
    for c in "${CFG[@]}"; do wait_quiet; run_one "$phase" "$c" "$r" "$DURATION"; done
  done
done
if (( IDLE_CONNS > 0 )); then
  log "idle phase: $IDLE_CONNS keep-alive connections held ${IDLE_HOLD}s to each proxy"
  for c in "${CFG[@]}"; do [[ "$c" == direct ]] || idle_one "$c"; done
fi

write_results
fails=$(cat "$WORKDIR/verdict" 2>/dev/null || echo 0)
if (( STRICT )) && (( fails > 0 )); then exit 3; fi
exit 0
