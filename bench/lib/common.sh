# shellcheck shell=bash
# common.sh (sourced by compare.sh): messages, ports, the process registry and the cleanup trap, /proc sampling.

die() { echo "compare.sh: ERROR: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
isnum() { [[ "$1" =~ ^[0-9]+$ ]]; }

# ---- processes we started, and the trap that stops them ------------------------------------------
STARTED=()         # PIDs we started, each the root of its own small tree
SAMPLER_PID="" WATCHDOG_PID="" LOAD_PID="" CAND_AFFINITY="" CAND_PID=""
tree_pids() { echo "$1"; pgrep -P "$1" 2>/dev/null || true; }   # nginx master -> workers
started() { STARTED+=("$1"); }
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  local rc=$? p i alive
  trap - EXIT INT TERM
  [[ -n "$WATCHDOG_PID" ]] && kill "$WATCHDOG_PID" 2>/dev/null
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
  [[ -n "$LOAD_PID" ]] && kill -TERM "$LOAD_PID" 2>/dev/null
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
  log "stopped ${#STARTED[@]} process(es) we started; work dir: ${WORKDIR:-}"
  exit "$rc"
}
install_trap() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
# start_watchdog SECONDS: the whole run is bounded; on expiry the main shell gets TERM and cleanup runs.
start_watchdog() {
  ( trap 'kill "$s" 2>/dev/null; exit 0' TERM; sleep "$1" & s=$!; wait "$s"; log "--max-time ${1}s reached, stopping"
    kill -TERM $$ ) &
  WATCHDOG_PID=$!
}

# ---- ports -------------------------------------------------------------------------------------
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

# ---- /proc sampling ----------------------------------------------------------------------------
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
wait_quiet() { # wait until other processes use < QUIET_PCT % of one core (1 s samples), at most QUIET_WAIT s
  local i a b pct=0
  for ((i = 0; i < QUIET_WAIT || i == 0; i++)); do
    read -r -a a <<<"$(sys_ticks)"; sleep 1; read -r -a b <<<"$(sys_ticks)"
    pct=$(( (b[0] - a[0] + b[2] - a[2]) * 100 * NCPU / (b[3] - a[3] > 0 ? b[3] - a[3] : 1) ))
    (( pct < QUIET_PCT )) && return 0
  done
  log "box not quiet (${pct}% of a core busy before the run, waited ${QUIET_WAIT}s); measuring anyway"
}
