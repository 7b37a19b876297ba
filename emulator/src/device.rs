//! The shared device model (`hcnetsdk-device`) behind the two faces: [`DeviceModel`]
//! answers the HTTP face ([`IsapiModel`]) from a [`Device`], and [`media_source`] and
//! [`credentials`] give the RTSP face the device's streams and users.
//!
//! Every rule stays in the device model: the lock-out counters and the session limit
//! ([`Device::login_attempt`]), the roles, and every ISAPI answer with its
//! `ResponseStatus` ([`Device::isapi`]; its 404 is the device's, which the face logs as a
//! request nobody answers). This module only translates.
//!
//! Gaps: a login refused for too many sessions gets the wrong-password answer (what a
//! real device sends then is not measured). A device the model turns offline closes its
//! listeners ([`crate::faults`]); a login that slips in before they close gets the
//! wrong-password answer too.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hcnetsdk_device::media::{self, AudioCodec as DevAudio, VideoCodec as DevVideo};
use hcnetsdk_device::{Device, Role};

use crate::http::alert::{AlertSource, AlertStream};
use crate::http::{IsapiAnswer, IsapiModel, LoginOutcome};
use crate::rtsp::{
    AudioTrack, Credentials, MediaSource, PlaybackSource, Recorded, StreamMedia, VideoCodec,
    VideoFrame,
};

/// One device of the shared model, as the HTTP face sees it.
#[derive(Debug, Clone)]
pub struct DeviceModel {
    device: Arc<Device>,
}

impl DeviceModel {
    /// The model of `device`.
    #[must_use]
    pub fn new(device: Arc<Device>) -> Self {
        Self { device }
    }

    /// The device.
    #[must_use]
    pub fn device(&self) -> &Arc<Device> {
        &self.device
    }

    /// The role of `user`, if the device has that user.
    fn role(&self, user: &str) -> Option<Role> {
        let users = &self.device.spec().users;
        users.iter().find(|u| u.name == user).map(|u| u.role)
    }

    /// What the face answers when the device refuses a right password for a reason the
    /// ISAPI login cannot say (offline, too many sessions): the wrong-password answer.
    fn refused(&self) -> LoginOutcome {
        LoginOutcome::WrongPassword {
            attempts_left: self.attempts_left(self.device.retries_left()),
        }
    }

    /// `retryLoginTime`: none for a device without a lock (`login_retry_limit` 0).
    fn attempts_left(&self, left: u8) -> Option<u32> {
        (self.device.spec().login_retry_limit > 0).then_some(u32::from(left))
    }
}

impl IsapiModel for DeviceModel {
    fn login_attempt(
        &self,
        user: &str,
        check: &dyn Fn(&str) -> bool,
        now: Instant,
    ) -> LoginOutcome {
        use hcnetsdk_device::LoginOutcome as Dev;
        match self.device.login_attempt(user, check, now) {
            Dev::Ok { .. } => LoginOutcome::Success,
            Dev::WrongPassword { attempts_left } => LoginOutcome::WrongPassword {
                attempts_left: self.attempts_left(attempts_left),
            },
            Dev::Locked { seconds_left } => LoginOutcome::Locked {
                remaining: Duration::from_secs(u64::from(seconds_left)),
            },
            Dev::Offline | Dev::TooManySessions => self.refused(),
        }
    }

    /// Without a user the least role answers (a viewer's rights).
    fn isapi(&self, method: &str, path: &str, body: &[u8]) -> Option<IsapiAnswer> {
        Some(answer(self.device.isapi(Role::Viewer, method, path, body)))
    }

    fn isapi_as(&self, user: &str, method: &str, path: &str, body: &[u8]) -> Option<IsapiAnswer> {
        let role = self.role(user).unwrap_or(Role::Viewer);
        Some(answer(self.device.isapi(role, method, path, body)))
    }

    fn session_closed(&self, _user: &str) {
        self.device.end_session();
    }

    /// An arming of the device: its alarms as `EventNotificationAlert` parts. Refused
    /// beyond `max_armings` with a 403 `ResponseStatus` (not measured on a device).
    fn alert_stream(&self, _user: &str) -> Option<Result<AlertStream, IsapiAnswer>> {
        Some(match self.device.arm() {
            Ok(arming) => Ok(AlertStream(Box::new(Alerts {
                device: Arc::clone(&self.device),
                arming,
            }))),
            Err(e) => Err(IsapiAnswer {
                http_status: 403,
                body: crate::http::xml::response_status(
                    crate::http::alert::ALERT_STREAM,
                    4,
                    if e == hcnetsdk_device::DeviceError::TooManyArmings {
                        "maxArmingReached"
                    } else {
                        "deviceError"
                    },
                )
                .into_bytes(),
                content_type: crate::http::xml::XML_CONTENT_TYPE.to_owned(),
            }),
        })
    }
}

/// One alert stream's arming of the device.
struct Alerts {
    device: Arc<Device>,
    arming: hcnetsdk_device::Arming,
}

impl AlertSource for Alerts {
    fn next(&mut self, timeout: Duration) -> Option<String> {
        let a = self.device.next_alarm(&mut self.arming, timeout)?;
        let port = self.device.spec().port;
        Some(hcnetsdk_device::alarms::isapi::event_xml(
            &self.device,
            port,
            &a,
        ))
    }

    fn heartbeat(&mut self) -> String {
        hcnetsdk_device::alarms::isapi::heartbeat_xml(&self.device, self.device.spec().port)
    }

    fn heartbeat_every(&self) -> Duration {
        Duration::from_secs_f64(self.device.spec().alert_heartbeat_seconds)
    }
}

