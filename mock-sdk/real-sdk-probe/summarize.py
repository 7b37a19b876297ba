#!/usr/bin/env python3
"""Turn results/*.json (from probe.py) into markdown tables: results/TABLES.md.

    python3 mock-sdk/real-sdk-probe/summarize.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
R = os.environ.get("PROBE_RESULTS", os.path.join(os.environ.get("TMPDIR", "/tmp"), "hcnetsdk-real-sdk-probe"))
out = []


def load(n):
    p = os.path.join(R, n + ".json")
    if not os.path.exists(p):
        return None
    return json.load(open(p))


def res(n):
    d = load(n)
    return None if d is None else d["result"]


def w(s=""):
    out.append(s)


def table(header, rows):
    w("| " + " | ".join(header) + " |")
    w("|" + "---|" * len(header))
    for r in rows:
        w("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    w()


def c(rec, msg=False):
    if rec is None:
        return ["-"] * (5 if msg else 3)
    row = [rec.get("ret"), rec.get("err"), rec.get("ms")]
    if msg:
        row += [rec.get("pErrorNo"), rec.get("msg")]
    return row


# ---- lifecycle --------------------------------------------------------------------------
w("# Raw tables generated from results/*.json by summarize.py\n")
for n in ("lifecycle_preinit", "lifecycle_cleanup_preinit", "lifecycle_refcount",
          "lifecycle_global_error", "lifecycle_single", "versions", "threads",
          "settings_preinit_persist"):
    r = res(n)
    if r is None:
        continue
    w("## %s\n" % n)
    rows = []

    def walk(prefix, v):
        if isinstance(v, dict) and "call" in v:
            rows.append([prefix, v["ret"], v["err"], v["ms"], v.get("pErrorNo"), v.get("msg"),
                         json.dumps({k: x for k, x in v.items() if k not in
                                     ("call", "ret", "err", "ms", "pErrorNo", "msg")}) or ""])
        elif isinstance(v, dict):
            for k, x in v.items():
                walk((prefix + " / " if prefix else "") + str(k), x)
        elif not prefix.startswith("_"):
            rows.append([prefix, json.dumps(v), "", "", "", "", ""])
    walk("", r)
    table(["step", "ret / value", "err", "ms", "pErrorNo", "GetErrorMsg", "extra"], rows)

# ---- network ----------------------------------------------------------------------------
w("## network failures (Login_V40, sync, 127.0.0.1)\n")
rows = []
for f in sorted(os.listdir(R)):
    if not f.startswith("net_") or not f.endswith(".json"):
        continue
    n = f[:-5]
    r = res(n)
    s = r["summary"]
    first = r["attempts"][0]
    conns = first.get("connections", [])
    setret = ""
    if "SetConnectTime(2000,1)" in r:
        setret = "SetConnectTime=%s/err %s, SetRecvTimeOut=%s/err %s" % (
            r["SetConnectTime(2000,1)"]["ret"], r["SetConnectTime(2000,1)"]["err"],
            r["SetRecvTimeOut(2000)"]["ret"], r["SetRecvTimeOut(2000)"]["err"])
    rows.append([n, s["n"], json.dumps(s["outcomes"]), s["ms_all"][0],
                 "%s / %s / %s" % (s["ms_min"], s["ms_median"], s["ms_max"]),
                 s["connections_per_attempt"][0], first["login"]["msg"],
                 ";".join("acc@%s rx=%s closed=%s" % (x["accept_ms"], x["rx_len"], x.get("closed_by"))
                          for x in conns), setret])
table(["scenario", "n", "outcomes", "1st ms", "ms min/median/max", "conns/attempt",
       "GetErrorMsg", "1st attempt server view", "set* returns"], rows)

for n in ("net_mode0_default_silent", "net_mode1_default_silent"):
    r = res(n)
    if r:
        cc = r["attempts"][0]["connections"][0]
        w("### first bytes the SDK sent, %s\n" % n)
        w("```")
        w("len=%d" % cc["rx_len"])
        h = cc["rx_hex_full"]
        for i in range(0, len(h), 64):
            w("%04x  %s" % (i // 2, " ".join(h[j:j + 2] for j in range(i, min(i + 64, len(h)), 2))))
        w("text: %r" % cc["rx_head_text"])
        w("```\n")

# ---- bad params -------------------------------------------------------------------------
r = res("badparams")
if r:
    w("## badparams (after Init; each in a new thread: fresh / after 7 / after 17)\n")
    rows = []
    for k, v in r.items():
        if isinstance(v, dict) and "fresh" in v:
            rows.append([k] + c(v["fresh"], True) + [v["e7"]["err"], v["e17"]["err"]])
        elif k.startswith("GetErrorMsg"):
            rows.append([k, json.dumps(v), "", "", "", "", "", ""])
    table(["call", "ret", "err (fresh)", "ms", "pErrorNo", "GetErrorMsg", "err after 7", "err after 17"], rows)

# ---- handles ----------------------------------------------------------------------------
for n in ("handles_postinit", "handles_preinit"):
    r = res(n)
    if not r:
        continue
    w("## %s\n" % n)
    if "note" in r:
        w(r["note"] + "\n")
    calls = r["calls"]
    bl = list(next(iter(calls.values())).keys())
    rows = []
    for k, v in calls.items():
        row = [k]
        for b in bl:
            x = v[b]
            row.append("ret=%s err=%s (before %s) %sms" % (x["ret"], x["err"], x["err_before"], x["ms"]))
        rows.append(row)
    table(["call"] + bl, rows)
    if "success_calls_after_7" in r:
        table(["successful call after a 7", "ret", "err after"],
              [[k, v["ret"], v["err_after"]] for k, v in r["success_calls_after_7"].items()])

for n in ("logout_unused_ids",):
    r = res(n)
    if r:
        w("## %s\n" % n)
        table(["step", "ret", "err", "ms"], [[s["call"], s["ret"], s["err"], s["ms"]] for s in r["steps"]])
r = res("error_set_if_clear")
if r:
    w("## error_set_if_clear\n")
    table(["sequence (new thread)", "(step, ret, err) ..."],
          [[k, json.dumps(v)] for k, v in r.items() if not k.startswith("_") and k not in ("paths", "Init", "Cleanup")])
r = res("id_ranges")
if r:
    w("## id_ranges ((ret, err) per id, each in a new thread)\n")
    keys = [k for k in r if isinstance(r[k], dict) and "0" in r[k]]
    ids = list(r[keys[0]].keys())
    table(["function"] + ids, [[k] + ["%s/%s" % tuple(r[k][i]) for i in ids] for k in keys])

# ---- settings ---------------------------------------------------------------------------
r = res("settings")
if r:
    w("## settings\n")
    rows = []
    for k, v in r["before_Init"].items():
        if isinstance(v, dict) and "reset0" in v:
            a = r["after_Init"][k]
            rows.append([k, v["reset0"]["ret"], v["reset0"]["err"], v["e3"]["err"],
                         a["fresh"]["ret"], a["fresh"]["err"], a["e7"]["err"]])
    table(["call", "before Init: ret", "err (from 0)", "err (from 3)", "after Init: ret",
           "err (fresh thread)", "err (thread had 7)"], rows)
    w("After Init: SDKSTATE=%s\n" % json.dumps(r["after_Init"]["SDKSTATE"]))
    w("After Init: SDKABL=%s dwRes=%s\n" % (json.dumps(r["after_Init"]["SDKABL"]), r["after_Init"]["SDKABL.dwRes"]))
    w("After Cleanup: %s\n" % json.dumps({k: [v["ret"], v["err"]] for k, v in r["after_Cleanup"].items()}))
    w("Log dir after: exists=%s files=%s\n" % (r["logdir_exists_after"], r["logdir_files"]))
r = res("timeouts_effect")
if r:
    w("## timeouts_effect (private protocol)\n")
    table(["setting", "login ms", "err"], [[json.dumps({k: v for k, v in x.items() if k.startswith("Set")}),
                                           x.get("login_nosyn_ms", x.get("login_silent_ms")), x["err"]]
                                          for x in r["results"]])

# ---- errmsg -----------------------------------------------------------------------------
r = res("errmsg_table")
if r:
    w("## GetErrorMsg texts (code set with libHCCore Core_SetLastError)\n")
    table(["code", "GetLastError", "pErrorNo", "text"],
          [[k, v["GetLastError"], v["pErrorNo"], v["text"]] for k, v in r["via_Core_SetLastError"].items()])

# ---- init banner ------------------------------------------------------------------------
w("## Init output\n")
rows = []
for n in ("init_banner_host", "init_banner_netns", "init_banner_no_paths"):
    d = load(n)
    if d:
        init = d["result"].get("Init") or d["result"].get("Init_without_SetSDKInitCfg")
        rows.append([n, repr(d["stdout"]), repr(d["stderr"]), init["ret"], init["ms"],
                     d["result"].get("Cleanup", {}).get("ms")])
table(["scenario", "stdout", "stderr", "Init ret", "Init ms", "Cleanup ms"], rows)

# ---- async ------------------------------------------------------------------------------
w("## async login\n")
rows = []
for f in sorted(os.listdir(R)):
    if f.startswith("async_") and f.endswith(".json"):
        r = res(f[:-5])
        cb = r["callbacks"][0] if r["callbacks"] else {}
        rows.append([f[:-5], r["Login_V40_async"]["ret"], r["Login_V40_async"]["err"], r["Login_V40_async"]["ms"],
                     cb.get("lUserID"), cb.get("dwResult"), cb.get("lpDeviceInfo_nonnull"), cb.get("pUser"),
                     cb.get("ms_after_call_start", cb.get("ms")),
                     "%s vs main %s" % (cb.get("cb_native_tid"), r.get("main_native_tid")),
                     cb.get("GetLastError_on_cb_thread"), r.get("main_err_after_callback"),
                     json.dumps([r.get("Logout(returned id) after callback", r.get("Logout_immediately", {})).get(k) for k in ("ret", "err", "ms")])])
table(["scenario", "ret", "err", "ms", "cb lUserID", "cb dwResult", "cb lpDeviceInfo!=NULL", "cb pUser",
       "cb ms after call", "cb thread", "GetLastError on cb thread", "main err after", "Logout(id) ret/err/ms"], rows)

# ---- exports ----------------------------------------------------------------------------
d = load("exports")
if d:
    w("## exports\n")
    w("```\n%s\n```\n" % json.dumps(d["result"], indent=1))

open(os.path.join(R, "TABLES.md"), "w").write("\n".join(out))
print("wrote", os.path.join(R, "TABLES.md"))
