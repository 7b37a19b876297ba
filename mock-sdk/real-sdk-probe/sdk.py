"""ctypes bindings + helpers for probing the real HCNetSDK 6.1.9.48 (Linux x86_64).

Only loopback is ever used. probe.py runs every scenario in a fresh process inside a
private network namespace (unshare -n) whose only interface is lo.
"""
import ctypes as C
import os
import socket
import threading
import time

SDK_DIR = os.environ.get("HCNETSDK_LIB_DIR", "")
if not SDK_DIR:
    raise SystemExit("set HCNETSDK_LIB_DIR to the real SDK's lib folder "
                     "(export HCNETSDK_LIB_DIR=\"$(cargo run -q -p xtask -- fetch-real-sdk)\")")
if not SDK_DIR.endswith("/"):
    SDK_DIR += "/"

BOOL = C.c_int
LONG = C.c_int32
DWORD = C.c_uint32
WORD = C.c_uint16
BYTE = C.c_ubyte

# fLoginResultCallBack(LONG lUserID, DWORD dwResult, LPNET_DVR_DEVICEINFO_V30 lpDeviceInfo, void* pUser)
fLoginResultCallBack = C.CFUNCTYPE(None, LONG, DWORD, C.c_void_p, C.c_void_p)


class NET_DVR_LOCAL_SDK_PATH(C.Structure):
    _fields_ = [("sPath", C.c_char * 256), ("byRes", BYTE * 128)]


class NET_DVR_USER_LOGIN_INFO(C.Structure):
    _fields_ = [
        ("sDeviceAddress", C.c_char * 129),
        ("byUseTransport", BYTE),
        ("wPort", WORD),
        ("sUserName", C.c_char * 64),
        ("sPassword", C.c_char * 64),
        ("cbLoginResult", fLoginResultCallBack),
        ("pUser", C.c_void_p),
        ("bUseAsynLogin", BOOL),
        ("byProxyType", BYTE),
        ("byUseUTCTime", BYTE),
        ("byLoginMode", BYTE),
        ("byHttps", BYTE),
        ("iProxyID", LONG),
        ("byVerifyMode", BYTE),
        ("byRes3", BYTE * 119),
    ]


class NET_DVR_DEVICEINFO_V30(C.Structure):
    _fields_ = [("raw", BYTE * 80)]


class NET_DVR_DEVICEINFO_V40(C.Structure):
    _fields_ = [("struDeviceV30", NET_DVR_DEVICEINFO_V30), ("rest", BYTE * 264)]


class NET_DVR_PREVIEWINFO(C.Structure):
    _fields_ = [
        ("lChannel", LONG), ("dwStreamType", DWORD), ("dwLinkMode", DWORD),
        ("hPlayWnd", C.c_uint32), ("bBlocked", DWORD), ("bPassbackRecord", DWORD),
        ("byPreviewMode", BYTE), ("byStreamID", BYTE * 32), ("byProtoType", BYTE),
        ("byRes1", BYTE), ("byVideoCodingType", BYTE), ("dwDisplayBufNum", DWORD),
        ("byNPQMode", BYTE), ("byRecvMetaData", BYTE), ("byDataType", BYTE),
        ("byRes", BYTE * 213),
    ]


class NET_DVR_JPEGPARA(C.Structure):
    _fields_ = [("wPicSize", WORD), ("wPicQuality", WORD)]


class NET_DVR_SDKSTATE(C.Structure):
    _fields_ = [(n, DWORD) for n in (
        "dwTotalLoginNum", "dwTotalRealPlayNum", "dwTotalPlayBackNum", "dwTotalAlarmChanNum",
        "dwTotalFormatNum", "dwTotalFileSearchNum", "dwTotalLogSearchNum", "dwTotalSerialNum",
        "dwTotalUpgradeNum", "dwTotalVoiceComNum", "dwTotalBroadCastNum", "dwTotalListenNum",
        "dwEmailTestNum", "dwBackupNum", "dwTotalInquestUploadNum")] + [("dwRes", DWORD * 6)]


class NET_DVR_SDKABL(C.Structure):
    _fields_ = [(n, DWORD) for n in (
        "dwMaxLoginNum", "dwMaxRealPlayNum", "dwMaxPlayBackNum", "dwMaxAlarmChanNum",
        "dwMaxFormatNum", "dwMaxFileSearchNum", "dwMaxLogSearchNum", "dwMaxSerialNum",
        "dwMaxUpgradeNum", "dwMaxVoiceComNum", "dwMaxBroadCastNum")] + [("dwRes", DWORD * 10)]


