#!/usr/bin/env bash
# install-root.sh: installs, upgrades and erases the duet RPM with its real scriptlets in a throwaway root on this
# machine, without touching it: the root's /usr and /etc are copy-on-write overlays of the host's (so /bin/sh,
# useradd, getent, setpriv, java and systemd-analyze exist inside), mounted in a private mount namespace that
# vanishes when this script exits. Prints one "PASS <check>" line per check and stops at the first "FAIL".
#
# Usage (root): install-root.sh WORKDIR duet-A.rpm duet-B.rpm
#   B must be a later version whose /etc/duet/duet.properties differs from A's (the upgrade must write .rpmnew).
# Needs: rpm (Debian package rpm), overlayfs, unshare and chroot (util-linux, coreutils).
set -euo pipefail
if [ "${1:-}" != --inside ]; then
    [ "$(id -u)" = 0 ] || { echo "FAIL needs root"; exit 1; }
    work=$(realpath -m "$1"); shift
    rm -rf "$work"; mkdir -p "$work"
    exec unshare --mount --propagation private "$0" --inside "$work" "$@"
fi
work=$2; rpm_a=$(realpath "$3"); rpm_b=$(realpath "$4")
root=$work/root
mkdir -p "$root"/{usr,etc,var/lib/rpm,var/log,tmp,dev,proc,run} "$work"/{usr-up,usr-work,etc-up,etc-work}
for d in bin sbin lib lib64; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$root/$d"; fi
done
mount -t overlay duet-usr -o "lowerdir=/usr,upperdir=$work/usr-up,workdir=$work/usr-work" "$root/usr"
mount -t overlay duet-etc -o "lowerdir=/etc,upperdir=$work/etc-up,workdir=$work/etc-work" "$root/etc"
for n in "null 1 3" "zero 1 5" "random 1 8" "urandom 1 9"; do
    set -- $n
    mknod -m 666 "$root/dev/$1" c "$2" "$3"
done
mount -t proc proc "$root/proc"
chmod 1777 "$root/tmp"
# No /run/systemd/system in the root: the scriptlets see a system that is not booted with systemd, as in an image build.

RPM=(rpm --root "$root" --dbpath /var/lib/rpm)
NODEPS=--nodeps   # for -i, -U, -e, -V: the host is Debian, the RPM's Requires are EL package names
inside() { chroot "$root" "$@"; }
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; exit 1; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
mode_owner() { inside stat -c '%a %U:%G' "$1"; }
quiet() { grep -v 'use Alien\|know what you are doing' || true; }

echo "== install $(basename "$rpm_a")"
"${RPM[@]}" -i $NODEPS "$rpm_a" 2>&1 | quiet
check "installed: rpm -q duet" "${RPM[@]}" -q duet
check "%pre created the system user duet" inside getent passwd duet
check "user duet has no login shell" test "$(inside getent passwd duet | cut -d: -f7)" = /sbin/nologin
check "rpm -V duet is clean" "${RPM[@]}" -V $NODEPS duet
check "/usr/bin/duet 755 root:root" test "$(mode_owner /usr/bin/duet)" = "755 root:root"
check "/usr/share/duet/duet.jar 644 root:root" test "$(mode_owner /usr/share/duet/duet.jar)" = "644 root:root"
check "/etc/duet 750 root:duet" test "$(mode_owner /etc/duet)" = "750 root:duet"
check "/etc/duet/duet.properties 640 root:duet" test "$(mode_owner /etc/duet/duet.properties)" = "640 root:duet"
check "/var/lib/duet 750 duet:duet" test "$(mode_owner /var/lib/duet)" = "750 duet:duet"
check "/etc/sysconfig/duet 644 root:root" test "$(mode_owner /etc/sysconfig/duet)" = "644 root:root"
check "/usr/share/duet/jvm.options 644 root:root" test "$(mode_owner /usr/share/duet/jvm.options)" = "644 root:root"
check "/usr/share/duet/jvm-witness.options 644 root:root" \
    test "$(mode_owner /usr/share/duet/jvm-witness.options)" = "644 root:root"
check "/etc/sysconfig/duet sets nothing (only commented examples)" bash -c "! grep -q '^[[:space:]]*[^#[:space:]]' '$root/etc/sysconfig/duet'"
check "the units name no JVM option themselves (jvm.options is the one place)" bash -c "! grep -q 'Xmx\\|JAVA_OPTS=' \
    '$root/usr/lib/systemd/system/duet.service' '$root/usr/lib/systemd/system/duet-witness.service'"
