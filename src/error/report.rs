//! The multi-line diagnosis of an [`Error`].

use std::fmt;

use super::{Error, ErrorKind, RemediationSource};

/// The multi-line diagnosis of an [`Error`], from [`Error::report`] or `{:#}`.
///
/// ```text
/// error: NET_DVR_Login_V40 to 192.0.2.10:8000 failed
/// what happened: NET_DVR_PASSWORD_ERROR (1): The device refused the user name or password.
///                用户名密码错误。注册时输入的用户名或者密码错误
/// where:         NET_DVR_Login_V40, device 192.0.2.10:8000
/// category:      auth (authentication); group: general (network sdk)
/// account:       2 login attempts are left before the account locks (error 153).
/// likely causes:
///   - The password was changed on the device or typed wrongly.
/// what to do:    Check the credentials against the device's web UI ...
/// retry:         never_auto: Do not retry automatically: ...
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    error: &'a Error,
}

impl<'a> Report<'a> {
    pub(super) fn new(error: &'a Error) -> Self {
        Self { error }
    }
}

/// Writes `label` padded to a column, then `text`; continuation lines are indented.
fn field(f: &mut fmt::Formatter<'_>, label: &str, text: &str) -> fmt::Result {
    const WIDTH: usize = 15;
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    writeln!(f, "{:<WIDTH$}{first}", format!("{label}:"))?;
    for l in lines {
        writeln!(f, "{:WIDTH$}{l}", "")?;
    }
    Ok(())
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.error;
        headline(f, e)?;
        field(f, "what happened", &what_happened(e))?;
        let place = place(e);
        if !place.is_empty() {
            field(f, "where", &place.join(", "))?;
        }
        if let Some(m) = e.sdk_message() {
            field(f, "SDK message", m)?;
        }
        let mut cat = format!("{} ({})", e.category(), e.category().describe());
        if let Some(g) = e.code().and_then(|c| c.group()) {
            cat.push_str("; group: ");
            cat.push_str(g);
        }
        field(f, "category", &cat)?;
        if let Some(ls) = e.inner.login_state {
            field(f, "account", &ls.sentence())?;
        }
        if let Some(found) = &e.inner.finding {
            field(f, "found", found)?;
        }
        let causes = e.causes();
        if !causes.is_empty() {
            writeln!(f, "likely causes:")?;
            for c in causes {
                writeln!(f, "  - {c}")?;
            }
        }
        let mut todo = e.remediation().into_owned();
        if e.remediation_source() == RemediationSource::Group {
            todo.push_str(" (advice for the code's whole group)");
        }
        field(f, "what to do", &todo)?;
        let retry = e.retry();
        write!(f, "{:<15}{retry}: {}", "retry:", retry.advice())
    }
}

/// The report's first line.
fn headline(f: &mut fmt::Formatter<'_>, e: &Error) -> fmt::Result {
    let inner = &*e.inner;
    match &inner.kind {
        ErrorKind::Sdk { .. }
        | ErrorKind::FailedWithoutCode
        | ErrorKind::Io { .. }
        | ErrorKind::Isapi { .. } => {
            writeln!(f, "error: {} failed", e.head())
        }
        ErrorKind::InvalidInput { field, value, .. } => match inner.call {
            Some(call) => writeln!(f, "error: {call} not called: invalid {field} ({value})"),
            None => writeln!(f, "error: invalid {field} ({value})"),
        },
        _ => writeln!(f, "error: {}", OneLine(e)),
    }
}

/// The "what happened" field: the code's name and messages, or the bare fact.
fn what_happened(e: &Error) -> String {
    match &e.inner.kind {
        ErrorKind::Sdk { code, .. } => match code.info() {
            Some(i) => format!(
                "{} ({}): {}\n{}",
                i.name, i.value, i.message_en, i.message_zh
            ),
            None => format!(
                "NET_DVR_GetLastError returned {}, a code this crate's catalogue does not know.",
                code.raw()
            ),
        },
        ErrorKind::Isapi { status, sdk_code } => {
            let mut s = format!("the device answered ISAPI {status}: {}", status.meaning());
            if !status.error_msg.is_empty() {
                s.push_str(&format!(" (errorMsg: {})", status.error_msg));
            }
            if let Some(c) = sdk_code {
                s.push_str(&format!("\nthe SDK's code: {c}"));
            }
            s
        }
        ErrorKind::FailedWithoutCode => "The call reported failure, but NET_DVR_GetLastError \
            returned 0: the SDK did not record a code for it. This is a failure all the same."
            .to_owned(),
        ErrorKind::Load(err) => err.to_string(),
        ErrorKind::MissingComponent(err) => err.to_string(),
        // The one-line headline already carries the fix, which "what to do" repeats:
        // say only what was rejected here.
        ErrorKind::InvalidInput { field, value, .. } => {
            format!("the {field} {value} was rejected before any SDK call was made")
        }
        _ => OneLine(e).to_string(),
    }
}

/// The "where" field's parts: the call, the device, the IDs, the file.
fn place(e: &Error) -> Vec<String> {
    let inner = &*e.inner;
    let mut place = Vec::new();
    if let Some(call) = inner.call {
        place.push(call.to_owned());
    }
    if let Some(ep) = inner.context.endpoint() {
        place.push(format!("device {ep}"));
    }
    if let Some(ids) = inner.context.ids() {
        place.push(ids);
    }
    if let ErrorKind::Io { path, .. } = &inner.kind {
        place.push(format!("file {}", path.display()));
    }
    place
}

/// The one-line form of an error, whatever the formatter's flags.
struct OneLine<'a>(&'a Error);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.line(f)
    }
}
