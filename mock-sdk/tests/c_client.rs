//! The mock is a drop-in for non-Rust clients: a tiny C program, built with `cc` against the
//! project's own `sys/include/hcnetsdk.h` and linked to the mock's `libhcnetsdk.so`, logs into
//! the default scenario's dome and previews channel 1.

#[path = "../../tests/common/mock.rs"]
mod mock;

use std::process::Command;

const PROGRAM: &str = r#"
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hcnetsdk.h"

static volatile int headers = 0, packets = 0, first_is_header = -1;
static volatile unsigned long bytes = 0;

static void on_data(LONG handle, DWORD type, BYTE *buf, DWORD len, void *user) {
    (void)handle; (void)user;
    if (first_is_header < 0) first_is_header = (type == NET_DVR_SYSHEAD);
    if (type == NET_DVR_SYSHEAD && len == 40 && memcmp(buf, "IMKH", 4) == 0) headers++;
    else if (type == NET_DVR_STREAMDATA) { packets++; bytes += len; }
}

int main(void) {
    if (!NET_DVR_Init()) { printf("init failed %u\n", NET_DVR_GetLastError()); return 1; }
    NET_DVR_USER_LOGIN_INFO li;
    memset(&li, 0, sizeof li);
    strcpy(li.sDeviceAddress, "192.0.2.10");
    li.wPort = 8000;
    strcpy(li.sUserName, "admin");
    strcpy(li.sPassword, "Admin12345");
    NET_DVR_DEVICEINFO_V40 dev;
    memset(&dev, 0, sizeof dev);
    LONG uid = NET_DVR_Login_V40(&li, &dev);
    if (uid < 0) { printf("login failed %u\n", NET_DVR_GetLastError()); return 2; }
    NET_DVR_PREVIEWINFO pi;
    memset(&pi, 0, sizeof pi);
    pi.lChannel = 1;
    pi.bBlocked = 1;
    LONG h = NET_DVR_RealPlay_V40(uid, &pi, on_data, NULL);
    if (h < 0) { printf("preview failed %u\n", NET_DVR_GetLastError()); return 3; }
    for (int i = 0; i < 1000 && packets < 20; i++) usleep(10000);
    int ok = NET_DVR_StopRealPlay(h) && NET_DVR_Logout(uid) && NET_DVR_Cleanup();
    printf("serial=%s channels=%d headers=%d first_is_header=%d packets=%d bytes=%lu ok=%d\n",
           (char *)dev.struDeviceV30.sSerialNumber, dev.struDeviceV30.byChanNum,
           headers, first_is_header, packets, bytes, ok);
    return (ok && headers == 1 && first_is_header == 1 && packets >= 20) ? 0 : 4;
}
"#;

#[test]
fn a_c_program_logs_in_and_previews_through_the_mock() {
    let lib = mock::mock_lib_path();
    let lib_dir = lib.parent().unwrap();
    let include = mock::workspace_root().join("sys/include");
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("client.c");
    let exe = dir.join("client");
    std::fs::write(&src, PROGRAM).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let out = Command::new(&cc)
        .arg("-std=c99")
        .arg("-D_DEFAULT_SOURCE")
        .arg("-Wall")
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .arg(format!("-I{}", include.display()))
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-lhcnetsdk")
        .arg("-lpthread")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run the C compiler `{cc}`: {e} (set CC to a C compiler)")
        });
    assert!(
        out.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe)
        .env_remove("HCNETSDK_MOCK_SCENARIO")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "C client failed ({}): {text}{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        text.contains(
            "serial=DS-2DE4425IW-DE20230615AAWRJ12345678 channels=1 headers=1 first_is_header=1"
        ),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