check "duet.properties is config(noreplace)" bash -c "${RPM[*]} -q --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' duet \
    | grep -qx '/etc/duet/duet.properties cn'"
check "sysctl drop-in sets ip_nonlocal_bind" grep -qx 'net.ipv4.ip_nonlocal_bind = 1' "$root/usr/lib/sysctl.d/60-duet.conf"

echo "== the installed launcher"
version=$(inside /usr/bin/duet --version 2>&1) || fail "duet --version: $version"
echo "   $version"
check "duet --version names the version" grep -q "^Duet $(rpm -qp --qf '%{VERSION}' "$rpm_a" 2>/dev/null)" <<<"$version"
help=$(inside /usr/bin/duet --help 2>&1) || fail "duet --help"
for c in run witness cluster config admin check example tls; do
    check "duet --help lists $c" grep -qE "^  $c( |$)" <<<"$help"
done
check "duet(1) has a section per command (20 or more)" bash -c "zcat '$root/usr/share/man/man1/duet.1.gz' \
    | grep -c '^\.SS \"duet ' | grep -qE '^[2-9][0-9]$'"
if command -v man >/dev/null; then
    check "man renders duet(1) without warnings" bash -c "! MANWIDTH=100 man --warnings -l \
        '$root/usr/share/man/man1/duet.1.gz' 2>&1 >/dev/null | grep -q ."
fi
# As root the launcher drops to the duet user: files a command writes stay readable by the service.
inside /usr/bin/duet example >"$root/tmp/example.yaml" || fail "duet example"
check "duet check of the example document" inside /usr/bin/duet check /tmp/example.yaml
# (192.0.2.x: documentation addresses, only written into the member certificate; nothing is sent)
inside env DUET_NODE_ID=a DUET_CLUSTER_MEMBERS=a=192.0.2.1:9700,b=192.0.2.2:9700,w=192.0.2.3:9700 \
    /usr/bin/duet cluster init --config /etc/duet/duet.properties >"$work/init.out" 2>&1 \
    || { cat "$work/init.out"; fail "duet cluster init as root"; }
check "cluster init wrote its files as duet" test "$(inside stat -c %U /var/lib/duet/cluster/tls/ca.pem)" = duet
check "no file under /var/lib/duet belongs to root" test -z "$(inside find /var/lib/duet -user root)"

echo "== the launcher's JVM options (DUET_LAUNCHER_DRY_RUN=1 prints the command)"
# options FILE: the file's options on one line, as the launcher reads them
options() { grep -v '^[[:space:]]*#' "$root$1" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -v '^$' | tr '\n' ' '; }
node_opts=$(options /usr/share/duet/jvm.options)
witness_opts=$(options /usr/share/duet/jvm-witness.options)
echo "   jvm.options: $node_opts"
check "jvm.options: serial GC, 64m-1g heap, exit on OOM, native heap trimmed" test "$node_opts" = \
    "-Xms64m -Xmx1g -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/var/lib/duet -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000 "
dry() { inside env DUET_LAUNCHER_DRY_RUN=1 "$@" 2>&1 | cut -d' ' -f2-; }
check "duet run: the options of jvm.options" test "$(dry /usr/bin/duet run --config /etc/duet/duet.properties)" = \
    "${node_opts}-jar /usr/share/duet/duet.jar run --config /etc/duet/duet.properties"
check "duet witness: the options of jvm-witness.options" test "$(dry /usr/bin/duet witness)" = \
    "${witness_opts}-jar /usr/share/duet/duet.jar witness"
check "duet status (a CLI command): small heap, C1 only" test "$(dry /usr/bin/duet status)" = \
    "-XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -jar /usr/share/duet/duet.jar status"
check "DUET_JAVA_OPTS (from /etc/sysconfig/duet) replaces jvm.options for run" \
    test "$(dry env DUET_JAVA_OPTS=-Xmx2g /usr/bin/duet run)" = "-Xmx2g -jar /usr/share/duet/duet.jar run"
check "DUET_WITNESS_JAVA_OPTS replaces jvm-witness.options" \
    test "$(dry env DUET_WITNESS_JAVA_OPTS=-Xmx96m /usr/bin/duet witness)" = "-Xmx96m -jar /usr/share/duet/duet.jar witness"
