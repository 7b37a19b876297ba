//! Progress on stderr: an `indicatif` bar when stderr is a terminal; for downloads, plain
//! progress lines otherwise (a log or a pipe gets one line per step, no control codes).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar's look: `label [#####-----] message`.
fn bar(label: String, len: u64) -> ProgressBar {
    let style = ProgressStyle::with_template("{prefix} [{bar:30}] {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("#-");
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(style);
    bar.set_prefix(label);
    bar
}

/// Progress of a job with a known length in time (`hcnet preview`): a bar on a terminal,
/// nothing otherwise.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    total: Duration,
}

impl Progress {
    /// A bar for a job of `total` length; silent unless stderr is a terminal.
    pub fn new(label: impl Into<String>, total: Duration) -> Self {
        let len = total.as_millis().max(1) as u64;
        Self {
            bar: std::io::stderr()
                .is_terminal()
                .then(|| bar(label.into(), len)),
            total,
        }
    }

    /// Redraw with `elapsed` of the total done and `bytes` received so far.
    pub fn update(&self, elapsed: Duration, bytes: u64) {
        if let Some(b) = &self.bar {
            b.set_position(elapsed.min(self.total).as_millis() as u64);
            b.set_message(time_message(elapsed, self.total, bytes));
        }
    }

    /// Clear the line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// `0.5/1 s 12.0 KiB`.
fn time_message(elapsed: Duration, total: Duration, bytes: u64) -> String {
    format!(
        "{:>4.1}/{:.0} s {}",
        elapsed.min(total).as_secs_f64(),
        total.as_secs_f64(),
        human_bytes(bytes)
    )
}

/// Progress of a download in percent (`hcnet download`): a bar on a terminal, else a plain
/// line on stderr each time the percentage changes.
#[derive(Debug)]
pub struct PercentProgress {
    bar: Option<ProgressBar>,
    label: String,
    last: Option<u8>,
}

impl PercentProgress {
    /// A bar when stderr is a terminal, plain lines otherwise.
    pub fn new(label: impl Into<String>) -> Self {
        let label = label.into();
        Self {
            bar: std::io::stderr()
                .is_terminal()
                .then(|| bar(label.clone(), 100)),
            label,
            last: None,
        }
    }

    /// Show `percent` done and `bytes` in the file.
    pub fn update(&mut self, percent: u8, bytes: u64) {
        let msg = format!("{percent:>3}% {}", human_bytes(bytes));
        match &self.bar {
            Some(b) => {
                b.set_position(u64::from(percent.min(100)));
                b.set_message(msg);
            }
            None if self.last != Some(percent) => eprintln!("{} {msg}", self.label),
            None => {}
        }
        self.last = Some(percent);
    }

    /// Clear the bar (plain lines stay).
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// `1234567` -> `1.2 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_message_caps_at_the_total() {
        let total = Duration::from_secs(4);
        assert_eq!(
            time_message(Duration::from_secs(2), total, 2048),
            " 2.0/4 s 2.0 KiB"
        );
        assert_eq!(
            time_message(Duration::from_secs(9), total, 0),
            " 4.0/4 s 0 B"
        );
    }

    #[test]
    fn bytes_are_humane() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }
}
