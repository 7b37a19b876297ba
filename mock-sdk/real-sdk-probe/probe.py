#!/usr/bin/env python3
"""Probe the real HCNetSDK 6.1.9.48 on Linux, without a camera, loopback only.

    python3 mock-sdk/real-sdk-probe/probe.py            # run every scenario (about 7 min), then summarize.py
    python3 mock-sdk/real-sdk-probe/probe.py NAME ...   # run only scenarios whose name starts with NAME
    python3 mock-sdk/real-sdk-probe/probe.py --list

Every scenario runs in a fresh process (so SDK state never leaks between scenarios),
inside a private network namespace (`unshare -n`, only `lo`, brought up) so that nothing
can leave 127.0.0.1 even by mistake. The one exception is `init_banner_host`, which only
calls SetSDKInitCfg/Init/Cleanup in the normal namespace, to show what Init prints on a
host with real interfaces (strace showed Init opens no TCP/UDP connection, only a netlink
socket).

Results: results/<scenario>.json (the scenario's data plus the child's raw stdout/stderr,
exit code and wall time) and results/ALL.json. The child never writes to stdout/stderr
itself, so captured stdout/stderr is exactly what the SDK printed.
"""
import ctypes as C
import json
import os
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sdk as S  # noqa: E402

RESULTS = os.environ.get("PROBE_RESULTS", os.path.join(os.environ.get("TMPDIR", "/tmp"), "hcnetsdk-real-sdk-probe"))
RUNDIR = os.path.join(HERE, "run")          # cwd of every child (SDK may drop files in cwd)
LOGDIR = os.environ.get("PROBE_LOGDIR", "/tmp/x/")   # SetLogToFile dir from the brief

SCENARIOS = {}


def scenario(name, netns=True, timeout=240):
    def deco(fn):
        SCENARIOS[name] = (fn, netns, timeout)
        return fn
    return deco


# ---------------------------------------------------------------------------------------
# helpers used inside a child
# ---------------------------------------------------------------------------------------

def lg(sdk, port, **kw):
    li = S.login_info(port, **kw)
    dev = S.NET_DVR_DEVICEINFO_V40()
    return sdk.call("Login_V40(127.0.0.1:%d, mode=%d)" % (port, kw.get("mode", 0)),
                    sdk.Login_V40, C.byref(li), C.byref(dev))


CURRENT = {"name": None}


def init(sdk):
    out = {"paths": sdk.set_paths()}
    out["Init"] = sdk.call("Init", sdk.Init)
    if os.environ.get("PROBE_SDKLOG"):
        d = os.path.join(RUNDIR, "sdklog", CURRENT["name"]) + "/"
        os.makedirs(d, exist_ok=True)
        out["SetLogToFile(3,dir,0)"] = sdk.SetLogToFile(3, d.encode(), 0)
    return out


def fail7(sdk):
    """Make the calling thread's last error 7 (login to a closed 127.0.0.1 port)."""
    r = lg(sdk, S.closed_port())
    assert r["err"] == 7, r
    return r["err"]


def fail17(sdk):
    """Make the calling thread's last error 17 (Login_V40 with NULL pLoginInfo)."""
    dev = S.NET_DVR_DEVICEINFO_V40()
    sdk.Login_V40(None, C.byref(dev))
    return sdk.err()


def final_cleanup(sdk):
    sdk.with_msg = False      # GetErrorMsg after the last Cleanup would fail and set 3
    return sdk.call("Cleanup", sdk.Cleanup)


