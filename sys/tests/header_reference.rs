//! Our C declarations (`sys/include/hcnetsdk.h`) against the ABI reference
//! (`../shared/reference/hcnetsdk/*.csv`), checked by the C compiler itself.
//!
//! The test writes a C file that includes the header and holds one `_Static_assert` per fact:
//! * every constant in `constants.csv` exists and has the reference value (453);
//! * every function in `functions.csv` exists with a type compatible with the reference
//!   signature (return type, parameter types and inline callback parameters) (87);
//! * every named callback type in `callbacks.csv` has the reference signature;
//! * every row of `layouts.csv`: each struct's `sizeof`/`alignof`, each field's offset,
//!   size and C type, array dimensions included (so `char` vs `BYTE` is caught too);
//! * the same for `constants-alarms-config.csv` (84) and `layouts-alarms-config.csv` (664
//!   rows), where the reference's `Parent.member` (an unnamed inline type) is `Parent_member`.
//!
//! The Rust bindings are bindgen's translation of this header (the drift check,
//! `cargo run -p xtask -- bindgen --check`, keeps them in step) and `tests/layout.rs`
//! checks their layout separately. Needs a C compiler (`cc`, or `$CC`), like
//! `tests/missing_symbol.rs`. Skipped, with a message, when the reference folder is absent
//! (it is not part of the package), and a failure under CI (`tests/common/mod.rs`);
//! `HCNETSDK_REFERENCE_DIR` overrides where it is looked for.
#![cfg(all(target_pointer_width = "64", not(windows)))]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const HEADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include/hcnetsdk.h");

fn reference_dir() -> Option<PathBuf> {
    common::reference_file("functions.csv")
        .map(|f| f.parent().expect("a file has a folder").to_path_buf())
}

/// Minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and newlines.
/// Returns the rows after the header row, as maps from column name to value.
fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let mut it = rows.into_iter();
    let names = it.next().expect("CSV has a header row");
    it.map(|r| {
        assert_eq!(r.len(), names.len(), "{}: bad row {r:?}", path.display());
        names.iter().cloned().zip(r).collect()
    })
    .collect()
}

