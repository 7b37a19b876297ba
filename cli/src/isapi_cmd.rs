//! `hcnet isapi METHOD PATH [--body FILE] [--out FILE]`: one ISAPI request through the
//! SDK's login, the answer's body on stdout (or in a file).

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use hcnetsdk::error::ErrorKind;
use hcnetsdk::isapi::Method;

use crate::jobs::{check_out_file, fail};
use crate::{EXIT_FAILED, EXIT_ISAPI_STATUS, IsapiArgs, device};

/// `hcnet isapi`.
pub fn run(sdk_dir: Option<&Path>, args: &IsapiArgs) -> ExitCode {
    let method: Method = match args.method.parse() {
        Ok(m) => m,
        Err(e) => return fail("isapi", &format!("{e:#}")),
    };
    if let Some(out) = &args.out
        && let Err(t) = check_out_file(out, "answer.xml")
    {
        return fail("isapi", &t);
    }
    let body = match args.body.as_deref().map(read_body).transpose() {
        Ok(b) => b,
        Err(t) => return fail("isapi", &t),
    };
    let (_sdk, session) = match device::connect(sdk_dir, &args.device) {
        Ok(x) => x,
        Err(t) => return fail("isapi", &t),
    };
    let result = session.isapi().request(method, &args.path, body.as_deref());
    let _ = session.logout(); // a failed logout is logged; the answer is what counts here
    let response = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hcnet isapi: {e:#}");
            let code = match e.kind() {
                ErrorKind::Isapi { .. } => EXIT_ISAPI_STATUS,
                _ => EXIT_FAILED,
            };
            return ExitCode::from(code);
        }
    };
    match &args.out {
        Some(path) => match std::fs::write(path, response.body()) {
            Ok(()) => {
                eprintln!(
                    "hcnet isapi: wrote {} bytes to {}",
                    response.body().len(),
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail("isapi", &format!("could not write {}: {e}", path.display())),
        },
        None => {
            let mut stdout = std::io::stdout().lock();
            let mut body = response.into_body();
            if !body.ends_with(b"\n") && std::str::from_utf8(&body).is_ok() {
                body.push(b'\n');
            }
            // A closed pipe (e.g. `| head`) is not a failure.
            let _ = stdout.write_all(&body).and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
    }
}

/// The body from FILE, or stdin for `-`.
fn read_body(path: &Path) -> Result<Vec<u8>, String> {
    if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| format!("could not read the body from stdin: {e}"))?;
        return Ok(b);
    }
    std::fs::read(path).map_err(|e| {
        format!(
            "could not read the body from {}: {e}; give an existing file (or - for stdin)",
            path.display()
        )
    })
}
