//! The doctor's report: ordered checks, each ✓/✗ (or skipped), what it found, the fix.

use serde::Serialize;
use std::fmt::Write as _;

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
    /// The check did not run: an earlier one failed, or it does not apply to this device
    /// (then [`Check::applies`] is false).
    Skip,
}

impl Status {
    fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Fail => "✗",
            Status::Skip => "-",
        }
    }
}

/// An SDK error code as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeRef {
    /// Raw value.
    pub value: u32,
    /// C name (`NET_DVR_PASSWORD_ERROR`), if known.
    pub name: Option<String>,
    /// Category word (`auth`, `network`, ...), if known.
    pub category: Option<String>,
}

/// One check in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// 1-based position.
    pub step: u8,
    /// Stable key: `library`, `components`, `init`, `tcp`, `login`, `device_info`, `preview`, `ptz`.
    pub key: &'static str,
    /// Title shown to people.
    pub title: &'static str,
    /// Outcome.
    pub status: Status,
    /// What the check found.
    pub found: String,
    /// Extra lines (the channel map, the library path, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// What to do, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Whether and how retrying can help (SDK failures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<String>,
    /// The SDK error code behind a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeRef>,
    /// Check-specific facts for machines.
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
    /// False for a check skipped because it does not apply to this device (PTZ on an NVR);
    /// such a skip does not fail the run. Serialized only when false.
    #[serde(skip_serializing_if = "applies")]
    pub applies: bool,
}

/// For serde: leave `applies` out when it is true.
fn applies(v: &bool) -> bool {
    *v
}

impl Check {
    /// A check with the given outcome and finding.
    pub fn new(
        step: u8,
        key: &'static str,
        title: &'static str,
        status: Status,
        found: impl Into<String>,
    ) -> Self {
        Self {
            step,
            key,
            title,
            status,
            found: found.into(),
            details: Vec::new(),
            fix: None,
            retry: None,
            code: None,
            data: serde_json::Value::Null,
            applies: true,
        }
    }

    /// Passed.
    pub fn pass(
        step: u8,
        key: &'static str,
        title: &'static str,
        found: impl Into<String>,
    ) -> Self {
        Self::new(step, key, title, Status::Pass, found)
    }

    /// Failed, with a fix.
    pub fn fail(
        step: u8,
        key: &'static str,
        title: &'static str,
        found: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        let mut c = Self::new(step, key, title, Status::Fail, found);
        c.fix = Some(fix.into());
        c
    }

    /// Skipped, saying why.
    pub fn skip(step: u8, key: &'static str, title: &'static str, why: impl Into<String>) -> Self {
        Self::new(step, key, title, Status::Skip, why)
    }

    /// Skipped because it does not apply to this device; `note` says why. Unlike
    /// [`Check::skip`], this does not fail the run.
    pub fn not_applicable(
        step: u8,
        key: &'static str,
        title: &'static str,
        note: impl Into<String>,
    ) -> Self {
        let mut c = Self::new(step, key, title, Status::Skip, note);
        c.applies = false;
        c
    }

    /// Whether the check failed, or was skipped although it applies (an earlier check
    /// failed): either fails the run.
    pub fn fails_the_run(&self) -> bool {
        match self.status {
            Status::Pass => false,
            Status::Fail => true,
            Status::Skip => self.applies,
        }
    }

    /// Add a detail line.
    pub fn detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }

    /// Attach the SDK code.
    pub fn with_code(mut self, code: Option<CodeRef>) -> Self {
        self.code = code;
        self
    }

    /// Attach machine-readable facts.
    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What was examined (SDK, device, channel), one line.
    pub target: String,
    /// The simulated setup, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulate: Option<String>,
    /// The checks, in order.
    pub checks: Vec<Check>,
    /// True when every check passed or does not apply to this device.
    pub passed: bool,
    /// Counts.
    pub summary: Summary,
}

/// Counts of outcomes.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed.
    pub failed: usize,
    /// Checks skipped.
    pub skipped: usize,
}

impl Report {
    /// Build the report from its checks; it passes when every check passed or does not
    /// apply to this device.
    pub fn new(target: String, simulate: Option<String>, checks: Vec<Check>) -> Self {
        let mut summary = Summary::default();
        for c in &checks {
            match c.status {
                Status::Pass => summary.passed += 1,
                Status::Fail => summary.failed += 1,
                Status::Skip => summary.skipped += 1,
            }
        }
        Self {
            target,
            simulate,
            passed: !checks.is_empty() && !checks.iter().any(Check::fails_the_run),
            checks,
            summary,
        }
    }

