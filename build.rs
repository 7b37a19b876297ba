//! Turns the error catalogue under `src/catalog/` into Rust code.
//!
//! Inputs (schema: `notes/catalog-spec.md` and `src/catalog/systems/README.md`):
//! - `src/catalog/hcnetsdk/codes-*.toml`: every HCNetSDK error code,
//! - `src/catalog/hcnetsdk/groups.toml`: group-level defaults and remediation,
//! - `src/catalog/hcnetsdk/operations.toml`: seed 000's quick lookup by operation, and tips,
//! - `src/catalog/systems/*.toml`: the other systems `hcnet explain` knows (one file each).
//!
//! Outputs (in `OUT_DIR`):
//! - `hcnetsdk_catalog.rs`, included by `src/error/code.rs`: the `ErrorCode` enum, its
//!   `from_raw`/`raw` matches and the static `CodeInfo`/`GroupInfo`/operation tables;
//! - `systems_catalog.rs`, included by `src/explain.rs`: one static table per system.
//!
//! Every problem in the data fails the build with a message naming the file and the entry.
//! Adding a system means adding a TOML file to `src/catalog/systems/`; no code changes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use serde::Deserialize;

/// `category` ids and the `Category` variant each becomes (keep in sync with
/// `src/error/category.rs`; a mismatch is a compile error in the generated code).
const CATEGORIES: &[(&str, &str)] = &[
    ("none", "None"),
    ("auth", "Auth"),
    ("permission", "Permission"),
    ("network", "Network"),
    ("timeout", "Timeout"),
    ("parameter", "Parameter"),
    ("resource", "Resource"),
    ("device", "Device"),
    ("storage", "Storage"),
    ("playback", "Playback"),
    ("media", "Media"),
    ("sdk_setup", "SdkSetup"),
    ("unsupported", "Unsupported"),
    ("state", "State"),
    ("config", "Config"),
    ("internal", "Internal"),
];

/// `retry` ids and the `Retry` variant each becomes.
const RETRIES: &[(&str, &str)] = &[
    ("no", "No"),
    ("never_auto", "NeverAuto"),
    ("after_fix", "AfterFix"),
    ("backoff", "Backoff"),
    ("after_wait", "AfterWait"),
];

/// Systems without a seed that come right after HCNetSDK, most likely first. Other
/// seedless systems follow in id order, then seeded systems in seed order.
const SYSTEM_PRIORITY: &[&str] = &["playm4", "isapi"];

