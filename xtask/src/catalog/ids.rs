//! The `category` and `retry` ids of the catalogue, read from the one place that defines
//! them: the `as_str` methods in `src/error/category.rs`. There is no copy here to drift:
//! a new, renamed or removed id there changes what the data may say, and the generated code
//! names the variants (`Category::SdkSetup`), so a variant that no longer exists is a
//! compile error.

use std::path::Path;

/// The file that defines `Category` and `Retry`.
pub const SOURCE: &str = "src/error/category.rs";

/// `(id, variant)` pairs, in declaration order.
pub type IdList = Vec<(String, String)>;

/// Every category and retry id with the variant it names.
pub struct Ids {
    pub categories: IdList,
    pub retries: IdList,
}

impl Ids {
    /// Reads both lists from `src/error/category.rs` under `root`.
    pub fn read(root: &Path) -> Result<Ids, String> {
        let path = root.join(SOURCE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Ids {
            categories: as_str_arms(&text, "Category")?,
            retries: as_str_arms(&text, "Retry")?,
        })
    }

    /// The `Category` variant for a catalogue id.
    pub fn category(&self, id: &str) -> Option<&str> {
        find(&self.categories, id)
    }

    /// The `Retry` variant for a catalogue id.
    pub fn retry(&self, id: &str) -> Option<&str> {
        find(&self.retries, id)
    }
}

fn find<'a>(list: &'a IdList, id: &str) -> Option<&'a str> {
    list.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str())
}

/// The ids of a list, comma-separated, for messages.
pub fn valid(list: &IdList) -> String {
    list.iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `Ty::Variant => "id",` arms of `impl Ty { ... fn as_str(self) ... }`.
fn as_str_arms(text: &str, ty: &str) -> Result<IdList, String> {
    let impl_start = text
        .find(&format!("\nimpl {ty} {{"))
        .ok_or_else(|| format!("{SOURCE}: no `impl {ty} {{` block"))?;
    let rest = &text[impl_start..];
    let fn_start = rest
        .find("fn as_str(self)")
        .ok_or_else(|| format!("{SOURCE}: `impl {ty}` has no `fn as_str(self)`"))?;
    let mut arms = Vec::new();
    let prefix = format!("{ty}::");
    for line in rest[fn_start..].lines().skip(1).map(str::trim) {
        if let Some(arm) = line.strip_prefix(&prefix) {
            let (variant, id) = arm
                .split_once(" => ")
                .ok_or_else(|| format!("{SOURCE}: cannot read the `as_str` arm {line:?}"))?;
            let id = id.trim_end_matches(',').trim_matches('"');
            arms.push((id.to_owned(), variant.to_owned()));
        } else if line.starts_with("fn ") || line.starts_with("pub ") {
            break;
        }
    }
    if arms.is_empty() {
        return Err(format!(
            "{SOURCE}: `{ty}::as_str` has no `{ty}::X => \"id\"` arms"
        ));
    }
    Ok(arms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_real_ids_in_declaration_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let ids = Ids::read(&root).unwrap();
        assert_eq!(ids.categories.len(), 16);
        assert_eq!(ids.categories[0], ("none".into(), "None".into()));
        assert_eq!(ids.category("sdk_setup"), Some("SdkSetup"));
        assert_eq!(ids.retries.len(), 5);
        assert_eq!(ids.retry("never_auto"), Some("NeverAuto"));
        assert_eq!(ids.retry("sdk_setup"), None);
    }

    #[test]
    fn stops_at_the_end_of_as_str() {
        let text = "\nimpl Retry {\n    pub const fn as_str(self) -> &'static str {\n        \
                    match self {\n            Retry::No => \"no\",\n            Retry::AfterFix => \"after_fix\",\n        \
                    }\n    }\n    pub const fn advice(self) -> &'static str {\n        \
                    match self {\n            Retry::No => \"Retrying cannot help.\",\n";
        let arms = as_str_arms(text, "Retry").unwrap();
        assert_eq!(
            arms,
            [
                ("no".to_owned(), "No".to_owned()),
                ("after_fix".to_owned(), "AfterFix".to_owned())
            ]
        );
        assert!(as_str_arms(text, "Category").is_err());
    }
}
