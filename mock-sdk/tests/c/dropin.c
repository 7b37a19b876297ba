/*
 * dropin.c -- a plain C HCNetSDK client, to show that the mock libhcnetsdk.so is a drop-in
 * replacement for non-Rust programs.
 *
 * It dlopen()s the library named by argv[1], exactly as an application would load the
 * vendor's libhcnetsdk.so, and uses only the declarations of sys/include/hcnetsdk.h:
 *
 *   NET_DVR_Init -> NET_DVR_Login_V40 (default scenario's PTZ dome) -> print the serial
 *   -> NET_DVR_RealPlay_V40 on channel 1 with a data callback, about 1 s
 *   -> NET_DVR_StopRealPlay -> NET_DVR_Logout -> NET_DVR_Cleanup
 *
 * Exit status 0 only if stream bytes arrived and the first callback was the 40-byte "IMKH"
 * system header (NET_DVR_SYSHEAD). Every step prints one "key=value" line that
 * mock-sdk/tests/c_client.rs checks. DROPIN_LOOPS=N repeats the preview start/stop N times.
 *
 * Build: cc -Wall -Werror -o dropin dropin.c -ldl -lpthread
 * Run:   ./dropin /path/to/libhcnetsdk.so [address port user password]
 *        DROPIN_LOOPS=50 valgrind --leak-check=full ./dropin /path/to/libhcnetsdk.so
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../sys/include/hcnetsdk.h"

/* The default scenario's PTZ dome (mock-sdk/README.md). */
#define DOME_ADDR "192.0.2.10"
#define DOME_PORT 8000
#define DOME_USER "admin"
#define DOME_PASSWORD "Admin12345"

/* Function pointer types taken from the header's own prototypes. */
#define FN(name) __typeof__(&name)

static FN(NET_DVR_Init) p_init;
static FN(NET_DVR_Cleanup) p_cleanup;
static FN(NET_DVR_GetLastError) p_last_error;
static FN(NET_DVR_Login_V40) p_login;
static FN(NET_DVR_Logout) p_logout;
static FN(NET_DVR_RealPlay_V40) p_real_play;
static FN(NET_DVR_StopRealPlay) p_stop_real_play;

/* What the data callback saw; it runs on an SDK thread. */
static struct {
    pthread_mutex_t lock;
    unsigned long callbacks;
    unsigned long long stream_bytes; /* NET_DVR_STREAMDATA payload */
    unsigned long other_packets;     /* anything but STREAMDATA after the first callback */
    DWORD first_type;
    DWORD first_size;
    BYTE first_magic[4];
    int first_stream_is_pack; /* first STREAMDATA starts with 00 00 01 BA */
    int seen_stream;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void on_data(LONG handle, DWORD type, BYTE *buf, DWORD size, void *user)
{
    (void)handle;
    (void)user;
    pthread_mutex_lock(&g.lock);
    if (g.callbacks == 0) {
        g.first_type = type;
        g.first_size = size;
        if (buf != NULL && size >= 4)
            memcpy(g.first_magic, buf, 4);
    } else if (type == NET_DVR_STREAMDATA) {
        if (!g.seen_stream) {
            static const BYTE pack[4] = { 0x00, 0x00, 0x01, 0xBA };
            g.first_stream_is_pack = buf != NULL && size >= 4 && memcmp(buf, pack, 4) == 0;
            g.seen_stream = 1;
        }
        g.stream_bytes += size;
    } else {
        g.other_packets++;
    }
    g.callbacks++;
    pthread_mutex_unlock(&g.lock);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void *load(void *lib, const char *name)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        printf("error=missing symbol %s\n", name);
        exit(2);
    }
    return sym;
}

