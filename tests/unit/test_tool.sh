#!/bin/sh
# The dfuse tool's file commands on the host (no driver needed):
# pack -> info -> unpack gives the inputs back; bad files are refused
# with the byte offset and a sysexits code. Prints TAP.
tool=$1 fixtures=$2 manpage=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
t() { n=$((n + 1)); if eval "$2"; then echo "ok $n - tool: $1"; else echo "not ok $n - tool: $1"; fi; }

"$tool" pack -o "$tmp/p.dfu" --vid 0x0483 --pid 0xdf11 0x08004000:"$fixtures/a.bin" 0x08020000:"$fixtures/b.bin"
t "pack exits 0" "[ $? -eq 0 ]"
"$tool" info "$tmp/p.dfu" >"$tmp/info"
t "info: DfuSe for 0483:df11 with CRC ok" "grep -q 'dfuse image, for 0483:df11 bcdDevice ffff (ffff: any), CRC ok' $tmp/info"
t "info: element at 0x08004000, 3000 bytes" "grep -q '0x08004000  3000 bytes' $tmp/info"
t "info: element at 0x08020000, 5000 bytes" "grep -q '0x08020000  5000 bytes' $tmp/info"
"$tool" info --json "$tmp/p.dfu" >"$tmp/info.json"
t "info --json parses" "[ \"\$(jq -r '.targets[0].elements[1].size' $tmp/info.json)\" = 5000 ]"
"$tool" unpack "$tmp/p.dfu" -o "$tmp/out" >/dev/null
t "unpack gives input 1 back" "cmp -s $tmp/out/alt0-0x08004000.bin $fixtures/a.bin"
t "unpack gives input 2 back" "cmp -s $tmp/out/alt0-0x08020000.bin $fixtures/b.bin"
"$tool" info "$fixtures/pack.dfu" >"$tmp/info2"
t "info reads dfuse-pack's file" "grep -q '0x08020000  5000 bytes' $tmp/info2"
head -c 2000 "$tmp/p.dfu" >"$tmp/trunc.dfu"
"$tool" info "$tmp/trunc.dfu" 2>"$tmp/err"
t "truncated file: exit 65 (EX_DATAERR)" "[ $? -eq 65 ]"
t "truncated file: the message names the byte" "grep -q 'trunc.dfu: byte 2000: no DFU suffix' $tmp/err"
"$tool" info /nonexistent.dfu 2>/dev/null
t "missing file: exit 66 (EX_NOINPUT)" "[ $? -eq 66 ]"
"$tool" pack -o "$tmp/o.dfu" 0x08000000:"$fixtures/a.bin" 0x08000010:"$fixtures/b.bin" 2>"$tmp/err"
t "pack refuses overlapping inputs" "[ $? -eq 65 ] && grep -q overlap $tmp/err"
"$tool" help flash >"$tmp/help"
t "help flash describes flash" "grep -q '^  flash FILE' $tmp/help"
"$tool" bogus 2>/dev/null
t "unknown command: exit 64" "[ $? -eq 64 ]"
"$tool" pack -o "$tmp/v.dfu" --vid 0x10483 0x08000000:"$fixtures/a.bin" 2>"$tmp/err"
t "pack refuses a VID wider than 16 bits (exit 64)" "[ $? -eq 64 ] && grep -q 'does not fit in 16 bits' $tmp/err && [ ! -e $tmp/v.dfu ]"
"$tool" list --progress=sometimes 2>"$tmp/err"
t "--progress takes bar, lines or none" "[ $? -eq 64 ] && grep -q 'bar, lines or none' $tmp/err"
# dfu-util's form given to a native command: a hint, nothing run
"$tool" flash -a 0 -s 0x08000000:leave -D "$fixtures/a.bin" 2>"$tmp/err"
t "dfu-util's form on flash: 64 and the hint" "[ $? -eq 64 ] && grep -q 'dfuse dfu-util ARGS' $tmp/err && grep -q 'dfuse flash FILE --alt A --address ADDRESS' $tmp/err"
"$tool" read -a 0 -U "$tmp/up.bin" 2>"$tmp/err"
t "dfu-util's -U on read: the hint" "[ $? -eq 64 ] && grep -q 'dfu-util' $tmp/err && [ ! -e $tmp/up.bin ]"
# the personality on the host: its parser's refusals, before any board
"$tool" dfu-util -a 0 -s 0x08000000:bogus -D "$fixtures/a.bin" 2>"$tmp/err"
t "dfu-util: a bad modifier: 64, dfu-util's words" "[ $? -eq 64 ] && grep -qx 'dfu-util: Invalid dfuse modifier: bogus' $tmp/err"
ln -s "$tool" "$tmp/dfu-util"
"$tmp/dfu-util" -a 0 2>"$tmp/err"
t "run as dfu-util: no -D or -U: 64" "[ $? -eq 64 ] && grep -q 'You need to specify one of -D or -U' $tmp/err"
"$tmp/dfu-util" -V >"$tmp/du-version"
t "run as dfu-util: -V exits 0" "[ $? -eq 0 ] && grep -q \"dfu-util 0.11's command line\" $tmp/du-version"
# issue 12's defects at the command line
printf ':0100000001FE\n:00000001FF\n' >"$tmp/a.hex"
"$tool" info --address 0x08000000 "$tmp/a.hex" >/dev/null 2>"$tmp/err"
t "--address on a HEX file is an error, not ignored (exit 64)" "[ $? -eq 64 ] && grep -q 'carries its own addresses' $tmp/err"
printf '' | "$tool" info --address 0x08000000 /dev/stdin >/dev/null 2>"$tmp/err"
t "an empty pipe is refused (exit 65)" "[ $? -eq 65 ] && grep -q 'the file is empty' $tmp/err"
cat "$fixtures/a.bin" | "$tool" info --address 0x08000000 /dev/stdin >"$tmp/o12" 2>&1
t "a pipe is read whole" "grep -q \"0x08000000  $(wc -c <"$fixtures/a.bin") bytes\" $tmp/o12"
"$tool" pack -o "$tmp/x.dfu" 08000000:"$fixtures/a.bin" 2>"$tmp/err"
t "pack refuses an address without 0x (exit 64)" "[ $? -eq 64 ] && grep -q 'the address is not 0x followed by hex digits' $tmp/err && [ ! -e $tmp/x.dfu ]"
"$tool" pack -o "$tmp/y.dfu" 0x08000000@2:"$fixtures/a.bin" && "$tool" info "$tmp/y.dfu" >"$tmp/o12"
t "pack takes dfuse-pack's ADDR@ALT:FILE" "grep -q 'alt 2' $tmp/o12"
"$tool" wait --timeout 99999999999 2>"$tmp/err"
t "--timeout beyond 32 bits is refused (exit 64)" "[ $? -eq 64 ]"
"$tool" wait --timeout 4294967 2>"$tmp/err"
t "--timeout that would overflow in ms is refused (exit 64)" "[ $? -eq 64 ] && grep -q 'more than a day' $tmp/err"
"$tool" info --address 0x08000000 "$fixtures/a.bin" >"$tmp/o12"
t "info of a raw file claims no CRC" "! grep -q 'CRC ok' $tmp/o12"
# a target name with a terminal escape (ESC [ 2 J) is shown, not obeyed
python3 - "$tmp/p.dfu" "$tmp/esc.dfu" <<'PY'
import sys, zlib
b = bytearray(open(sys.argv[1], 'rb').read())
b[11 + 11:11 + 15] = b'\x1b[2J'
crc = (zlib.crc32(bytes(b[:-4])) ^ 0xffffffff) & 0xffffffff
b[-4:] = crc.to_bytes(4, 'little')
open(sys.argv[2], 'wb').write(b)
PY
"$tool" info "$tmp/esc.dfu" >"$tmp/o12" 2>&1
t "a target name's escape sequence is printed as \\x1b" "grep -q 'x1b\\[2J' $tmp/o12 && ! grep -q \"$(printf '\033')\" $tmp/o12"
"$tool" -V >"$tmp/o12" && "$tool" --version >>"$tmp/o12"
t "-V and --version print the version" "[ \$(grep -c '^dfuse [0-9]' $tmp/o12) -eq 2 ]"
"$tool" -h >"$tmp/o12"
t "-h prints the usage" "grep -q '^usage: dfuse COMMAND' $tmp/o12"
"$tool" help bogus 2>"$tmp/err"
t "help of an unknown command is an error (exit 64)" "[ $? -eq 64 ] && grep -q \"no command 'bogus'\" $tmp/err"
# the man page: renders without warnings and documents every command
groff -man -ww -z "$manpage" 2>"$tmp/err"
t "dfuse.1 renders without groff warnings" "[ ! -s $tmp/err ]"
missing=
for c in $("$tool" help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	grep -q "^\.B $c\( \|$\)" "$manpage" || missing="$missing $c"
done
t "dfuse.1 documents every command${missing:+ (missing:$missing)}" "[ -z '$missing' ]"
echo "1..$n"
