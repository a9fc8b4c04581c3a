# shellcheck shell=bash
# load.sh (sourced by compare.sh): one measured run of one phase against one config with wrk or h2load, the
# proxy's CPU and RSS sampled from /proc meanwhile, one row in raw.csv.
# Phases: h1:/small h1:/16k (wrk, HTTP/1.1 keep-alive), tls:/small (wrk over TLS, keep-alive), tlsnew:/small (wrk
# with Connection: close: a new connection and a full handshake per request), h2:/small (h2load, HTTP/2 over TLS,
# H2_STREAMS streams per connection).
# Uses: WORKDIR, RAW, MAIN_PID, HTTP_PORT, TLS_PORT, GROUP, PIN, THREADS, CONNS, H2_CONNS, H2_STREAMS, NCPU, CLK_TCK.

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
# h2load prints no percentiles: the p50 column gets the mean and the p99 column the max of "time for request".
parse_h2load() { # file -> "rps mean_ms max_ms non2xx errors requests"
  awk '
    function ms(v,  n, u) { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "ms") return n; if (u == "s") return n * 1000; return n }
    /^finished in/ { gsub(",", ""); rps = $4 }
    /^requests:/ { gsub(",", ""); done = $6; ok = $8; err = $10 + $12 + $14 }
    /^status codes:/ { gsub(",", ""); two = $3 }
    /^time for request:/ { mx = ms($5); mean = ms($6) }
    END { printf "%.1f %.3f %.3f %d %d %d\n", rps, mean, mx, ok - two, err, done }' "$1"
}

url_for() { # phase key -> URL (empty when the config has no port for this phase)
  case "$1" in
    h1:*) [[ -n "${HTTP_PORT[$2]:-}" ]] && echo "http://127.0.0.1:${HTTP_PORT[$2]}${1#h1:}" ;;
    tls:*|tlsnew:*|h2:*) [[ -n "${TLS_PORT[$2]:-}" ]] && echo "https://127.0.0.1:${TLS_PORT[$2]}${1#*:}" ;;
  esac
}
proxy_pids() { # key -> the pids whose CPU and RSS count ("direct": the origin's)
  if [[ "$1" == direct ]]; then tree_pids "${MAIN_PID[origin]}" | tr '\n' ' '
  elif [[ -n "${MAIN_PID[$1]:-}" ]]; then tree_pids "${MAIN_PID[$1]}" | tr '\n' ' '; fi
}
load_prefix() { # key -> the load generator's pinning: cpu0 for one-core configs, none for two-core ones
  [[ "$PIN" != none && "${GROUP[$1]}" == 1 ]] && echo "taskset -c 0"
}

run_one() { # phase key round duration   (round 0 = warm-up, not recorded)
  local phase=$1 c=$2 r=$3 d=$4 url out pids=() origin_pids=() t0=0 t1=0 rss=0 rss_end cpu_us=0 prefix=()
  local s0 s1 c0 c1 o0=0 o1=0 bg=0 steal=0 span wrc res rps p50 p99 non err req cmd=()
  url=$(url_for "$phase" "$c")
  [[ -n "$url" ]] || return 0
  out="$WORKDIR/out/${phase//[:\/]/_}-$c-r$r.txt"
  read -r -a origin_pids <<<"$(proxy_pids direct)"
  read -r -a pids <<<"$(proxy_pids "$c")"
  read -r -a prefix <<<"$(load_prefix "$c")"
  case "$phase" in
    h2:*) cmd=(h2load -t"$THREADS" -c"$H2_CONNS" -m"$H2_STREAMS" -D"$d" "$url") ;;
    tlsnew:*) cmd=(wrk -t"$THREADS" -c"$CONNS" -d"${d}s" --timeout 5s --latency -H "Connection: close" "$url") ;;
    *) cmd=(wrk -t"$THREADS" -c"$CONNS" -d"${d}s" --timeout 5s --latency "$url") ;;
  esac
  rm -f "$WORKDIR/run/rss"
  [[ "$c" == direct ]] || o0=$(cpu_ticks "${origin_pids[@]}")
  read -r -a s0 <<<"$(sys_ticks)"; c0=$(child_ticks)
  if ((${#pids[@]})); then
    rss_sampler "$WORKDIR/run/rss" "${pids[@]}" &
    SAMPLER_PID=$!
    t0=$(cpu_ticks "${pids[@]}")
  fi
  # In the background and waited for, so that INT/TERM stop the run at once (cleanup stops the load too).
  timeout -k 5 $((d + 20)) "${prefix[@]}" "${cmd[@]}" >"$out" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID"
  wrc=$?
  LOAD_PID=""
  if ((${#pids[@]})); then
    t1=$(cpu_ticks "${pids[@]}")
    rss_end=$(rss_now "${pids[@]}")
    kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
    rss=$(cat "$WORKDIR/run/rss" 2>/dev/null || echo 0)
    (( rss_end > rss )) && rss=$rss_end
  fi
  [[ "$c" == direct ]] || o1=$(cpu_ticks "${origin_pids[@]}")
  read -r -a s1 <<<"$(sys_ticks)"; c1=$(child_ticks)
  # CPU used during the run by processes that are not ours (not origin, proxy, load generator): % of one core
  span=$(( s1[3] - s0[3] > 0 ? s1[3] - s0[3] : 1 ))
  bg=$(( (s1[0] - s0[0] - (c1 - c0) - (o1 - o0) - (t1 - t0)) * 100 * NCPU / span ))
  (( bg < 0 )) && bg=0
  steal=$(( (s1[2] - s0[2]) * 100 * NCPU / span ))
  if [[ "$phase" == h2:* ]]; then res=$(parse_h2load "$out"); else res=$(parse_wrk "$out"); fi
  read -r rps p50 p99 non err req <<<"$res"
  if (( wrc != 0 )); then
    log "${cmd[0]} failed (rc=$wrc) for $c $phase round $r, see $out"
    rps=0 req=0
  elif (( req == 0 )); then                          # no error counted, but not one answer: a failed run too
    log "${cmd[0]}: not one request completed for $c $phase round $r, see $out"
    wrc=99
  fi
  if ((${#pids[@]})) && (( req > 0 )); then
    cpu_us=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$req" 'BEGIN { printf "%.1f", t * 1000000 / hz / n }')
  fi
  (( non > 0 || err > 0 )) && log "WARNING: $c $phase round $r: $non non-2xx, $err errors"
  (( r > 0 )) && echo "$phase,$c,${GROUP[$c]},${LOGMODE[$c]},$r,$rps,$p50,$p99,$non,$err,$req,$rss,$cpu_us,$bg,$steal,$wrc" >>"$RAW"
  log "$(printf '%-13s %-12s r%d %9s req/s p50 %6s p99 %7s ms rss %7s KiB cpu %6s us/req bg %3s%% steal %2s%%' \
    "$phase" "$(label "$c")" "$r" "$rps" "$p50" "$p99" "$rss" "$cpu_us" "$bg" "$steal")"
}
