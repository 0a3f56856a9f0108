#!/bin/bash
# Build the Debian packages dfuse-dkms and dfuse from the tree's files (git's
# tracked and new ones, none that it ignores) in OUT/dfuse-VERSION, then run
# lintian on them: any error or warning fails (overrides live in debian/,
# each with its reason).
# usage: make-deb.sh OUT
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:?usage: make-deb.sh OUT}")
ver=$(cat "$top/VERSION")
deb_ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
if [ "${deb_ver%%-*}" != "$ver" ]; then
	echo "make-deb: debian/changelog is $deb_ver, VERSION is $ver: add a changelog entry (dch -v $ver)" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out/dfuse-$ver"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 -I{} sh -c 'test -e "{}" && echo "{}"') |
	(cd "$top" && cpio -pdm --quiet "$out/dfuse-$ver")
(cd "$out/dfuse-$ver" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
	tail -40 "$out/build.log" >&2
	echo "make-deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
ls "$out"/*.deb
lintian --fail-on error,warning --info "$out"/dfuse_"$ver"_*.changes
