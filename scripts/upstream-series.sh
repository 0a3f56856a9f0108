#!/bin/bash
# Turn kernel/ into a patch series for a kernel tree: the driver in
# drivers/usb/class/dfuse/ (DFU is a USB class, FE/01, as usbtmc's FE/03
# beside it), its uapi header, its KUnit suites, its documentation
# (userspace-api, ABI, netlink spec, ioctl number) and a MAINTAINERS entry.
# The series is made against TREE's own files (a scratch git repository
# of the files it touches) and written as git format-patch files to OUT;
# with FILES, the files the series adds or changes, as they end up, too.
# usage: upstream-series.sh TREE OUT [FILES]
set -euo pipefail
tree=${1:?usage: upstream-series.sh TREE OUT}
out=${2:?usage: upstream-series.sh TREE OUT}
top=$(cd "$(dirname "$0")/.." && pwd)
dir=drivers/usb/class/dfuse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the files of TREE the series changes
touched="drivers/usb/Makefile drivers/usb/class/Kconfig drivers/usb/class/Makefile
MAINTAINERS Documentation/userspace-api/index.rst
Documentation/userspace-api/ioctl/ioctl-number.rst"
for f in $touched; do
	mkdir -p "$work/$(dirname "$f")"
	cp "$tree/$f" "$work/$f"
done
# the maintainer of the series: the packages' (debian/control)
who=$(sed -n 's/^Maintainer: //p' "$top/debian/control")
git -C "$work" init -q
git -C "$work" config user.name "${who% <*}"
git -C "$work" config user.email "$(echo "$who" | sed 's/.*<\(.*\)>/\1/')"
git -C "$work" add -A
git -C "$work" commit -qm "base: $(basename "$tree")"
base=$(git -C "$work" rev-parse HEAD)

commit() {	# commit SUBJECT BODY
	git -C "$work" add -A
	git -C "$work" commit -q -s -m "$1" -m "$2"
}
kunit_file() { case $1 in *_kunit.c | engine_fake.[ch]) return 0 ;; esac; return 1; }

# 1. the driver
mkdir -p "$work/$dir" "$work/include/uapi/linux"
for f in "$top"/kernel/*.[ch]; do
	b=$(basename "$f")
	case $b in *.mod.c) continue ;; esac
	kunit_file "$b" || cp "$f" "$work/$dir/"
done
cp "$top/include/uapi/linux/dfuse.h" "$work/include/uapi/linux/"
# a tree with kmalloc_obj() (7.x) wants it where one source for 6.1 and
# 7.x must use kmalloc(sizeof(...)); the series is for its own tree
if grep -q 'define kmalloc_obj(' "$tree/include/linux/slab.h"; then
	sed -i -E 's/\bk([mz])alloc\(sizeof\(([^()]+)\), /k\1alloc_obj(\2, /' "$work/$dir"/*.c
fi
sed '/^config USB_DFUSE_KUNIT_TEST/,$d' "$top/kernel/Kconfig" | sed '${/^$/d}' >"$work/$dir/Kconfig"
# the Kbuild without what only an out-of-tree build needs
awk '/^# In a kernel tree/ { skip = 1 } /^endif$/ && skip { skip = 0; getline; next }
	/^# the transport-free parts/ { exit } !skip' "$top/kernel/Kbuild" |
	sed '${/^$/d}' >"$work/$dir/Makefile"
printf '\nsource "%s/Kconfig"\n' "$dir" >>"$work/drivers/usb/class/Kconfig"
echo 'obj-$(CONFIG_USB_DFUSE)		+= dfuse/' >>"$work/drivers/usb/class/Makefile"
sed -i '/^obj-$(CONFIG_USB_TMC)		+= class\//a\
obj-$(CONFIG_USB_DFUSE)		+= class/' "$work/drivers/usb/Makefile"
# the KUnit suites, with it
for f in "$top"/kernel/*.[ch]; do
	b=$(basename "$f")
	kunit_file "$b" && cp "$f" "$work/$dir/"
done
python3 "$top/tests/kunit/gen-memmap-vectors.py" "$top/tests/kunit/memmaps.txt" \
	"$top/tests/kunit/memmaps-extra.txt" >"$work/$dir/memmap_vectors.h"
sed -n '/^config USB_DFUSE_KUNIT_TEST/,$p' "$top/kernel/Kconfig" |
	sed '1i\
' >>"$work/$dir/Kconfig"
sed -n '/^# the transport-free parts/,$p' "$top/kernel/Kbuild" |
	sed 's/(memmap_vectors.h is made$/(memmap_vectors.h holds the memory/;
	     s/^# from the vector files by .*/# maps of real parts and what the parser must make of them)/' |
	sed '1i\
' >>"$work/$dir/Makefile"
cp "$top/kernel/.kunitconfig" "$work/$dir/.kunitconfig"
echo 'obj-$(CONFIG_USB_DFUSE_KUNIT_TEST)	+= dfuse/' >>"$work/drivers/usb/class/Makefile"
# the suites need no USB: UML reaches drivers/usb through its PCI
sed -i '/^obj-$(CONFIG_USB_DFUSE)		+= class\//a\
obj-$(CONFIG_USB_DFUSE_KUNIT_TEST)	+= class/' "$work/drivers/usb/Makefile"
# its MAINTAINERS entry, in its place in the alphabet (checkpatch asks each
# patch that adds files to add them there)
entry=$(printf '%s\n' "USB DFUSE DRIVER (STM32 DFUSE BOOTLOADERS)" "M:	$who" \
	"L:	linux-usb@vger.kernel.org" "S:	Maintained" \
	"F:	$dir/" "F:	include/uapi/linux/dfuse.h")