check "DUET_HOME names another jar and options file" test "$(dry env DUET_HOME=/usr/share/duet/. /usr/bin/duet run)" = \
    "${node_opts}-jar /usr/share/duet/./duet.jar run"
rc=0; out=$(inside env DUET_HOME=/nonexistent /usr/bin/duet run 2>&1) || rc=$?
check "an unreadable options file: exit 3" test "$rc" = 3
check "an unreadable options file: DUET-CLI-0021" grep -q DUET-CLI-0021 <<<"$out"

echo "== the service's command as the unit runs it (user duet, three capabilities), in a private network namespace"
# No systemd runs here, so this starts what ExecStart starts, the way the launcher does for root: as user duet with
# only CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE (setpriv), in a network namespace of its own (ports 80,
# 443, 9443 and 9901 of this machine stay untouched). Then it asks `duet status`, fetches the welcome page on port
# 80 and reads the process's identity and capabilities from /proc.
export root work
unshare --net bash -c '
    set -u
    ip link set lo up
    chroot "$root" /usr/bin/env DUET_NODE_ID=rpm-test DUET_IO_THREADS=1 \
        /usr/bin/duet run --config /etc/duet/duet.properties >"$work/run.log" 2>&1 &
    pid=$!
    ready=no
    for _ in $(seq 1 240); do    # up to 60 s for the first start (keys, certificate, first admin)
        if chroot "$root" /usr/bin/duet status --config /etc/duet/duet.properties >"$work/status.out" 2>&1; then
            ready=yes; break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    echo "ready=$ready" >"$work/run.result"
    # chroot, env, the launcher and setpriv all exec: $pid is the JVM itself
    echo "uid=$(stat -c %u /proc/"$pid")" >>"$work/run.result"
    # what the unit starts: java with the options of /usr/share/duet/jvm.options (argv[0], the java path, left out)
    echo "cmdline=$(tr "\0" " " </proc/"$pid"/cmdline | cut -d" " -f2-)" >>"$work/run.result"
    grep -E "^Cap(Eff|Prm|Bnd|Amb):" /proc/"$pid"/status | tr -d "\t" | tr ":" "=" >>"$work/run.result"
    curl -s -o /dev/null -w "http=%{http_code}\n" http://127.0.0.1:80/ >>"$work/run.result" || echo "http=none" >>"$work/run.result"
    kill -TERM "$pid"
    wait "$pid"
    echo "exit=$?" >>"$work/run.result"
    # What the node does to move a VIP, with exactly those capabilities: an address, the nftables hold-back table,
    # a gratuitous ARP (on a veth pair of this namespace; 192.0.2.200 is a documentation address).
    ip link add duet-v0 type veth peer name duet-v1 && ip link set duet-v0 up && ip link set duet-v1 up
    as_duet() { chroot "$root" setpriv --reuid=duet --regid=duet --init-groups \
        --inh-caps=+net_admin,+net_raw,+net_bind_service --ambient-caps=+net_admin,+net_raw,+net_bind_service \
        --bounding-set=-all,+net_admin,+net_raw,+net_bind_service "$@"; }
    as_duet ip -4 addr replace 192.0.2.200/32 dev duet-v0 >>"$work/vip.log" 2>&1 && echo "vip_add=ok" >>"$work/run.result"
    as_duet nft add table inet duet_vips >>"$work/vip.log" 2>&1 && echo "nft=ok" >>"$work/run.result"
    as_duet arping -U -c 1 -w 1 -I duet-v0 192.0.2.200 >>"$work/vip.log" 2>&1; echo "arping=$?" >>"$work/run.result"
    as_duet ip -4 addr del 192.0.2.200/32 dev duet-v0 >>"$work/vip.log" 2>&1 && echo "vip_del=ok" >>"$work/run.result"
    # and the same user without them cannot (the checks above do test the capabilities)
    chroot "$root" setpriv --reuid=duet --regid=duet --init-groups --bounding-set=-all \
        ip -4 addr replace 192.0.2.201/32 dev duet-v0 >>"$work/vip.log" 2>&1 || echo "vip_add_nocaps=refused" >>"$work/run.result"
