# %pre: the service's system user and group (never removed: files it owned may outlive the package).
getent group duet >/dev/null || groupadd -r duet
getent passwd duet >/dev/null || \
    useradd -r -g duet -d /var/lib/duet -s /sbin/nologin -c "Duet reverse proxy" duet
exit 0
