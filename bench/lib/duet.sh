# shellcheck shell=bash
# duet.sh (sourced by compare.sh): Duet started as the RPM's unit starts it. The launcher rpm/src/main/rpm/duet with
# DUET_HOME pointing at a directory holding the jar and rpm/src/main/rpm/jvm.options (the shipped options file), the
# environment of rpm/src/main/rpm/duet.service (its Environment= lines, LimitNOFILE, UMask, the data directory as
# working directory), and a configuration document with the access log at the generated document's default (on,
# logs/access.log under the data directory) or off.
# Uses: WORKDIR, REPO_DIR, JAR, CFG, BASE, LOGMODE, HTTP_PORT, TLS_PORT, DUET_MGMT, DUET_ADMIN, PIN,
# JAVA_OPTS_SET, JAVA_OPTS_OVERRIDE, LEAN_FORWARDING, DUET_TLS_ENGINE.

UNIT_FILE="$REPO_DIR/rpm/src/main/rpm/duet.service"
LAUNCHER="$REPO_DIR/rpm/src/main/rpm/duet"
OPTIONS_FILE="$REPO_DIR/rpm/src/main/rpm/jvm.options"
UNIT_ENV=() UNIT_NOFILE="" UNIT_UMASK=""

# What a script can reproduce of the unit without systemd: Environment= assignments, LimitNOFILE, UMask.
# (EnvironmentFile=-/etc/sysconfig/duet ships with only comments; User, capabilities and sandboxing are not
# reproduced: they cost nothing per request.)
read_unit() {
  local line v
  [[ -r "$UNIT_FILE" ]] || die "cannot read the unit $UNIT_FILE"
  while IFS= read -r line; do
    case "$line" in
      Environment=*)
        v=${line#Environment=}
        v=${v%"${v##*[![:space:]]}"}                 # trailing blanks
        if [[ "$v" == \"*\" ]]; then UNIT_ENV+=("${v:1:${#v}-2}"); else read -r -a v <<<"$v"; UNIT_ENV+=("${v[@]}"); fi ;;
      LimitNOFILE=*) UNIT_NOFILE=${line#LimitNOFILE=}; UNIT_NOFILE=${UNIT_NOFILE##*:}   # soft:hard -> hard
        [[ "$UNIT_NOFILE" == infinity ]] && UNIT_NOFILE=1048576 ;;
      UMask=*) UNIT_UMASK=${line#UMask=} ;;
    esac
  done <"$UNIT_FILE"
}

duet_home() { # the launcher's DUET_HOME: the jar under test and the shipped options file
  mkdir -p "$WORKDIR/duet-home"
  ln -sf "$JAR" "$WORKDIR/duet-home/duet.jar"
  ln -sf "$OPTIONS_FILE" "$WORKDIR/duet-home/jvm.options"
  echo "$WORKDIR/duet-home"
}

json_text() { # file -> its content as a JSON string (quotes included)
  awk 'BEGIN { printf "\"" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "%s\\n", $0 } END { printf "\"" }' "$1"
}
# The configuration document (config/src/main/java/io/duet/config/*.java): one plain listener (and an https one
# with --tls, HTTP/2 offered by ALPN as by default), one default virtual host whose only route forwards everything to
# a 2-server round-robin pool. Access log: "on" leaves the document's default (enabled, combined, logs/access.log).
write_duet_config() { # key file
  local k=$1 fwd="" tls_listener="" tls_cert="" access=""
  if [[ -n "${TLS_PORT[$k]:-}" ]]; then
    tls_listener=",
    { \"name\": \"bench-tls\", \"address\": \"127.0.0.1\", \"port\": ${TLS_PORT[$k]}, \"protocol\": \"https\",
      \"tls\": { \"certificates\": [ \"bench\" ], \"engine\": \"$DUET_TLS_ENGINE\" } }"
    tls_cert="
  \"certificates\": [ { \"name\": \"bench\", \"certificateChain\": $(json_text "$WORKDIR/tls/cert.pem"),
                      \"privateKey\": $(json_text "$WORKDIR/tls/key.pem") } ],"
  fi
  (( LEAN_FORWARDING )) && fwd='
  "forwarding": { "requestIdHeader": "", "xForwarded": false, "forwarded": false, "xRealIp": false, "via": false },'
  [[ "${LOGMODE[$k]}" == off ]] && access='
  "accessLog": { "enabled": false },'
  cat >"$2" <<EOF2
{
  "revision": 1,
  "listeners": [ { "name": "bench", "address": "127.0.0.1", "port": ${HTTP_PORT[$k]}, "protocol": "http" }$tls_listener ],$fwd$tls_cert$access
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
EOF2
}
# The node bootstrap (keys: appliance/src/main/java/io/duet/appliance/bootstrap/BootstrapKey.java): the document
# above, the data directory in the work directory, the management and admin listeners on loopback at ports this
# script checked are free. I/O threads are a bootstrap key, not part of the document: 0 (the shipped default, one
# per core: 1 when pinned to one core) for duet, 2 for duet2.
write_duet_bootstrap() { # key bootstrap.properties config.json
  local io=0
  [[ "${BASE[$1]}" == duet2 ]] && io=2
  cat >"$2" <<EOF2
node.id = bench-$1
data.dir = $WORKDIR/duet-data-$1
config.file = $3
management.address = 127.0.0.1
management.port = ${DUET_MGMT[$1]}
admin.address = 127.0.0.1
admin.port = ${DUET_ADMIN[$1]}
io.threads = $io
log.level = INFO
EOF2
}

# The launcher's command line for this run (dry run), for the report.
duet_command() {
  env -u DUET_JAVA_OPTS "${DUET_ENV[@]}" DUET_LAUNCHER_DRY_RUN=1 sh "$LAUNCHER" run --config duet.properties
}

# THE Duet start: the launcher, as ExecStart does, in the unit's environment. Runs in the background; its PID is the
# JVM's (taskset, env and the launcher exec). Group-1 configs are pinned from the start, so the JVM sizes itself
# (GC and JIT threads, I/O threads) for the one core it gets, as haproxy1 gets nbthread 1 and nginx1 one worker.
DUET_ENV=()
duet_prepare() {
  read_unit
  DUET_ENV=("DUET_HOME=$(duet_home)" DUET_LAUNCHER_DROPPED=1 "${UNIT_ENV[@]}")
  (( JAVA_OPTS_SET )) && DUET_ENV+=("DUET_JAVA_OPTS=$JAVA_OPTS_OVERRIDE")
  [[ -x "$LAUNCHER" || -r "$LAUNCHER" ]] || die "launcher $LAUNCHER not found"
}
start_duet() { # key
  local k=$1 pin=() data="$WORKDIR/duet-data-$1"
  mkdir -p "$data"
  write_duet_config "$k" "$WORKDIR/$k.json"
  chmod 600 "$WORKDIR/$k.json"          # it will hold the first admin's password hash (DUET-NODE-0040)
  write_duet_bootstrap "$k" "$WORKDIR/$k.properties" "$WORKDIR/$k.json"
  [[ "$PIN" != none && "${GROUP[$k]}" == 1 ]] && pin=(taskset -c 1)
  (
    cd "$data" || exit 1
    [[ -n "$UNIT_UMASK" ]] && umask "$UNIT_UMASK"
    exec "${pin[@]}" env -u DUET_JAVA_OPTS "${DUET_ENV[@]}" sh "$LAUNCHER" run --config "$WORKDIR/$k.properties"
  ) >"$WORKDIR/logs/$k.log" 2>&1 &
  MAIN_PID[$k]=$!
  started "$!"
}