'
cat "$work/run.result" | sed "s/^/   /"
result() { grep "^$1=" "$work/run.result" | cut -d= -f2-; }
[ "$(result ready)" = yes ] || { tail -30 "$work/run.log"; cat "$work/status.out"; }
check "the node started and duet status says it runs" test "$(result ready)" = yes
check "duet status: running, revision 1" grep -q "process: running" "$work/status.out"
check "the node runs as user duet" test "$(result uid)" = "$(inside id -u duet)"
check "the started JVM has the options of jvm.options" test "$(result cmdline)" = \
    "${node_opts}-jar /usr/share/duet/duet.jar run --config /etc/duet/duet.properties "
# bits 10, 12, 13: CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, CAP_NET_RAW; nothing else, not even in the bounding set
check "effective capabilities are exactly NET_BIND_SERVICE, NET_ADMIN, NET_RAW" test "$(result CapEff)" = 0000000000003400
check "bounding set is the same three" test "$(result CapBnd)" = 0000000000003400
check "it serves port 80 (below 1024, as duet)" test "$(result http)" = 200
check "it stopped cleanly on SIGTERM (143)" test "$(result exit)" = 143
check "what the node wrote belongs to duet" test -z "$(inside find /var/lib/duet -user root)"
[ "$(result vip_add)" = ok ] && [ "$(result nft)" = ok ] || cat "$work/vip.log"
check "with those capabilities: add a VIP address" test "$(result vip_add)" = ok
check "with those capabilities: nftables hold-back table" test "$(result nft)" = ok
check "with those capabilities: gratuitous ARP" test "$(result arping)" = 0
check "with those capabilities: remove the VIP address" test "$(result vip_del)" = ok
check "without them the duet user cannot add an address" test "$(result vip_add_nocaps)" = refused
check "the first admin password file is duet's, 0600" test "$(mode_owner /var/lib/duet/admin-password)" = "600 duet:duet"

if command -v systemd-analyze >/dev/null; then
    for unit in duet.service duet-witness.service; do
        # verify exits 0 even for unknown keys or bad values: any output is a failure
        out=$(systemd-analyze verify --man=no --root="$root" "$unit" 2>&1) || true
        [ -z "$out" ] || echo "$out"
        check "systemd-analyze verify $unit: no output" test -z "$out"
    done
    echo "   exposure: $(systemd-analyze security --offline=yes --root="$root" duet.service 2>/dev/null | tail -1)"
fi
echo "   /etc changed: $(cd "$work/etc-up" && find . -type f | sort | tr '\n' ' ')"

echo "== upgrade to $(basename "$rpm_b") over an edited configuration"
echo "# edited by the operator" >>"$root/etc/duet/duet.properties"
echo 'DUET_JAVA_OPTS="-Xmx2g"' >>"$root/etc/sysconfig/duet"
echo "kept" >"$root/var/lib/duet/operator-data"
"${RPM[@]}" -U $NODEPS "$rpm_b" 2>&1 | quiet
check "upgraded: rpm -q names the new version" test "$("${RPM[@]}" -q --qf '%{VERSION}-%{RELEASE}' duet)" = \
    "$(rpm -qp --qf '%{VERSION}-%{RELEASE}' "$rpm_b" 2>/dev/null)"
check "edited duet.properties kept" grep -q '^# edited by the operator' "$root/etc/duet/duet.properties"
check "the new default arrived as duet.properties.rpmnew" test -f "$root/etc/duet/duet.properties.rpmnew"
check "edited /etc/sysconfig/duet kept" grep -q -- '-Xmx2g' "$root/etc/sysconfig/duet"
check "data kept on upgrade" test "$(cat "$root/var/lib/duet/operator-data")" = kept
check "cluster identity kept on upgrade" test -f "$root/var/lib/duet/cluster/tls/ca.pem"
check "launcher runs after the upgrade" inside /usr/bin/duet --version

echo "== erase"
"${RPM[@]}" -e $NODEPS duet 2>&1 | quiet
check "erased: rpm -q duet fails" bash -c "! ${RPM[*]} -q duet >/dev/null 2>&1"
check "launcher gone" test ! -e "$root/usr/bin/duet"
check "data kept on erase" test "$(cat "$root/var/lib/duet/operator-data")" = kept
check "edited duet.properties saved as .rpmsave" test -f "$root/etc/duet/duet.properties.rpmsave"
check "user duet kept (never delete users)" inside getent passwd duet
echo "ALL CHECKS PASSED"
