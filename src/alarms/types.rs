//! The typed alarm: [`Alarm`], [`AlarmKind`] and their parts.

use std::fmt;
use std::time::SystemTime;

use crate::time::DeviceTime;

/// One alarm from a device (a message of the SDK's message callback), decoded.
///
/// Not an [`Event`](crate::Event): events are the SDK's exceptions about links (a
/// disconnect, a reconnect); alarms are what the device reports about the scene and
/// itself (motion, line crossing, a disk error, ...).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Alarm {
    /// The SDK's `lCommand` (`COMM_ALARM_V30`, `COMM_ISAPI_ALARM`, ...); 0 for
    /// [`AlarmKind::Channel`], which this crate makes itself.
    pub command: i32,
    /// What happened.
    pub kind: AlarmKind,
    /// When the device says it happened; `None` when the message carries no time (V30).
    /// A device-local time with no zone stays [`DeviceTime::LocalUnknownZone`].
    pub time: Option<DeviceTime>,
    /// Who sent it (`NET_DVR_ALARMER`, the fields the SDK marked valid).
    pub source: AlarmSource,
    /// Pictures that came with it (VCA snapshots, ISAPI attachments).
    pub pictures: Vec<AlarmPicture>,
    /// The ISAPI document, for `COMM_ISAPI_ALARM`.
    pub isapi: Option<IsapiAlert>,
    /// When the message reached this crate.
    pub received: SystemTime,
    /// Alarms dropped just before this one because the queue was full (0 normally).
    pub lost_before: u64,
    /// Part of the message was cut (a block over the size caps) or the struct was shorter
    /// than its type: the fields read are still right, some are missing.
    pub truncated: bool,
}

/// The kinds of alarm this crate decodes; anything else is [`AlarmKind::Raw`].
///
/// Channels are numbered as the device numbers them (1 is the first analogue channel;
/// IP channels usually start at 33). Disks and alarm inputs and outputs are numbered from
/// 1, as on the device's web page.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AlarmKind {
    /// Motion detection (`dwAlarmType` 3; ISAPI `VMD`).
    Motion {
        /// The channels that saw motion.
        channels: Vec<u32>,
    },
    /// Video loss (type 2; ISAPI `videoloss`).
    VideoLoss {
        /// The channels that lost video.
        channels: Vec<u32>,
    },
    /// Tamper: the lens covered (type 6, "hide"/"shelter"; ISAPI `shelteralarm`).
    Tamper {
        /// The channels concerned.
        channels: Vec<u32>,
    },
    /// An alarm input closed (type 0; ISAPI `IO`).
    AlarmInput {
        /// The input (from 1).
        input: u32,
        /// The alarm outputs it triggered.
        outputs: Vec<u32>,
        /// The channels it records.
        channels: Vec<u32>,
    },
    /// A disk is full (type 1).
    DiskFull {
        /// The disks.
        disks: Vec<u32>,
    },
    /// A disk is not formatted (type 4).
    DiskUnformatted {
        /// The disks.
        disks: Vec<u32>,
    },
    /// A disk failed to read or write (type 5).
    DiskError {
        /// The disks.
        disks: Vec<u32>,
    },
    /// Video input standard mismatch (type 7).
    StandardMismatch,
    /// Illegal access (type 8).
    IllegalAccess,
    /// Video signal exception (type 9).
    VideoSignalException {
        /// The channels concerned.
        channels: Vec<u32>,
    },
    /// Recording exception (type 10).
    RecordingException {
        /// The channels concerned.
        channels: Vec<u32>,
    },
    /// Another `COMM_ALARM_V30`/`V40` type.
    Other {
        /// `dwAlarmType`.
        alarm_type: u32,
        /// The channels it names, if it names channels.
        channels: Vec<u32>,
    },
    /// Line crossing (`COMM_ALARM_RULE`, event `VCA_TRAVERSE_PLANE`; ISAPI
    /// `linedetection`).
    LineCrossing(RuleAlarm),
    /// Intrusion (`COMM_ALARM_RULE`, event `VCA_INTRUSION`; ISAPI `fielddetection`).
    Intrusion(RuleAlarm),
    /// Another VCA rule event (`COMM_ALARM_RULE`).
    Rule(RuleAlarm),
    /// An ISAPI event this crate has no variant for; see [`Alarm::isapi`].
    Isapi {
        /// The document's `eventType`.
        event_type: String,
        /// Its `channelID` (or `dynChannelID`), if any.
        channel: Option<u32>,
    },
    /// The alarm channel changed (made by this crate from the SDK's exception callback,
    /// or by the watchdog): `command` is 0.
    Channel(AlarmChannelEvent),
    /// Any other command, or a message too short for its struct: never dropped in silence.
    Raw {
        /// `lCommand`.
        command: i32,
        /// The message struct as the SDK passed it (at most `dwBufLen` bytes; pointers in
        /// it are meaningless after the callback).
        bytes: Vec<u8>,
    },
}

