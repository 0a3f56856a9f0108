#!/usr/bin/python3
"""The netlink spec (kernel/Documentation/netlink/specs/dfuse.yaml) against
the kernel's genetlink schema and against the uapi header: every attribute
set and the operations in the header's order and numbering. Prints TAP.
usage: check-netlink-spec.py SPEC HEADER [SCHEMA]   (Debian's python3:
python3-yaml, python3-jsonschema)"""
import re
import sys

import yaml


def enum(header, name):
    """The enumerators of `enum NAME { ... }`, in order, UNSPEC and __MAX out."""
    m = re.search(r"enum %s \{(.*?)\};" % name, header, re.S)
    names = re.findall(r"^\s*([A-Z0-9_]+)", m.group(1), re.M) if m else []
    return [n for n in names if not n.startswith("__") and not n.endswith("_UNSPEC")]


def c_name(prefix, name):
    return prefix + name.upper().replace("-", "_")


def main():
    spec_path, header_path = sys.argv[1], sys.argv[2]
    spec = yaml.safe_load(open(spec_path))
    header = open(header_path).read()
    failed = 0

    def ok(cond, what):
        nonlocal failed
        failed += not cond
        print("%s - netlink spec: %s" % ("ok" if cond else "not ok", what))

    if len(sys.argv) > 3:
        import jsonschema
        try:
            jsonschema.validate(spec, yaml.safe_load(open(sys.argv[3])))
            ok(True, "valid against the kernel's genetlink schema")
        except jsonschema.ValidationError as e:
            ok(False, "valid against the kernel's genetlink schema (%s)" % e.message)
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    for set_name, enum_name, prefix in (("device", "dfuse_genl_attr", "DFUSE_A_"),
                                        ("alt", "dfuse_genl_alt_attr", "DFUSE_A_ALT_"),
                                        ("segment", "dfuse_genl_seg_attr", "DFUSE_A_SEG_")):
        want = enum(header, enum_name)
        got = [c_name(prefix, a["name"]) for a in sets.get(set_name, {}).get("attributes", [])]
        ok(want and got == want, "attribute set %s is enum %s, in order%s" %
           (set_name, enum_name, "" if got == want else " (spec %s, header %s)" % (got, want)))
    want = enum(header, "dfuse_genl_cmd")
    got = [c_name("DFUSE_CMD_", o["name"]) for o in spec["operations"]["list"]]
    ok(want and got == want, "operations are enum dfuse_genl_cmd, in order%s" %
       ("" if got == want else " (spec %s, header %s)" % (got, want)))
    groups = [g["name"] for g in spec["mcast-groups"]["list"]]
    ok('"%s"' % groups[0] in header and groups == ["events"],
       "multicast group events is DFUSE_GENL_MCGRP_EVENTS")
    ok(spec["name"] == "dfuse" and '#define DFUSE_GENL_NAME\t\t"dfuse"' in header,
       "family name dfuse is DFUSE_GENL_NAME")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
