# shellcheck shell=bash
# idle.sh (sourced by compare.sh): the idle-connections phase. For each proxy config, bench/idle-conns.py opens
# IDLE_CONNS keep-alive client connections (each sent one request and read its answer, then idle); the proxy's RSS
# (process tree) is read before and while they are held; the connections are then closed. One row per config in
# idle.csv: key,group,log,ok,failed,held,rss_before_kib,rss_after_kib.
# Uses: WORKDIR, IDLE_CSV, IDLE_CONNS, IDLE_HOLD, HTTP_PORT, MAIN_PID, GROUP, LOGMODE, SCRIPT_DIR.

idle_one() { # key
  local c=$1 pids=() before after=0 now out ok=0 failed=0 held=0 pid i
  read -r -a pids <<<"$(proxy_pids "$c")"
  ((${#pids[@]})) || { log "idle: no pid for $c, skipped"; return 0; }
  out="$WORKDIR/out/idle-$c.txt"
  sleep 2                                           # let the last load run's connections close
  before=$(rss_now "${pids[@]}")
  : >"$out"
  timeout -k 5 $((IDLE_HOLD + 150)) python3 "$SCRIPT_DIR/idle-conns.py" --port "${HTTP_PORT[$c]}" \
    --conns "$IDLE_CONNS" --hold "$IDLE_HOLD" --timeout $((IDLE_HOLD + 120)) >"$out" 2>&1 &
  LOAD_PID=$!
  pid=$LOAD_PID
  for ((i = 0; i < (IDLE_HOLD + 130) * 10; i++)); do     # until "ready", then sample RSS while they are held
    grep -q '^ready' "$out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q '^ready' "$out"; then
    for ((i = 0; i < IDLE_HOLD * 2 - 1; i++)); do
      sleep 0.5
      now=$(rss_now "${pids[@]}")
      (( now > after )) && after=$now
    done
  fi
  wait "$pid"
  LOAD_PID=""
  read -r _ ok failed <<<"$(grep '^ready' "$out" || echo "ready 0 $IDLE_CONNS")"
  read -r _ held <<<"$(grep '^held' "$out" || echo "held 0")"
  echo "$c,${GROUP[$c]},${LOGMODE[$c]},$ok,$failed,$held,$before,$after" >>"$IDLE_CSV"
  (( failed > 0 )) && log "WARNING: idle $c: $failed of $IDLE_CONNS connections failed ($(grep -v '^ready\|^held' "$out" | tail -1))"
  log "$(printf 'idle %-12s %6s open, %5s failed, %6s still open after %ss; RSS %7s -> %7s KiB' \
    "$(label "$c")" "$ok" "$failed" "$held" "$IDLE_HOLD" "$before" "$after")"
}
