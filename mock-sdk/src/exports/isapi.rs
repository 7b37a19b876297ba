//! `NET_DVR_STDXMLConfig`: ISAPI requests through the SDK's login, answered by the shared
//! device model (`hcnetsdk_device::Device::isapi`) once the device is reachable (else 7).
//!
//! Rules (the real SDK's where measured, `tests/conformance.rs`): a bad user ID gives 17
//! (out of range) or 47, checked first; then NULL input or output gives 17; the request is
//! `METHOD /path` in `lpRequestUrl` (`dwRequestUrlLen` bytes; anything else gives 17). An
//! answer larger than `dwOutBufferSize` gives 43 with the size needed in
//! `dwReturnedXMLSize`. A success leaves the thread's last error as it was (measured: the
//! real SDK does not reset it).

use hcnetsdk_sys::*;

use super::p17;
use crate::errors::{DVROPRATEFAILED, NETWORK_ERRORDATA, NOENOUGH_BUF, NOSUPPORT};
use crate::ffi::{Fail, KEEP, Res, call};
use crate::registry;

/// `len` bytes at `p` (empty for NULL or 0).
///
/// # Safety
/// `p` is NULL or valid for reading `len` bytes.
unsafe fn bytes<'a>(p: LPVOID, len: DWORD) -> &'a [u8] {
    if p.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: the caller's buffer of `len` bytes.
    unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len as usize) }
}

/// Copy `data` to `p` (`cap` bytes), NUL-terminated when there is room; `false` if it does
/// not fit.
///
/// # Safety
/// `p` is NULL or valid for writing `cap` bytes.
unsafe fn fill(p: LPVOID, cap: DWORD, data: &[u8]) -> bool {
    let cap = cap as usize;
    if p.is_null() || data.len() > cap {
        return false;
    }
    // SAFETY: `data.len()` ≤ `cap` bytes of the caller's buffer.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p.cast::<u8>(), data.len()) };
    if data.len() < cap {
        // SAFETY: one more byte, still within `cap`.
        unsafe { p.cast::<u8>().add(data.len()).write(0) };
    }
    true
}

/// `METHOD /path` from the request buffer.
fn request_line(raw: &[u8]) -> Res<(String, String)> {
    let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
    let text = std::str::from_utf8(&raw[..end]).map_err(|_| p17())?;
    let (method, url) = text.trim().split_once(' ').ok_or_else(p17)?;
    let method = method.to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "PUT" | "POST" | "DELETE") || !url.starts_with('/') {
        return Err(p17());
    }
    Ok((method, url.trim().to_owned()))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_STDXMLConfig(
    lUserID: LONG,
    lpInputParam: *mut NET_DVR_XML_CONFIG_INPUT,
    lpOutputParam: *mut NET_DVR_XML_CONFIG_OUTPUT,
) -> BOOL {
    call("NET_DVR_STDXMLConfig", FALSE, KEEP, || -> Res<BOOL> {
        // The user ID is checked first (measured: a free ID with NULL input gives 47).
        let s = registry::user(lUserID)?;
        if lpInputParam.is_null() || lpOutputParam.is_null() {
            return Err(p17());
        }
        // SAFETY: non-NULL; the caller's structs, per the header.
        let input = unsafe { lpInputParam.read_unaligned() };
        // SAFETY: as above.
        let mut output = unsafe { lpOutputParam.read_unaligned() };
        // SAFETY: the request and body buffers the caller described.
        let (url, body) = unsafe {
            (
                bytes(input.lpRequestUrl, input.dwRequestUrlLen),
                bytes(input.lpInBuffer, input.dwInBufferSize),
            )
        };
        let (method, url) = request_line(url)?;
        s.device.reach()?;
        let answer = s.device.isapi(s.role, &method, &url, body);
        let (failed, status) = (!answer.is_success(), answer.response_status);
        let failure = failure_code(answer.http_status);
        let data = answer.body;
        output.dwReturnedXMLSize = data.len() as DWORD;
        if status {
            // SAFETY: NULL or the caller's status buffer of `dwStatusSize` bytes; a status
            // that does not fit is cut (the buffer then holds no status).
            unsafe { fill(output.lpStatusBuffer, output.dwStatusSize, &data) };
        }
        // SAFETY: NULL or the caller's output buffer of `dwOutBufferSize` bytes.
        let fitted = unsafe { fill(output.lpOutBuffer, output.dwOutBufferSize, &data) };
        // SAFETY: non-NULL, the caller's struct.
        unsafe { lpOutputParam.write_unaligned(output) };
        match (failed, fitted) {
            (true, _) => Err(Fail::Code(failure)),
            (false, false) => Err(Fail::Code(NOENOUGH_BUF)),
            (false, true) => Ok(TRUE),
        }
    })
}

/// The last error the real SDK (6.1.9.48) sets when `STDXMLConfig` gets a failing answer,
/// by the answer's HTTP status (measured against the emulator with the same device model,
/// `emulator/tests/two_stack.rs`): 404 gives 23, 403 gives 29 (`NET_DVR_DVROPRATEFAILED`,
/// whatever the `subStatusCode`), 400 and 405 give 11 (`NET_DVR_NETWORK_ERRORDATA`).
/// Other statuses (the model's 500) are not measured; they get 11 as well.
fn failure_code(http_status: u16) -> u32 {
    match http_status {
        404 => NOSUPPORT,
        403 => DVROPRATEFAILED,
        _ => NETWORK_ERRORDATA,
    }
}
