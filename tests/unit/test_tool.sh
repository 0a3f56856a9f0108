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
t "an empty pipe is refused (exit 66)" "[ $? -eq 66 ] && grep -q 'nothing came through the FIFO' $tmp/err"
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
# named_target IN OUT PYBYTES: IN with its first target's name starting
# with PYBYTES (a Python bytes literal), the file's CRC made right again
named_target() {
	python3 - "$1" "$2" "$3" <<'PY'
import ast, sys, zlib
b = bytearray(open(sys.argv[1], 'rb').read())
name = ast.literal_eval(sys.argv[3])
b[11 + 11:11 + 11 + len(name)] = name
crc = (zlib.crc32(bytes(b[:-4])) ^ 0xffffffff) & 0xffffffff
b[-4:] = crc.to_bytes(4, 'little')
open(sys.argv[2], 'wb').write(b)
PY
}
# a target name with a terminal escape (ESC [ 2 J) is shown, not obeyed
named_target "$tmp/p.dfu" "$tmp/esc.dfu" "b'\\x1b[2J'"
"$tool" info "$tmp/esc.dfu" >"$tmp/o12" 2>&1
t "a target name's escape sequence is printed as \\x1b" "grep -q 'x1b\\[2J' $tmp/o12 && ! grep -q \"$(printf '\033')\" $tmp/o12"
# a target name in Latin-1 (0xE9) with a stray 0xFF, and a real UTF-8 é
named_target "$tmp/p.dfu" "$tmp/latin1.dfu" "b'caf\\xe9\\xff\\xc3\\xa9\\x7f'"
"$tool" info --json "$tmp/latin1.dfu" >"$tmp/latin1.json" 2>"$tmp/err"
t "info --json of a name that is not UTF-8: valid UTF-8 JSON, each bad byte U+FFFD" "python3 -c 'import json, sys; n = json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\"))[\"targets\"][0][\"name\"]; sys.exit(not n.startswith(\"caf\ufffd\ufffd\u00e9\x7f\"))' $tmp/latin1.json"
"$tool" -V >"$tmp/o12" && "$tool" --version >>"$tmp/o12"
t "-V and --version print the version" "[ \$(grep -c '^dfuse [0-9]' $tmp/o12) -eq 2 ]"
"$tool" -h >"$tmp/o12"
t "-h prints the usage" "grep -q '^usage: dfuse COMMAND' $tmp/o12"
"$tool" help bogus 2>"$tmp/err"
t "help of an unknown command is an error (exit 64)" "[ $? -eq 64 ] && grep -q \"no command 'bogus'\" $tmp/err"
# issue 25's findings at the command line
ver=$(cat "$(dirname "$0")/../../VERSION")
"$tool" --version >"$tmp/o25" 2>"$tmp/err"
t "--version: the tool's version from VERSION, and the module's state" "[ $? -eq 0 ] && [ \"\$(head -1 $tmp/o25)\" = 'dfuse $ver' ] && grep -qx 'module not loaded' $tmp/o25"
mkfifo "$tmp/fifo"
for f in "$tmp/fifo" "$tmp" /dev/zero; do
	timeout 10 "$tool" info --address 0x08000000 "$f" >/dev/null 2>"$tmp/err"
	t "info of $f fails at once with 66 (EX_NOINPUT)" "[ $? -eq 66 ] && grep -q 'FIFO\|directory\|character device' $tmp/err"
	timeout 10 "$tool" flash --address 0x08000000 "$f" >/dev/null 2>&1
	t "flash of $f fails at once with 66, before any board" "[ $? -eq 66 ]"
