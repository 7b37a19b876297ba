//! What a device refuses, independent of how a face reports it: the mock maps each variant
//! onto the SDK's error code (the codes in brackets), the emulator onto an HTTP status and a
//! `ResponseStatus`.

use std::fmt;

/// A rule of the simulated device said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceError {
    /// The device does not answer (offline or removed; SDK 7, `NET_DVR_NETWORK_FAIL_CONNECT`).
    Offline,
    /// No channel with this number (SDK 4, `NET_DVR_CHANNEL_ERROR`).
    NoChannel,
    /// The device has no such function, e.g. PTZ on a fixed camera (SDK 23,
    /// `NET_DVR_NOSUPPORT`).
    NotSupported,
    /// The user's role lacks the right (SDK 2, `NET_DVR_NOENOUGHPRI`).
    NoRight,
    /// A value out of range (SDK 17, `NET_DVR_PARAMETER_ERROR`).
    BadParameter,
    /// The device could not do it: GOTO of an unset preset, RUN of an empty cruise (SDK 29,
    /// `NET_DVR_DVROPRATEFAILED`).
    OperationFailed,
    /// Every preview link of the device is in use (SDK 5, `NET_DVR_OVER_MAXLINK`).
    TooManyLinks,
    /// `max_armings` armings are open (SDK 46, `NET_DVR_MAX_NUM`).
    TooManyArmings,
}

impl DeviceError {
    /// The HCNetSDK error code the mock reports for it.
    pub fn sdk_code(self) -> u32 {
        match self {
            DeviceError::Offline => 7,
            DeviceError::NoChannel => 4,
            DeviceError::NotSupported => 23,
            DeviceError::NoRight => 2,
            DeviceError::BadParameter => 17,
            DeviceError::OperationFailed => 29,
            DeviceError::TooManyLinks => 5,
            DeviceError::TooManyArmings => 46,
        }
    }
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeviceError::Offline => "the device does not answer",
            DeviceError::NoChannel => "the device has no channel with this number",
            DeviceError::NotSupported => "the device does not support this",
            DeviceError::NoRight => "the user has no right to do this",
            DeviceError::BadParameter => "a value is out of range",
            DeviceError::OperationFailed => "the device could not carry out the operation",
            DeviceError::TooManyLinks => "every preview link of the device is in use",
            DeviceError::TooManyArmings => "the device has as many armings as it allows",
        })
    }
}

impl std::error::Error for DeviceError {}
