#!/bin/bash
# docs/benchmarks.md and docs/benchmarks.png from one bench run's results.tsv,
# with the targets of the performance issue checked against the ratios.
# usage: report.sh BENCH_DIR DOCS_DIR
set -euo pipefail
in=$1/results.tsv docs=$2
mkdir -p "$docs"
prev=$1/previous.tsv

# ratio PROFILE SIZE HOST SCENARIO COLUMN(8: x bound, 9: x dfu-util, 5: s)
val() {
	awk -F'\t' -v p="$1" -v s="$2" -v h="$3" -v c="$4" -v k="$5" \
		'$1 == p && $2 == s && $3 == h && $4 == c { print $k; exit }' "${6:-$in}"
}
# target DESC VALUE OP LIMIT
target() {
	local ok
	ok=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {
		if (v == "" || v == "-") { print "n/a"; exit }
		print (op == "<=" ? v + 0 <= l + 0 : v + 0 >= l + 0) ? "met" : "missed" }')
	echo "| $1 | ${2:--} | $3 $4 | $ok |"
}

big=$(awk -F'\t' 'NR > 1 { print $2 }' "$in" | sort -n | tail -1)
{
	echo "# Benchmarks"
	echo
	echo "Made by \`make bench\` ($(date -u +%Y-%m-%d), \`tests/bench/bench.sh\`): one QEMU"
	echo "boot of Debian's 6.1 kernel with \`-icount shift=0,sleep=off\`, so every time"
	echo "below is virtual time, deterministic and free of the host's load. The"
	echo "emulated board (\`tests/emu\`) charges typical flash busy times (F4 reference"
	echo "manual: 16 KiB sector 250 ms, 64 KiB 550 ms, 128 KiB 1 s, 16 us per word;"
	echo "G0B1 datasheet: 22 ms per 2 KiB page, 85 us per 64-bit word) and each control"
	echo "transfer its full-speed bus time. As on ST's ROMs, flash work starts once"
	echo "the answer to the GETSTATUS that starts it has left. In the *new-jitter*"
	echo "runs each operation takes its typical time times 1 +- up to 20% (uniform,"
	echo "from the printed seed). Every run is checked byte-exact in the emulator's"
	echo "memory."
	echo
	echo "**Two bounds** (\`tests/emu/bound.c\`), from typical times:"
	echo
	echo "- *any-host bound* = busy + requests: the busy time of the work that must"
	echo "  be done (erase each page whose content changes and is not blank, program"
	echo "  each non-blank block of it) + one DNLOAD and two GETSTATUS per erase,"
	echo "  block and address run, each at its full-speed bus cost. No host can be"
	echo "  faster: it is what one that already knew the flash's content would take."
	echo "- *compare-first bound* (\`bound_s\`, \`x_bound\`) = any-host bound + one UPLOAD"
	echo "  per block read to compare with what is there (up to a page's first block"
	echo "  that differs; all of an unchanged or blank page): the least time of a host"
	echo "  that leaves unchanged pages alone, as dfuse does. For \`dfuse flash\` with"
	echo "  verify it also counts one UPLOAD per block programmed (the verify's reads)."
	echo "  For reads: one UPLOAD per block."
	echo
	echo "Scenarios: *new* = image over other firmware, *blank* = onto an erased"
	echo "chip, *same* = the same image again, *sectors* = ~10% of the image"
	echo "differs in 2 of the F4's 12 sectors at 1 MiB (the performance issue's"
	echo "case: the first 1/64, and 11/128 from 1/8 on), *changed* = ~10% differs"
	echo "in one run in its middle (at 1 MiB it straddles two 128 KiB sectors, a"
	echo "quarter of the flash), *read* = read the image back. Hosts: dfu-util 0.11 (\`-D\`/\`-U\`),"
	echo "\`dd\`/\`head\` on /dev/dfuse0.0, \`dfuse flash\` (verify on and off), \`dfuse read\`."
	echo "Profiles: *f407* (the emulator reports the typical busy time as"
	echo "bwPollTimeout, and an early GETSTATUS gets the time left), *l4* (2 KiB pages,"
	echo "1 KiB transfers), *f4-rom* (the F469/F7 ROM's poll model: 100 ms asked per"
	echo "erase, 104 ms per block, an early GETSTATUS held until the work is done),"
	echo "*f4-answer* (the same constants; an early GETSTATUS answered at once with"
	echo "them, so a host that honours the answer waits 104 ms), *g0b1* (the newer ROM"
	echo "generation: 1024-byte blocks, G0 flash times). CPU: \`cpu_ms\` is the VM's busy"
	echo "CPU time during the run less the emulator's own (the host tool and the kernel)."
	echo
	echo "## Targets"
	echo
	echo "| target | measured | limit | |"
	echo "| --- | --- | --- | --- |"
	target "f407 1 MiB new image, dd / compare-first bound" "$(val f407 1048576 dd new 8)" "<=" 1.02
	# the two dfu-util limits whose room above the bound is shown below
	lim_new=0.88 lim_sectors=0.25
	target "f407 1 MiB new image, dd / dfu-util" "$(val f407 1048576 dd new 9)" "<=" $lim_new
	target "f407 1 MiB new image, dfuse flash (verify) / its bound" "$(val f407 1048576 dfuse new 8)" "<=" 1.03
	target "f407 1 MiB blank chip, dd / dfu-util" "$(val f407 1048576 dd blank 9)" "<=" 0.45
	target "f407 1 MiB unchanged, dd / dfu-util" "$(val f407 1048576 dd same 9)" "<=" 0.07
	target "f407 1 MiB unchanged, dfuse flash (verify) / dfu-util" "$(val f407 1048576 dfuse same 9)" "<=" 0.07
	target "f407 1 MiB ~10% changed in 2 of 12 sectors, dd / dfu-util" "$(val f407 1048576 dd sectors 9)" "<=" $lim_sectors
	target "f407 1 MiB read, cat / bus bound" "$(val f407 1048576 dd read 8)" "<=" 1.1
	target "f4-rom 1 MiB new image, dd / dfu-util" "$(val f4-rom 1048576 dd new 9)" "<=" 0.25
	target "f4-rom 1 MiB new image, dfuse flash / dfu-util" "$(val f4-rom 1048576 dfuse new 9)" "<=" 0.25
	target "f4-answer 1 MiB new image, dd / dfu-util" "$(val f4-answer 1048576 dd new 9)" "<=" 0.25
	target "g0b1 (newer ROM generation) 256 KiB new image, dd / dfu-util" "$(val g0b1 262144 dd new 9)" "<=" 0.50
	target "l4 256 KiB new image, dd / compare-first bound" "$(val l4 262144 dd new 8)" "<=" 1.05
	jd=$(val f407 "$big" dd new-jitter 5) j0=$(val f407 "$big" dd new 5)
	target "f407 new image, jittered +-20% / not jittered, dd (difference)" \
		"$(awk -v a="${jd:-0}" -v b="${j0:-0}" 'BEGIN { if (b > 0) { d = a / b - 1; if (d < 0) d = -d; printf "%.3f", d } }')" "<=" 0.03
	# host CPU per MiB, summed over the f407 write scenarios
	cpu() {
		awk -F'\t' -v h="$1" '$1 == "f407" && $3 == h && $4 ~ /^(new|blank|same|changed|sectors)$/ {
			c += $15; m += $2 / 1048576 } END { if (m > 0) printf "%.1f", c / m }' "$in"
	}
	target "host CPU per MiB written, dd / dfu-util" \
		"$(awk -v a="$(cpu dd)" -v b="$(cpu dfu-util)" 'BEGIN { if (b > 0) printf "%.3f", a / b }')" "<=" 1.0
	target "host CPU per MiB written, dfuse flash / dfu-util" \
		"$(awk -v a="$(cpu dfuse)" -v b="$(cpu dfu-util)" 'BEGIN { if (b > 0) printf "%.3f", a / b }')" "<=" 1.0
	# per request: seconds over DNLOAD + UPLOAD + GETSTATUS
	per() {
		awk -F'\t' -v s="$big" -v h="$1" '$1 == "f407" && $2 == s && $3 == h && $4 == "scale0" {
			n = $10 + $11 + $12; if (n > 0) printf "%.9f", $5 / n }' "$in"
	}
	target "time scale 0 (host, kernel, USB/IP only): cost per request, dd / dfu-util" \
		"$(awk -v a="$(per dd)" -v b="$(per dfu-util)" 'BEGIN { if (b > 0) printf "%.3f", a / b }')" "<=" 1.0
	b1=$(val f407 "$big" dd boards-1 5)
	bn=$(awk -F'\t' '$3 == "dd" && $4 ~ /^boards-/ { sub(/boards-/, "", $4); print $4 }' "$in" | sort -n | tail -1)
	target "${bn:-16} boards at once / 1 board" \
		"$(awk -v a="$(val f407 "$big" dd "boards-$bn" 5)" -v b="${b1:-0}" 'BEGIN { if (b > 0) printf "%.3f", a / b }')" "<=" 1.1
	if [ -s "$prev" ]; then
		dev=$(awk -F'\t' 'FNR == NR { if (FNR > 1) r[$1 FS $2 FS $3 FS $4] = $5; next }
			FNR > 1 && ($1 FS $2 FS $3 FS $4) in r && r[$1 FS $2 FS $3 FS $4] > 0 {
				d = $5 / r[$1 FS $2 FS $3 FS $4] - 1; if (d < 0) d = -d
				if (d > m) m = d }
			END { printf "%.3f", m }' "$prev" "$in")
		target "largest change of any time against the previous make bench" "$dev" "<=" 0.10
	fi
	# How much room a dfu-util ratio target leaves above the bound, and
	# what the host's own cost per request (time scale 0) takes of it.
	room() {
		local t b r n
		t=$(val f407 1048576 dfu-util "$1" 5) b=$(val f407 1048576 dd "$1" 7)
		n=$(val f407 1048576 dd "$1" 10)+$(val f407 1048576 dd "$1" 11)+$(val f407 1048576 dd "$1" 12)
		[ -n "$t" ] && [ -n "$b" ] && [ -n "$(per dd)" ] || return 0
		awk -v t="$t" -v b="$b" -v l="$2" -v n="$((n))" -v p="$(per dd)" -v d="$3" 'BEGIN {
			a = t * l
			printf "- %s: %s x dfu-util'"'"'s %.3f s is %.3f s; the protocol bound is %.3f s", d, l, t, a, b
			printf " (%.3f x dfu-util), which leaves %.0f ms for everything the bound", b / t, (a - b) * 1000
			printf " does not count. dd sends %d requests; at time scale 0 each costs the host tool,", n
			printf " the kernel, USB/IP and the emulator itself %.0f us, %.0f ms in all.\n", p * 1e6, n * p * 1000 }'
	}
	echo
	echo "Room above the bound at a limit against dfu-util (f407, 1 MiB):"
	echo
	room new $lim_new "new image"
	room sectors $lim_sectors "~10% changed in 2 of 12 sectors"
	room changed 0.25 "~10% changed in one run over two 128 KiB sectors"
	# Not one of the issue's targets: its bound alone is about 0.25x.
	awk -v t="$(val f407 1048576 dd changed 9)" -v b="$(val f407 1048576 dd changed 7)" \
	    -v r="$(val f407 1048576 dfu-util changed 5)" 'BEGIN {
		if (t == "" || r == "" || r + 0 == 0) exit
		printf "\nAlso measured, not one of the issue'"'"'s targets: ~10%% changed in one run"
		printf " over two 128 KiB sectors takes %s x dfu-util'"'"'s time with dd; its protocol", t
		printf " bound alone is %.3f x dfu-util, so a 0.25x limit would leave %.0f ms", b / r, (r / 4 - b) * 1000
		printf " for the requests themselves (above).\n" }'
	# where a dfu-util target is below what the work itself takes
	for m in g0b1:262144 l4:262144 f4-answer:1048576; do
		mp=${m%:*} ms=${m#*:}
		awk -v p="$mp" -v s="$ms" -v b="$(val "$mp" "$ms" dd new 7)" -v r="$(val "$mp" "$ms" dfu-util new 5)" \
		    -v a="$(val "$mp" "$ms" dd new 16)" -v w="$(val "$mp" "$ms" dd new 13)" 'BEGIN {
			if (r == "" || r + 0 == 0) exit
			printf "\n%s at %d KiB, new image: the compare-first bound is %.3f x dfu-util'"'"'s time,", p, s / 1024, b / r
			printf " the any-host bound %.3f x, the flash'"'"'s own busy time alone %.3f x.\n", a / r, w / 1000 / r }'
	done
	echo
	echo "## Every run"
	echo
	echo "Seconds, the ratio to the bound and to dfu-util in the same scenario, the"
	echo "DFU requests the emulator counted, its busy time and early polls."
	echo
	awk -F'\t' 'NR == 1 { printf "| %s", $1; for (i = 2; i <= NF; i++) printf " | %s", $i; print " |"
			  printf "|"; for (i = 1; i <= NF; i++) printf " --- |"; print ""; next }
		{ printf "| %s", $1; for (i = 2; i <= NF; i++) printf " | %s", $i; print " |" }' "$in"
	echo
	echo "![time against size](benchmarks.png)"
} >"$docs/benchmarks.md"

# The plot: new image on f407, time against size, per host and the bound.
plot=$1/plot.dat
awk -F'\t' 'NR > 1 && $1 == "f407" && $4 == "new" { t[$2 FS $3] = $5; b[$2] = $7; s[$2] = 1; h[$3] = 1 }
	END { printf "size"; n = split("dfu-util dd dfuse dfuse-noverify", H, " ")
	      for (i = 1; i <= n; i++) printf "\t%s", H[i]; print "\tbound"
	      for (x in s) { printf "%d", x / 1024; for (i = 1; i <= n; i++) printf "\t%s", t[x FS H[i]]; print "\t" b[x] } }' \
	"$in" | { read -r hdr; echo "$hdr"; sort -n; } >"$plot"
if command -v gnuplot >/dev/null; then
	gnuplot <<PLOT
set terminal pngcairo size 800,500
set output "$docs/benchmarks.png"
set title "New image over other firmware, emulated STM32F407 (virtual time)"
set xlabel "image size (KiB)"
set ylabel "seconds"
set key left top
set grid
plot for [i=2:6] "$plot" using 1:i with linespoints title columnheader(i)
PLOT
fi
