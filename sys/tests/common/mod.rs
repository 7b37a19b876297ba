//! Where the ABI tests find the reference facts (`../shared/reference/hcnetsdk/` beside the
//! workspace, or `HCNETSDK_REFERENCE_DIR`), and what happens when they are missing.
//!
//! The reference is not part of the package, so outside CI a missing folder skips the
//! comparison with a message. Under CI (`CI` set to anything non-empty) it is a failure:
//! there a skipped comparison would only check our declarations against themselves.

use std::path::{Path, PathBuf};

/// True when the `CI` environment variable is set and not empty.
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The reference folder if it holds `file`; `None` (after a `SKIPPED` line) when it does not.
///
/// # Panics
/// When the file is missing and [`under_ci`] is true.
pub fn reference_file(file: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("HCNETSDK_REFERENCE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/hcnetsdk")
        });
    let path = dir.join(file);
    if path.is_file() {
        return Some(path);
    }
    let msg = format!(
        "reference {} not found (put shared/ beside the workspace or set HCNETSDK_REFERENCE_DIR)",
        path.display()
    );
    assert!(!under_ci(), "{msg}; CI is set, so this is a failure");
    eprintln!("SKIPPED: {msg}");
    None
}

/// A layout table row: (type, field or `<sizeof>`, actual offset-or-align, actual size,
/// expected offset-or-align, expected size).
#[allow(dead_code)] // the layout tests use it, header_reference does not
pub type Row = (&'static str, &'static str, usize, usize, usize, usize);

/// Every row's actual offset (or alignment) and size equal the expected ones; the table has
/// `rows` rows.
#[allow(dead_code)]
pub fn assert_rows_match(table: &[Row], rows: usize) {
    assert_eq!(table.len(), rows);
    let bad: Vec<String> = table
        .iter()
        .filter(|r| r.2 != r.4 || r.3 != r.5)
        .map(|r| {
            format!(
                "{}.{}: offset/align {} (want {}), size {} (want {})",
                r.0, r.1, r.2, r.4, r.3, r.5
            )
        })
        .collect();
    assert!(bad.is_empty(), "layout mismatches:\n{}", bad.join("\n"));
}

/// The table's expected values are exactly the rows of the reference CSV `file`
/// (`struct,field,c_type,array_len,offset,size`), with `type_name` turning the reference's
/// type spelling into ours. Skips (or fails under CI) when the reference is missing.
#[allow(dead_code)]
pub fn assert_matches_reference_csv(file: &str, table: &[Row], type_name: impl Fn(&str) -> String) {
    let Some(csv) = reference_file(file) else {
        return;
    };
    let text = std::fs::read_to_string(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let ours: std::collections::BTreeSet<String> = table
        .iter()
        .map(|r| format!("{},{},{},{}", r.0, r.1, r.4, r.5))
        .collect();
    let mut n = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let key = format!("{},{},{},{}", type_name(f[0]), f[1], f[4], f[5]);
        assert!(
            ours.contains(&key),
            "reference row missing from the test table: {line}"
        );
        n += 1;
    }
    assert_eq!(n, ours.len(), "test table has rows the reference does not");
}