impl AlarmKind {
    /// The channels the alarm names (empty for disk, input-less and raw alarms).
    pub fn channels(&self) -> Vec<u32> {
        match self {
            Self::Motion { channels }
            | Self::VideoLoss { channels }
            | Self::Tamper { channels }
            | Self::AlarmInput { channels, .. }
            | Self::VideoSignalException { channels }
            | Self::RecordingException { channels }
            | Self::Other { channels, .. } => channels.clone(),
            Self::LineCrossing(r) | Self::Intrusion(r) | Self::Rule(r) => {
                r.channel.into_iter().collect()
            }
            Self::Isapi { channel, .. } => channel.iter().copied().collect(),
            _ => Vec::new(),
        }
    }

    /// A short name for people and logs (`motion`, `line-crossing`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Motion { .. } => "motion",
            Self::VideoLoss { .. } => "video-loss",
            Self::Tamper { .. } => "tamper",
            Self::AlarmInput { .. } => "alarm-input",
            Self::DiskFull { .. } => "disk-full",
            Self::DiskUnformatted { .. } => "disk-unformatted",
            Self::DiskError { .. } => "disk-error",
            Self::StandardMismatch => "standard-mismatch",
            Self::IllegalAccess => "illegal-access",
            Self::VideoSignalException { .. } => "video-signal-exception",
            Self::RecordingException { .. } => "recording-exception",
            Self::Other { .. } => "other",
            Self::LineCrossing(_) => "line-crossing",
            Self::Intrusion(_) => "intrusion",
            Self::Rule(_) => "vca-rule",
            Self::Isapi { .. } => "isapi",
            Self::Channel(_) => "alarm-channel",
            Self::Raw { .. } => "raw",
        }
    }
}

/// A VCA rule alarm (`NET_VCA_RULE_ALARM`): which rule fired, on what.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleAlarm {
    /// The rule's ID (`byRuleID`).
    pub rule_id: u8,
    /// The rule's name (GBK decoded).
    pub rule_name: String,
    /// The event type (`dwEventType`, a `VCA_EVENT_TYPE`).
    pub event_type: u32,
    /// The channel (`struDevInfo.byChannel`, or the IVMS channel when set).
    pub channel: Option<u32>,
    /// The target's ID.
    pub target_id: u32,
    /// The target's box, in fractions of the picture (0.0 to 1.0).
    pub target: Rect,
    /// The device's address as it put it in the message.
    pub device_ip: String,
}

/// A box in fractions of the picture's width and height.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// A picture sent with an alarm.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct AlarmPicture {
    /// Its file name, when the device gave one (ISAPI attachments).
    pub file_name: Option<String>,
    /// The device's picture type byte, when it gave one.
    pub picture_type: Option<u8>,
    /// The bytes (JPEG usually; a URL for devices told to send URLs).
    pub data: Vec<u8>,
}

