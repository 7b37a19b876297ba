//! Every public fallible method documents its failures: a `pub fn` returning a `Result`
//! has an `# Errors` section in its doc comment. (That every public item is documented at
//! all is the `missing_docs` lint, denied in CI.)

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `file:line name` of each `pub fn` returning a `Result` without `# Errors` in its docs.
fn undocumented_errors(text: &str, file: &str) -> (usize, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let (mut fallible, mut missing) = (0, Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break; // unit tests follow
        }
        let Some(rest) = t
            .strip_prefix("pub fn ")
            .or_else(|| t.strip_prefix("pub const fn "))
            .or_else(|| t.strip_prefix("pub unsafe fn "))
        else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The signature runs to the body's `{` (or a `;`).
        let mut sig = String::new();
        for l in &lines[i..] {
            sig.push_str(l);
            sig.push(' ');
            if l.contains('{') || l.trim_end().ends_with(';') {
                break;
            }
        }
        let ret = sig
            .split_once("->")
            .map_or("", |(_, r)| r.split(['{', ';']).next().unwrap_or(""));
        let ret = ret.split(" where ").next().unwrap_or("");
        if !ret
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "Result")
        {
            continue;
        }
        fallible += 1;
        let documented = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim_start())
            .take_while(|l| l.starts_with("///") || l.starts_with("#["))
            .any(|l| l.starts_with("/// # Errors"));
        if !documented {
            missing.push(format!("{file}:{} {name}", i + 1));
        }
    }
    (fallible, missing)
}

#[test]
fn every_public_fallible_fn_has_an_errors_section() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let (mut fallible, mut missing) = (0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (n, m) = undocumented_errors(&text, &f.display().to_string());
        fallible += n;
        missing.extend(m);
    }
    // 39 today (the multi-system explain engine moved to hcnet-explain): a scanner that
    // stops finding functions fails here rather than passing with nothing checked.
    assert!(fallible >= 39, "only {fallible} fallible public fns found");
    assert!(missing.is_empty(), "no `# Errors` section: {missing:#?}");
}

#[test]
fn the_check_finds_a_missing_section() {
    let text = "/// Does it.\n///\n/// # Errors\n/// Never.\npub fn ok() -> Result<()> {}\n\
                /// Does it too.\n#[doc(alias = \"X\")]\npub fn bad(\n    a: u8,\n) -> crate::Result<u8> {}\n\
                /// Infallible.\npub fn fine() -> u8 {}\n";
    let (n, missing) = undocumented_errors(text, "t.rs");
    assert_eq!(n, 2);
    assert_eq!(missing, ["t.rs:8 bad"]);
}