done
"$tool" erase --mass </dev/null >/dev/null 2>"$tmp/err"
t "erase --mass without --yes off a terminal: 64, nothing erased" "[ $? -eq 64 ] && grep -q 'confirm with --yes' $tmp/err"
"$tool" erase --mass --yes </dev/null >/dev/null 2>"$tmp/err"
t "erase --mass --yes goes on to the board (69 here: no driver)" "[ $? -eq 69 ]"
"$tool" read --device "$tmp/nonexistent" -o "$tmp/r.bin" 2>"$tmp/err"
t "--device that does not exist: 69 and the reason" "[ $? -eq 69 ] && grep -q 'No such file' $tmp/err"
"$tool" read --device "$tmp" -o "$tmp/r.bin" 2>"$tmp/err"
t "--device that is no dfuse node: 64" "[ $? -eq 64 ] && grep -q 'not a dfuse node' $tmp/err"
head -c 3000 "$fixtures/a.bin" >"$tmp/af.bin"
printf ':0400000001020304F2\n:00000001FF\n' >"$tmp/af.hex"
{
	echo "# the lab's boards"
	echo "serial=LAB-A  $tmp/af.bin@0x08000000  verify   # the F407 on port 1"
	echo "id=0483:df11  $tmp/af.hex leave	# tab before the comment"
} >"$tmp/af.conf"
"$tool" autoflash --check --config "$tmp/af.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: a config with trailing # comments is good (exit 0)" "[ $? -eq 0 ] && grep -q ':2: serial=LAB-A: .*raw, 3000 bytes' $tmp/o25 && grep -q ':3: id=0483:df11: .*ihex, 4 bytes' $tmp/o25 && grep -q '2 entries, all usable' $tmp/o25"
echo "path=1-1 $tmp/af.bin@0x08000000 verify#x" >"$tmp/af2.conf"
"$tool" autoflash --check --config "$tmp/af2.conf" >/dev/null 2>"$tmp/err"
t "autoflash --check: '#' inside a word is no comment (78, the line named)" "[ $? -eq 78 ] && grep -q 'af2.conf:1: unknown option' $tmp/err"
echo "path=1-1 $tmp/missing.bin@0x08000000" >>"$tmp/af.conf"
"$tool" autoflash --check --config "$tmp/af.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: a missing image: 66, the entry named" "[ $? -eq 66 ] && grep -q 'af.conf:4: path=1-1: .*missing.bin cannot be used' $tmp/o25 && grep -q 'NOT all usable' $tmp/o25"
echo "path=1-2 $tmp/af.bin" >"$tmp/af3.conf"
"$tool" autoflash --check --config "$tmp/af3.conf" >/dev/null 2>"$tmp/err"
t "autoflash --check: a raw image without @ADDRESS: 64" "[ $? -eq 64 ] && grep -q 'needs --address' $tmp/err"
echo "path=1-2 $tmp/af.bin@134217728" >"$tmp/af4.conf"
"$tool" autoflash --check --config "$tmp/af4.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: a decimal @ADDRESS is an address, as --address takes it" "[ $? -eq 0 ] && grep -q 'raw, 3000 bytes in 1 element from 0x08000000' $tmp/o25"
echo "path=1-2 $tmp/af.bin@4294967296" >"$tmp/af4.conf"
"$tool" autoflash --check --config "$tmp/af4.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: an @ADDRESS past 32 bits: 78, the line named" "[ $? -eq 78 ] && grep -q 'af4.conf:1: bad @ADDRESS' $tmp/err"
# a drop-in directory beside the file (one file per role), and SHA-256 pins
mkdir -p "$tmp/af5.conf.d"
echo "path=1-1 $tmp/af.bin@0x08000000" >"$tmp/af5.conf"
echo "path=1-3 $tmp/af.hex   # from a role" >"$tmp/af5.conf.d/20-role.conf"
echo "path=1-2 $tmp/af.bin@0x08004000 sha256=$(sha256sum "$tmp/af.bin" | cut -c1-64)" >"$tmp/af5.conf.d/10-pinned.conf"
echo "path=1-9 /nowhere.bin@0x08000000" >"$tmp/af5.conf.d/30-off.conf.disabled"
"$tool" autoflash --check --config "$tmp/af5.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: the .d directory's *.conf files follow the file, in name order, each line named by its file" "[ $? -eq 0 ] && [ \"\$(cut -d: -f1,2,3 $tmp/o25 | head -3 | tr '\n' ' ')\" = \"$tmp/af5.conf:1: path=1-1 $tmp/af5.conf.d/10-pinned.conf:1: path=1-2 $tmp/af5.conf.d/20-role.conf:1: path=1-3 \" ] && grep -q '3 entries, all usable' $tmp/o25"
t "autoflash --check: a pinned image whose SHA-256 matches says so" "grep -q '10-pinned.conf:1: path=1-2: .*from 0x08004000, SHA-256 as pinned' $tmp/o25"
mv "$tmp/af5.conf" "$tmp/af5.off"
"$tool" autoflash --check --config "$tmp/af5.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: the .d directory alone is a config" "[ $? -eq 0 ] && grep -q '2 entries, all usable' $tmp/o25"
echo "path=1-4 $tmp/af.bin@0x08000000 sha256=$(printf '%064d' 0)" >"$tmp/af5.conf.d/40-stale.conf"
"$tool" autoflash --check --config "$tmp/af5.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: an image that is not the pinned one: 65, both digests named" "[ $? -eq 65 ] && grep -q \"its SHA-256 is $(sha256sum "$tmp/af.bin" | cut -c1-64), not the 0000000000000000000000000000000000000000000000000000000000000000 that .*40-stale.conf:1 pins\" $tmp/err"
echo "path=1-5 $tmp/af.bin@0x08000000 sha256=abc" >"$tmp/af5.conf.d/50-bad.conf"
"$tool" autoflash --check --config "$tmp/af5.conf" >"$tmp/o25" 2>"$tmp/err"
t "autoflash --check: a broken line in a drop-in: 78, its file and line named" "[ $? -eq 78 ] && grep -q '50-bad.conf:1: unknown option' $tmp/err"
{ printf 'path=1-1 %s@0x08000000 ' "$tmp/af.bin"; head -c 600 /dev/zero | tr '\0' x; echo; } >"$tmp/af6.conf"
"$tool" autoflash --check --config "$tmp/af6.conf" >/dev/null 2>"$tmp/err"
t "autoflash --check: a line longer than 510 bytes: 78, not read as two lines" "[ $? -eq 78 ] && grep -q 'af6.conf:1: line longer than 510 bytes' $tmp/err"
"$tool" autoflash --check --config "$tmp/none.conf" 2>"$tmp/err"
t "autoflash --check: no config: 78" "[ $? -eq 78 ] && grep -q 'none.conf: No such file' $tmp/err"
# pack takes raw bytes only, numbered alts, and says why it stops
printf ':0400000001020304F2\n:00000001FF\n' >"$tmp/pk.hex"
"$tool" pack -o "$tmp/pk.dfu" 0x08000000:"$tmp/pk.hex" 2>"$tmp/err"
t "pack refuses a HEX file as an input (65: it would pack its text)" "[ $? -eq 65 ] && grep -q 'is an image in ihex format' $tmp/err && [ ! -e $tmp/pk.dfu ]"
"$tool" pack -o "$tmp/pk.dfu" --alt OptionBytes 0x1FFFC000:"$fixtures/a.bin" 2>"$tmp/err"
t "pack --alt takes a number, not a name (64)" "[ $? -eq 64 ] && grep -q 'a number 0..255' $tmp/err && [ ! -e $tmp/pk.dfu ]"
"$tool" pack -o "$tmp/pk.dfu" --alt -1 0x1FFFC000:"$fixtures/a.bin" 2>"$tmp/err"
t "pack --alt -1 is refused (64), not alt 255" "[ $? -eq 64 ] && [ ! -e $tmp/pk.dfu ]"
set --
for i in $(seq 0 32); do set -- "$@" "$(printf '0x%08x' $((0x08000000 + i * 65536))):$fixtures/a.bin@$i"; done
"$tool" pack -o "$tmp/pk.dfu" "$@" 2>"$tmp/err"
t "pack of 33 alt settings: 64 with the reason" "[ $? -eq 64 ] && grep -q 'more than 32 alt settings' $tmp/err"
"$tool" wait --timeout 1 2>"$tmp/err"
t "wait without the driver says so once, not at every poll" "[ $? -eq 69 ] && [ \$(grep -c 'not loaded' $tmp/err) -eq 1 ]"
"$tool" info - <"$tmp/p.dfu" >"$tmp/o-stdin" 2>"$tmp/err"
t "info - reads the image from standard input" "[ $? -eq 0 ] && grep -q '0x08020000  5000 bytes' $tmp/o-stdin"
cat "$tmp/p.dfu" | "$tool" info - >"$tmp/o-stdin" 2>"$tmp/err"
t "info - reads it from a pipe too" "[ $? -eq 0 ] && grep -q '0x08020000  5000 bytes' $tmp/o-stdin"
"$tool" list --json >"$tmp/j1" 2>"$tmp/err"
t "list --json without the driver: 69, and a JSON object saying why on stdout" "[ $? -eq 69 ] && [ -s $tmp/j1 ] && jq -e '.ok == false and .exit == 69 and (.error | startswith(\"the dfuse driver is not loaded\"))' $tmp/j1 && grep -q 'not loaded' $tmp/err"
"$tool" status --json >"$tmp/j1" 2>/dev/null
t "status --json without the driver: the same object" "[ $? -eq 69 ] && [ -s $tmp/j1 ] && jq -e '.ok == false and .exit == 69' $tmp/j1"
"$tool" flash --json "$tmp/nonexistent.bin" >"$tmp/j1" 2>/dev/null
t "flash --json of a missing file: 66 and the reason as JSON" "[ $? -eq 66 ] && [ -s $tmp/j1 ] && jq -e '.exit == 66 and (.error | endswith(\"nonexistent.bin: No such file or directory\"))' $tmp/j1"
"$tool" info --mass --yes --force --leave "$tmp/p.dfu" >/dev/null 2>"$tmp/err"
t "an option the command does not take is refused (64), not ignored" "[ $? -eq 64 ] && grep -q 'info does not take --mass (dfuse help info)' $tmp/err"
"$tool" list -o "$tmp/x" >/dev/null 2>"$tmp/err"
t "a short option too: list -o is refused (64)" "[ $? -eq 64 ] && grep -q 'list does not take --output' $tmp/err"
"$tool" pack -o "$tmp/past.dfu" 0xffffff00:"$fixtures/a.bin" 2>"$tmp/err"
t "pack of data that runs past 4 GiB: 65 (the data), not 66 (a missing file)" "[ $? -eq 65 ] && grep -q 'run past 4 GiB' $tmp/err && [ ! -e $tmp/past.dfu ]"
: >"$tmp/afile"
"$tool" unpack "$tmp/p.dfu" -o "$tmp/afile" >/dev/null 2>"$tmp/err"
t "unpack -o of a file that is no directory: 64 and says so" "[ $? -eq 64 ] && grep -q 'is not a directory' $tmp/err"
"$tool" --json list >"$tmp/j1" 2>/dev/null
t "options before the command: dfuse --json list is list --json (69 and the JSON object here)" "[ $? -eq 69 ] && [ -s $tmp/j1 ] && jq -e '.exit == 69' $tmp/j1"
"$tool" -q info "$tmp/p.dfu" >"$tmp/o-q" 2>&1
t "dfuse -q info FILE: the option before the command is taken" "[ $? -eq 0 ] && grep -q '0x08020000  5000 bytes' $tmp/o-q"
"$tool" bind --path 1-1 2>"$tmp/err"
t "bind without the driver: 69, says the driver is not loaded" "[ $? -eq 69 ] && grep -q 'driver is not loaded' $tmp/err"
"$tool" detach 2>"$tmp/err"
t "detach without the driver: 69, says the driver is not loaded" "[ $? -eq 69 ] && grep -q 'driver is not loaded' $tmp/err"
"$tool" info --format hex "$tmp/pk.hex" >"$tmp/o25" 2>"$tmp/err"
t "--format hex and --format RAW are taken (ihex, raw)" "[ $? -eq 0 ] && grep -q 'ihex image' $tmp/o25 && \"$tool\" info --format RAW --address 0x08000000 $fixtures/a.bin >/dev/null"
"$tool" info --format intel "$tmp/pk.hex" 2>"$tmp/err"
t "an unknown --format lists the names (64)" "[ $? -eq 64 ] && grep -q 'dfuse, dfu, raw or bin, ihex or hex, srec, elf' $tmp/err"
readme=$(dirname "$0")/../../README.md
t "README.md: at most 150 lines, with runnable blocks (the Debian lane runs them)" "[ \$(wc -l <$readme) -le 150 ] && [ \$(grep -c '^<!-- runnable' $readme) -ge 2 ]"
# the man page: renders without warnings and documents every command
groff -man -ww -z "$manpage" 2>"$tmp/err"
t "dfuse.1 renders without groff warnings" "[ ! -s $tmp/err ]"
missing=
for c in $("$tool" help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	grep -q "^\.B $c\( \|$\)" "$manpage" || missing="$missing $c"
done
t "dfuse.1 documents every command${missing:+ (missing:$missing)}" "[ -z '$missing' ]"
echo "1..$n"
