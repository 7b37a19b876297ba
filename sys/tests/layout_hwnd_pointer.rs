//! The Windows x64 layout, checked on any 64-bit host: the checked-in bindings compiled a
//! second time with `HWND` as a pointer (what `sys/src/lib.rs` gives it on Windows).
//!
//! The reference README says only the four structs that hold an `HWND` change on Win64,
//! and gives their Win64 `sizeof` and the first field that moves. `tests/layout_win64.rs`
//! checks the same numbers on a real Windows build; this test checks them everywhere, and
//! that every other type of the reference `layouts.csv` is unchanged.
#![cfg(target_pointer_width = "64")]

mod common;

use core::mem::{align_of, offset_of, size_of};
use std::collections::BTreeSet;

/// The four types of `layouts.csv` that hold an `HWND`.
const HWND_STRUCTS: [&str; 4] = [
    "NET_DVR_PREVIEWINFO",
    "NET_DVR_CLIENTINFO",
    "NET_DVR_VOD_PARA",
    "NET_DVR_VOD_PARA_V50",
];

/// The bindings as a Windows x64 build sees them.
#[allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    dead_code,
    missing_debug_implementations,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::undocumented_unsafe_blocks
)]
mod win64 {
    pub type HWND = *mut ::core::ffi::c_void;
    include!("../src/bindings.rs");
}

#[test]
fn the_four_hwnd_structs_have_the_win64_layout_of_the_reference() {
    use win64::*;
    assert_eq!(size_of::<HWND>(), 8);
    // (type, sizeof on Win64, the field that moves or grows, its Win64 offset, its size)
    let rows = [
        (
            "NET_DVR_PREVIEWINFO",
            size_of::<NET_DVR_PREVIEWINFO>(),
            288,
            offset_of!(NET_DVR_PREVIEWINFO, hPlayWnd),
            16,
        ),
        (
            "NET_DVR_CLIENTINFO",
            size_of::<NET_DVR_CLIENTINFO>(),
            32,
            offset_of!(NET_DVR_CLIENTINFO, hPlayWnd),
            8,
        ),
        (
            "NET_DVR_VOD_PARA",
            size_of::<NET_DVR_VOD_PARA>(),
            168,
            offset_of!(NET_DVR_VOD_PARA, hWnd),
            128,
        ),
        (
            "NET_DVR_VOD_PARA_V50",
            size_of::<NET_DVR_VOD_PARA_V50>(),
            392,
            offset_of!(NET_DVR_VOD_PARA_V50, hWnd),
            104,
        ),
    ];
    for (name, size, want_size, off, want_off) in rows {
        assert_eq!(
            (size, off),
            (want_size, want_off),
            "{name}: (sizeof, HWND offset)"
        );
    }
    // CLIENTINFO keeps its size because hPlayWnd grows into what was padding.
    assert_eq!(offset_of!(NET_DVR_CLIENTINFO, sMultiCastIP), 16);
}

/// Every other type of `layouts.csv` has the same size and alignment with either `HWND`.
#[test]
fn every_other_type_is_the_same_on_win64() {
    macro_rules! same {
        ($($t:ident),* $(,)?) => {{
            let mut names = Vec::new();
            $(
                assert_eq!(
                    (size_of::<win64::$t>(), align_of::<win64::$t>()),
                    (size_of::<hcnetsdk_sys::$t>(), align_of::<hcnetsdk_sys::$t>()),
                    "{} differs with a pointer HWND", stringify!($t)
                );
                names.push(stringify!($t));
            )*
            names
        }};
    }
    let checked = same!(
        NET_DVR_USER_LOGIN_INFO,
        NET_DVR_DEVICEINFO_V30,
        NET_DVR_DEVICEINFO_V40,
        NET_DVR_JPEGPARA,
        NET_DVR_TIME,
        NET_DVR_TIME_SEARCH_COND,
        NET_DVR_TIME_SEARCH,
        NET_DVR_ATMFINDINFO,
        NET_DVR_SPECIAL_FINDINFO_UNION,
        NET_DVR_FILECOND_V40,
        NET_DVR_FINDDATA_V40,
        NET_DVR_PLAYCOND,
        NET_DVR_STREAM_INFO,
        NET_DVR_TIME_V50,
        NET_DVR_SETUPALARM_PARAM,
        NET_DVR_SETUPALARM_PARAM_V50,
        NET_DVR_ALARMER,
        NET_DVR_LOCAL_SDK_PATH,
        NET_DVR_IPADDR,
        NET_DVR_IPDEVINFO_V31,
        NET_DVR_IPCHANINFO,
        NET_DVR_IPSERVER_STREAM,
        NET_DVR_STREAM_MEDIA_SERVER_CFG,
        NET_DVR_DEV_CHAN_INFO,
        NET_DVR_PU_STREAM_CFG,
        NET_DVR_DDNS_STREAM_CFG,
        NET_DVR_PU_STREAM_URL,
        NET_DVR_HKDDNS_STREAM,
        NET_DVR_IPCHANINFO_V40,
        NET_DVR_GET_STREAM_UNION,
        NET_DVR_STREAM_MODE,
        NET_DVR_IPPARACFG_V40,
        NET_DVR_PTZPOS,
        NET_DVR_SDKSTATE,
        NET_DVR_SDKABL,
        NET_DVR_XML_CONFIG_INPUT,
        NET_DVR_XML_CONFIG_OUTPUT,
        NET_DVR_DEVICECFG_V40,
        NET_DVR_ALARMINFO_V30,
        NET_DVR_SDKLOCAL_CFG,
        NET_DVR_LOCAL_GENERAL_CFG,
        NET_DVR_STD_CONFIG,
        NET_DVR_INIT_CFG_ABILITY,
        NET_DVR_INIT_CHECK_MODULE_COM,
    );
    let checked_set: BTreeSet<&str> = checked.iter().copied().collect();
    assert_eq!(checked_set.len(), checked.len(), "a type is listed twice");
    assert!(
        HWND_STRUCTS.iter().all(|h| !checked_set.contains(h)),
        "an HWND struct is in the list of unchanged types"
    );

    // The list above must be exactly the reference's types less the four HWND structs.
    // Missing reference: skipped with a message, a failure under CI (tests/common/mod.rs).
    let Some(csv) = common::reference_file("layouts.csv") else {
        return;
    };
    let text = std::fs::read_to_string(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let reference: BTreeSet<&str> = text
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .filter(|name| !name.is_empty())
        .collect();
    for h in HWND_STRUCTS {
        assert!(reference.contains(h), "{h} is not in {}", csv.display());
    }
    let others: BTreeSet<&str> = reference
        .iter()
        .copied()
        .filter(|name| !HWND_STRUCTS.contains(name))
        .collect();
    let missing: Vec<&str> = others.difference(&checked_set).copied().collect();
    let extra: Vec<&str> = checked_set.difference(&others).copied().collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "types of {} not checked here: {missing:?}; checked here but not in it: {extra:?}",
        csv.display()
    );
}
