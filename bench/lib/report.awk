# report.awk: raw.csv (and idle.csv) -> the markdown tables of results.md, plus the targets of issue 18.
# Variables: order (keys, comma separated), labels (key=label;...), threads, conns, h2conns, h2streams, reps,
# pin1, pin2 (how the groups were run), idle (idle.csv path), verdict (file for the count of FAILs).
# raw.csv: phase,key,group,log,round,rps,p50,p99,non2xx,err,requests,rss_kib,cpu_us,bg,steal,rc
function sortv(s, a,  n, i, j, t) { n = split(s, a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n }
function med(s,  a, n) { n = sortv(s, a); if (n == 0) return -1; return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function mn(s,  a, n) { n = sortv(s, a); return n ? a[1] : -1 }
function mx(s,  a, n) { n = sortv(s, a); return n ? a[n] : -1 }
function paired(P, c, ref, col,  r, a, b, s) { s = ""     # same-round ratios c/ref of column col
  for (r = 1; r <= nr; r++) { a = val[P SUBSEP c SUBSEP r SUBSEP col]; b = val[P SUBSEP ref SUBSEP r SUBSEP col]
    if (a > 0 && b > 0) s = s " " a / b }
  return s }
function fmtp(s) { if (s == "") return "-"; if (split(s, _t, " ") == 1) return sprintf("%.2f", med(s))
  return sprintf("%.2f [%.2f-%.2f]", med(s), mn(s), mx(s)) }
function ref(c, base) { return (grp[c] == "" || logm[c] == "-") ? "" : base grp[c] "_" logm[c] }
function title(P,  k, p) { k = substr(P, 1, index(P, ":") - 1); p = substr(P, index(P, ":") + 1)
  sz = (p == "/16k") ? "16 KiB" : "100 B"
  if (k == "h1") return "HTTP/1.1 keep-alive, " sz " (wrk -t" threads " -c" conns ")"
  if (k == "tls") return "TLS keep-alive, " sz " (wrk -t" threads " -c" conns ")"
  if (k == "tlsnew") return "TLS, a new connection and a full handshake per request, " sz " (wrk -c" conns " with Connection: close; CPU us/req is the CPU per handshake)"
  if (k == "h2") return "HTTP/2 over TLS, " sz " (h2load -t" threads " -c" h2conns " -m" h2streams "; h2load gives no percentiles: p50 = mean, p99 = max)"
  return P }
function target(name, s, limit, ge,  v, ok) {
  if (s == "") { printf "| %s | - | n/a |\n", name; return }
  v = med(s); ok = ge ? v >= limit : v <= limit; fails += !ok
  printf "| %s | %.2fx | %s |\n", name, v, ok ? "PASS" : "FAIL" }
BEGIN { FS = ","; nk = split(order, keys, ","); n = split(labels, lv, ";")
  for (i = 1; i <= n; i++) { split(lv[i], kv, "="); lab[kv[1]] = kv[2] } }
FNR == 1 { next }
{ P = $1; c = $2; k = P SUBSEP c; seen[k] = 1; grp[c] = $3; logm[c] = $4
  if (!(P in ph)) { ph[P] = 1; phs[++np] = P }
  if ($16 + 0 != 0) { failed[k]++; failed_c[c]++ }
  else { rps[k] = rps[k] " " $6; p50[k] = p50[k] " " $7; p99[k] = p99[k] " " $8; if ($13 + 0 > 0) cpu[k] = cpu[k] " " $13
         val[k SUBSEP $5 SUBSEP "rps"] = $6; val[k SUBSEP $5 SUBSEP "cpu"] = $13; val[k SUBSEP $5 SUBSEP "p99"] = $8 }
  if ($12 + 0 > rss[k] + 0) rss[k] = $12
  if (P ~ /^h1:/ && $12 + 0 > rss_c[c] + 0) rss_c[c] = $12
  errs[k] += $9 + $10; errs_c[c] += $9 + $10; if ($14 + 0 > bgx[k] + 0) bgx[k] = $14
  if ($5 + 0 > nr) nr = $5 + 0 }
END {
  for (i = 1; i <= np; i++) {
    P = phs[i]
    for (g = 1; g <= 2; g++) {
      any = 0; for (j = 1; j <= nk; j++) if ((P SUBSEP keys[j]) in seen && grp[keys[j]] == g) any = 1
      if (!any) continue
      printf "\n### %s: %s\n\n", (g == 1 ? "One core" : "Two cores"), title(P)
      printf "%s\n\n", (g == 1 ? pin1 : pin2)
      print "| config | req/s | spread | p50 ms | p99 ms | CPU us/req | RSS MiB | errors | bg% | req/s vs haproxy | CPU vs haproxy | req/s vs nginx | CPU vs nginx |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (j = 1; j <= nk; j++) {
        c = keys[j]; k = P SUBSEP c; if (!(k in seen) || grp[c] != g) continue
        m = med(rps[k]); sp = (m > 0) ? sprintf("%.0f%%", 100 * (mx(rps[k]) - mn(rps[k])) / m) : "-"
        cu = med(cpu[k]); e = errs[k] + 0; if (failed[k]) e = e " (+" failed[k] " failed runs)"
        rh = ref(c, "haproxy"); rn = ref(c, "nginx")
        rr1 = (rh != "" && rh != c && (P SUBSEP rh) in seen) ? fmtp(paired(P, c, rh, "rps")) : "-"
        rc1 = (rh != "" && rh != c && (P SUBSEP rh) in seen) ? fmtp(paired(P, c, rh, "cpu")) : "-"
        rr2 = (rn != "" && rn != c && (P SUBSEP rn) in seen) ? fmtp(paired(P, c, rn, "rps")) : "-"
        rc2 = (rn != "" && rn != c && (P SUBSEP rn) in seen) ? fmtp(paired(P, c, rn, "cpu")) : "-"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s | %s | %s |\n", lab[c],
          (m >= 0 ? sprintf("%.0f", m) : "-"), sp, (m >= 0 ? sprintf("%.2f", med(p50[k])) : "-"),
          (m >= 0 ? sprintf("%.2f", med(p99[k])) : "-"), (cu > 0 ? sprintf("%.1f", cu) : "-"),
          (rss[k] > 0 ? sprintf("%.1f", rss[k] / 1024) : "-"), e, bgx[k], rr1, rc1, rr2, rc2
      }
      # what the access log costs: log on / log off of the same proxy, same round
      hdr = 0
      for (j = 1; j <= nk; j++) {
        c = keys[j]; if (logm[c] != "on" || grp[c] != g || !((P SUBSEP c) in seen)) continue
        off = c; sub(/_on$/, "_off", off); if (!((P SUBSEP off) in seen)) continue
        if (!hdr) { print ""; print "| access log cost (on / off, same round) | req/s | CPU us/req |"; print "|---|---:|---:|"; hdr = 1 }
        b = lab[c]; sub(/ log on$/, "", b)
        printf "| %s | %s | %s |\n", b, fmtp(paired(P, c, off, "rps")), fmtp(paired(P, c, off, "cpu"))
      }
    }
  }
  # idle connections
  if (idle != "" && (getline line < idle) > 0 && (getline line < idle) > 0) {   # a header and at least one row
    printf "\n### Idle keep-alive connections (each sent one request and read the answer, then held idle)\n\n"
    print "| config | open | failed | still open at the end | RSS before MiB | RSS held MiB | delta MiB | KiB per connection |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|"
    do {
      split(line, f, ","); d = f[8] - f[7]
      printf "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %s |\n", lab[f[1]], f[4], f[5], f[6], f[7] / 1024, f[8] / 1024,
        d / 1024, (f[4] > 0 ? sprintf("%.1f", d / f[4]) : "-")
      idle_delta[f[1]] = d; idle_ok[f[1]] = f[4]
    } while ((getline line < idle) > 0)
  }
  # targets of issue 18 (paired medians)
  print ""; print "### Targets (issue 18; same-round medians)"; print ""
  print "| target | measured | result |"; print "|---|---:|---|"
  fails = 0
  for (j = 1; j <= nk; j++) {
    c = keys[j]; if (c !~ /^duet_/) continue
    for (i = 1; i <= np; i++) {
      P = phs[i]; if (P !~ /^h1:/ || !((P SUBSEP c) in seen)) continue
      rh = ref(c, "haproxy"); if (!((P SUBSEP rh) in seen)) continue
      target(lab[c] " " P ": req/s >= 1.0x haproxy1", paired(P, c, rh, "rps"), 1.0, 1)
      target(lab[c] " " P ": CPU/request <= 1.1x haproxy1", paired(P, c, rh, "cpu"), 1.1, 0)
      target(lab[c] " " P ": p99 <= 1.2x haproxy1", paired(P, c, rh, "p99"), 1.2, 0)
    }
  }
  for (i = 1; i <= np; i++) {
    P = phs[i]; if (P !~ /^h1:/) continue
    if ((P SUBSEP "duet_on") in seen && (P SUBSEP "duet_off") in seen)
      target("duet " P ": access log on/off CPU/request <= 1.1x", paired(P, "duet_on", "duet_off", "cpu"), 1.1, 0)
  }
  for (j = 1; j <= nk; j++) {
    c = keys[j]; if (c !~ /^duet2_/) continue; rh = ref(c, "haproxy")
    if (("h1:/small" SUBSEP c) in seen && ("h1:/small" SUBSEP rh) in seen)
      target(lab[c] " h1:/small: req/s >= 1.0x haproxy2", paired("h1:/small", c, rh, "rps"), 1.0, 1)
  }
  for (j = 1; j <= nk; j++) {
    c = keys[j]; if (c !~ /^duet_/) continue
    if (rss_c[c] > 0) { v = rss_c[c] / 1024; ok = v <= 192; fails += !ok
      printf "| %s: RSS under load <= 192 MiB (max, h1) | %.1f MiB | %s |\n", lab[c], v, ok ? "PASS" : "FAIL" }
    if (c in idle_delta) { v = idle_delta[c] / 1024; ok = v <= 64; fails += !ok
      printf "| %s: %d idle connections add <= 64 MiB | %.1f MiB | %s |\n", lab[c], idle_ok[c], v, ok ? "PASS" : "FAIL" }
    rh = ref(c, "haproxy")
    if (("tls:/small" SUBSEP c) in seen && ("tls:/small" SUBSEP rh) in seen)
      target(lab[c] " TLS keep-alive: req/s >= 1.0x haproxy1", paired("tls:/small", c, rh, "rps"), 1.0, 1)
    if (("tlsnew:/small" SUBSEP c) in seen && ("tlsnew:/small" SUBSEP rh) in seen)
      target(lab[c] " full handshakes: CPU/handshake <= 1.0x haproxy1", paired("tlsnew:/small", c, rh, "cpu"), 1.0, 0)
    e = errs_c[c] + failed_c[c]; ok = (e == 0); fails += !ok
    printf "| %s: zero errors (all runs) | %d | %s |\n", lab[c], e, ok ? "PASS" : "FAIL"
  }
  print fails > verdict
}
