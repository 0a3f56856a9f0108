#!/usr/bin/env python3
"""Turn memory-map vector files (INPUT<TAB>EXPECTED lines) into a C table."""
import sys


def c_string(s):
    out = []
    for ch in s:
        if ch in '"\\':
            out.append('\\' + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.append('\\%03o' % ord(ch))
    return '"' + ''.join(out) + '"'


def main(paths):
    print('/* SPDX-License-Identifier: GPL-2.0 */')
    print('/*')
    print(' * Memory maps as real parts report them, and what the parser must')
    print(' * make of each. Generated from the vector files; do not edit.')
    print(' */')
    print('static const struct memmap_vector memmap_vectors[] = {')
    for path in paths:
        name = path.rsplit('/', 1)[-1]
        with open(path, encoding='utf-8') as f:
            for no, line in enumerate(f, 1):
                line = line.rstrip('\n')
                if not line or line.startswith('#'):
                    continue
                if line.count('\t') != 1:
                    sys.exit('%s:%d: expected INPUT<TAB>EXPECTED' % (path, no))
                inp, exp = line.split('\t')
                # a line that is only a string may pass 100 columns
                print('\t{\n\t\t%s, %d,\n\t\t%s,\n\t\t%s,\n\t},' % (
                    c_string(name), no, c_string(inp), c_string(exp)))
    print('};')


if __name__ == '__main__':
    main(sys.argv[1:])