def decode_version(v):
    return {"raw": v, "hex": "0x%08X" % v, "hi16": v >> 16, "lo16": v & 0xFFFF,
            "bytes_msb_first": [(v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255]}


# ---------------------------------------------------------------------------------------
# 1. lifecycle
#
# Before Init and after the last Cleanup the last error is one process-wide value, and
# NET_DVR_GetErrorMsg itself fails there (returns NULL, sets 3). So these scenarios do
# not call GetErrorMsg implicitly (sdk.with_msg = False) while the SDK is not initialised,
# and reset the process-wide value to 0 between steps with a successful SetSDKInitCfg
# (measured: a successful SetSDKInitCfg sets the last error to 0).
# ---------------------------------------------------------------------------------------

def reset0(sdk):
    sdk.set_paths()
    return sdk.err()


@scenario("lifecycle_preinit")
def sc_lifecycle_preinit(sdk):
    sdk.with_msg = False
    r = {}
    r["GetLastError_first_call"] = sdk.err()
    r["GetLastError_second_call"] = sdk.err()
    r["GetErrorMsg(&n)_before_Init"] = sdk.errmsg()
    r["err_after_GetErrorMsg_before_Init"] = sdk.err()
    r["err_after_reset_by_SetSDKInitCfg"] = reset0(sdk)
    port = S.closed_port()
    r["Login_V40_before_Init"] = lg(sdk, port)
    r["other_thread_reads_after_preinit_login"] = S.in_thread(sdk.err)
    r["other_thread_GetErrorMsg"] = S.in_thread(sdk.errmsg)
    r["main_again"] = sdk.err()
    steps = [
        ("Login_V40(NULL,NULL)", lambda: sdk.call("Login_V40(NULL,NULL)", sdk.Login_V40, None, None)),
        ("Login_V30(127.0.0.1:closed)", lambda: sdk.call("Login_V30", sdk.Login_V30, b"127.0.0.1", port,
                                                         b"admin", b"12345", C.byref(S.NET_DVR_DEVICEINFO_V30()))),
        ("Logout(0)", lambda: sdk.call("Logout(0)", sdk.Logout, 0)),
        ("GetSDKVersion", lambda: sdk.call("GetSDKVersion", sdk.GetSDKVersion)),
        ("GetSDKBuildVersion", lambda: sdk.call("GetSDKBuildVersion", sdk.GetSDKBuildVersion)),
        ("GetErrorMsg(NULL)", lambda: sdk.call("GetErrorMsg(NULL)", sdk.GetErrorMsg, None)),
        ("GetLastError", lambda: sdk.call("GetLastError", sdk.GetLastError)),
        ("Cleanup", lambda: sdk.call("Cleanup", sdk.Cleanup)),
    ]
    for label, f in steps:
        before = reset0(sdk)
        rec = f()
        rec["err_before"] = before
        r["before_Init: " + label] = rec
    # does a successful SetSDKInitCfg clear a 3?
    lg(sdk, port)
    r["err_3_then_SetSDKInitCfg"] = {"before": sdk.err(), "SetSDKInitCfg": sdk.set_paths(), "after": sdk.err()}
    lg(sdk, port)
    r["Init"] = sdk.call("Init", sdk.Init)
    sdk.with_msg = True
    r["err_before_Init_was"] = 3
    r["main_err_after_Init"] = sdk.err()
    r["new_thread_err_after_Init"] = S.in_thread(sdk.err)
    sdk.with_msg = False
    r["Cleanup"] = final_cleanup(sdk)
    return r


@scenario("lifecycle_cleanup_preinit")
def sc_cleanup_preinit(sdk):
    sdk.with_msg = False
    r = {"Cleanup_before_any_Init": sdk.call("Cleanup", sdk.Cleanup)}
    r["other_thread"] = S.in_thread(sdk.err)
    r["Cleanup_before_any_Init_2nd"] = sdk.call("Cleanup", sdk.Cleanup)
    r.update(init(sdk))
    sdk.with_msg = True
    r["Login_closed_after_Init"] = lg(sdk, S.closed_port())
    sdk.with_msg = False
    r["Cleanup_after_Init (a single Cleanup suffices: earlier failed Cleanups did not count)"] = \
        sdk.call("Cleanup", sdk.Cleanup)
    r["Cleanup_again"] = sdk.call("Cleanup", sdk.Cleanup)
    return r


@scenario("lifecycle_refcount")
def sc_lifecycle_refcount(sdk):
    r = {"paths": sdk.set_paths()}
    r["Init_1"] = sdk.call("Init", sdk.Init)
    r["Init_2"] = sdk.call("Init", sdk.Init)
    r["Login_closed_between"] = lg(sdk, S.closed_port())
    r["Cleanup_1"] = sdk.call("Cleanup", sdk.Cleanup)
    r["after_Cleanup_1_GetSDKVersion"] = sdk.call("GetSDKVersion", sdk.GetSDKVersion)
    r["Login_closed_after_Cleanup_1"] = lg(sdk, S.closed_port())
    sdk.with_msg = False
    r["Cleanup_2"] = sdk.call("Cleanup", sdk.Cleanup)
    r["GetLastError_after_full_Cleanup_main"] = sdk.err()
    r["GetLastError_after_full_Cleanup_main_again"] = sdk.err()
    r["GetLastError_after_full_Cleanup_new_thread"] = S.in_thread(sdk.err)
    r["Cleanup_3"] = sdk.call("Cleanup", sdk.Cleanup)
    r["GetLastError_after_Cleanup_3_new_thread"] = S.in_thread(sdk.err)
    port = S.closed_port()
    for label, f in [
        ("Login_V40_after_Cleanup", lambda: lg(sdk, port)),
        ("Logout(0)_after_Cleanup", lambda: sdk.call("Logout(0)", sdk.Logout, 0)),
        ("GetSDKVersion_after_Cleanup", lambda: sdk.call("GetSDKVersion", sdk.GetSDKVersion)),
        ("GetSDKBuildVersion_after_Cleanup", lambda: sdk.call("GetSDKBuildVersion", sdk.GetSDKBuildVersion)),
        ("GetErrorMsg(NULL)_after_Cleanup", lambda: sdk.call("GetErrorMsg(NULL)", sdk.GetErrorMsg, None)),
    ]:
        before = reset0(sdk)
        rec = f()
        rec["err_before"] = before
        rec["new_thread_reads"] = S.in_thread(sdk.err)
        r[label] = rec
    r["Reinit"] = sdk.call("Init", sdk.Init)
    sdk.with_msg = True
    r["err_main_after_Reinit"] = sdk.err()
    r["Login_closed_after_Reinit"] = lg(sdk, S.closed_port())
    r["new_thread_after_Reinit_login"] = S.in_thread(sdk.err)
    r["Logout12345_after_Reinit"] = sdk.call("Logout(12345)", sdk.Logout, 12345)
    sdk.with_msg = False
    r["Cleanup_after_Reinit"] = sdk.call("Cleanup", sdk.Cleanup)
    r["Cleanup_extra"] = sdk.call("Cleanup", sdk.Cleanup)
    return r


@scenario("lifecycle_global_error")
def sc_lifecycle_global_error(sdk):
    """Where does a pre-Init error (3) live, and what do Init/Cleanup do to it?"""
    sdk.with_msg = False
    r = {"Login_V40_before_Init": lg(sdk, S.closed_port())}
    r["Init_without_SetSDKInitCfg"] = sdk.call("Init", sdk.Init)
    r["main_err_after_Init"] = sdk.err()
    r["new_thread_err_after_Init"] = S.in_thread(sdk.err)
    sdk.with_msg = True
    r["main_login_closed"] = lg(sdk, S.closed_port())
    sdk.with_msg = False
    r["Cleanup"] = final_cleanup(sdk)
    r["main_err_after_Cleanup"] = sdk.err()
    r["new_thread_err_after_Cleanup"] = S.in_thread(sdk.err)
    r["GetErrorMsg(&n)_after_Cleanup"] = sdk.errmsg()
    r["main_err_after_GetErrorMsg"] = sdk.err()
    r["SetSDKInitCfg_after_Cleanup"] = sdk.set_paths()
    r["err_after_SetSDKInitCfg"] = sdk.err()
    r["new_thread_err_after_SetSDKInitCfg"] = S.in_thread(sdk.err)
    r["SetSDKInitCfg(99,NULL)"] = sdk.call("SetSDKInitCfg(99,NULL)", sdk.SetSDKInitCfg, 99, None)
    reset0(sdk)
    r["SetSDKInitCfg(2,NULL)"] = sdk.call("SetSDKInitCfg(2,NULL)", sdk.SetSDKInitCfg, 2, None)
    return r


@scenario("lifecycle_single")
def sc_lifecycle_single(sdk):
    r = init(sdk)
    sdk.with_msg = False
    r["Cleanup_1"] = sdk.call("Cleanup", sdk.Cleanup)
    r["Cleanup_2"] = sdk.call("Cleanup", sdk.Cleanup)
    r["Init_again"] = sdk.call("Init", sdk.Init)
    sdk.with_msg = True
    r["Init_again_login_closed"] = lg(sdk, S.closed_port())
    sdk.with_msg = False
    r["Cleanup_3"] = sdk.call("Cleanup", sdk.Cleanup)
    r["Init_third"] = sdk.call("Init", sdk.Init)
    r["Cleanup_4"] = sdk.call("Cleanup", sdk.Cleanup)
    return r


# ---------------------------------------------------------------------------------------
# 2. versions
# ---------------------------------------------------------------------------------------

@scenario("versions")
def sc_versions(sdk):
    sdk.with_msg = False
    r = {}
    reset0(sdk)
    v = sdk.GetSDKVersion()
    r["before_Init_GetSDKVersion"] = {**decode_version(v), "err": sdk.err()}
    reset0(sdk)
    v = sdk.GetSDKBuildVersion()
    r["before_Init_GetSDKBuildVersion"] = {**decode_version(v), "err": sdk.err()}
    r.update(init(sdk))
    sdk.with_msg = True
    r["after_Init"] = {"GetSDKVersion": decode_version(sdk.GetSDKVersion()),
                       "GetSDKBuildVersion": decode_version(sdk.GetSDKBuildVersion()),
                       "err": sdk.err()}
    r["after_Init_new_thread"] = S.in_thread(lambda: {
        "GetSDKVersion": sdk.GetSDKVersion(), "GetSDKBuildVersion": sdk.GetSDKBuildVersion()})
    fail7(sdk)
    sdk.GetSDKVersion()
    sdk.GetSDKBuildVersion()
    r["err_after_fail7_then_version_calls"] = sdk.err()
    sdk.with_msg = False
    r["Cleanup"] = final_cleanup(sdk)
    r["after_Cleanup"] = {"GetSDKVersion": sdk.GetSDKVersion(),
                          "GetSDKBuildVersion": sdk.GetSDKBuildVersion()}
    return r


# ---------------------------------------------------------------------------------------
# 3. thread locality
# ---------------------------------------------------------------------------------------

@scenario("threads")
def sc_threads(sdk):
    r = init(sdk)
    ev_a_failed, ev_b_done, ev_a_done = threading.Event(), threading.Event(), threading.Event()
    out = {}

    def A():
        out["A_tid"] = threading.get_native_id()
        out["A_login"] = lg(sdk, S.closed_port())
        out["A_reads_1"] = sdk.err()
        ev_a_failed.set()
        ev_b_done.wait(30)
        out["A_reads_after_B_failed"] = sdk.err()
        out["A_errmsg_after_B_failed"] = sdk.errmsg()
        ev_a_done.set()

    def B():
        ev_a_failed.wait(30)
        out["B_tid"] = threading.get_native_id()
        out["B_fresh_reads"] = sdk.err()
        out["B_fresh_errmsg"] = sdk.errmsg()
        dev = S.NET_DVR_DEVICEINFO_V40()
        out["B_fail_other_code"] = sdk.call("Login_V40(NULL, &dev)", sdk.Login_V40, None, C.byref(dev))
        out["B_reads"] = sdk.err()
        ev_b_done.set()
        ev_a_done.wait(30)
        out["B_reads_after_A_reread"] = sdk.err()

    ta, tb = threading.Thread(target=A), threading.Thread(target=B)
    ta.start(); tb.start(); ta.join(60); tb.join(60)
    r["AB"] = out
    r["main_reads_after_AB"] = sdk.err()
    # main thread fails, then a thread that was created BEFORE the failure reads
    ev1, ev2 = threading.Event(), threading.Event()
    pre = {}

    def pre_existing():
        ev1.wait(30)
        pre["reads"] = sdk.err()
        ev2.set()
    t = threading.Thread(target=pre_existing); t.start()
    r["main_login"] = lg(sdk, S.closed_port())
    ev1.set(); ev2.wait(30); t.join(10)
    r["pre_existing_thread_reads_after_main_failed"] = pre.get("reads")
    r["Cleanup"] = final_cleanup(sdk)
    r["main_reads_after_Cleanup"] = sdk.err()
    r["new_thread_reads_after_Cleanup"] = S.in_thread(sdk.err)
    return r


# ---------------------------------------------------------------------------------------
# 4. network failures on 127.0.0.1
# ---------------------------------------------------------------------------------------

BEHAVIOURS = ["refused", "close", "readclose", "garbage_keep", "garbage_close", "silent", "nosyn"]
SLOW = ("silent", "nosyn")
NET_REPEATS_FAST = int(os.environ.get("PROBE_NET_REPEATS", "20"))
NET_REPEATS_SLOW = int(os.environ.get("PROBE_NET_REPEATS_SLOW", "3"))


def net_scenario(mode, timeouts, behaviour):
    def fn(sdk):
        r = init(sdk)
        if timeouts == "set":
            r["SetConnectTime(2000,1)"] = sdk.call("SetConnectTime(2000,1)", sdk.SetConnectTime, 2000, 1)
            r["SetRecvTimeOut(2000)"] = sdk.call("SetRecvTimeOut(2000)", sdk.SetRecvTimeOut, 2000)
        attempts = []
        n = NET_REPEATS_SLOW if (behaviour in SLOW or (mode == 1 and behaviour.endswith("_keep"))) else NET_REPEATS_FAST
        for i in range(n):
            a = {}
            srv = None
            if behaviour == "refused":
                port = S.closed_port()
            else:
                srv = S.Listener(behaviour)
                port = srv.port
                if behaviour == "nosyn":
                    a["nosyn_verified"] = srv.nosyn_verified
                srv.mark()
            a["login"] = lg(sdk, port, mode=mode)
            if srv:
                time.sleep(0.3)          # see whether the SDK closes its side afterwards
                srv.stop()
                a["connections"] = srv.report()
            if a["login"]["ret"] >= 0:
                a["Logout"] = sdk.call("Logout", sdk.Logout, a["login"]["ret"])
            attempts.append(a)
        r["attempts"] = attempts
        ms = sorted(a["login"]["ms"] for a in attempts)
        codes = {}
        for a in attempts:
            k = "ret=%d err=%d" % (a["login"]["ret"], a["login"]["err"])
            codes[k] = codes.get(k, 0) + 1
        r["summary"] = {"n": len(attempts), "outcomes": codes, "ms_min": ms[0],
                        "ms_median": ms[len(ms) // 2], "ms_max": ms[-1],
                        "ms_all": [a["login"]["ms"] for a in attempts],
                        "connections_per_attempt": [len(a.get("connections", [])) for a in attempts],
                        "payload_hex": S.PAYLOADS[behaviour.split("_")[0]].hex()
                        if behaviour.split("_")[0] in S.PAYLOADS else None}
        r["Cleanup"] = final_cleanup(sdk)
        return r
    return fn


for _m in (0, 1):
    for _t in ("default", "set"):
        for _b in BEHAVIOURS:
            scenario("net_mode%d_%s_%s" % (_m, _t, _b), timeout=600)(net_scenario(_m, _t, _b))
# other 64-byte payloads (the private protocol reads the first 4 bytes as a length)
for _b in ("garbagelen_keep", "zeros_keep"):
    scenario("net_mode0_default_%s" % _b, timeout=600)(net_scenario(0, "default", _b))
scenario("net_mode1_default_zeros_keep", timeout=600)(net_scenario(1, "default", "zeros_keep"))


# ---------------------------------------------------------------------------------------
# 5. bad parameters
# ---------------------------------------------------------------------------------------

def with_baselines(sdk, fn, baselines=("fresh", "e7", "e17")):
    """Run fn() in a fresh thread after setting a known last error; report err after."""
    out = {}
    for b in baselines:
        def run(b=b):
            before = sdk.err()
            if b == "e7":
                before = fail7(sdk)
            elif b == "e17":
                before = fail17(sdk)
            elif b == "e3":
                before = fail7_preinit(sdk)
            elif b == "reset0":
                before = reset0(sdk)
            rec = fn()
            rec["err_before"] = before
            rec["err_updated"] = (rec["err"] != before) if b not in ("fresh", "reset0") else None
            return rec
        out[b] = S.in_thread(run)
    return out


def fail7_preinit(sdk):
    lg(sdk, S.closed_port())
    return sdk.err()


@scenario("badparams")
def sc_badparams(sdk):
    r = init(sdk)
    cp = S.closed_port()
    keep = []

    def L40(label, li, dev):
        def f():
            keep.append((li, dev))
            return sdk.call(label, sdk.Login_V40, None if li is None else C.byref(li),
                            None if dev is None else C.byref(dev))
        return f
    dev = S.NET_DVR_DEVICEINFO_V40
    cases = {
        "Login_V40(NULL, &dev)": L40("Login_V40(NULL,&dev)", None, dev()),
        "Login_V40(NULL, NULL)": L40("Login_V40(NULL,NULL)", None, None),
        "Login_V40(&li closed port, NULL)": L40("Login_V40(&li,NULL)", S.login_info(cp), None),
        "Login_V40(&li, NULL) mode=1": L40("Login_V40(&li,NULL)", S.login_info(cp, mode=1), None),
        "Login_V40 empty address": L40("empty addr", S.login_info(cp, addr=b""), dev()),
        "Login_V40 empty address mode=1": L40("empty addr", S.login_info(cp, addr=b"", mode=1), dev()),
        "Login_V40 port 0": L40("port 0", S.login_info(0), dev()),
        "Login_V40 port 0 mode=1": L40("port 0", S.login_info(0, mode=1), dev()),
        "Login_V40 address 129 x 'a' (no NUL in field)": L40("addr129", S.login_info(cp, addr=b"a" * 129), dev()),
        "Login_V40 address '127.0.0.1'+120 x '0' (129, no NUL)": L40(
            "addr129num", S.login_info(cp, addr=b"127.0.0.1" + b"0" * 120), dev()),
        "Login_V40 address 'localhost' closed port": L40("localhost", S.login_info(cp, addr=b"localhost"), dev()),
        "Login_V40 address '999.1.1.1'": L40("999.1.1.1", S.login_info(cp, addr=b"999.1.1.1"), dev()),
        "Login_V40 address '0.0.0.0' closed port": L40("0.0.0.0", S.login_info(cp, addr=b"0.0.0.0"), dev()),
        "Login_V40 address '::1' closed port": L40("::1", S.login_info(cp, addr=b"::1"), dev()),
        "Login_V40 address ' 127.0.0.1' (leading space)": L40("sp", S.login_info(cp, addr=b" 127.0.0.1"), dev()),
        "Login_V40 empty user+password closed port": L40("empty user", S.login_info(cp, user=b"", pwd=b""), dev()),
        "Login_V40 byLoginMode=7 (invalid)": L40("mode7", S.login_info(cp, mode=7), dev()),
        "Login_V40 byLoginMode=2 (adaptive)": L40("mode2", S.login_info(cp, mode=2), dev()),
    }
    d30 = S.NET_DVR_DEVICEINFO_V30()
    cases["Login_V30(NULL addr)"] = lambda: sdk.call("Login_V30(NULL,...)", sdk.Login_V30, None, cp, b"admin", b"12345", C.byref(d30))
    cases["Login_V30(127.0.0.1 closed)"] = lambda: sdk.call("Login_V30", sdk.Login_V30, b"127.0.0.1", cp, b"admin", b"12345", C.byref(d30))
    cases["Login_V30(closed, NULL dev)"] = lambda: sdk.call("Login_V30", sdk.Login_V30, b"127.0.0.1", cp, b"admin", b"12345", None)
    cases["Login_V30(empty addr)"] = lambda: sdk.call("Login_V30", sdk.Login_V30, b"", cp, b"admin", b"12345", C.byref(d30))
    cases["Login_V30(NULL user)"] = lambda: sdk.call("Login_V30", sdk.Login_V30, b"127.0.0.1", cp, None, b"12345", C.byref(d30))
    cases["Login_V30(NULL password)"] = lambda: sdk.call("Login_V30", sdk.Login_V30, b"127.0.0.1", cp, b"admin", None, C.byref(d30))
    cases["Login_V30(port 0)"] = lambda: sdk.call("Login_V30", sdk.Login_V30, b"127.0.0.1", 0, b"admin", b"12345", C.byref(d30))
    for k, f in cases.items():
        r[k] = with_baselines(sdk, f)

    def gem_null():
        p = sdk.GetErrorMsg(None)
        return {"ret_nonnull": bool(p), "text": C.string_at(p).decode("latin-1") if p else None,
                "err": sdk.err()}

    def gem_null_after7():
        fail7(sdk)
        return gem_null()
    r["GetErrorMsg(NULL) fresh thread"] = S.in_thread(gem_null)
    r["GetErrorMsg(NULL) after 7"] = S.in_thread(gem_null_after7)
    r["Cleanup"] = final_cleanup(sdk)
    return r


# ---------------------------------------------------------------------------------------
# 6. handles that do not exist
# ---------------------------------------------------------------------------------------

def handle_calls(sdk):
    keep = []

    def buf(n):
        b = C.create_string_buffer(n)
        keep.append(b)
        return b

    def dw():
        d = S.DWORD(0xDEADBEEF)
        keep.append(d)
        return d

    pi = S.NET_DVR_PREVIEWINFO(lChannel=1, dwStreamType=0, dwLinkMode=0, bBlocked=1)
    jp = S.NET_DVR_JPEGPARA(wPicSize=0xFF, wPicQuality=0)
    fc = S.NET_DVR_FILECOND_V40(lChannel=1, dwFileType=0xFF)
    ap = S.NET_DVR_SETUPALARM_PARAM(dwSize=20)
    keep += [pi, jp, fc, ap]
    R = C.byref
    calls = [
        ("Logout(-1)", sdk.Logout, -1),
        ("Logout(0)", sdk.Logout, 0),
        ("Logout(12345)", sdk.Logout, 12345),
        ("Logout_V30(0)", sdk.Logout_V30, 0),
        ("RealPlay_V40(-1,&pi,NULL,NULL)", sdk.RealPlay_V40, -1, R(pi), None, None),
        ("RealPlay_V40(0,&pi,NULL,NULL)", sdk.RealPlay_V40, 0, R(pi), None, None),
        ("RealPlay_V40(0,NULL,NULL,NULL)", sdk.RealPlay_V40, 0, None, None, None),
        ("StopRealPlay(-1)", sdk.StopRealPlay, -1),
        ("StopRealPlay(0)", sdk.StopRealPlay, 0),
        ("StopRealPlay(999)", sdk.StopRealPlay, 999),
        ("PTZControl_Other(0,1,21,0)", sdk.PTZControl_Other, 0, 1, 21, 0),
        ("PTZControlWithSpeed(-1,21,0,4)", sdk.PTZControlWithSpeed, -1, 21, 0, 4),
        ("PTZPreset_Other(0,1,8,1)", sdk.PTZPreset_Other, 0, 1, 8, 1),
        ("CaptureJPEGPicture_NEW(0,1,&jp,buf,65536,&ret)", lambda: _cap(sdk, jp, buf, dw)),
        ("GetDVRConfig(0,NET_DVR_GET_DEVICECFG_V40=1100,0,buf,180,&ret)", lambda: _gdc(sdk, buf, dw)),
        ("SaveRealData(-1,\"x\")", sdk.SaveRealData, -1, b"x"),
        ("StopSaveRealData(-1)", sdk.StopSaveRealData, -1),
        ("MakeKeyFrame(0,1)", sdk.MakeKeyFrame, 0, 1),
        ("FindFile_V40(0,&cond)", sdk.FindFile_V40, 0, R(fc)),
        ("FindNextFile_V40(-1,&data)", sdk.FindNextFile_V40, -1, buf(320)),
        ("FindClose_V30(-1)", sdk.FindClose_V30, -1),
        ("StopPlayBack(-1)", sdk.StopPlayBack, -1),
        ("GetPlayBackPos(-1)", sdk.GetPlayBackPos, -1),
        ("GetDownloadPos(-1)", sdk.GetDownloadPos, -1),
        ("StopGetFile(-1)", sdk.StopGetFile, -1),
        ("SetupAlarmChan_V41(0,&param dwSize=20)", sdk.SetupAlarmChan_V41, 0, R(ap)),
        ("CloseAlarmChan_V30(-1)", sdk.CloseAlarmChan_V30, -1),
        ("StopRemoteConfig(-1)", sdk.StopRemoteConfig, -1),
        ("StopListen_V30(-1)", sdk.StopListen_V30, -1),
        ("RebootDVR(0)", sdk.RebootDVR, 0),
    ]
    return calls, keep


def _cap(sdk, jp, buf, dw):
    b, d = buf(65536), dw()
    r = sdk.CaptureJPEGPicture_NEW(0, 1, C.byref(jp), b, 65536, C.byref(d))
    return r, {"lpSizeReturned_after": d.value}


def _gdc(sdk, buf, dw):
    b, d = buf(180), dw()
    r = sdk.GetDVRConfig(0, 1100, 0, b, 180, C.byref(d))
    return r, {"lpBytesReturned_after": d.value}


def run_handle_calls(sdk, baselines):
    """Baseline-major: every call with the first baseline, then every call with the next.

    The order matters for Logout: until the first login attempt that reaches the network
    (or the connect stage), Logout(0..2047) fails without touching the last error; after
    one, it sets 47. So 'fresh' (first) runs before any such attempt in the process.
    """
    calls, keep = handle_calls(sdk)
    out = {}
    for b in baselines:
        for c in calls:
            label, fn, args = c[0], c[1], c[2:]

            def f(label=label, fn=fn, args=args):
                extra = None
                t = time.perf_counter()
                ret = fn(*args)
                ms = (time.perf_counter() - t) * 1000
                if isinstance(ret, tuple):
                    ret, extra = ret
                e = sdk.err()
                m = sdk.errmsg() if sdk.with_msg else {"text": "(not queried)", "pErrorNo": "(not queried)"}
                d = {"call": label, "ret": ret, "ms": round(ms, 2), "err": e,
                     "msg": m["text"], "pErrorNo": m["pErrorNo"]}
                if extra:
                    d.update(extra)
                return d
            bb = "fresh" if b == "fresh_after_login" else b
            out.setdefault(label, {})[b] = with_baselines(sdk, f, (bb,))[bb]
    return out


@scenario("handles_postinit")
def sc_handles_postinit(sdk):
    r = init(sdk)
    r["calls"] = run_handle_calls(sdk, ("fresh", "e17", "e7", "fresh_after_login"))
    r["note"] = ("baselines run in this order: fresh (new thread, no login attempted yet in the "
                 "process), e17 (new thread, Login_V40(NULL,&dev) -> 17 first), e7 (new thread, "
                 "login to closed port -> 7 first), fresh_after_login (new thread, after e7 pass)")
    # do successful calls clear the last error?
    def clears():
        o = {}
        for label, f in [("GetSDKVersion", lambda: sdk.GetSDKVersion()),
                         ("SetConnectTime(3000,3)", lambda: sdk.SetConnectTime(3000, 3)),
                         ("SetRecvTimeOut(5000)", lambda: sdk.SetRecvTimeOut(5000)),
                         ("GetSDKState", lambda: sdk.GetSDKState(C.byref(S.NET_DVR_SDKSTATE()))),
                         ("GetErrorMsg", lambda: sdk.GetErrorMsg(None)),
                         ("SetReconnect(10000,1)", lambda: sdk.SetReconnect(10000, 1)),
                         ("Init (2nd, refcount)", lambda: sdk.Init())]:
            fail7(sdk)
            ret = f()
            o[label] = {"ret": ret if isinstance(ret, int) else bool(ret), "err_before": 7,
                        "err_after": sdk.err()}
        return o
    r["success_calls_after_7"] = S.in_thread(clears)
    r["Cleanup"] = final_cleanup(sdk)
    sdk.with_msg = False
    r["Cleanup_2"] = sdk.call("Cleanup", sdk.Cleanup)
    return r


@scenario("handles_preinit")
def sc_handles_preinit(sdk):
    sdk.with_msg = False
    r = {"calls": run_handle_calls(sdk, ("reset0", "e3"))}
    r["main_err_at_end"] = sdk.err()
    return r


def timed(sdk, label, f):
    t0 = time.perf_counter()
    r = f()
    return {"call": label, "ret": r, "ms": round((time.perf_counter() - t0) * 1000, 2), "err": sdk.err()}


@scenario("logout_unused_ids", timeout=300)
def sc_logout_unused(sdk):
    """Logout on ids whose slot was never allocated: blocks ~5 s, error untouched."""
    r = init(sdk)
    out = []
    for i in (0, 1, 2047, -1, 2048):
        out.append(timed(sdk, "Logout(%d) before any login attempt" % i, lambda i=i: sdk.Logout(i)))
    out.append(timed(sdk, "Logout_V30(3) before any login attempt", lambda: sdk.Logout_V30(3)))
    out.append(timed(sdk, "Login_V40(NULL,NULL)", lambda: sdk.Login_V40(None, None)))
    out.append(timed(sdk, "Logout(0) after a 17 login", lambda: sdk.Logout(0)))
    cp = S.closed_port()
    out.append(timed(sdk, "Login_V40 closed port (uses slot 0)", lambda: sdk.Login_V40(
        C.byref(S.login_info(cp)), C.byref(S.NET_DVR_DEVICEINFO_V40()))))
    for i in (0, 1, 2047):
        out.append(timed(sdk, "Logout(%d) after one failed network login" % i, lambda i=i: sdk.Logout(i)))
    # same thread, error 7 first, then Logout of a never-used slot
    lg(sdk, cp)
    out.append(timed(sdk, "Logout(1500) with last error 7", lambda: sdk.Logout(1500)))
    # other user-id functions on a never-used slot (for comparison)
    pi = S.NET_DVR_PREVIEWINFO(lChannel=1)
    out.append(timed(sdk, "RealPlay_V40(1500,&pi,NULL,NULL)", lambda: sdk.RealPlay_V40(1500, C.byref(pi), None, None)))
    out.append(timed(sdk, "PTZControl_Other(1500,1,21,0)", lambda: sdk.PTZControl_Other(1500, 1, 21, 0)))
    out.append(timed(sdk, "RebootDVR(1500)", lambda: sdk.RebootDVR(1500)))
    r["steps"] = out
    r["Cleanup"] = final_cleanup(sdk)
    return r


@scenario("error_set_if_clear")
def sc_error_set_if_clear(sdk):
    """StopRealPlay(-1) & co. set 12 only when the thread's last error is 0."""
    r = init(sdk)
    cp = S.closed_port()

    def seq(steps):
        def run():
            o = [("start", sdk.err())]
            for label, f in steps:
                ret = f()
                o.append((label, ret, sdk.err()))
            return o
        return S.in_thread(run)
    L7 = ("Login(closed)->7", lambda: sdk.Login_V40(C.byref(S.login_info(cp)), C.byref(S.NET_DVR_DEVICEINFO_V40())))
    L17 = ("Login_V40(NULL,NULL)->17", lambda: sdk.Login_V40(None, None))
    SRP = ("StopRealPlay(-1)", lambda: sdk.StopRealPlay(-1))
    CAC = ("CloseAlarmChan_V30(-1)", lambda: sdk.CloseAlarmChan_V30(-1))
    SCT = ("SetConnectTime(3000,3)", lambda: sdk.SetConnectTime(3000, 3))
    GV = ("GetSDKVersion", lambda: sdk.GetSDKVersion())
    r["fresh: StopRealPlay"] = seq([SRP])
    r["fresh thread after that reads"] = S.in_thread(sdk.err)
    r["17 -> StopRealPlay"] = seq([L17, SRP])
    r["7 -> StopRealPlay -> SetConnectTime -> StopRealPlay"] = seq([L7, SRP, SCT, SRP])
    r["12 -> 7 -> StopRealPlay"] = seq([SRP, L7, SRP])
    r["7 -> GetSDKVersion -> CloseAlarmChan"] = seq([L7, GV, CAC])
    r["7 -> SetConnectTime -> CloseAlarmChan"] = seq([L7, SCT, CAC])
    r["Cleanup"] = final_cleanup(sdk)
    return r


@scenario("id_ranges")
def sc_id_ranges(sdk):
    """Which ids give 17 (out of range) vs 47/12; no Logout here (it blocks 5 s)."""
    r = init(sdk)
    ids = [-2, -1, 0, 1, 2047, 2048, 2049, 4095, 4096, 12345, 2 ** 31 - 1]
    pi = S.NET_DVR_PREVIEWINFO(lChannel=1)

    def each(f):
        return {str(i): S.in_thread(lambda i=i: (f(i), sdk.err())) for i in ids}
    r["RealPlay_V40(id) -> (ret, err)"] = each(lambda i: sdk.RealPlay_V40(i, C.byref(pi), None, None))
    r["PTZControl_Other(id,1,21,0)"] = each(lambda i: sdk.PTZControl_Other(i, 1, 21, 0))
    r["MakeKeyFrame(id,1)"] = each(lambda i: sdk.MakeKeyFrame(i, 1))
    r["FindFile_V40(id)"] = each(lambda i: sdk.FindFile_V40(i, C.byref(S.NET_DVR_FILECOND_V40(lChannel=1))))
    r["SetupAlarmChan_V41(id)"] = each(lambda i: sdk.SetupAlarmChan_V41(i, C.byref(S.NET_DVR_SETUPALARM_PARAM(dwSize=20))))
    r["PTZControlWithSpeed(handle)"] = each(lambda i: sdk.PTZControlWithSpeed(i, 21, 0, 4))
    r["StopRealPlay(handle) fresh thread"] = each(lambda i: sdk.StopRealPlay(i))
    r["FindNextFile_V40(handle)"] = each(lambda i: sdk.FindNextFile_V40(i, C.create_string_buffer(320)))
    ab = S.NET_DVR_SDKABL()
    sdk.GetSDKAbility(C.byref(ab))
    r["SDKABL.dwMaxLoginNum"] = ab.dwMaxLoginNum
    r["Cleanup"] = final_cleanup(sdk)
    return r


# ---------------------------------------------------------------------------------------
# 7. settings before / after Init
# ---------------------------------------------------------------------------------------

def settings_calls(sdk, tag):
    st, ab = S.NET_DVR_SDKSTATE(), S.NET_DVR_SDKABL()
    # fill with a marker so we can see what the SDK writes
    C.memset(C.byref(st), 0xAB, C.sizeof(st))
    C.memset(C.byref(ab), 0xAB, C.sizeof(ab))
    logdir = LOGDIR.encode()
    out = {}
    for label, fn, args in [
        ("SetConnectTime(2000,1)", sdk.SetConnectTime, (2000, 1)),
        ("SetConnectTime(0,0)", sdk.SetConnectTime, (0, 0)),
        ("SetConnectTime(100,1)", sdk.SetConnectTime, (100, 1)),
        ("SetConnectTime(3000,3)", sdk.SetConnectTime, (3000, 3)),
        ("SetReconnect(10000,1)", sdk.SetReconnect, (10000, 1)),
        ("SetReconnect(0,0)", sdk.SetReconnect, (0, 0)),
        ("SetRecvTimeOut(2000)", sdk.SetRecvTimeOut, (2000,)),
        ("SetRecvTimeOut(0)", sdk.SetRecvTimeOut, (0,)),
        ("SetRecvTimeOut(100)", sdk.SetRecvTimeOut, (100,)),
        ("SetRecvTimeOut(5000)", sdk.SetRecvTimeOut, (5000,)),
        ("SetLogToFile(3,\"%s\",FALSE)" % LOGDIR, sdk.SetLogToFile, (3, logdir, 0)),
        ("SetExceptionCallBack_V30(0,NULL,NULL,NULL)", sdk.SetExceptionCallBack_V30, (0, None, None, None)),
        ("GetSDKState(&st)", sdk.GetSDKState, (C.byref(st),)),
        ("GetSDKState(NULL)", sdk.GetSDKState, (None,)),
        ("GetSDKAbility(&abl)", sdk.GetSDKAbility, (C.byref(ab),)),
        ("GetSDKAbility(NULL)", sdk.GetSDKAbility, (None,)),
    ]:
        def f(label=label, fn=fn, args=args):
            return sdk.call(label, fn, *args)
        out[label] = with_baselines(sdk, f, ("reset0", "e3") if tag == "pre" else ("fresh", "e7"))
    out["SDKSTATE"] = {n: getattr(st, n) for n, _ in st._fields_ if n != "dwRes"}
    out["SDKSTATE.dwRes"] = list(st.dwRes)
    out["SDKABL"] = {n: getattr(ab, n) for n, _ in ab._fields_ if n != "dwRes"}
    out["SDKABL.dwRes"] = list(ab.dwRes)
    return out


@scenario("settings")
def sc_settings(sdk):
    shutil.rmtree(LOGDIR, ignore_errors=True) if LOGDIR.startswith("/tmp/") else None
    sdk.with_msg = False
    r = {"before_Init": settings_calls(sdk, "pre")}
    r.update(init(sdk))
    sdk.with_msg = True
    r["after_Init"] = settings_calls(sdk, "post")
    # state after a login failure, while Init'ed
    lg(sdk, S.closed_port())
    st = S.NET_DVR_SDKSTATE()
    sdk.GetSDKState(C.byref(st))
    r["SDKSTATE_after_failed_login"] = {n: getattr(st, n) for n, _ in st._fields_ if n != "dwRes"}
    sdk.with_msg = False
    r["Cleanup"] = final_cleanup(sdk)
    r["after_Cleanup"] = {
        "SetConnectTime(2000,1)": sdk.call("SetConnectTime", sdk.SetConnectTime, 2000, 1),
        "SetRecvTimeOut(2000)": sdk.call("SetRecvTimeOut", sdk.SetRecvTimeOut, 2000),
        "GetSDKState": sdk.call("GetSDKState", sdk.GetSDKState, C.byref(S.NET_DVR_SDKSTATE())),
    }
    files = []
    for root, _, fs in os.walk(LOGDIR):
        for f in fs:
            p = os.path.join(root, f)
            files.append({"path": p, "size": os.path.getsize(p)})
    r["logdir_exists_after"] = os.path.isdir(LOGDIR)
    r["logdir_files"] = files
    return r


@scenario("settings_preinit_persist")
def sc_settings_persist(sdk):
    """Are SetConnectTime/SetRecvTimeOut made before Init still in force after Init?"""
    sdk.with_msg = False
    r = {"SetConnectTime(2000,1)_before_Init": sdk.call("SetConnectTime", sdk.SetConnectTime, 2000, 1),
         "SetRecvTimeOut(2000)_before_Init": sdk.call("SetRecvTimeOut", sdk.SetRecvTimeOut, 2000)}
    r.update(init(sdk))
    sdk.with_msg = True
    for b in ("nosyn", "silent"):
        srv = S.Listener(b)
        srv.mark()
        r["login_" + b] = lg(sdk, srv.port)
        srv.stop()
    sdk.with_msg = False
    r["Cleanup"] = final_cleanup(sdk)
    return r


@scenario("timeouts_effect", timeout=300)
def sc_timeouts_effect(sdk):
    """Which SetConnectTime / SetRecvTimeOut values take effect (private protocol)."""
    r = init(sdk)
    out = []
    for ct, tries in [(100, 1), (0, 0), (1000, 1), (1000, 3), (2000, 2), (3000, 3)]:
        sdk.SetConnectTime(ct, tries)
        srv = S.Listener("nosyn")
        rec = lg(sdk, srv.port)
        srv.stop()
        out.append({"SetConnectTime": [ct, tries], "login_nosyn_ms": rec["ms"], "err": rec["err"]})
    sdk.SetConnectTime(3000, 3)
    for rt in [100, 0, 1000, 2000, 5000]:
        sdk.SetRecvTimeOut(rt)
        srv = S.Listener("silent")
        rec = lg(sdk, srv.port)
        srv.stop()
        out.append({"SetRecvTimeOut": rt, "login_silent_ms": rec["ms"], "err": rec["err"]})
    r["results"] = out
    r["Cleanup"] = final_cleanup(sdk)
    return r


# ---------------------------------------------------------------------------------------
# 8. error message texts (internal setter, for codes not reachable without a device)
# ---------------------------------------------------------------------------------------

ERRMSG_CODES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 17, 23, 29, 34, 41, 43, 44, 47,
                52, 153, 800, 12345]


@scenario("errmsg_table")
def sc_errmsg_table(sdk):
    r = init(sdk)
    core = C.CDLL(S.SDK_DIR + "libHCCore.so")
    core.Core_SetLastError.argtypes = [S.DWORD]
    core.Core_SetLastError.restype = None
    tab = {}
    for c in ERRMSG_CODES:
        core.Core_SetLastError(c)
        tab[str(c)] = {"GetLastError": sdk.err(), **sdk.errmsg()}
    r["via_Core_SetLastError"] = tab
    r["Cleanup"] = final_cleanup(sdk)
    return r


# ---------------------------------------------------------------------------------------
# 10. what Init prints
# ---------------------------------------------------------------------------------------

def banner(sdk):
    before = set(os.listdir("."))
    r = init(sdk)
    r["files_created_in_cwd_by_Init"] = sorted(set(os.listdir(".")) - before)
    r["Cleanup"] = final_cleanup(sdk)
    return r


scenario("init_banner_netns")(banner)
scenario("init_banner_host", netns=False, timeout=60)(banner)


@scenario("init_banner_no_paths")
def sc_banner_nopaths(sdk):
    r = {"Init_without_SetSDKInitCfg": sdk.call("Init", sdk.Init)}
    r["Login_closed"] = lg(sdk, S.closed_port())
    r["Cleanup"] = final_cleanup(sdk)
    return r


# ---------------------------------------------------------------------------------------
# 11. async login
# ---------------------------------------------------------------------------------------

def async_scenario(target, mode, timeouts):
    def fn(sdk):
        r = init(sdk)
        if timeouts == "set":
            r["SetConnectTime(2000,1)"] = sdk.call("SetConnectTime", sdk.SetConnectTime, 2000, 1)
            r["SetRecvTimeOut(2000)"] = sdk.call("SetRecvTimeOut", sdk.SetRecvTimeOut, 2000)
        srv = None
        if target == "closed":
            port = S.closed_port()
        else:
            srv = S.Listener(target)
            port = srv.port
        fired = threading.Event()
        cbs = []
        t0 = [0.0]

        @S.fLoginResultCallBack
        def cb(uid, res, pdev, puser):
            cbs.append({"lUserID": uid, "dwResult": res, "lpDeviceInfo_nonnull": bool(pdev),
                        "pUser": puser, "cb_native_tid": threading.get_native_id(),
                        "ms_after_call_start": round((time.perf_counter() - t0[0]) * 1000, 2),
                        "GetLastError_on_cb_thread": sdk.err(),
                        "GetErrorMsg_on_cb_thread": sdk.errmsg()})
            fired.set()

        li = S.login_info(port, mode=mode, asyn=True, cb=cb, puser=0x1234)
        dev = S.NET_DVR_DEVICEINFO_V40()
        r["main_native_tid"] = threading.get_native_id()
        if srv:
            srv.mark()
        t0[0] = time.perf_counter()
        r["Login_V40_async"] = sdk.call("Login_V40(async)", sdk.Login_V40, C.byref(li), C.byref(dev))
        r["fired_within_60s"] = fired.wait(60)
        time.sleep(0.5)
        r["callbacks"] = cbs
        r["main_err_after_callback"] = sdk.err()
        uid = r["Login_V40_async"]["ret"]
        if uid >= 0:
            r["Logout(returned id) after callback"] = sdk.call("Logout", sdk.Logout, uid)
        if srv:
            srv.stop()
            r["server"] = srv.report()
        r["Cleanup"] = final_cleanup(sdk)
        r["_keep"] = str(cb)  # keep callback alive until here
        return r
    return fn


for _tg, _m, _t in [("closed", 0, "default"), ("closed", 1, "default"),
                    ("silent", 0, "set"), ("close", 0, "default"), ("nosyn", 0, "default")]:
    scenario("async_%s_mode%d_%s" % (_tg, _m, _t), timeout=120)(async_scenario(_tg, _m, _t))


@scenario("async_logout_before_callback")
def sc_async_logout_early(sdk):
    """Async login to a silent listener (default timeouts), Logout the id at once."""
    r = init(sdk)
    srv = S.Listener("silent")
    cbs = []
    fired = threading.Event()
    t0 = [0.0]

    @S.fLoginResultCallBack
    def cb(uid, res, pdev, puser):
        cbs.append({"lUserID": uid, "dwResult": res,
                    "ms": round((time.perf_counter() - t0[0]) * 1000, 2)})
        fired.set()
    li = S.login_info(srv.port, asyn=True, cb=cb)
    dev = S.NET_DVR_DEVICEINFO_V40()
    t0[0] = time.perf_counter()
    r["Login_V40_async"] = sdk.call("Login_V40(async)", sdk.Login_V40, C.byref(li), C.byref(dev))
    time.sleep(0.2)
    r["Logout_immediately"] = sdk.call("Logout", sdk.Logout, r["Login_V40_async"]["ret"])
    r["fired_within_30s"] = fired.wait(30)
    r["callbacks"] = cbs
    srv.stop()
    r["server"] = srv.report()
    r["Cleanup"] = final_cleanup(sdk)
    r["_keep"] = str(cb)
    return r


# ---------------------------------------------------------------------------------------
# 9. exports (no SDK call; runs nm)
# ---------------------------------------------------------------------------------------

def exports():
    import csv
    names = [row["name"] for row in csv.DictReader(open(os.path.join(HERE, "../../../shared/reference/hcnetsdk/functions.csv")))]
    out = subprocess.run(["nm", "-D", "--defined-only", S.SDK_DIR + "libhcnetsdk.so"],
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = parts[1]
    return {"functions_csv_count": len(names),
            "exported_count": sum(1 for n in names if n in syms),
            "missing": [n for n in names if n not in syms],
            "not_T": {n: syms[n] for n in names if n in syms and syms[n] != "T"},
            "total_NET_DVR_exports": sum(1 for s in syms if s.startswith("NET_DVR_")),
            "version_string": [l for l in subprocess.run(
                ["strings", S.SDK_DIR + "libhcnetsdk.so"], capture_output=True,
                text=True).stdout.splitlines() if "version is" in l]}


# ---------------------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------------------

def child(name, outpath):
    CURRENT["name"] = name
    fn = SCENARIOS[name][0]
    sdk = S.SDK()
    t = time.perf_counter()
    try:
        res = fn(sdk)
        status = "ok"
    except Exception as e:  # record, do not print
        import traceback
        res, status = {"exception": traceback.format_exc()}, "exception"
    res["_scenario_ms"] = round((time.perf_counter() - t) * 1000, 1)
    res["_status"] = status
    with open(outpath, "w") as f:
        json.dump(res, f, indent=1, default=str)
    C.CDLL(None).fflush(None)


def have_netns():
    try:
        p = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"],
                           capture_output=True, timeout=10)
        return p.returncode == 0
    except Exception:
        return False


def run_one(name, netns_ok):
    fn, netns, timeout = SCENARIOS[name]
    os.makedirs(RUNDIR, exist_ok=True)
    outpath = os.path.join(RESULTS, name + ".child.json")
    if os.path.exists(outpath):
        os.remove(outpath)
    py = sys.executable
    cmd = [py, os.path.abspath(__file__), "--child", name, outpath]
    if netns and netns_ok:
        cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"] + cmd
    elif netns:
        print("  WARNING: no netns; running %s directly (targets are 127.0.0.1 only)" % name)
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=RUNDIR, capture_output=True, timeout=timeout)
        rc, so, se = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, so, se = "TIMEOUT(%ds)" % timeout, e.stdout or b"", e.stderr or b""
    wall = round(time.perf_counter() - t, 2)
    data = None
    if os.path.exists(outpath):
        with open(outpath) as f:
            data = json.load(f)
        os.remove(outpath)
    rec = {"scenario": name, "netns": bool(netns and netns_ok), "cmd": " ".join(cmd),
           "rc": rc, "wall_s": wall, "stdout": so.decode("latin-1"),
           "stderr": se.decode("latin-1"), "result": data}
    with open(os.path.join(RESULTS, name + ".json"), "w") as f:
        json.dump(rec, f, indent=1, default=str)
    return rec


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    if len(sys.argv) >= 2 and sys.argv[1] == "--list":
        print("\n".join(list(SCENARIOS) + ["exports"]))
        return
    os.makedirs(RESULTS, exist_ok=True)
    sel = sys.argv[1:]
    names = [n for n in SCENARIOS if not sel or any(n.startswith(s) for s in sel)]
    netns_ok = have_netns()
    print("netns available: %s" % netns_ok)
    allres = {}
    allpath = os.path.join(RESULTS, "ALL.json")
    if os.path.exists(allpath):
        allres = json.load(open(allpath))
    if not sel or any("exports".startswith(s) or s.startswith("exports") for s in sel):
        allres["exports"] = {"scenario": "exports", "result": exports()}
        json.dump(allres["exports"], open(os.path.join(RESULTS, "exports.json"), "w"), indent=1)
        print("exports: %d/%d exported, missing=%s" % (
            allres["exports"]["result"]["exported_count"],
            allres["exports"]["result"]["functions_csv_count"],
            allres["exports"]["result"]["missing"]))
    for n in names:
        rec = run_one(n, netns_ok)
        allres[n] = rec
        st = rec["result"]["_status"] if rec["result"] else "NO RESULT"
        print("%-40s rc=%-6s %7.2fs %s%s" % (n, rec["rc"], rec["wall_s"], st,
              ("  stdout=%r" % rec["stdout"][:80]) if rec["stdout"] else ""))
    with open(allpath, "w") as f:
        json.dump(allres, f, indent=1, default=str)
    subprocess.run([sys.executable, os.path.join(HERE, "summarize.py")])


if __name__ == "__main__":
    main()