/// The reference's `params` column (`T a; T b`) as a C parameter list.
fn c_params(params: &str) -> String {
    if params.trim().is_empty() {
        return "void".into();
    }
    params
        .split("; ")
        .map(|p| {
            // `CALLBACK` is an empty macro on Linux (stdcall on 32-bit Windows).
            let p = p
                .split_inclusive(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map(|tok| {
                    let word =
                        tok.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
                    if word == "CALLBACK" {
                        &tok[word.len()..]
                    } else {
                        tok
                    }
                })
                .collect::<String>();
            // `char[16][16] strIP` -> `char strIP[16][16]`.
            match p.split_once('[') {
                Some((ty, rest)) if !ty.contains('(') => {
                    let (dims, name) = rest.rsplit_once(' ').expect("array parameter has a name");
                    format!("{ty} {name}[{dims}")
                }
                _ => p,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

struct Check {
    src: String,
    count: usize,
}

impl Check {
    fn assert(&mut self, cond: &str, what: &str) {
        self.count += 1;
        writeln!(self.src, "_Static_assert({cond}, \"{what}\");").unwrap();
    }

    /// One `_Static_assert` per constant: it exists and has the reference value.
    fn constants(&mut self, rows: &[std::collections::HashMap<String, String>]) {
        for r in rows {
            let (name, value) = (&r["name"], &r["value"]);
            self.assert(
                &format!("({name}) == {value}LL"),
                &format!("constant {name} == {value}"),
            );
        }
    }

    /// Each struct's `sizeof`/`alignof` (2 asserts) and each field's offset, size and C type,
    /// array dimensions included (3 asserts). The reference's `Parent.member` (an unnamed
    /// inline type in the vendor header) is our named type `Parent_member`.
    fn layouts(&mut self, rows: &[std::collections::HashMap<String, String>]) {
        for r in rows {
            let s = &r["struct"].replace('.', "_");
            let f = &r["field"];
            if f == "<sizeof>" {
                self.assert(
                    &format!("sizeof({s}) == {}", r["size"]),
                    &format!("sizeof {s}"),
                );
                self.assert(
                    &format!("_Alignof({s}) == {}", r["offset"]),
                    &format!("alignof {s}"),
                );
                continue;
            }
            let dims: String = r["array_len"]
                .split('x')
                .filter(|d| !d.is_empty())
                .map(|d| format!("[{d}]"))
                .collect();
            let ty = format!("{}{dims}", r["c_type"].replace('.', "_"));
            self.assert(
                &format!("offsetof({s}, {f}) == {}", r["offset"]),
                &format!("offset {s}.{f}"),
            );
            self.assert(
                &format!("sizeof((({s} *)0)->{f}) == {}", r["size"]),
                &format!("size {s}.{f}"),
            );
            self.assert(
                &format!("SAME(__typeof__((({s} *)0)->{f}), {ty})"),
                &format!("type {s}.{f} is {ty}"),
            );
        }
    }
}

fn new_check() -> Check {
    Check {
        src: format!(
            "#include \"{HEADER}\"\n#include <stddef.h>\n\
             #define SAME(a, b) __builtin_types_compatible_p(a, b)\n"
        ),
        count: 0,
    }
}

#[test]
fn header_declares_everything_in_the_reference_with_the_same_types_values_and_layouts() {
    let Some(dir) = reference_dir() else { return };
    let mut c = new_check();

    let constants = read_csv(&dir.join("constants.csv"));
    c.constants(&constants);

    let functions = read_csv(&dir.join("functions.csv"));
    for r in &functions {
        let (name, ret, params) = (&r["name"], &r["return_type"], c_params(&r["params"]));
        c.assert(
            &format!("SAME(__typeof__(&{name}), {ret} (*)({params}))"),
            &format!("function {name}: {ret} ({params})"),
        );
    }

    let callbacks = read_csv(&dir.join("callbacks.csv"));
    let mut named_callbacks = 0;
    for r in &callbacks {
        // `Function.param` rows are inline parameters, checked with the function above.
        if r["name"].contains('.') {
            continue;
        }
        named_callbacks += 1;
        let (name, ret, params) = (&r["name"], &r["return_type"], c_params(&r["params"]));
        c.assert(
            &format!("SAME({name}, {ret} (*)({params}))"),
            &format!("callback type {name}: {ret} ({params})"),
        );
    }

    let layouts = read_csv(&dir.join("layouts.csv"));
    c.layouts(&layouts);

    // Row counts of the reference README, so a truncated CSV cannot pass unnoticed.
    assert_eq!(
        (
            constants.len(),
            functions.len(),
            callbacks.len(),
            layouts.len()
        ),
        (453, 87, 11, 584)
    );
    assert_eq!(named_callbacks, 5);
    assert_eq!(c.count, 453 + 87 + 5 + 2 * 48 + 3 * (584 - 48));

    let failures = compile(&c.src);
    assert!(
        failures.is_empty(),
        "{HEADER} disagrees with the reference in {} place(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The files added later for alarms, VCA and configuration: `constants-alarms-config.csv`
/// (84 constants) and `layouts-alarms-config.csv` (664 rows, 92 types).
#[test]
fn header_declares_the_alarm_and_config_reference() {
    let Some(dir) = reference_dir() else { return };
    let mut c = new_check();
    let constants = read_csv(&dir.join("constants-alarms-config.csv"));
    c.constants(&constants);
    let layouts = read_csv(&dir.join("layouts-alarms-config.csv"));
    c.layouts(&layouts);
    let types = layouts.iter().filter(|r| r["field"] == "<sizeof>").count();
    assert_eq!((constants.len(), layouts.len(), types), (84, 664, 92));
    assert_eq!(c.count, 84 + 2 * 92 + 3 * (664 - 92));
    let failures = compile(&c.src);
    assert!(
        failures.is_empty(),
        "{HEADER} disagrees with the alarm/config reference in {} place(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Compile `src` (syntax and constant evaluation only); return every failed assertion.
/// Panics with the compiler's output if it fails for any other reason.
fn compile(src: &str) -> Vec<String> {
    // One folder per call: the tests of this file run in parallel in one process.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hcnetsdk-sys-header-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("check.c");
    std::fs::write(&file, src).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(["-std=gnu11", "-fsyntax-only", "-fmax-errors=0", "-w"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("this test needs a C compiler ({cc}): {e}"));
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failures: Vec<String> = stderr
        .lines()
        .filter_map(|l| {
            l.split_once("static assertion failed: ")
                .map(|(_, m)| m.to_string())
        })
        .collect();
    let other_errors = stderr
        .lines()
        .any(|l| l.contains("error:") && !l.contains("static assertion failed"));
    assert!(
        !other_errors && (out.status.success() || !failures.is_empty()),
        "{cc} could not compile the check against {HEADER}:\n{stderr}"
    );
    failures
}

#[test]
fn every_reference_function_is_in_declared_functions() {
    let Some(dir) = reference_dir() else { return };
    let reference: BTreeSet<String> = read_csv(&dir.join("functions.csv"))
        .into_iter()
        .map(|r| r["name"].clone())
        .collect();
    let ours: BTreeSet<String> = hcnetsdk_sys::DECLARED_FUNCTIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        ours.len(),
        hcnetsdk_sys::DECLARED_FUNCTIONS.len(),
        "duplicates"
    );
    let missing: Vec<_> = reference.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&reference).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "DECLARED_FUNCTIONS lacks {missing:?} and has {extra:?} beyond the reference"
    );
}

/// Our declarations are written from facts, not pasted: the vendor header's comments are
/// Chinese (GBK), so any non-ASCII byte would be a sign of copied text.
#[test]
fn header_is_plain_ascii_c() {
    let text = std::fs::read(HEADER).unwrap();
    let bad: Vec<usize> = text
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.is_ascii())
        .map(|(i, _)| i)
        .take(5)
        .collect();
    assert!(bad.is_empty(), "non-ASCII bytes at offsets {bad:?}");
    let text = String::from_utf8(text).unwrap();
    let words: BTreeSet<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    for vendor in ["NET_DVR_API", "__stdcall", "CALLBACK", "pragma"] {
        assert!(
            !words.contains(vendor),
            "the header uses the vendor construct {vendor:?}"
        );
    }
    assert!(
        !text.contains("extern \"C\""),
        "the header is plain C, not C++"
    );
    // No C++ default arguments: no `=` inside a declaration's parameter list.
    for line in text.lines().filter(|l| !l.trim_start().starts_with("/*")) {
        if let Some((_, params)) = line.split_once('(') {
            assert!(!params.contains('='), "C++ default argument: {line}");
        }
    }
}