// ---------------------------------------------------------------------------------------
// Input schema
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodesFile {
    code: Vec<Code>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Code {
    name: String,
    value: u32,
    group: String,
    category: String,
    retry: String,
    en: String,
    zh: String,
    #[serde(default)]
    causes: Vec<String>,
    remediation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsFile {
    group: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    name: String,
    category: String,
    retry: String,
    remediation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationsFile {
    operation: Vec<Operation>,
    #[serde(default)]
    tip: Vec<Tip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Operation {
    id: String,
    title_en: String,
    title_zh: String,
    entries: Vec<OperationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationEntry {
    code: u32,
    hint_en: String,
    hint_zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tip {
    en: String,
    zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemFile {
    system: SystemMeta,
    #[serde(default)]
    code: Vec<SysCode>,
    #[serde(default)]
    sub_status: Vec<SubStatus>,
    #[serde(default)]
    range: Vec<SysRange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemMeta {
    id: String,
    name: String,
    #[serde(default)]
    seed: String,
    number_format: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SysCode {
    value: u32,
    name: Option<String>,
    en: String,
    zh: String,
    category: String,
    retry: String,
    remediation: String,
    #[serde(default)]
    causes: Vec<String>,
    #[serde(default)]
    success: bool,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    variants: Vec<SysVariant>,
    #[serde(default)]
    alt: Vec<SysAlt>,
    http_status: Option<u16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubStatus {
    name: String,
    status_code: u32,
    error_code: Option<String>,
    en: String,
    zh: String,
    category: String,
    retry: String,
    remediation: String,
    #[serde(default)]
    causes: Vec<String>,
    #[serde(default)]
    success: bool,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    variants: Vec<SysVariant>,
    #[serde(default)]
    alt: Vec<SysAlt>,
    http_status: Option<u16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SysVariant {
    when: String,
    en: String,
    zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SysAlt {
    name: Option<String>,
    en: String,
    zh: String,
    category: Option<String>,
    retry: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SysRange {
    lo: u32,
    hi: u32,
    module_en: String,
    module_zh: String,
}

// ---------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------

/// Collects every problem so one build reports them all.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn push(&mut self, file: &Path, entry: &str, msg: impl std::fmt::Display) {
        // Paths relative to the crate, as people read them in the repository.
        let root = env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let shown = root
            .as_deref()
            .and_then(|r| file.strip_prefix(r).ok())
            .unwrap_or(file);
        self.0.push(format!("{}: {entry}: {msg}", shown.display()));
    }
}

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let catalog = root.join("src/catalog");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/catalog");

    let mut problems = Problems::default();
    let files = toml_files(&catalog, &mut problems);
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }

    let hc_dir = catalog.join("hcnetsdk");
    let sys_dir = catalog.join("systems");
    let mut code_files = Vec::new();
    let mut system_files = Vec::new();
    let (mut groups_file, mut ops_file) = (None, None);
    for f in files {
        let parent = f.parent().unwrap_or(Path::new(""));
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if parent == hc_dir && name.starts_with("codes-") {
            code_files.push(f);
        } else if parent == hc_dir && name == "groups.toml" {
            groups_file = Some(f);
        } else if parent == hc_dir && name == "operations.toml" {
            ops_file = Some(f);
        } else if parent == sys_dir {
            system_files.push(f);
        } else {
            problems.push(
                &f,
                "file",
                "unexpected catalogue file: HCNetSDK data goes in src/catalog/hcnetsdk/ \
                 (codes-*.toml, groups.toml, operations.toml), other systems in src/catalog/systems/",
            );
        }
    }

    let hc = load_hcnetsdk(&code_files, groups_file, ops_file, &mut problems);
    let systems = load_systems(&system_files, &mut problems);

    if !problems.0.is_empty() {
        eprintln!(
            "error: the error catalogue under src/catalog has {} problem(s):",
            problems.0.len()
        );
        for p in &problems.0 {
            eprintln!("  - {p}");
        }
        eprintln!("(schema: notes/catalog-spec.md and src/catalog/systems/README.md)");
        std::process::exit(1);
    }

    write_if_changed(&out.join("hcnetsdk_catalog.rs"), &gen_hcnetsdk(&hc));
    write_if_changed(&out.join("systems_catalog.rs"), &gen_systems(&systems));
}

/// Every `*.toml` under `dir`, sorted, so the output does not depend on directory order.
fn toml_files(dir: &Path, problems: &mut Problems) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = match fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) => {
                problems.push(&d, "folder", format!("cannot read: {e}"));
                continue;
            }
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path, problems: &mut Problems) -> Option<T> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(path, "file", format!("cannot read: {e}"));
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e.to_string().replace('\n', "\n      ");
            problems.push(path, "TOML", msg);
            None
        }
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

fn category_variant(id: &str) -> Option<&'static str> {
    CATEGORIES.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

fn retry_variant(id: &str) -> Option<&'static str> {
    RETRIES.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

fn valid_ids(list: &[(&str, &str)]) -> String {
    list.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
}

/// Checks a one-line text field: present and without line breaks.
fn check_line(p: &mut Problems, file: &Path, entry: &str, field: &str, s: &str, required: bool) {
    if required && s.trim().is_empty() {
        p.push(file, entry, format!("`{field}` is empty"));
    }
    if s.contains('\n') || s.contains('\r') {
        p.push(file, entry, format!("`{field}` must be one line"));
    }
}

fn check_category(p: &mut Problems, file: &Path, entry: &str, id: &str) {
    if category_variant(id).is_none() {
        p.push(
            file,
            entry,
            format!("unknown category {id:?} (valid: {})", valid_ids(CATEGORIES)),
        );
    }
}

fn check_retry(p: &mut Problems, file: &Path, entry: &str, id: &str) {
    if retry_variant(id).is_none() {
        p.push(
            file,
            entry,
            format!("unknown retry {id:?} (valid: {})", valid_ids(RETRIES)),
        );
    }
}

// ---------------------------------------------------------------------------------------
// HCNetSDK
// ---------------------------------------------------------------------------------------

struct HcNetSdk {
    codes: Vec<Code>,
    groups: Vec<Group>,
    ops: OperationsFile,
}

fn load_hcnetsdk(
    code_files: &[PathBuf],
    groups_file: Option<PathBuf>,
    ops_file: Option<PathBuf>,
    p: &mut Problems,
) -> HcNetSdk {
    let mut groups = Vec::new();
    match &groups_file {
        None => {
            p.0.push("src/catalog/hcnetsdk/groups.toml is missing".into())
        }
        Some(f) => {
            if let Some(g) = read_toml::<GroupsFile>(f, p) {
                let mut seen = BTreeSet::new();
                for (i, g) in g.group.iter().enumerate() {
                    let entry = format!("group #{} ({:?})", i + 1, g.name);
                    if !seen.insert(g.name.clone()) {
                        p.push(f, &entry, "duplicate group name");
                    }
                    check_category(p, f, &entry, &g.category);
                    check_retry(p, f, &entry, &g.retry);
                    check_line(p, f, &entry, "remediation", &g.remediation, true);
                }
                groups = g.group;
            }
        }
    }
    let group_names: BTreeSet<&str> = groups.iter().map(|g| g.name.as_str()).collect();

    if code_files.is_empty() {
        p.0.push("src/catalog/hcnetsdk/ has no codes-*.toml file".into());
    }
    let mut codes: Vec<Code> = Vec::new();
    let mut by_value: HashMap<u32, PathBuf> = HashMap::new();
    let mut by_name: HashMap<String, PathBuf> = HashMap::new();
    for f in code_files {
        let Some(file) = read_toml::<CodesFile>(f, p) else {
            continue;
        };
        let range = file_value_range(f);
        for c in file.code {
            let entry = format!("code {} ({})", c.value, c.name);
            if let Some(other) = by_value.insert(c.value, f.clone()) {
                p.push(
                    f,
                    &entry,
                    format!("duplicate value {} (also in {})", c.value, other.display()),
                );
            }
            if let Some(other) = by_name.insert(c.name.clone(), f.clone()) {
                p.push(
                    f,
                    &entry,
                    format!("duplicate name (also in {})", other.display()),
                );
            }
            if !is_rust_ident(&c.name) {
                p.push(
                    f,
                    &entry,
                    "name is not a valid identifier (it becomes an enum variant)",
                );
            }
            if let Some((lo, hi)) = range.filter(|(lo, hi)| !(*lo..=*hi).contains(&c.value)) {
                p.push(
                    f,
                    &entry,
                    format!("value outside this file's range {lo}..={hi}"),
                );
            }
            if !group_names.contains(c.group.as_str()) {
                p.push(
                    f,
                    &entry,
                    format!("group {:?} is not defined in groups.toml", c.group),
                );
            }
            check_category(p, f, &entry, &c.category);
            check_retry(p, f, &entry, &c.retry);
            if c.category == "auth" && c.retry != "never_auto" {
                p.push(
                    f,
                    &entry,
                    "auth codes must use retry = \"never_auto\" (repeated bad logins lock the account)",
                );
            }
            if (c.category == "none") != (c.value == 0) {
                p.push(f, &entry, "category \"none\" is only for code 0");
            }
            check_line(p, f, &entry, "en", &c.en, true);
            check_line(p, f, &entry, "zh", &c.zh, true);
            for cause in &c.causes {
                check_line(p, f, &entry, "causes", cause, true);
            }
            if let Some(r) = &c.remediation {
                check_line(p, f, &entry, "remediation", r, true);
            }
            codes.push(c);
        }
    }
    codes.sort_by_key(|c| c.value);

    let mut ops = OperationsFile {
        operation: Vec::new(),
        tip: Vec::new(),
    };
    match &ops_file {
        None => {
            p.0.push("src/catalog/hcnetsdk/operations.toml is missing".into())
        }
        Some(f) => {
            if let Some(o) = read_toml::<OperationsFile>(f, p) {
                let mut seen = BTreeSet::new();
                for op in &o.operation {
                    let entry = format!("operation {:?}", op.id);
                    if !seen.insert(op.id.clone()) {
                        p.push(f, &entry, "duplicate operation id");
                    }
                    check_line(p, f, &entry, "title_en", &op.title_en, true);
                    check_line(p, f, &entry, "title_zh", &op.title_zh, true);
                    for e in &op.entries {
                        if !by_value.contains_key(&e.code) {
                            p.push(
                                f,
                                &entry,
                                format!("code {} is not an HCNetSDK code", e.code),
                            );
                        }
                        check_line(p, f, &entry, "hint_en", &e.hint_en, true);
                        check_line(p, f, &entry, "hint_zh", &e.hint_zh, true);
                    }
                }
                for (i, t) in o.tip.iter().enumerate() {
                    let entry = format!("tip #{}", i + 1);
                    check_line(p, f, &entry, "en", &t.en, true);
                    check_line(p, f, &entry, "zh", &t.zh, true);
                }
                ops = o;
            }
        }
    }
    HcNetSdk { codes, groups, ops }
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

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn lit_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("&[{}]", parts.join(", "))
}

fn gen_hcnetsdk(hc: &HcNetSdk) -> String {
    let mut o = String::with_capacity(1 << 20);
    o.push_str("// @generated by build.rs from src/catalog/hcnetsdk/*.toml. Do not edit.\n\n");

    // Group remediation texts as consts, so codes without their own text share them.
    let group_index: BTreeMap<&str, usize> = hc
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), i))
        .collect();
    for (i, g) in hc.groups.iter().enumerate() {
        writeln!(
            o,
            "const GROUP_REMEDIATION_{i}: &str = {};",
            lit(&g.remediation)
        )
        .unwrap();
    }

    // The enum.
    o.push_str(
        "\n/// An HCNetSDK error code: every code `NET_DVR_GetLastError` can return, by its C name,\n\
         /// plus [`ErrorCode::Unknown`] for values outside the catalogue.\n\
         ///\n\
         /// Generated from the catalogue in `src/catalog/hcnetsdk/`. Each variant's docs give its\n\
         /// value, group, category and meaning; [`ErrorCode::info`] gives everything else.\n\
         ///\n\
         /// Build one from a raw value with [`ErrorCode::from_raw`], which never returns\n\
         /// `Unknown(v)` for a catalogued `v`.\n\
         ///\n\
         /// ```\n\
         /// use hcnetsdk::ErrorCode;\n\
         ///\n\
         /// let code = ErrorCode::from_raw(1);\n\
         /// assert_eq!(code, ErrorCode::NET_DVR_PASSWORD_ERROR);\n\
         /// assert_eq!(code.raw(), 1);\n\
         /// assert_eq!(code.to_string(), \"NET_DVR_PASSWORD_ERROR (1)\");\n\
         /// assert_eq!(ErrorCode::from_raw(4_000_000), ErrorCode::Unknown(4_000_000));\n\
         /// ```\n\
         #[allow(non_camel_case_types)]\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         #[non_exhaustive]\n\
         pub enum ErrorCode {\n",
    );
    for c in &hc.codes {
        let doc = format!(
            "`{}` · group *{}* · {}: {}",
            c.value, c.group, c.category, c.en
        );
        writeln!(o, "    #[doc = {}]", lit(&doc)).unwrap();
        writeln!(o, "    #[doc(alias = {})]", lit(&c.value.to_string())).unwrap();
        writeln!(o, "    {},", c.name).unwrap();
    }
    o.push_str(
        "    /// A value outside the catalogue (a newer SDK, or a value that is not an\n\
         \x20   /// HCNetSDK error code). The raw value is kept.\n\
         \x20   Unknown(u32),\n}\n\n",
    );

    o.push_str("impl ErrorCode {\n");
    o.push_str(
        "    /// The code for a raw `NET_DVR_GetLastError` value: a named variant for every\n\
         \x20   /// catalogued value, [`ErrorCode::Unknown`] for anything else.\n\
         \x20   ///\n\
         \x20   /// ```\n\
         \x20   /// # use hcnetsdk::ErrorCode;\n\
         \x20   /// assert_eq!(ErrorCode::from_raw(7), ErrorCode::NET_DVR_NETWORK_FAIL_CONNECT);\n\
         \x20   /// ```\n\
         \x20   #[must_use]\n\
         \x20   pub const fn from_raw(raw: u32) -> Self {\n\
         \x20       match raw {\n",
    );
    for c in &hc.codes {
        writeln!(o, "            {} => Self::{},", c.value, c.name).unwrap();
    }
    o.push_str(
        "            other => Self::Unknown(other),\n        }\n    }\n\n\
         \x20   /// The raw value, as `NET_DVR_GetLastError` returns it.\n\
         \x20   ///\n\
         \x20   /// ```\n\
         \x20   /// # use hcnetsdk::ErrorCode;\n\
         \x20   /// assert_eq!(ErrorCode::NET_DVR_USER_LOCKED.raw(), 153);\n\
         \x20   /// assert_eq!(ErrorCode::Unknown(99_999).raw(), 99_999);\n\
         \x20   /// ```\n\
         \x20   #[must_use]\n\
         \x20   pub const fn raw(self) -> u32 {\n\
         \x20       match self {\n",
    );
    for c in &hc.codes {
        writeln!(o, "            Self::{} => {},", c.name, c.value).unwrap();
    }
    o.push_str(
        "            Self::Unknown(v) => v,\n        }\n    }\n\n\
         \x20   /// Index into [`CODES`], `None` for `Unknown`.\n\
         \x20   const fn index(self) -> Option<usize> {\n\
         \x20       match self {\n",
    );
    for (i, c) in hc.codes.iter().enumerate() {
        writeln!(o, "            Self::{} => Some({i}),", c.name).unwrap();
    }
    o.push_str("            Self::Unknown(_) => None,\n        }\n    }\n}\n\n");

    // Code table.
    writeln!(o, "/// Every catalogued code, in value order.").unwrap();
    writeln!(o, "static CODES: [CodeInfo; {}] = [", hc.codes.len()).unwrap();
    for c in &hc.codes {
        let gi = group_index[c.group.as_str()];
        let (rem, src) = match &c.remediation {
            Some(r) => (lit(r), "Code"),
            None => (format!("GROUP_REMEDIATION_{gi}"), "Group"),
        };
        writeln!(
            o,
            "    CodeInfo {{ code: ErrorCode::{name}, name: {name_lit}, value: {value}, group: {group}, \
             category: Category::{cat}, retry: Retry::{retry}, message_en: {en}, message_zh: {zh}, \
             causes: {causes}, remediation: {rem}, remediation_source: RemediationSource::{src} }},",
            name = c.name,
            name_lit = lit(&c.name),
            value = c.value,
            group = lit(&c.group),
            cat = category_variant(&c.category).unwrap_or("Internal"),
            retry = retry_variant(&c.retry).unwrap_or("No"),
            en = lit(&c.en),
            zh = lit(&c.zh),
            causes = lit_list(&c.causes),
        )
        .unwrap();
    }
    o.push_str("];\n\n");

    // Group table.
    writeln!(o, "/// Every group, in catalogue order.").unwrap();
    writeln!(o, "static GROUPS: [GroupInfo; {}] = [", hc.groups.len()).unwrap();
    for (i, g) in hc.groups.iter().enumerate() {
        writeln!(
            o,
            "    GroupInfo {{ name: {}, category: Category::{}, retry: Retry::{}, remediation: GROUP_REMEDIATION_{i} }},",
            lit(&g.name),
            category_variant(&g.category).unwrap_or("Internal"),
            retry_variant(&g.retry).unwrap_or("No"),
        )
        .unwrap();
    }
    o.push_str("];\n\n");

    // Operations and tips.
    writeln!(o, "/// Seed 000's quick lookup by operation.").unwrap();
    writeln!(
        o,
        "static OPERATIONS: [Operation; {}] = [",
        hc.ops.operation.len()
    )
    .unwrap();
    for op in &hc.ops.operation {
        let entries: Vec<String> = op
            .entries
            .iter()
            .map(|e| {
                format!(
                    "OperationEntry {{ code: ErrorCode::from_raw({}), hint_en: {}, hint_zh: {} }}",
                    e.code,
                    lit(&e.hint_en),
                    lit(&e.hint_zh)
                )
            })
            .collect();
        writeln!(
            o,
            "    Operation {{ id: {}, title_en: {}, title_zh: {}, entries: &[{}] }},",
            lit(&op.id),
            lit(&op.title_en),
            lit(&op.title_zh),
            entries.join(", ")
        )
        .unwrap();
    }
    o.push_str("];\n\n");
    writeln!(o, "/// Seed 000's general handling tips.").unwrap();
    writeln!(o, "static TIPS: [Tip; {}] = [", hc.ops.tip.len()).unwrap();
    for t in &hc.ops.tip {
        writeln!(o, "    Tip {{ en: {}, zh: {} }},", lit(&t.en), lit(&t.zh)).unwrap();
    }
    o.push_str("];\n");
    o
}

// ---------------------------------------------------------------------------------------
// Other systems
// ---------------------------------------------------------------------------------------

struct LoadedSystem {
    meta: SystemMeta,
    codes: Vec<SysCode>,
    sub_status: Vec<(SubStatus, Option<u32>)>,
    ranges: Vec<SysRange>,
}

fn load_systems(files: &[PathBuf], p: &mut Problems) -> Vec<LoadedSystem> {
    let mut out: Vec<LoadedSystem> = Vec::new();
    let mut ids: HashMap<String, PathBuf> = HashMap::new();
    for f in files {
        let Some(sf) = read_toml::<SystemFile>(f, p) else {
            continue;
        };
        let meta = &sf.system;
        let entry = format!("[system] {:?}", meta.id);
        if meta.id.is_empty()
            || !meta
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            p.push(
                f,
                &entry,
                "`id` must be non-empty lowercase ASCII, digits or '_'",
            );
        }
        if meta.id == "hcnetsdk" {
            p.push(
                f,
                &entry,
                "`hcnetsdk` is reserved for src/catalog/hcnetsdk/",
            );
        }
        if let Some(other) = ids.insert(meta.id.clone(), f.clone()) {
            p.push(
                f,
                &entry,
                format!("duplicate system id (also in {})", other.display()),
            );
        }
        if !meta.seed.chars().all(|c| c.is_ascii_digit()) {
            p.push(f, &entry, "`seed` must be empty or digits, e.g. \"001\"");
        }
        if !matches!(meta.number_format.as_str(), "decimal" | "hex") {
            p.push(
                f,
                &entry,
                format!(
                    "unknown number_format {:?} (valid: decimal, hex)",
                    meta.number_format
                ),
            );
        }
        check_line(p, f, &entry, "name", &meta.name, true);
        check_line(p, f, &entry, "description", &meta.description, true);

        let mut values: HashMap<u32, usize> = HashMap::new();
        for (i, c) in sf.code.iter().enumerate() {
            let entry = match &c.name {
                Some(n) => format!("code {} ({n})", c.value),
                None => format!("code {}", c.value),
            };
            if let Some(first) = values.insert(c.value, i) {
                p.push(
                    f,
                    &entry,
                    format!(
                        "value listed twice (entries #{} and #{}); record a second meaning as [[code.alt]] \
                         and explain it in `notes`",
                        first + 1,
                        i + 1
                    ),
                );
            }
            check_entry(
                p,
                f,
                &entry,
                EntryFields {
                    name: c.name.as_deref(),
                    en: &c.en,
                    zh: &c.zh,
                    category: &c.category,
                    retry: &c.retry,
                    remediation: &c.remediation,
                    causes: &c.causes,
                    notes: &c.notes,
                    variants: &c.variants,
                    alt: &c.alt,
                },
            );
        }

        let mut subs = Vec::new();
        let mut seen_subs = BTreeSet::new();
        for s in sf.sub_status {
            let entry = format!("sub_status {:?} (statusCode {})", s.name, s.status_code);
            if !seen_subs.insert((s.status_code, s.name.clone())) {
                p.push(f, &entry, "listed twice under the same status_code");
            }
            if !values.contains_key(&s.status_code) {
                p.push(
                    f,
                    &entry,
                    format!(
                        "status_code {} is not a [[code]] of this system",
                        s.status_code
                    ),
                );
            }
            check_line(p, f, &entry, "name", &s.name, true);
            check_entry(
                p,
                f,
                &entry,
                EntryFields {
                    name: Some(&s.name),
                    en: &s.en,
                    zh: &s.zh,
                    category: &s.category,
                    retry: &s.retry,
                    remediation: &s.remediation,
                    causes: &s.causes,
                    notes: &s.notes,
                    variants: &s.variants,
                    alt: &s.alt,
                },
            );
            let value = match &s.error_code {
                None => None,
                Some(text) => {
                    let digits = text
                        .strip_prefix("0x")
                        .or_else(|| text.strip_prefix("0X"))
                        .unwrap_or(text);
                    match u32::from_str_radix(digits, 16) {
                        Ok(v) => Some(v),
                        Err(_) => {
                            p.push(
                                f,
                                &entry,
                                format!("error_code {text:?} is not a 32-bit hex number"),
                            );
                            None
                        }
                    }
                }
            };
            subs.push((s, value));
        }

        let mut ranges = sf.range;
        ranges.sort_by_key(|r| r.lo);
        for (i, r) in ranges.iter().enumerate() {
            let entry = format!("range {}..={}", r.lo, r.hi);
            if r.lo > r.hi {
                p.push(f, &entry, "lo is greater than hi");
            }
            if let Some(next) = ranges.get(i + 1).filter(|next| next.lo <= r.hi) {
                p.push(
                    f,
                    &entry,
                    format!("overlaps range {}..={}", next.lo, next.hi),
                );
            }
            check_line(p, f, &entry, "module_en", &r.module_en, true);
            check_line(p, f, &entry, "module_zh", &r.module_zh, true);
        }

        out.push(LoadedSystem {
            meta: sf.system,
            codes: sf.code,
            sub_status: subs,
            ranges,
        });
    }
    out.sort_by_key(|a| system_order_key(&a.meta));
    out
}

fn system_order_key(m: &SystemMeta) -> (u8, usize, String, String) {
    if let Some(i) = SYSTEM_PRIORITY.iter().position(|id| *id == m.id) {
        (0, i, String::new(), m.id.clone())
    } else if m.seed.is_empty() {
        (1, 0, String::new(), m.id.clone())
    } else {
        (2, 0, format!("{:0>8}", m.seed), m.id.clone())
    }
}

struct EntryFields<'a> {
    name: Option<&'a str>,
    en: &'a str,
    zh: &'a str,
    category: &'a str,
    retry: &'a str,
    remediation: &'a str,
    causes: &'a [String],
    notes: &'a [String],
    variants: &'a [SysVariant],
    alt: &'a [SysAlt],
}

fn check_entry(p: &mut Problems, f: &Path, entry: &str, e: EntryFields<'_>) {
    if let Some(n) = e.name {
        check_line(p, f, entry, "name", n, true);
    }
    check_line(p, f, entry, "en", e.en, true);
    check_line(p, f, entry, "zh", e.zh, true);
    check_line(p, f, entry, "remediation", e.remediation, true);
    check_category(p, f, entry, e.category);
    check_retry(p, f, entry, e.retry);
    for s in e.causes.iter().chain(e.notes) {
        check_line(p, f, entry, "notes/causes", s, true);
    }
    for v in e.variants {
        check_line(p, f, entry, "variants.when", &v.when, true);
        check_line(p, f, entry, "variants.en", &v.en, true);
        check_line(p, f, entry, "variants.zh", &v.zh, true);
    }
    for a in e.alt {
        if let Some(n) = &a.name {
            check_line(p, f, entry, "alt.name", n, true);
        }
        check_line(p, f, entry, "alt.en", &a.en, true);
        check_line(p, f, entry, "alt.zh", &a.zh, true);
        if let Some(c) = &a.category {
            check_category(p, f, entry, c);
        }
        if let Some(r) = &a.retry {
            check_retry(p, f, entry, r);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn gen_entry(
    o: &mut String,
    system: &str,
    kind: &str,
    value: Option<u32>,
    number_format: &str,
    e: &EntryFields<'_>,
    success: bool,
    http_status: Option<u16>,
) {
    let opt_u32 = |v: Option<u32>| v.map_or("None".to_owned(), |v| format!("Some({v})"));
    let name = e
        .name
        .map_or("None".to_owned(), |n| format!("Some({})", lit(n)));
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|v| {
            format!(
                "Variant {{ when: {}, message_en: {}, message_zh: {} }}",
                lit(&v.when),
                lit(&v.en),
                lit(&v.zh)
            )
        })
        .collect();
    let alts: Vec<String> = e
        .alt
        .iter()
        .map(|a| {
            format!(
                "Alternative {{ name: {}, message_en: {}, message_zh: {}, category: Category::{}, retry: Retry::{} }}",
                a.name.as_deref().map_or("None".to_owned(), |n| format!("Some({})", lit(n))),
                lit(&a.en),
                lit(&a.zh),
                category_variant(a.category.as_deref().unwrap_or(e.category)).unwrap_or("Internal"),
                retry_variant(a.retry.as_deref().unwrap_or(e.retry)).unwrap_or("No"),
            )
        })
        .collect();
    writeln!(
        o,
        "    Entry {{ system: {system}, kind: {kind}, value: {value}, number_format: NumberFormat::{nf}, \
         name: {name}, message_en: {en}, message_zh: {zh}, category: Category::{cat}, retry: Retry::{retry}, \
         remediation: {rem}, remediation_source: RemediationSource::Code, causes: {causes}, group: None, \
         http_status: {http}, success: {success}, notes: {notes}, variants: &[{variants}], alternatives: &[{alts}] }},",
        system = lit(system),
        value = opt_u32(value),
        nf = if number_format == "hex" { "Hex" } else { "Decimal" },
        en = lit(e.en),
        zh = lit(e.zh),
        cat = category_variant(e.category).unwrap_or("Internal"),
        retry = retry_variant(e.retry).unwrap_or("No"),
        rem = lit(e.remediation),
        causes = lit_list(e.causes),
        http = http_status.map_or("None".to_owned(), |h| format!("Some({h})")),
        notes = lit_list(e.notes),
        variants = variants.join(", "),
        alts = alts.join(", "),
    )
    .unwrap();
}

fn gen_systems(systems: &[LoadedSystem]) -> String {
    let mut o = String::with_capacity(1 << 18);
    o.push_str("// @generated by build.rs from src/catalog/systems/*.toml. Do not edit.\n\n");
    for (i, s) in systems.iter().enumerate() {
        let n = s.codes.len() + s.sub_status.len();
        writeln!(o, "static SYSTEM_{i}_ENTRIES: [Entry; {n}] = [").unwrap();
        for c in &s.codes {
            gen_entry(
                &mut o,
                &s.meta.id,
                "EntryKind::Code",
                Some(c.value),
                &s.meta.number_format,
                &EntryFields {
                    name: c.name.as_deref(),
                    en: &c.en,
                    zh: &c.zh,
                    category: &c.category,
                    retry: &c.retry,
                    remediation: &c.remediation,
                    causes: &c.causes,
                    notes: &c.notes,
                    variants: &c.variants,
                    alt: &c.alt,
                },
                c.success,
                c.http_status,
            );
        }
        for (sub, value) in &s.sub_status {
            gen_entry(
                &mut o,
                &s.meta.id,
                &format!(
                    "EntryKind::SubStatus {{ status_code: {} }}",
                    sub.status_code
                ),
                *value,
                "hex",
                &EntryFields {
                    name: Some(&sub.name),
                    en: &sub.en,
                    zh: &sub.zh,
                    category: &sub.category,
                    retry: &sub.retry,
                    remediation: &sub.remediation,
                    causes: &sub.causes,
                    notes: &sub.notes,
                    variants: &sub.variants,
                    alt: &sub.alt,
                },
                sub.success,
                sub.http_status,
            );
        }
        o.push_str("];\n");
        writeln!(
            o,
            "static SYSTEM_{i}_RANGES: [Range; {}] = [",
            s.ranges.len()
        )
        .unwrap();
        for r in &s.ranges {
            writeln!(
                o,
                "    Range {{ lo: {}, hi: {}, module_en: {}, module_zh: {} }},",
                r.lo,
                r.hi,
                lit(&r.module_en),
                lit(&r.module_zh)
            )
            .unwrap();
        }
        o.push_str("];\n\n");
    }
    writeln!(
        o,
        "/// HCNetSDK (from the same table as `ErrorCode`), then every system file.\n\
         static SYSTEMS: [System; {}] = [\n    HCNETSDK_SYSTEM,",
        systems.len() + 1
    )
    .unwrap();
    for (i, s) in systems.iter().enumerate() {
        let seed = if s.meta.seed.is_empty() {
            "None".to_owned()
        } else {
            format!("Some({})", lit(&s.meta.seed))
        };
        writeln!(
            o,
            "    System {{ id: {}, name: {}, seed: {seed}, number_format: NumberFormat::{}, description: {}, \
             ranges: &SYSTEM_{i}_RANGES, table: Table::Static(&SYSTEM_{i}_ENTRIES) }},",
            lit(&s.meta.id),
            lit(&s.meta.name),
            if s.meta.number_format == "hex" { "Hex" } else { "Decimal" },
            lit(&s.meta.description),
        )
        .unwrap();
    }
    o.push_str("];\n");
    o
}
