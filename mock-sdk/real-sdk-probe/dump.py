#!/usr/bin/env python3
"""Compact dump of results/*.json:  python3 dump.py [prefix ...]"""
import json, os, sys
R = os.environ.get("PROBE_RESULTS", os.path.join(os.environ.get("TMPDIR", "/tmp"), "hcnetsdk-real-sdk-probe"))


def comp(o):
    if isinstance(o, dict) and "call" in o:
        s = "ret=%s err=%s ms=%s pErrorNo=%s msg=%r" % (o["ret"], o["err"], o["ms"], o["pErrorNo"], o["msg"])
        extra = {k: v for k, v in o.items() if k not in ("call", "ret", "err", "ms", "pErrorNo", "msg")}
        return s + (" " + json.dumps(extra) if extra else "")
    return o


def show(d, ind="  "):
    for k, v in d.items():
        if isinstance(v, dict) and "call" not in v and len(json.dumps(v)) > 150:
            print(ind + str(k) + ":")
            show(v, ind + "  ")
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            print(ind + str(k) + ":")
            for i, x in enumerate(v):
                print(ind + "  [%d]" % i)
                show(x, ind + "    ")
        else:
            print(ind + str(k) + ": " + str(comp(v)))


sel = sys.argv[1:]
for f in sorted(os.listdir(R)):
    n = f[:-5]
    if not f.endswith(".json") or n == "ALL" or (sel and not any(n.startswith(s) for s in sel)):
        continue
    d = json.load(open(os.path.join(R, f)))
    print("=" * 8, n, "rc=%s wall=%ss netns=%s" % (d.get("rc"), d.get("wall_s"), d.get("netns")))
    if "stdout" in d:
        print("  STDOUT=%r STDERR=%r" % (d["stdout"], d["stderr"]))
    show(d["result"] or {})
