//! A one-line progress bar on stderr, drawn only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::Duration;

/// Progress of a job with a known length in time.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    label: String,
    total: Duration,
    width: usize,
}

impl Progress {
    /// A bar for a job of `total` length; silent unless stderr is a terminal.
    pub fn new(label: impl Into<String>, total: Duration) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            label: label.into(),
            total,
            width: 30,
        }
    }

    /// Redraw with `elapsed` of the total done and `bytes` received so far.
    pub fn update(&self, elapsed: Duration, bytes: u64) {
        if !self.enabled {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}", self.render(elapsed, bytes));
        let _ = err.flush();
    }

    /// Clear the line.
    pub fn finish(&self) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:width$}\r", "", width = self.width + 60);
            let _ = err.flush();
        }
    }

    fn render(&self, elapsed: Duration, bytes: u64) -> String {
        let frac = if self.total.is_zero() {
            1.0
        } else {
            (elapsed.as_secs_f64() / self.total.as_secs_f64()).clamp(0.0, 1.0)
        };
        let filled = (frac * self.width as f64).round() as usize;
        format!(
            "{} [{}{}] {:>4.1}/{:.0} s {}",
            self.label,
            "#".repeat(filled),
            "-".repeat(self.width - filled),
            elapsed.as_secs_f64().min(self.total.as_secs_f64()),
            self.total.as_secs_f64(),
            human_bytes(bytes)
        )
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
    fn bar_fills_with_time() {
        let p = Progress {
            enabled: true,
            label: "preview".into(),
            total: Duration::from_secs(4),
            width: 10,
        };
        assert!(
            p.render(Duration::from_secs(2), 2048)
                .contains("[#####-----]")
        );
        assert!(p.render(Duration::from_secs(9), 0).contains("[##########]"));
        assert!(p.render(Duration::from_secs(2), 2048).ends_with("2.0 KiB"));
    }

    #[test]
    fn bytes_are_humane() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }
}
