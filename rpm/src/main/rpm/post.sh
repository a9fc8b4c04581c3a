# %post: as the Fedora systemd packaging rules say (%systemd_post): apply presets on first install only.
if [ "$1" -eq 1 ] && [ -x /usr/bin/systemctl ]; then
    /usr/bin/systemctl --no-reload preset duet.service duet-witness.service >/dev/null 2>&1 || :
fi
# The VIP sysctls, now rather than at the next boot (skipped where there is no systemd, e.g. in a container).
if [ -x /usr/lib/systemd/systemd-sysctl ] && [ -d /run/systemd/system ]; then
    /usr/lib/systemd/systemd-sysctl /usr/lib/sysctl.d/60-duet.conf >/dev/null 2>&1 || :
fi
exit 0
