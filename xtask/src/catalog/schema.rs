//! The TOML input schema of the error catalogues (see `src/catalog/systems/README.md` for
//! the fields of the per-system files).

use serde::Deserialize;

/// `src/catalog/hcnetsdk/codes-NNNN-NNNN.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodesFile {
    pub code: Vec<Code>,
}

/// One HCNetSDK error code.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub name: String,
    pub value: u32,
    pub group: String,
    pub category: String,
    pub retry: String,
    pub en: String,
    pub zh: String,
    #[serde(default)]
    pub causes: Vec<String>,
    pub remediation: Option<String>,
}

/// `src/catalog/hcnetsdk/groups.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsFile {
    pub group: Vec<Group>,
}

/// A group of HCNetSDK codes with its defaults.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub category: String,
    pub retry: String,
    pub remediation: String,
}

/// `src/catalog/hcnetsdk/operations.toml`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OperationsFile {
    pub operation: Vec<Operation>,
    #[serde(default)]
    pub tip: Vec<Tip>,
}

/// One operation of the quick lookup.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub id: String,
    pub title_en: String,
    pub title_zh: String,
    pub entries: Vec<OperationEntry>,
}

/// A code of an operation, with its hint.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationEntry {
    pub code: u32,
    pub hint_en: String,
    pub hint_zh: String,
}

/// A general handling tip.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tip {
    pub en: String,
    pub zh: String,
}

/// One file of another error system (PlayM4, ISAPI, the systems `hcnet explain` adds).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemFile {
    pub system: SystemMeta,
    #[serde(default)]
    pub code: Vec<SysEntry>,
    #[serde(default)]
    pub sub_status: Vec<SysEntry>,
    #[serde(default)]
    pub range: Vec<SysRange>,
}

/// The `[system]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemMeta {
    pub id: String,
    pub name: String,
    /// Internal provenance: the number of the project source file the data comes from.
    /// Never shown to users; `hcnet explain --system` accepts it as an alias.
    #[serde(default)]
    pub seed: String,
    pub number_format: String,
    pub description: String,
}

/// A `[[code]]` or a `[[sub_status]]` row: one struct, because the two kinds share every
/// field but their keys. Which keys each kind needs is checked when the file is loaded:
/// a `[[code]]` has `value` (and may have `name`); a `[[sub_status]]` has `name` and
/// `status_code` (and may have `error_code`, a hex string).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SysEntry {
    pub value: Option<u32>,
    pub name: Option<String>,
    pub status_code: Option<u32>,
    pub error_code: Option<String>,
    pub en: String,
    pub zh: String,
    pub category: String,
    pub retry: String,
    pub remediation: String,
    #[serde(default)]
    pub causes: Vec<String>,
    #[serde(default)]
    pub success: bool,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub variants: Vec<SysVariant>,
    #[serde(default)]
    pub alt: Vec<SysAlt>,
    pub http_status: Option<u16>,
}

/// `[[code.variants]]`: a meaning that depends on firmware or implementation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SysVariant {
    pub when: String,
    pub en: String,
    pub zh: String,
}

/// `[[code.alt]]`: a second meaning or name for the same value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SysAlt {
    pub name: Option<String>,
    pub en: String,
    pub zh: String,
    pub category: Option<String>,
    pub retry: Option<String>,
}

/// `[[range]]`: a block of values and its module.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SysRange {
    pub lo: u32,
    pub hi: u32,
    pub module_en: String,
    pub module_zh: String,
}

/// `src/catalog/hcnetsdk/by_call.toml`: diagnosis by function family and code.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ByCallFile {
    pub family: Vec<Family>,
    #[serde(default)]
    pub entry: Vec<CallEntry>,
}

/// A family of functions that share a diagnosis.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub title: String,
    pub calls: Vec<String>,
}

/// What a code means when a call of `family` returns it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallEntry {
    pub family: String,
    pub code: u32,
    pub remediation: String,
    #[serde(default)]
    pub causes: Vec<String>,
}
