//! Writes `src/error/generated/hcnetsdk.rs`: the `ErrorCode` enum, its `from_raw`/`raw`
//! matches and the static code, group and operation tables (included by
//! `src/error/catalog.rs`, which defines the types).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::check::{lit, lit_list};
use super::hcnetsdk::HcNetSdk;
use super::ids::Ids;

/// The whole file.
pub fn generate(hc: &HcNetSdk, ids: &Ids) -> String {
    let mut o = String::with_capacity(1 << 20);
    o.push_str(&super::header("src/catalog/hcnetsdk/*.toml"));
    group_consts(&mut o, hc);
    enum_decl(&mut o, hc);
    enum_impl(&mut o, hc);
    codes_table(&mut o, hc, ids);
    groups_table(&mut o, hc, ids);
    operations(&mut o, hc);
    o.push('\n');
    super::by_call::generate(&mut o, &hc.by_call);
    o
}

/// Group remediation texts as consts, so codes without their own text share them.
fn group_consts(o: &mut String, hc: &HcNetSdk) {
    for (i, g) in hc.groups.iter().enumerate() {
        let text = lit(&g.remediation);
        writeln!(o, "const GROUP_REMEDIATION_{i}: &str = {text};").unwrap();
    }
}

fn enum_decl(o: &mut String, hc: &HcNetSdk) {
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
}

fn enum_impl(o: &mut String, hc: &HcNetSdk) {
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
}

fn codes_table(o: &mut String, hc: &HcNetSdk, ids: &Ids) {
    let group_index: BTreeMap<&str, usize> = hc
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), i))
        .collect();
    writeln!(o, "/// Every catalogued code, in value order.").unwrap();
    writeln!(o, "static CODES: [CodeInfo; {}] = [", hc.codes.len()).unwrap();
    for c in &hc.codes {
        let (rem, src) = match &c.remediation {
            Some(r) => (lit(r), "Code"),
            None => (
                format!("GROUP_REMEDIATION_{}", group_index[c.group.as_str()]),
                "Group",
            ),
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
            cat = variant(ids.category(&c.category)),
            retry = variant(ids.retry(&c.retry)),
            en = lit(&c.en),
            zh = lit(&c.zh),
            causes = lit_list(&c.causes),
        )
        .unwrap();
    }
    o.push_str("];\n\n");
}

fn groups_table(o: &mut String, hc: &HcNetSdk, ids: &Ids) {
    writeln!(o, "/// Every group, in catalogue order.").unwrap();
    writeln!(o, "static GROUPS: [GroupInfo; {}] = [", hc.groups.len()).unwrap();
    for (i, g) in hc.groups.iter().enumerate() {
        writeln!(
            o,
            "    GroupInfo {{ name: {}, category: Category::{}, retry: Retry::{}, remediation: GROUP_REMEDIATION_{i} }},",
            lit(&g.name),
            variant(ids.category(&g.category)),
            variant(ids.retry(&g.retry)),
        )
        .unwrap();
    }
    o.push_str("];\n\n");
}

fn operations(o: &mut String, hc: &HcNetSdk) {
    writeln!(o, "/// The quick lookup by operation.").unwrap();
    let n = hc.ops.operation.len();
    writeln!(o, "static OPERATIONS: [Operation; {n}] = [").unwrap();
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
    writeln!(o, "/// General handling tips.").unwrap();
    writeln!(o, "static TIPS: [Tip; {}] = [", hc.ops.tip.len()).unwrap();
    for t in &hc.ops.tip {
        writeln!(o, "    Tip {{ en: {}, zh: {} }},", lit(&t.en), lit(&t.zh)).unwrap();
    }
    o.push_str("];\n");
}

/// A variant the checks have already validated.
pub fn variant(v: Option<&str>) -> &str {
    v.expect("ids are checked before generating")
}
