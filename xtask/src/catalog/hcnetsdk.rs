//! Loading and checking the HCNetSDK catalogue: `src/catalog/hcnetsdk/codes-*.toml`,
//! `groups.toml` and `operations.toml`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::by_call;
use super::check::{Checker, read_toml, toml_files};
use super::schema::{ByCallFile, Code, CodesFile, Group, GroupsFile, OperationsFile};

/// The folder, relative to the workspace root.
pub const DIR: &str = "src/catalog/hcnetsdk";

/// The loaded catalogue: codes in value order, groups and operations in file order.
pub struct HcNetSdk {
    pub codes: Vec<Code>,
    pub groups: Vec<Group>,
    pub ops: OperationsFile,
    pub by_call: ByCallFile,
}

/// Loads and checks every file of `src/catalog/hcnetsdk/`.
pub fn load(root: &Path, c: &mut Checker) -> HcNetSdk {
    let dir = root.join(DIR);
    let mut code_files = Vec::new();
    for f in toml_files(&dir, c) {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("codes-") {
            code_files.push(f);
        } else if !matches!(name, "groups.toml" | "operations.toml" | by_call::FILE) {
            c.push(
                &f,
                "file",
                format!(
                    "unexpected file: {DIR}/ holds codes-*.toml, groups.toml, operations.toml and by_call.toml"
                ),
            );
        }
    }
    let groups = load_groups(&dir.join("groups.toml"), c);
    let group_names: BTreeSet<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let codes = load_codes(&code_files, &group_names, c);
    let values: BTreeSet<u32> = codes.iter().map(|c| c.value).collect();
    let ops = load_operations(&dir.join("operations.toml"), &values, c);
    let by_call = by_call::load(&dir.join(by_call::FILE), &values, c);
    HcNetSdk {
        codes,
        groups,
        ops,
        by_call,
    }
}

fn load_groups(f: &Path, c: &mut Checker) -> Vec<Group> {
    if !f.is_file() {
        c.general(format!("{DIR}/groups.toml is missing"));
        return Vec::new();
    }
    let Some(file) = read_toml::<GroupsFile>(f, c) else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    for (i, g) in file.group.iter().enumerate() {
        let entry = format!("group #{} ({:?})", i + 1, g.name);
        if !seen.insert(g.name.clone()) {
            c.push(f, &entry, "duplicate group name");
        }
        c.category(f, &entry, &g.category);
        c.retry(f, &entry, &g.retry);
        c.line(f, &entry, "remediation", &g.remediation, true);
    }
    file.group
}

fn load_codes(files: &[PathBuf], groups: &BTreeSet<&str>, c: &mut Checker) -> Vec<Code> {
    if files.is_empty() {
        c.general(format!("{DIR}/ has no codes-*.toml file"));
    }
    let mut codes: Vec<Code> = Vec::new();
    let mut by_value: HashMap<u32, PathBuf> = HashMap::new();
    let mut by_name: HashMap<String, PathBuf> = HashMap::new();
    for f in files {
        let Some(file) = read_toml::<CodesFile>(f, c) else {
            continue;
        };
        let range = file_value_range(f);
        for code in file.code {
            let entry = format!("code {} ({})", code.value, code.name);
            if let Some(other) = by_value.insert(code.value, f.clone()) {
                let other = c.shown(&other);
                c.push(
                    f,
                    &entry,
                    format!("duplicate value {} (also in {other})", code.value),
                );
            }
            if let Some(other) = by_name.insert(code.name.clone(), f.clone()) {
                let other = c.shown(&other);
                c.push(f, &entry, format!("duplicate name (also in {other})"));
            }
            if let Some((lo, hi)) = range.filter(|(lo, hi)| !(*lo..=*hi).contains(&code.value)) {
                c.push(
                    f,
                    &entry,
                    format!("value outside this file's range {lo}..={hi}"),
                );
            }
            if !groups.contains(code.group.as_str()) {
                let msg = format!("group {:?} is not defined in groups.toml", code.group);
                c.push(f, &entry, msg);
            }
            check_code(f, &entry, &code, c);
            codes.push(code);
        }
    }
    codes.sort_by_key(|c| c.value);
    codes
}

/// The checks of one code that need nothing but the code.
fn check_code(f: &Path, entry: &str, code: &Code, c: &mut Checker) {
    if !is_rust_ident(&code.name) {
        c.push(
            f,
            entry,
            "name is not a valid identifier (it becomes an enum variant)",
        );
    }
    c.category(f, entry, &code.category);
    c.retry(f, entry, &code.retry);
    if code.category == "auth" && code.retry != "never_auto" {
        c.push(
            f,
            entry,
            "auth codes must use retry = \"never_auto\" (repeated bad logins lock the account)",
        );
    }
    if (code.category == "none") != (code.value == 0) {
        c.push(f, entry, "category \"none\" is only for code 0");
    }
    c.line(f, entry, "en", &code.en, true);
    c.line(f, entry, "zh", &code.zh, true);
    for cause in &code.causes {
        c.line(f, entry, "causes", cause, true);
    }
    if let Some(r) = &code.remediation {
        c.line(f, entry, "remediation", r, true);
    }
}

fn load_operations(f: &Path, values: &BTreeSet<u32>, c: &mut Checker) -> OperationsFile {
    if !f.is_file() {
        c.general(format!("{DIR}/operations.toml is missing"));
        return OperationsFile::default();
    }
    let Some(file) = read_toml::<OperationsFile>(f, c) else {
        return OperationsFile::default();
    };
    let mut seen = BTreeSet::new();
    for op in &file.operation {
        let entry = format!("operation {:?}", op.id);
        if !seen.insert(op.id.clone()) {
            c.push(f, &entry, "duplicate operation id");
        }
        c.line(f, &entry, "title_en", &op.title_en, true);
        c.line(f, &entry, "title_zh", &op.title_zh, true);
        for e in &op.entries {
            if !values.contains(&e.code) {
                c.push(
                    f,
                    &entry,
                    format!("code {} is not an HCNetSDK code", e.code),
                );
            }
            c.line(f, &entry, "hint_en", &e.hint_en, true);
            c.line(f, &entry, "hint_zh", &e.hint_zh, true);
        }
    }
    for (i, t) in file.tip.iter().enumerate() {
        let entry = format!("tip #{}", i + 1);
        c.line(f, &entry, "en", &t.en, true);
        c.line(f, &entry, "zh", &t.zh, true);
    }
    file
}

/// `codes-0200-0799.toml` -> `Some((200, 799))`.
fn file_value_range(path: &Path) -> Option<(u32, u32)> {
    let stem = path.file_stem()?.to_str()?;
    let rest = stem.strip_prefix("codes-")?;
    let (lo, hi) = rest.split_once('-')?;
    Some((lo.parse().ok()?, hi.parse().ok()?))
}

fn is_rust_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "Unknown"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ranges_and_identifiers() {
        assert_eq!(
            file_value_range(Path::new("a/codes-0200-0799.toml")),
            Some((200, 799))
        );
        assert_eq!(file_value_range(Path::new("a/groups.toml")), None);
        assert!(is_rust_ident("NET_DVR_NOERROR"));
        assert!(!is_rust_ident("Unknown"));
        assert!(!is_rust_ident("1ABC"));
        assert!(!is_rust_ident("A-B"));
    }
}
