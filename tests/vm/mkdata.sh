#!/bin/bash
# Test images for the VM (build/vm/data -> /data in the VM), made on the host
# with Debian's own tools where the format matters (dfuse-pack).
set -euo pipefail
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
cd "$out"
[ -f rand256k.bin ] || head -c 262144 /dev/urandom >rand256k.bin
[ -f rand64k.bin ] || head -c 65536 /dev/urandom >rand64k.bin
[ -f elem-a.bin ] || head -c 3000 /dev/urandom >elem-a.bin
[ -f elem-b.bin ] || head -c 5000 /dev/urandom >elem-b.bin
[ -f rand2k.bin ] || head -c 2048 /dev/urandom >rand2k.bin
# two elements in different sectors (16 KiB sector 1, 128 KiB sector 5)
[ -f two.dfu ] || dfuse-pack -b 0x08004000:elem-a.bin -b 0x08020000:elem-b.bin \
	-D 0x0483:0xdf11 two.dfu >/dev/null
[ -f rand1m.bin ] || head -c 1048576 /dev/urandom >rand1m.bin
[ -f ff1k.bin ] || head -c 1024 /dev/zero | tr '\0' '\377' >ff1k.bin
[ -f otp.bin ] || head -c 512 /dev/urandom >otp.bin
# two targets, internal flash (alt 0) and OTP (alt 2): Debian's dfuse-pack
# writes one target only, so our own pack makes it (its format is checked
# against dfuse-pack and dfu-util elsewhere)
[ -f twotarget.dfu ] || "$top/user/dfuse" pack -o twotarget.dfu \
	--vid 0x0483 --pid 0xdf11 0x08004000:elem-a.bin 0x1FFF7800:otp.bin@2
[ -f big300k.bin ] || head -c 307200 /dev/urandom >big300k.bin
# the demo's image: 128 KiB of firmware and the OTP block
[ -f rand128k.bin ] || head -c 131072 /dev/urandom >rand128k.bin
[ -f demo.dfu ] || "$top/user/dfuse" pack -o demo.dfu \
	--vid 0x0483 --pid 0xdf11 0x08000000:rand128k.bin 0x1FFF7800:otp.bin@2
# three 16-byte records inside the F4's first 16 KiB sector, with gaps
# (0x08000000, 0x08000100, 0x08001000): gapped-rec.bin holds their bytes
[ -f gapped-rec.bin ] || head -c 48 /dev/urandom >gapped-rec.bin
[ -f gapped.hex ] || /usr/bin/python3 - gapped-rec.bin gapped.hex <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
def rec(addr, kind, body):
    b = bytes([len(body), addr >> 8, addr & 0xff, kind]) + body
    return ':' + b.hex().upper() + '%02X' % (-sum(b) & 0xff) + '\n'
out = rec(0, 4, b'\x08\x00')
for i, off in enumerate((0x0000, 0x0100, 0x1000)):
    out += rec(off, 0, data[16 * i:16 * i + 16])
out += rec(0, 1, b'')
open(sys.argv[2], 'w').write(out)
PY
