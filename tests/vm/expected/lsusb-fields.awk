# lsusb -v reduced to its fields, to compare an emulated board with a dump
# from a real one whatever the lsusb version and its usb.ids: each line
# becomes its field name and value (strings verbatim, their spacing
# matters); bus and device numbers, comments and blank lines are dropped.
# (numbers in decimal: lsusb versions print wTotalLength in either base)
function num(v,    i, n, c) {
	if (v !~ /^0x[0-9a-fA-F]+$/)
		return v
	n = 0
	for (i = 3; i <= length(v); i++) {
		c = index("0123456789abcdef", tolower(substr(v, i, 1))) - 1
		n = n * 16 + c
	}
	return n
}
/^#/ || /^Bus / || /^[ \t]*$/ { next }
/^Device Status:/ { print "Device Status: " $3; next }
{
	sub(/^[ \t]+/, "")
	if ($1 ~ /^i(Manufacturer|Product|Serial|Configuration|Interface)$/) {
		line = $0
		sub(/^[^ ]+ +[0-9]+ ?/, "", line)
		print $1, $2, line
	} else if (NF >= 2 && $0 !~ /:$/ && $0 !~ /^\(/) {
		print $1, num($2)
	} else {
		print
	}
}
