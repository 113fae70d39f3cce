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
for doc in README.md BENCHMARKS.md docs/*.md docs/openapi.json; do
  install -D -m 0644 "$root/$doc" "$dest/usr/share/doc/siprecd/$(basename "$doc")"
done
echo "installed siprecd into $dest"
