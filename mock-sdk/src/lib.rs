//! hcnetsdk-mock: a drop-in `libhcnetsdk.so` that simulates Hikvision cameras and recorders.
//!
//! It exports every function of the project's C declarations (`sys/include/hcnetsdk.h`,
//! `hcnetsdk_sys::DECLARED_FUNCTIONS`) with the same C ABI, so the safe `hcnetsdk` crate, the
//! `hcnet` CLI, or an unmodified C, Java or Python client can load it in place of the vendor
//! library. Devices come from a TOML scenario (`HCNETSDK_MOCK_SCENARIO`, or the built-in
//! default in `scenarios/default.toml`); addresses that no simulated device has get a real
//! TCP connection, so network failures behave as the real SDK's do.
//!
//! Behaviour that the real SDK shows without a camera (lifecycle, thread-local last error,
//! network failure codes and timings, invalid handles) was measured on SDK 6.1.9.48 and is
//! copied exactly; `README.md` lists every rule and every known difference. Tests drive the
//! simulation through the `MOCK_*` exports ([`control`]).
//!
//! Layout: [`exports`] is the only C-facing layer (all raw-pointer handling lives there);
//! [`ffi`] wraps every export (call counting, fault injection, panics never unwind into C,
//! last-error bookkeeping); the other modules are plain safe Rust.

mod config;
mod control;
mod errors;
mod events;
mod exports;
mod faults;
mod ffi;
mod log;
mod login;
mod net;
mod preview;
mod ptz;
mod registry;
mod scenario;
mod settings;

/// The media the mock streams (written by M2; see its module docs).
pub mod media;

/// Compile-time proof that every export has exactly the signature that hcnetsdk-sys's
/// bindgen output (generated from `sys/include/hcnetsdk.h`) declares: each export is stored
/// into the loader's function table, whose field types are the declared pointer types.
#[allow(dead_code)]
fn signature_check(mut f: hcnetsdk_sys::HcNetSdkFns) -> hcnetsdk_sys::HcNetSdkFns {
    macro_rules! check {
        ($($name:ident),* $(,)?) => { $( f.$name = Ok(exports::$name); )* };
    }
    check!(
        NET_DVR_Init,
        NET_DVR_Cleanup,
        NET_DVR_GetLastError,
        NET_DVR_GetErrorMsg,
        NET_DVR_GetLastErrorModelCode,
        NET_DVR_GetSDKVersion,
        NET_DVR_GetSDKBuildVersion,
        NET_DVR_SetSDKInitCfg,
        NET_DVR_SetSDKLocalCfg,
        NET_DVR_GetSDKLocalCfg,
        NET_DVR_SetSDKLocalConfig,
        NET_DVR_GetSDKLocalConfig,
        NET_DVR_SetConnectTime,
        NET_DVR_SetReconnect,
        NET_DVR_SetRecvTimeOut,
        NET_DVR_SetLogToFile,
        NET_DVR_SetExceptionCallBack_V30,
        NET_DVR_GetLocalIP,
        NET_DVR_SetValidIP,
        NET_DVR_GetSDKState,
        NET_DVR_GetSDKAbility,
        NET_DVR_Login_V40,
        NET_DVR_Login_V30,
        NET_DVR_Logout,
        NET_DVR_Logout_V30,
        NET_DVR_RealPlay_V40,
        NET_DVR_StopRealPlay,
        NET_DVR_SetRealDataCallBack,
        NET_DVR_SetRealDataCallBackEx,
        NET_DVR_SetStandardDataCallBack,
        NET_DVR_SetStandardDataCallBackEx,
        NET_DVR_SaveRealData,
        NET_DVR_SaveRealData_V30,
        NET_DVR_StopSaveRealData,
        NET_DVR_MakeKeyFrame,
        NET_DVR_MakeKeyFrameSub,
        NET_DVR_PTZControl,
        NET_DVR_PTZControl_Other,
        NET_DVR_PTZControlWithSpeed,
        NET_DVR_PTZControlWithSpeed_Other,
        NET_DVR_PTZPreset,
        NET_DVR_PTZPreset_Other,
        NET_DVR_PTZCruise,
        NET_DVR_PTZCruise_Other,
        NET_DVR_PTZTrack,
        NET_DVR_PTZTrack_Other,
        NET_DVR_GetDVRConfig,
        NET_DVR_SetDVRConfig,
        NET_DVR_GetDeviceConfig,
        NET_DVR_SetDeviceConfig,
        NET_DVR_GetSTDConfig,
        NET_DVR_SetSTDConfig,
        NET_DVR_STDControl,
        NET_DVR_STDXMLConfig,
        NET_DVR_RemoteControl,
        NET_DVR_RebootDVR,
        NET_DVR_ShutDownDVR,
        NET_DVR_GetDeviceAbility,
        NET_DVR_CaptureJPEGPicture,
        NET_DVR_CaptureJPEGPicture_NEW,
        NET_DVR_FindFile_V40,
        NET_DVR_FindNextFile_V40,
        NET_DVR_FindClose_V30,
        NET_DVR_GetFileByTime_V40,
        NET_DVR_GetFileByName,
        NET_DVR_StopGetFile,
        NET_DVR_GetDownloadPos,
        NET_DVR_PlayBackByTime_V40,
        NET_DVR_PlayBackByName,
        NET_DVR_PlayBackControl_V40,
        NET_DVR_GetPlayBackPos,
        NET_DVR_SetPlayDataCallBack_V40,
        NET_DVR_StopPlayBack,
        NET_DVR_SetDVRMessageCallBack_V30,
        NET_DVR_SetDVRMessageCallBack_V31,
        NET_DVR_SetDVRMessageCallBack_V50,
        NET_DVR_SetupAlarmChan_V30,
        NET_DVR_SetupAlarmChan_V41,
        NET_DVR_SetupAlarmChan_V50,
        NET_DVR_CloseAlarmChan_V30,
        NET_DVR_StartListen_V30,
        NET_DVR_StopListen_V30,
        NET_DVR_StartRemoteConfig,
        NET_DVR_GetNextRemoteConfig,
        NET_DVR_SendWithRecvRemoteConfig,
        NET_DVR_SendRemoteConfig,
        NET_DVR_StopRemoteConfig,
    );
    f
}