class NET_DVR_FILECOND_V40(C.Structure):
    _fields_ = [("lChannel", LONG), ("dwFileType", DWORD), ("raw", BYTE * 152)]


class NET_DVR_SETUPALARM_PARAM(C.Structure):
    _fields_ = [("dwSize", DWORD), ("raw", BYTE * 16)]


for _t, _n in ((NET_DVR_LOCAL_SDK_PATH, 384), (NET_DVR_USER_LOGIN_INFO, 416),
               (NET_DVR_DEVICEINFO_V30, 80), (NET_DVR_DEVICEINFO_V40, 344),
               (NET_DVR_PREVIEWINFO, 280), (NET_DVR_JPEGPARA, 4), (NET_DVR_SDKSTATE, 84),
               (NET_DVR_SDKABL, 84), (NET_DVR_FILECOND_V40, 160), (NET_DVR_SETUPALARM_PARAM, 20)):
    assert C.sizeof(_t) == _n, (_t.__name__, C.sizeof(_t), _n)
assert NET_DVR_USER_LOGIN_INFO.cbLoginResult.offset == 264
assert NET_DVR_USER_LOGIN_INFO.bUseAsynLogin.offset == 280
assert NET_DVR_USER_LOGIN_INFO.byLoginMode.offset == 286
assert NET_DVR_PREVIEWINFO.dwDisplayBufNum.offset == 60


def load():
    lib = C.CDLL(SDK_DIR + "libhcnetsdk.so")
    P = C.c_void_p
    sigs = {
        "NET_DVR_Init": (BOOL, []),
        "NET_DVR_Cleanup": (BOOL, []),
        "NET_DVR_GetLastError": (DWORD, []),
        "NET_DVR_GetErrorMsg": (C.c_void_p, [C.POINTER(LONG)]),
        "NET_DVR_GetSDKVersion": (DWORD, []),
        "NET_DVR_GetSDKBuildVersion": (DWORD, []),
        "NET_DVR_SetSDKInitCfg": (BOOL, [C.c_int, P]),
        "NET_DVR_SetConnectTime": (BOOL, [DWORD, DWORD]),
        "NET_DVR_SetReconnect": (BOOL, [DWORD, BOOL]),
        "NET_DVR_SetRecvTimeOut": (BOOL, [DWORD]),
        "NET_DVR_SetLogToFile": (BOOL, [DWORD, C.c_char_p, BOOL]),
        "NET_DVR_SetExceptionCallBack_V30": (BOOL, [C.c_uint, P, P, P]),
        "NET_DVR_GetSDKState": (BOOL, [P]),
        "NET_DVR_GetSDKAbility": (BOOL, [P]),
        "NET_DVR_Login_V40": (LONG, [P, P]),
        "NET_DVR_Login_V30": (LONG, [C.c_char_p, WORD, C.c_char_p, C.c_char_p, P]),
        "NET_DVR_Logout": (BOOL, [LONG]),
        "NET_DVR_Logout_V30": (BOOL, [LONG]),
        "NET_DVR_RealPlay_V40": (LONG, [LONG, P, P, P]),
        "NET_DVR_StopRealPlay": (BOOL, [LONG]),
        "NET_DVR_PTZControl_Other": (BOOL, [LONG, LONG, DWORD, DWORD]),
        "NET_DVR_PTZControlWithSpeed": (BOOL, [LONG, DWORD, DWORD, DWORD]),
        "NET_DVR_PTZPreset_Other": (BOOL, [LONG, LONG, DWORD, DWORD]),
        "NET_DVR_CaptureJPEGPicture_NEW": (BOOL, [LONG, LONG, P, P, DWORD, P]),
        "NET_DVR_GetDVRConfig": (BOOL, [LONG, DWORD, LONG, P, DWORD, P]),
        "NET_DVR_SaveRealData": (BOOL, [LONG, C.c_char_p]),
        "NET_DVR_StopSaveRealData": (BOOL, [LONG]),
        "NET_DVR_MakeKeyFrame": (BOOL, [LONG, LONG]),
        "NET_DVR_FindFile_V40": (LONG, [LONG, P]),
        "NET_DVR_FindNextFile_V40": (LONG, [LONG, P]),
        "NET_DVR_FindClose_V30": (BOOL, [LONG]),
        "NET_DVR_StopPlayBack": (BOOL, [LONG]),
        "NET_DVR_GetPlayBackPos": (C.c_int, [LONG]),
        "NET_DVR_GetDownloadPos": (C.c_int, [LONG]),
        "NET_DVR_StopGetFile": (BOOL, [LONG]),
        "NET_DVR_SetupAlarmChan_V41": (LONG, [LONG, P]),
        "NET_DVR_CloseAlarmChan_V30": (BOOL, [LONG]),
        "NET_DVR_StopRemoteConfig": (BOOL, [LONG]),
        "NET_DVR_RebootDVR": (BOOL, [LONG]),
        "NET_DVR_StopListen_V30": (BOOL, [LONG]),
    }
    for name, (res, args) in sigs.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib


class SDK:
    def __init__(self):
        self.lib = load()
        # GetErrorMsg has a side effect when the SDK is not initialised (it fails and sets
        # the last error to 3), so call() skips it while with_msg is False.
        self.with_msg = True

    def __getattr__(self, name):
        return getattr(self.lib, "NET_DVR_" + name)

    # ---- helpers -------------------------------------------------------------------
    def set_paths(self):
        """Component paths, as the brief and the Hikvision demo do, before Init."""
        p = NET_DVR_LOCAL_SDK_PATH()
        p.sPath = SDK_DIR.encode()
        self._keep = [p,
                      C.create_string_buffer((SDK_DIR + "libcrypto.so.1.1").encode()),
                      C.create_string_buffer((SDK_DIR + "libssl.so.1.1").encode())]
        r2 = self.lib.NET_DVR_SetSDKInitCfg(2, C.byref(p))
        r3 = self.lib.NET_DVR_SetSDKInitCfg(3, self._keep[1])
        r4 = self.lib.NET_DVR_SetSDKInitCfg(4, self._keep[2])
        return {"SetSDKInitCfg(2,SDK_PATH)": r2, "SetSDKInitCfg(3,LIBEAY)": r3,
                "SetSDKInitCfg(4,SSLEAY)": r4}

    def err(self):
        return int(self.lib.NET_DVR_GetLastError())

    def errmsg(self):
        n = LONG(-12345)
        p = self.lib.NET_DVR_GetErrorMsg(C.byref(n))
        txt = None if not p else C.string_at(p).decode("latin-1")
        return {"text": txt, "pErrorNo": n.value}

    def call(self, label, fn, *args):
        """Call fn(*args); record return value, wall ms, GetLastError, GetErrorMsg."""
        t = time.perf_counter()
        r = fn(*args)
        ms = (time.perf_counter() - t) * 1000.0
        e = self.err()
        if not self.with_msg:
            return {"call": label, "ret": r, "ms": round(ms, 2), "err": e,
                    "msg": "(not queried)", "pErrorNo": "(not queried)"}
        m = self.errmsg()
        return {"call": label, "ret": r, "ms": round(ms, 2), "err": e,
                "msg": m["text"], "pErrorNo": m["pErrorNo"]}


def login_info(port, addr=b"127.0.0.1", mode=0, user=b"admin", pwd=b"12345",
               asyn=False, cb=None, puser=None):
    li = NET_DVR_USER_LOGIN_INFO()
    # write raw bytes into the char[129] field (so a 129-byte address has no NUL in it)
    C.memmove(C.addressof(li) + NET_DVR_USER_LOGIN_INFO.sDeviceAddress.offset, addr,
              min(len(addr), 129))
    li.wPort = port
    li.sUserName = user
    li.sPassword = pwd
    li.byLoginMode = mode
    if asyn:
        li.bUseAsynLogin = 1
        li.cbLoginResult = cb
        li.pUser = puser
    return li