    /// Human text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "hcnet doctor: {}", self.target);
        if let Some(s) = &self.simulate {
            let _ = writeln!(out, "(simulated setup: {s})");
        }
        for c in &self.checks {
            let _ = writeln!(
                out,
                "{} {}. {}: {}",
                c.status.mark(),
                c.step,
                c.title,
                c.found
            );
            for d in &c.details {
                let _ = writeln!(out, "      {d}");
            }
            if let Some(code) = &c.code {
                let name = code.name.as_deref().unwrap_or("unknown code");
                let cat = code
                    .category
                    .as_deref()
                    .map(|c| format!(", category {c}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "      code: {} {name}{cat} (more: hcnet explain {})",
                    code.value, code.value
                );
            }
            if let Some(fix) = &c.fix {
                let _ = writeln!(out, "      fix: {fix}");
            }
            if let Some(retry) = &c.retry {
                let _ = writeln!(out, "      retry: {retry}");
            }
        }
        // Worded as "N checks ..." so that logs never mistake it for a test runner's
        // closing "N passed, N failed" line.
        let _ = writeln!(
            out,
            "doctor {}: checks {} ok, {} failed, {} skipped",
            if self.passed { "OK" } else { "FAILED" },
            self.summary.passed,
            self.summary.failed,
            self.summary.skipped
        );
        out
    }

    /// One line per check, for the demo's closing summary.
    pub fn render_short(&self) -> String {
        let mut out = String::new();
        for c in &self.checks {
            let _ = writeln!(out, "  {} {}", c.status.mark(), c.title);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_failure_fails_the_report() {
        let r = Report::new(
            "t".into(),
            None,
            vec![
                Check::pass(1, "library", "SDK library", "ok"),
                Check::fail(2, "components", "components", "missing", "install them"),
                Check::skip(3, "init", "init", "earlier check failed"),
            ],
        );
        assert!(!r.passed);
        assert_eq!(
            (r.summary.passed, r.summary.failed, r.summary.skipped),
            (1, 1, 1)
        );
        let text = r.render();
        assert!(text.contains("✗ 2. components: missing"), "{text}");
        assert!(text.contains("fix: install them"), "{text}");
        assert!(
            text.contains("doctor FAILED: checks 1 ok, 1 failed, 1 skipped"),
            "{text}"
        );
    }

    #[test]
    fn a_check_that_does_not_apply_does_not_fail_the_report() {
        let note = "device reports no PTZ on channel 33 (NET_DVR_NOSUPPORT, 23): skipped";
        let r = Report::new(
            "t".into(),
            None,
            vec![
                Check::pass(7, "preview", "live preview", "ok"),
                Check::not_applicable(8, "ptz", "PTZ", note),
            ],
        );
        assert!(r.passed);
        assert_eq!(
            (r.summary.passed, r.summary.failed, r.summary.skipped),
            (1, 0, 1)
        );
        let text = r.render();
        assert!(text.contains(&format!("- 8. PTZ: {note}")), "{text}");
        assert!(
            text.contains("doctor OK: checks 1 ok, 0 failed, 1 skipped"),
            "{text}"
        );
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["checks"][1]["status"], "skip");
        assert_eq!(j["checks"][1]["applies"], false);
        assert_eq!(j["checks"][1]["found"], note);
        assert!(j["checks"][0].get("applies").is_none(), "{j}");
        // An ordinary skip (an earlier check failed) still fails the report.
        let r = Report::new(
            "t".into(),
            None,
            vec![
                Check::pass(1, "library", "SDK library", "ok"),
                Check::skip(2, "components", "components", "skipped"),
            ],
        );
        assert!(!r.passed);
    }

    #[test]
    fn all_passed() {
        let r = Report::new(
            "t".into(),
            None,
            vec![Check::pass(1, "library", "SDK library", "ok")],
        );
        assert!(r.passed);
        assert!(r.render().contains("✓ 1. SDK library: ok"));
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["checks"][0]["status"], "pass");
        assert_eq!(j["passed"], true);
    }
}
