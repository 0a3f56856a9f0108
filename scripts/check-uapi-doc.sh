#!/bin/bash
# The userspace-api document (kernel/Documentation/userspace-api/dfuse.rst)
# is valid reStructuredText, names every ioctl the uapi header defines and
# no other, and registers the header's ioctl magic. TAP lines; non-zero
# exit on any miss.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rst=$top/kernel/Documentation/userspace-api/dfuse.rst
hdr=$top/include/uapi/linux/dfuse.h
status=0
say() { # OK DESCRIPTION
	if [ "$1" = 0 ]; then echo "ok - uapi doc: $2"; else echo "not ok - uapi doc: $2"; status=1; fi
}
out=$(/usr/bin/rst2pseudoxml --halt=warning "$rst" 2>&1 >/dev/null)
say $? "dfuse.rst is valid reStructuredText (docutils, warnings fail)"
[ -z "$out" ] || echo "$out" | sed 's/^/# /'
defined=$(sed -n 's/^#define \(DFUSE_IOC_[A-Z_]*\)[[:space:]]*_IO.*/\1/p' "$hdr" | sort -u)
listed=$(sed -n 's/^``\(DFUSE_IOC_[A-Z_]*\)``.*/\1/p' "$rst" | sort -u)
missing=$(comm -23 <(echo "$defined") <(echo "$listed"))
extra=$(comm -13 <(echo "$defined") <(echo "$listed"))
[ -z "$missing" ]
say $? "every ioctl of the header is in its table${missing:+ (missing: $(echo $missing))}"
[ -z "$extra" ]
say $? "the table names no ioctl the header lacks${extra:+ (extra: $(echo $extra))}"
magic=$(sed -n 's/^#define DFUSE_IOC_MAGIC[[:space:]]*\(0x[0-9A-Fa-f]*\).*/\1/p' "$hdr")
grep -qE "^  $magic  00-0F  linux/dfuse\.h " "$rst"
say $? "it registers the ioctl magic $magic (ioctl-number.rst's line)"
exit $status