impl fmt::Debug for AlarmPicture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlarmPicture")
            .field("file_name", &self.file_name)
            .field("picture_type", &self.picture_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// Who sent an alarm: the fields of `NET_DVR_ALARMER` the SDK marked valid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AlarmSource {
    /// The login the alarm came through (arming mode); `None` in listening mode.
    pub user_id: Option<i32>,
    /// The device's serial number.
    pub serial: Option<String>,
    /// The device's name.
    pub device_name: Option<String>,
    /// The device's address as the SDK reports it.
    pub device_ip: Option<String>,
    /// The address the message came from.
    pub socket_ip: Option<String>,
    /// The device's port.
    pub port: Option<u16>,
}

/// The ISAPI `EventNotificationAlert` of a `COMM_ISAPI_ALARM` message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IsapiAlert {
    /// `eventType` (`VMD`, `linedetection`, `fielddetection`, `IO`, ...).
    pub event_type: String,
    /// `eventState` (`active`, `inactive`).
    pub event_state: Option<String>,
    /// `eventDescription`.
    pub description: Option<String>,
    /// `channelID` (or `dynChannelID`).
    pub channel: Option<u32>,
    /// `dateTime` as the device wrote it.
    pub date_time: Option<String>,
    /// Whether the document was JSON (else XML).
    pub json: bool,
    /// The document.
    pub document: String,
}

/// A change of the alarm channel of one arming, reported as an alarm of kind
/// [`AlarmKind::Channel`] so that it arrives in order with the alarms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AlarmChannelEvent {
    /// The link to the device broke (`EXCEPTION_EXCHANGE`): no alarms until it is back.
    Offline,
    /// The link works again (`RESUME_EXCHANGE`, `RELOGIN_SUCCESS`).
    Online,
    /// The alarm channel broke (`EXCEPTION_ALARM`) or the SDK is reconnecting it
    /// (`EXCEPTION_ALARMRECONNECT`).
    Broken,
    /// The SDK reconnected the alarm channel itself (`ALARM_RECONNECTSUCCESS`).
    Reconnected,
    /// The SDK gave up reconnecting it (`EXCEPTION_ALARM_RECONNECT_CLOSED`): this crate
    /// arms again once the device is online.
    ReconnectClosed,
    /// The SDK dropped alarms (`EXCEPTION_LOST_ALARM`, `EXCEPTION_MAX_ALARM_INFO`).
    SdkLostAlarms,
    /// This crate armed again after a reconnect.
    RearmedAfterReconnect,
    /// This crate armed again because the device was silent longer than the watchdog
    /// allows ([`AlarmsBuilder::watchdog`](crate::alarms::AlarmsBuilder::watchdog)).
    RearmedByWatchdog,
    /// Arming again failed; the watchdog or the next reconnect tries again.
    RearmFailed,
    /// The session logged out: the last item of this handle.
    StoppedByLogout,
}

impl fmt::Display for AlarmChannelEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Offline => "device offline",
            Self::Online => "device online again",
            Self::Broken => "alarm channel broke",
            Self::Reconnected => "alarm channel reconnected by the SDK",
            Self::ReconnectClosed => "the SDK gave up reconnecting the alarm channel",
            Self::SdkLostAlarms => "the SDK dropped alarms",
            Self::RearmedAfterReconnect => "armed again after a reconnect",
            Self::RearmedByWatchdog => "armed again after a silence (watchdog)",
            Self::RearmFailed => "arming again failed",
            Self::StoppedByLogout => "stopped because the session logged out",
        })
    }
}

impl fmt::Display for Alarm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.name())?;
        let channels = self.kind.channels();
        if !channels.is_empty() {
            write!(f, " on channel(s) {channels:?}")?;
        }
        if let AlarmKind::Channel(e) = &self.kind {
            write!(f, ": {e}")?;
        }
        if let Some(t) = &self.time {
            write!(f, " at {t}")?;
        }
        Ok(())
    }
}
