# shellcheck shell=bash
# refs.sh (sourced by compare.sh): the origin (nginx) and the reference proxies haproxy and nginx, each config in
# its access-log variant: "on" (haproxy `log` to a local unix datagram socket read by bench/log-sink.py, `option
# httplog`; nginx `access_log FILE combined buffer=64k flush=1s`) or "off" (no logging at all).
# Uses: WORKDIR, CFG, BASE, LOGMODE, HTTP_PORT, TLS_PORT, MAIN_PID, SCRIPT_DIR; started() from common.sh.

nginx_common() { # name
  cat <<EOF2
daemon off;
master_process on;
pid $WORKDIR/run/$1.pid;
error_log $WORKDIR/logs/$1-error.log warn;
worker_rlimit_nofile $NOFILE;
events { worker_connections $((IDLE_CONNS + 4096)); }
EOF2
}
nginx_http_common() { # name
  cat <<EOF2
  client_body_temp_path $WORKDIR/tmp/$1-body;
  proxy_temp_path $WORKDIR/tmp/$1-proxy;
  fastcgi_temp_path $WORKDIR/tmp/$1-fcgi;
  uwsgi_temp_path $WORKDIR/tmp/$1-uwsgi;
  scgi_temp_path $WORKDIR/tmp/$1-scgi;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  tcp_nodelay on;
EOF2
}
start_nginx() { # name conf
  nginx -t -q -e "$WORKDIR/logs/$1-error.log" -c "$2" -p "$WORKDIR" >/dev/null 2>"$WORKDIR/logs/$1-t.log" \
    || die "nginx config $2 invalid: $(cat "$WORKDIR/logs/$1-t.log")"
  nginx -e "$WORKDIR/logs/$1-error.log" -c "$2" -p "$WORKDIR" >"$WORKDIR/logs/$1.out" 2>&1 &
  MAIN_PID[$1]=$!
  started "$!"
}

start_origin() { # nginx, 1 worker, /small = 100 B and /16k = 16384 B from files, on 9001 and 9002
  head -c 100 /dev/zero | tr '\0' 'a' >"$WORKDIR/www/small"
  head -c 16384 /dev/zero | tr '\0' 'b' >"$WORKDIR/www/16k"
  chmod -R a+rX "$WORKDIR"
  {
    echo "worker_processes 1;"
    nginx_common origin
    echo "http {"
    echo "  access_log off;"
    nginx_http_common origin
    cat <<EOF2
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
EOF2
  } >"$WORKDIR/origin.conf"
  start_nginx origin "$WORKDIR/origin.conf"
  { wait_port 9001 10 "${MAIN_PID[origin]}" && wait_port 9002 10 "${MAIN_PID[origin]}"; } \
    || die "origin nginx did not come up (see $WORKDIR/logs/origin-error.log)"
}

start_nginx_proxy() { # key (nginx1_on, nginx2_off, ...)
  local k=$1 w=${BASE[$1]#nginx} tls=""
  if [[ -n "${TLS_PORT[$k]:-}" ]]; then
    tls=$(printf '    listen 127.0.0.1:%s ssl http2 backlog=4096;\n    ssl_certificate %s;\n    ssl_certificate_key %s;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:%s:10m;\n' \
      "${TLS_PORT[$k]}" "$WORKDIR/tls/cert.pem" "$WORKDIR/tls/key.pem" "$k")
  fi
  {
    echo "worker_processes $w;"
    nginx_common "$k"
    echo "http {"
    if [[ "${LOGMODE[$k]}" == on ]]; then
      echo "  access_log $WORKDIR/logs/$k-access.log combined buffer=64k flush=1s;"
    else
      echo "  access_log off;"
    fi
    nginx_http_common "$k"
    cat <<EOF2
  upstream pool {
    server 127.0.0.1:9001;
    server 127.0.0.1:9002;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${HTTP_PORT[$k]} backlog=4096;
$tls
    location / {
      proxy_pass http://pool;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF2
  } >"$WORKDIR/$k.conf"
  start_nginx "$k" "$WORKDIR/$k.conf"
}

# One receiver for every haproxy with its log on: a unix datagram socket, each datagram a line in a file.
LOG_SOCK="" LOG_SINK_PID=""
start_log_sink() {
  [[ -n "$LOG_SINK_PID" ]] && return 0
  LOG_SOCK="$WORKDIR/run/haproxy-log.sock"
  timeout -k 5 "$MAX_TIME" python3 "$SCRIPT_DIR/log-sink.py" "$LOG_SOCK" "$WORKDIR/logs/haproxy-access.log" \
    >"$WORKDIR/logs/log-sink.log" 2>&1 &
  LOG_SINK_PID=$!
  started "$!"
  local i
  for ((i = 0; i < 50; i++)); do [[ -S "$LOG_SOCK" ]] && return 0; kill -0 "$LOG_SINK_PID" 2>/dev/null || break; sleep 0.1; done
  die "the log receiver did not create $LOG_SOCK: $(cat "$WORKDIR/logs/log-sink.log")"
}

start_haproxy() { # key (haproxy1_on, haproxy2_off, ...)
  local k=$1 t=${BASE[$1]#haproxy} log_global="" log_defaults=""
  if [[ "${LOGMODE[$k]}" == on ]]; then
    start_log_sink
    log_global="  log $LOG_SOCK len 4096 local0 info"
    log_defaults=$'  log global\n  option httplog'
  fi
  cat >"$WORKDIR/$k.cfg" <<EOF2
global
  nbthread $t
  maxconn $(( IDLE_CONNS + 4000 < (NOFILE - 100) / 2 ? IDLE_CONNS + 4000 : (NOFILE - 100) / 2 ))
$log_global
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
$log_defaults
frontend fe
  bind 127.0.0.1:${HTTP_PORT[$k]}
$( [[ -n "${TLS_PORT[$k]:-}" ]] && echo "  bind 127.0.0.1:${TLS_PORT[$k]} ssl crt $WORKDIR/tls/haproxy.pem ssl-min-ver TLSv1.2 alpn h2,http/1.1")
  default_backend pool
backend pool
  balance roundrobin
  server s1 127.0.0.1:9001
  server s2 127.0.0.1:9002
EOF2
  haproxy -c -q -f "$WORKDIR/$k.cfg" >"$WORKDIR/logs/$k-check.log" 2>&1 \
    || die "haproxy config invalid: $(cat "$WORKDIR/logs/$k-check.log")"
  haproxy -db -f "$WORKDIR/$k.cfg" >"$WORKDIR/logs/$k.log" 2>&1 &
  MAIN_PID[$k]=$!
  started "$!"
}

make_certificate() { # --tls: one self-signed certificate for every proxy, ECDSA P-256 or RSA 2048
  local newkey
  mkdir -p "$WORKDIR/tls"
  if [[ "$TLS_KEY" == ec ]]; then newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); else newkey=(-newkey rsa:2048); fi
  openssl req -x509 "${newkey[@]}" -nodes -keyout "$WORKDIR/tls/key.pem" -out "$WORKDIR/tls/cert.pem" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >"$WORKDIR/logs/openssl.log" 2>&1 \
    || die "openssl could not make the test certificate: $(cat "$WORKDIR/logs/openssl.log")"
  cat "$WORKDIR/tls/cert.pem" "$WORKDIR/tls/key.pem" >"$WORKDIR/tls/haproxy.pem"
}
