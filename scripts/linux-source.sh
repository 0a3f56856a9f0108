#!/bin/sh
# Print the path of Debian's linux-source-6.1 tree, unpacking it once into a
# cache shared by every clone on this machine (checkpatch.pl, kunit.py).
set -eu
cache="${DFUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dfuse}"
tree="$cache/linux-source-6.1"
mkdir -p "$cache"
# lint, KUnit and the sanitizer kernel's background build may ask at once
exec 9>"$cache/linux-source-6.1.lock"
flock 9
if [ ! -f "$tree/.unpacked" ]; then
	rm -rf "$tree"
	echo "dfuse: unpacking /usr/src/linux-source-6.1.tar.xz into $cache (once)" >&2
	tar -C "$cache" -xf /usr/src/linux-source-6.1.tar.xz
	touch "$tree/.unpacked"
fi
echo "$tree"
