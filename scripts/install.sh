#!/usr/bin/env bash
# Installs siprecd into DESTDIR (a root file system being assembled, or / on the box):
#   scripts/install.sh DESTDIR BINARY
# The binary goes to /usr/bin, the overlay (unit, default configuration, tmpfiles.d, sysusers.d,
# journald drop-in, sysctl) to its place, the documentation to /usr/share/doc/siprecd.
set -euo pipefail
dest="${1:?DESTDIR}"
bin="${2:?the siprecd binary to install}"
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -x "$bin" ] || { echo "error: $bin is not an executable (build it first: make release or make static)" >&2; exit 1; }
install -D -m 0755 "$bin" "$dest/usr/bin/siprecd"
(cd "$root/rootfs-overlay" && find . -type f) | while read -r file; do
  mode=0644
  case "$file" in ./etc/siprecd/*) mode=0640 ;; esac
  install -D -m "$mode" "$root/rootfs-overlay/$file" "$dest/${file#./}"
done
chmod 0750 "$dest/etc/siprecd"
for doc in "$root/README.md" "$root/BENCHMARKS.md" "$root/LICENSE" "$root"/docs/*.md "$root/docs/openapi.json"; do
  install -D -m 0644 "$doc" "$dest/usr/share/doc/siprecd/$(basename "$doc")"
done
# The service reads its configuration as the siprecd user: root:siprecd, 0750 / 0640. Into a root file
# system that has a user database (the box itself, or a tree assembled from a base image) the user is
# created now and the group set; a bare staging tree (make image) gets both at first boot from sysusers.d
# and the tmpfiles.d `Z /etc/siprecd` line.
if [ -f "$dest/etc/group" ] && [ "$(id -u)" = 0 ] && command -v systemd-sysusers >/dev/null; then
  if [ "$(cd "$dest" && pwd)" = / ]; then
    systemd-sysusers /usr/lib/sysusers.d/siprecd.conf
  else
    systemd-sysusers --root="$dest" "$dest/usr/lib/sysusers.d/siprecd.conf"
  fi
  gid="$(awk -F: '$1 == "siprecd" { print $3 }' "$dest/etc/group")"
  if [ -n "$gid" ]; then
    chown -R "0:$gid" "$dest/etc/siprecd"
  fi
fi
echo "installed siprecd into $dest"
