# %preun (%systemd_preun): on erase (not upgrade) stop and disable both units.
if [ "$1" -eq 0 ] && [ -x /usr/bin/systemctl ]; then
    /usr/bin/systemctl --no-reload disable --now duet.service duet-witness.service >/dev/null 2>&1 || :
fi
exit 0