/// The device's answer, as the face sends it.
fn answer(a: hcnetsdk_device::IsapiAnswer) -> IsapiAnswer {
    IsapiAnswer {
        http_status: a.http_status,
        body: a.body,
        content_type: a.content_type.to_owned(),
    }
}

/// The RTSP users of `device`: its scenario users and their passwords, read when a client
/// authenticates (digest needs the password in clear; it is never logged).
#[must_use]
pub fn credentials(device: &Arc<Device>) -> Credentials {
    let device = Arc::clone(device);
    Credentials::from_fn(move |user| {
        let users = &device.spec().users;
        users
            .iter()
            .find(|u| u.name == user)
            .map(|u| u.password.clone())
    })
}

/// Every channel's main (N01) and sub (N02) stream of `device`, with the scenario's codecs,
/// from the same clips as the mock's preview ([`media::elementary`]).
#[must_use]
pub fn media_source(device: &Device) -> MediaSource {
    let spec = device.spec();
    let main = stream_media(media::elementary(spec.stream_kind(false)));
    let sub = stream_media(media::elementary(spec.stream_kind(true)));
    let analog = (0..spec.analog()).map(|i| u32::from(spec.start_channel) + u32::from(i));
    let ip = (0..spec.ip_channels).map(|i| u32::from(spec.start_ip()) + u32::from(i));
    let source = analog.chain(ip).fold(MediaSource::new(), |source, ch| {
        source.with_channel(ch, main.clone(), sub.clone())
    });
    // Over ISAPI an NVR's IP channels are its InputProxy ids (1..), and the real SDK asks
    // RTSP for `/ISAPI/Streaming/channels/<id>01`: serve them there too, unless an analog
    // channel already has that id.
    (1..=u32::from(spec.ip_channels)).fold(source, |source, id| {
        if source.get(id * 100 + 1).is_some() {
            source
        } else {
            source.with_channel(id, main.clone(), sub.clone())
        }
    })
}

/// The recordings of `device` for RTSP playback: a track's files over the URL's times
/// ([`hcnetsdk_device::recordings::isapi::playback_frames`]), frames of the main stream's
/// clip without its audio.
#[must_use]
pub fn playback_source(device: &Arc<Device>) -> Arc<dyn PlaybackSource> {
    let mut es = media::elementary(device.spec().stream_kind(false)).clone();
    es.audio = None;
    Arc::new(Playback {
        device: Arc::clone(device),
        media: Arc::new(stream_media(&es)),
    })
}

#[derive(Debug)]
struct Playback {
    device: Arc<Device>,
    media: Arc<StreamMedia>,
}

impl PlaybackSource for Playback {
    fn recording(&self, track: u32, start: &str, end: &str) -> Option<Recorded> {
        use hcnetsdk_device::recordings::isapi::{parse_time, playback_frames};
        let (from, to) = (parse_time(start)?, parse_time(end)?);
        let spans = playback_frames(&self.device.recordings(), track, from, to);
        match spans {
            Ok(spans) if !spans.is_empty() => Some(Recorded {
                media: Arc::clone(&self.media),
                spans,
            }),
            other => {
                tracing::warn!(track, start, end, ?other, "RTSP playback: no recording");
                None
            }
        }
    }
}

/// One stream's elementary media as the RTSP face packetises it: video time stamps from
/// the start of the clip, G.711 in 20 ms frames, AAC without its ADTS headers.
#[must_use]
pub fn stream_media(es: &media::Elementary) -> StreamMedia {
    let v = &es.video;
    let first = v.units.first().map_or(0, |u| u.pts);
    let frames = v
        .units
        .iter()
        .map(|u| VideoFrame {
            nals: u.nal_units().map(<[u8]>::to_vec).collect(),
            pts: u.pts - first,
            key: u.key,
        })
        .collect();
    let codec = match v.codec {
        DevVideo::H264 => VideoCodec::H264,
        DevVideo::H265 => VideoCodec::H265,
    };
    let audio = es.audio.as_ref().and_then(|a| {
        let bytes: Vec<u8> = a
            .frames
            .iter()
            .flat_map(|f| f.data.iter().copied())
            .collect();
        match a.codec {
            DevAudio::G711a => Some(AudioTrack::g711(true, &bytes)),
            DevAudio::G711u => Some(AudioTrack::g711(false, &bytes)),
            DevAudio::Aac => AudioTrack::aac_adts(&bytes),
            DevAudio::None => None,
        }
    });
    StreamMedia {
        codec,
        width: v.width,
        height: v.height,
        fps: v.fps.max(1),
        frames,
        audio,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcnetsdk_device::{Pacing, Scenario};

    #[test]
    fn an_nvr_serves_its_ip_channels_by_sdk_number_and_by_isapi_id() {
        let spec = Scenario::default()
            .devices
            .into_iter()
            .find(|d| d.label == "nvr")
            .expect("the built-in scenario has an NVR");
        let source = media_source(&Device::new(spec, Pacing::Realtime));
        // The private protocol's 33..48, and the InputProxy ids 1..16 the real SDK uses
        // over ISAPI (measured: it asks RTSP for channels/101 for IP channel 1).
        for id in [3301, 3302, 4801, 4802, 101, 102, 1601, 1602] {
            assert!(source.get(id).is_some(), "stream {id} not served");
        }
        assert!(source.get(1701).is_none() && source.get(4901).is_none());

        let dome = Scenario::default().devices.remove(0);
        let ids: Vec<u32> = media_source(&Device::new(dome, Pacing::Realtime))
            .ids()
            .collect();
        assert_eq!(ids, [101, 102], "a camera keeps its one channel");
    }
}