def closed_port():
    """A 127.0.0.1 TCP port that is known closed (bound then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def in_thread(fn, timeout=120):
    out = {}

    def run():
        out["tid"] = threading.get_native_id()
        out["value"] = fn()
    th = threading.Thread(target=run)
    th.start()
    th.join(timeout)
    if th.is_alive():
        out["value"] = "THREAD TIMEOUT"
    return out["value"]


GARBAGE = bytes((i * 37 + 11) & 0xFF for i in range(64))
# same bytes, but the first 4 (which the private protocol reads as a big-endian length)
# say 64, i.e. a plausible length equal to what is sent
GARBAGE_LEN64 = b"\x00\x00\x00\x40" + GARBAGE[4:]
ZEROS = bytes(64)
PAYLOADS = {"garbage": GARBAGE, "garbagelen": GARBAGE_LEN64, "zeros": ZEROS}


class Listener:
    """A 127.0.0.1 TCP listener with one behaviour for every accepted connection.

    close          accept, close at once (no read)
    readclose      accept, read the first chunk (<=2 s), then close
    garbage_keep   accept, send GARBAGE (64 bytes), keep open; record what arrives
    garbage_close  accept, send GARBAGE, close at once
    garbagelen_keep / zeros_keep   like garbage_keep with GARBAGE_LEN64 / ZEROS
    silent         accept, never send; record what arrives; keep open until stop()
    nosyn          listen(0) and never accept; the accept queue is pre-filled with our own
                   connections, so the kernel drops the SDK's SYN (a connect timeout)
    """

    def __init__(self, behaviour, max_conns=50):
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0 if behaviour == "nosyn" else 16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.t0 = time.perf_counter()
        self._stop = threading.Event()
        self._threads = []
        self._max = max_conns
        self._fill = []
        if behaviour == "nosyn":
            for _ in range(3):
                c = socket.socket()
                c.setblocking(False)
                try:
                    c.connect(("127.0.0.1", self.port))
                except BlockingIOError:
                    pass
                self._fill.append(c)
            time.sleep(0.1)
            probe = socket.socket()
            probe.settimeout(0.3)
            try:
                probe.connect(("127.0.0.1", self.port))
                self.nosyn_verified = False
            except socket.timeout:
                self.nosyn_verified = True
            probe.close()
            self._acc = threading.Thread(target=lambda: None, daemon=True)
        else:
            self._acc = threading.Thread(target=self._accept_loop, daemon=True)
        self._acc.start()

    def mark(self):
        self.t0 = time.perf_counter()

    def _now(self):
        return round((time.perf_counter() - self.t0) * 1000.0, 2)

    def _accept_loop(self):
        while not self._stop.is_set() and len(self.conns) < self._max:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            rec = {"accept_ms": self._now(), "rx": b"", "rx_events": [], "closed_by": None}
            self.conns.append(rec)
            th = threading.Thread(target=self._serve, args=(c, rec), daemon=True)
            th.start()
            self._threads.append(th)

    def _read_until_stop(self, c, rec, limit_s=None):
        c.settimeout(0.1)
        end = None if limit_s is None else time.perf_counter() + limit_s
        while not self._stop.is_set():
            if end is not None and time.perf_counter() > end:
                return "limit"
            try:
                d = c.recv(65536)
            except socket.timeout:
                continue
            except OSError as e:
                rec["rx_events"].append((self._now(), "error %s" % e.__class__.__name__))
                return "error"
            if not d:
                rec["rx_events"].append((self._now(), "EOF from SDK"))
                return "eof"
            rec["rx"] += d
            rec["rx_events"].append((self._now(), len(d)))
            if end is not None:
                return "data"
        return "stop"

    def _serve(self, c, rec):
        b = self.behaviour
        try:
            if b == "close":
                c.close()
                rec["closed_by"] = "server@%s" % self._now()
                return
            if b == "readclose":
                self._read_until_stop(c, rec, limit_s=2.0)
                c.close()
                rec["closed_by"] = "server@%s" % self._now()
                return
            if b.split("_")[0] in PAYLOADS:
                c.sendall(PAYLOADS[b.split("_")[0]])
                rec["tx_ms"] = self._now()
                if b.endswith("_close"):
                    c.close()
                    rec["closed_by"] = "server@%s" % self._now()
                    return
            r = self._read_until_stop(c, rec)
            if r in ("eof", "error"):
                rec["closed_by"] = "sdk@%s" % self._now()
            c.close()
        except OSError as e:
            rec["serve_error"] = repr(e)

    def stop(self):
        self._stop.set()
        try:
            self.sock.close()
        except OSError:
            pass
        self._acc.join(2)
        for th in self._threads:
            th.join(2)
        for c in self._fill:
            c.close()

    def report(self):
        out = []
        for r in self.conns:
            d = dict(r)
            rx = d.pop("rx")
            d["rx_len"] = len(rx)
            d["rx_hex64"] = rx[:64].hex()
            d["rx_hex_full"] = rx[:4096].hex()
            d["rx_head_text"] = rx[:400].decode("latin-1")
            out.append(d)
        return out