#define LOAD(var, name) (var = (FN(name))load(lib, #name))

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 6) {
        fprintf(stderr, "usage: %s /path/to/libhcnetsdk.so [address port user password]\n", argv[0]);
        return 2;
    }
    const char *addr = argc == 6 ? argv[2] : DOME_ADDR;
    WORD port = argc == 6 ? (WORD)atoi(argv[3]) : DOME_PORT;
    const char *user_name = argc == 6 ? argv[4] : DOME_USER;
    const char *password = argc == 6 ? argv[5] : DOME_PASSWORD;

    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        printf("error=dlopen: %s\n", dlerror());
        return 2;
    }
    LOAD(p_init, NET_DVR_Init);
    LOAD(p_cleanup, NET_DVR_Cleanup);
    LOAD(p_last_error, NET_DVR_GetLastError);
    LOAD(p_login, NET_DVR_Login_V40);
    LOAD(p_logout, NET_DVR_Logout);
    LOAD(p_real_play, NET_DVR_RealPlay_V40);
    LOAD(p_stop_real_play, NET_DVR_StopRealPlay);
    printf("loaded=%s\n", argv[1]);

    if (!p_init()) {
        printf("error=NET_DVR_Init failed: %u\n", p_last_error());
        return 1;
    }
    printf("init=ok\n");

    NET_DVR_USER_LOGIN_INFO login;
    NET_DVR_DEVICEINFO_V40 device;
    memset(&login, 0, sizeof login);
    memset(&device, 0, sizeof device);
    snprintf(login.sDeviceAddress, sizeof login.sDeviceAddress, "%s", addr);
    login.wPort = port;
    snprintf(login.sUserName, sizeof login.sUserName, "%s", user_name);
    snprintf(login.sPassword, sizeof login.sPassword, "%s", password);
    login.bUseAsynLogin = 0;

    LONG user = p_login(&login, &device);
    if (user < 0) {
        printf("error=NET_DVR_Login_V40 failed: %u\n", p_last_error());
        p_cleanup();
        return 1;
    }
    /* sSerialNumber is a fixed 48-byte field, not always NUL-terminated. */
    printf("login=ok user=%d\n", user);
    printf("serial=%.48s\n", (const char *)device.struDeviceV30.sSerialNumber);
    printf("channels=%u start=%u\n", device.struDeviceV30.byChanNum, device.struDeviceV30.byStartChan);

    NET_DVR_PREVIEWINFO preview;
    memset(&preview, 0, sizeof preview);
    preview.lChannel = 1;
    preview.dwStreamType = 0; /* main stream */
    preview.dwLinkMode = 0;   /* TCP */
    preview.bBlocked = 1;

    /* DROPIN_LOOPS=N repeats start / some stream / stop N times (default 1), e.g. to run a
     * start/stop loop under valgrind. */
    const char *loops_env = getenv("DROPIN_LOOPS");
    int loops = loops_env != NULL ? atoi(loops_env) : 1;
    if (loops < 1)
        loops = 1;
    int stopped = 1;
    for (int round = 0; round < loops && stopped; round++) {
        pthread_mutex_lock(&g.lock);
        unsigned long long before = g.stream_bytes;
        pthread_mutex_unlock(&g.lock);

        LONG play = p_real_play(user, &preview, on_data, NULL);
        if (play < 0) {
            printf("error=NET_DVR_RealPlay_V40 failed: %u\n", p_last_error());
            p_logout(user);
            p_cleanup();
            return 1;
        }
        if (round == 0)
            printf("realplay=ok handle=%d\n", play);

        /* The first round about 1 s of stream, later ones until new stream bytes arrive;
         * each at most 6 s. */
        for (int i = 0; i < 120; i++) {
            sleep_ms(50);
            pthread_mutex_lock(&g.lock);
            unsigned long long got = g.stream_bytes;
            pthread_mutex_unlock(&g.lock);
            if ((round > 0 || i >= 19) && got > before)
                break;
        }
        stopped = p_stop_real_play(play);
    }
    printf("rounds=%d\n", loops);
    printf("stop=%s\n", stopped ? "ok" : "failed");
    int logged_out = p_logout(user);
    printf("logout=%s\n", logged_out ? "ok" : "failed");
    int cleaned = p_cleanup();
    printf("cleanup=%s\n", cleaned ? "ok" : "failed");

    /* StopRealPlay has returned: no callback runs any more. */
    pthread_mutex_lock(&g.lock);
    int header_ok = g.callbacks > 0 && g.first_type == NET_DVR_SYSHEAD && g.first_size == 40 &&
                    memcmp(g.first_magic, "IMKH", 4) == 0;
    printf("callbacks=%lu\n", g.callbacks);
    printf("first_packet=type %u size %u magic %.4s\n", g.first_type, g.first_size,
           header_ok ? "IMKH" : "????");
    printf("stream_bytes=%llu\n", g.stream_bytes);
    printf("stream_starts_with_pack_header=%s\n", g.first_stream_is_pack ? "yes" : "no");
    printf("other_packets=%lu\n", g.other_packets);
    /* Each round starts with the system header: one per round, the first callback overall. */
    int ok = header_ok && g.stream_bytes > 0 && g.first_stream_is_pack &&
             g.other_packets == (unsigned long)(loops - 1) && stopped && logged_out && cleaned;
    pthread_mutex_unlock(&g.lock);

    printf("result=%s\n", ok ? "PASS" : "FAIL");
    /* No dlclose: like most SDK clients, keep the library until the process exits. */
    return ok ? 0 : 1;
}
