# %postun (%systemd_postun_with_restart): on upgrade restart the units that run. Plan it: hand the node's VIPs off
# first (`duet cluster handoff`), upgrade, then take them back (docs/install.md: upgrading a pair).
if [ "$1" -ge 1 ] && [ -x /usr/bin/systemctl ]; then
    if [ -x /usr/lib/systemd/systemd-update-helper ]; then
        /usr/lib/systemd/systemd-update-helper mark-restart-system-units duet.service duet-witness.service || :
    else
        /usr/bin/systemctl try-restart duet.service duet-witness.service >/dev/null 2>&1 || :
    fi
fi
exit 0
