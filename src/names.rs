//! Names for the enums a person types: [`Motion`], [`StreamType`] and [`VideoCodec`] as
//! kebab-case words (`up-left`, `zoom-in`, `main`, `sub`, `h265`), with `FromStr` and
//! `Display`.
//!
//! A command line builds its value parser from these (`Motion::ALL` and [`Motion::name`]),
//! so the library stays the one list of valid values and does not depend on a CLI crate.

use std::fmt;
use std::str::FromStr;

use crate::config::VideoCodec;
use crate::{Error, Motion, StreamType};

impl Motion {
    /// The name as typed: `up`, `down`, `left`, `right`, `up-left`, `up-right`,
    /// `down-left`, `down-right`, `zoom-in`, `zoom-out`, `focus-near`, `focus-far`,
    /// `iris-open`, `iris-close`.
    pub fn name(self) -> &'static str {
        match self {
            Motion::Up => "up",
            Motion::Down => "down",
            Motion::Left => "left",
            Motion::Right => "right",
            Motion::UpLeft => "up-left",
            Motion::UpRight => "up-right",
            Motion::DownLeft => "down-left",
            Motion::DownRight => "down-right",
            Motion::ZoomIn => "zoom-in",
            Motion::ZoomOut => "zoom-out",
            Motion::FocusNear => "focus-near",
            Motion::FocusFar => "focus-far",
            Motion::IrisOpen => "iris-open",
            Motion::IrisClose => "iris-close",
        }
    }
}

impl StreamType {
    /// Every stream type: main, sub, third.
    pub const ALL: [StreamType; 3] = [StreamType::Main, StreamType::Sub, StreamType::Third];

    /// The name as typed: `main`, `sub`, `third`.
    pub fn name(self) -> &'static str {
        match self {
            StreamType::Main => "main",
            StreamType::Sub => "sub",
            StreamType::Third => "third",
        }
    }
}

impl VideoCodec {
    /// Every codec: H.264, H.265.
    pub const ALL: [VideoCodec; 2] = [VideoCodec::H264, VideoCodec::H265];

    /// The name as typed: `h264`, `h265`.
    pub fn name(self) -> &'static str {
        match self {
            VideoCodec::H264 => "h264",
            VideoCodec::H265 => "h265",
        }
    }
}

/// The value of `all` whose name is `s` (ASCII case and surrounding blanks ignored; `_`
/// accepted for `-`), or an invalid-input error that lists the valid names.
fn parse_name<T: Copy>(
    what: &'static str,
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, Error> {
    let wanted = s.trim().replace('_', "-");
    all.iter()
        .copied()
        .find(|&v| name(v).eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| {
            let valid: Vec<&str> = all.iter().map(|&v| name(v)).collect();
            Error::invalid_input(
                what,
                format!("{s:?}"),
                format!("Use one of: {}.", valid.join(", ")),
            )
        })
}

impl FromStr for Motion {
    type Err = Error;

    /// Parse a name given by [`Motion::name`].
    ///
    /// # Errors
    /// An invalid-input [`Error`] listing the valid names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name("PTZ motion", s, &Motion::ALL, Motion::name)
    }
}

impl FromStr for StreamType {
    type Err = Error;

    /// Parse a name given by [`StreamType::name`].
    ///
    /// # Errors
    /// An invalid-input [`Error`] listing the valid names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name("stream type", s, &StreamType::ALL, StreamType::name)
    }
}

impl FromStr for VideoCodec {
    type Err = Error;

    /// Parse a name given by [`VideoCodec::name`]; the dotted forms ISAPI uses (`H.264`,
    /// `H.265`) are accepted too.
    ///
    /// # Errors
    /// An invalid-input [`Error`] listing the valid names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name(
            "video codec",
            &s.replace('.', ""),
            &VideoCodec::ALL,
            VideoCodec::name,
        )
    }
}

impl fmt::Display for VideoCodec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Motion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for StreamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motion_names_are_kebab_case_and_unique() {
        assert_eq!(Motion::UpLeft.name(), "up-left");
        assert_eq!(Motion::ZoomIn.name(), "zoom-in");
        assert_eq!(Motion::IrisClose.name(), "iris-close");
        let mut names: Vec<&str> = Motion::ALL.iter().map(|m| m.name()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-')),
            "{names:?}"
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Motion::ALL.len());
    }

    #[test]
    fn every_motion_round_trips() {
        for m in Motion::ALL {
            assert_eq!(m.name().parse::<Motion>().unwrap(), m);
            assert_eq!(m.to_string(), m.name());
        }
        assert_eq!(" Down_Right ".parse::<Motion>().unwrap(), Motion::DownRight);
        assert_eq!("ZOOM-OUT".parse::<Motion>().unwrap(), Motion::ZoomOut);
    }

    #[test]
    fn every_stream_type_round_trips() {
        assert_eq!(StreamType::Main.name(), "main");
        assert_eq!(StreamType::Sub.name(), "sub");
        assert_eq!(StreamType::ALL.len(), 3);
        for t in StreamType::ALL {
            assert_eq!(t.name().parse::<StreamType>().unwrap(), t);
            assert_eq!(t.to_string(), t.name());
        }
    }

    #[test]
    fn every_video_codec_round_trips_and_takes_the_isapi_form() {
        for c in VideoCodec::ALL {
            assert_eq!(c.name().parse::<VideoCodec>().unwrap(), c);
            assert_eq!(c.to_string(), c.name());
        }
        assert_eq!("H.265".parse::<VideoCodec>().unwrap(), VideoCodec::H265);
        assert_eq!(" h.264 ".parse::<VideoCodec>().unwrap(), VideoCodec::H264);
        let e = "mjpeg".parse::<VideoCodec>().unwrap_err().to_string();
        assert!(e.contains("\"mjpeg\"") && e.contains("h264, h265"), "{e}");
    }

    #[test]
    fn an_unknown_name_lists_the_valid_ones() {
        let e = "sideways".parse::<Motion>().unwrap_err();
        let text = e.to_string();
        assert!(text.contains("\"sideways\""), "{text}");
        assert!(
            text.contains("up, down, left, right, up-left") && text.contains("iris-close"),
            "{text}"
        );
        assert_eq!(e.category(), crate::error::Category::Parameter);
        let e = "fourth".parse::<StreamType>().unwrap_err().to_string();
        assert!(e.contains("main, sub, third"), "{e}");
        assert!("".parse::<StreamType>().is_err());
        assert!("up-".parse::<Motion>().is_err());
    }
}