awk -v entry="$entry" '
	!done && /^USB [A-Z]/ && $0 > "USB DFUSE" { print entry; print ""; done = 1 }
	{ print }' "$work/MAINTAINERS" >"$work/MAINTAINERS.new"
mv "$work/MAINTAINERS.new" "$work/MAINTAINERS"
commit "USB: add a driver for STM32 DfuSe bootloaders" \
"STM32 microcontrollers (and compatible parts) have a ROM bootloader that
speaks USB DFU 1.1 with ST's extensions (DfuSe, 0483:df11): a memory map
per alternate setting in its string descriptor, SET_ADDRESS and ERASE
commands, and a fixed block size. Userspace tools drive it through
usbfs today.

This driver runs the DfuSe protocol in the kernel and makes each
alternate setting a character device, /dev/dfuseN.M, sized from its
parsed memory map: write(2) erases and programs the pages the data
covers (comparing first, so unchanged pages are left alone), read(2)
reads memory back, and ioctls flash an image with progress, erase,
leave the bootloader and report the device's status. A generic netlink
family announces boards and operations. KUnit suites cover the memory-map
parser against the maps real parts report, the write planner, the
protocol engine against a fake bootloader with a clock, and the quirk
entries; they need no USB hardware.

Plain DFU devices (bcdDFU 1.1) are left to userspace tools."

# 2. the documentation
mkdir -p "$work/Documentation/userspace-api" "$work/Documentation/ABI/testing" \
	"$work/Documentation/netlink/specs"
cp "$top/kernel/Documentation/userspace-api/dfuse.rst" "$work/Documentation/userspace-api/"
cp "$top"/kernel/Documentation/ABI/testing/* "$work/Documentation/ABI/testing/"
cp "$top/kernel/Documentation/netlink/specs/dfuse.yaml" "$work/Documentation/netlink/specs/"
sed -i '0,/^   netlink\/index$/s//   netlink\/index\n   dfuse/' "$work/Documentation/userspace-api/index.rst"
line=$(sed -n 's/^  \(0xDF .*\)$/\1/p' "$top/kernel/Documentation/userspace-api/dfuse.rst" | head -1)
[ -n "$line" ] || { echo "upstream-series: no ioctl-number line in dfuse.rst" >&2; exit 1; }
sed -i "/^0xDD  /a\\
$line" "$work/Documentation/userspace-api/ioctl/ioctl-number.rst"
sed -i '/^F:	drivers\/usb\/class\/dfuse\/$/i\
F:	Documentation/ABI/testing/sysfs-class-dfuse\
F:	Documentation/ABI/testing/sysfs-driver-dfuse\
F:	Documentation/netlink/specs/dfuse.yaml\
F:	Documentation/userspace-api/dfuse.rst' "$work/MAINTAINERS"
commit "Documentation: dfuse: userspace API, sysfs ABI and netlink spec" \
"The character devices and their write-back semantics, where errors
surface, every ioctl with its errnos, the events; the sysfs attributes;
the generic netlink family's spec; the ioctl number."

rm -rf "$out"
mkdir -p "$out"
git -C "$work" format-patch -q -o "$out" "$base..HEAD"
if [ -n "${3:-}" ]; then
	rm -rf "$3"
	mkdir -p "$3"
	git -C "$work" diff --name-only "$base" HEAD | tar -C "$work" -cf - -T - | tar -C "$3" -xf -
fi
ls "$out"/*.patch
