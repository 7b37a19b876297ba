//! Collecting problems in the data, so one run reports them all, with the shared field
//! checks.

use std::fmt::Display;
use std::path::{Path, PathBuf};

use super::ids::{self, Ids};

/// Every problem found so far, and what the checks need to know.
pub struct Checker {
    root: PathBuf,
    pub ids: Ids,
    pub problems: Vec<String>,
}

impl Checker {
    pub fn new(root: &Path, ids: Ids) -> Checker {
        Checker {
            root: root.to_path_buf(),
            ids,
            problems: Vec::new(),
        }
    }

    /// A path as people read it in the repository.
    pub fn shown(&self, file: &Path) -> String {
        file.strip_prefix(&self.root)
            .unwrap_or(file)
            .display()
            .to_string()
    }

    /// Records a problem of one entry of one file.
    pub fn push(&mut self, file: &Path, entry: &str, msg: impl Display) {
        let shown = self.shown(file);
        self.problems.push(format!("{shown}: {entry}: {msg}"));
    }

    /// Records a problem that belongs to no single file.
    pub fn general(&mut self, msg: impl Display) {
        self.problems.push(msg.to_string());
    }

    /// A one-line text field: without line breaks, and not empty if `required`.
    pub fn line(&mut self, file: &Path, entry: &str, field: &str, s: &str, required: bool) {
        if required && s.trim().is_empty() {
            self.push(file, entry, format!("`{field}` is empty"));
        }
        if s.contains('\n') || s.contains('\r') {
            self.push(file, entry, format!("`{field}` must be one line"));
        }
    }

    /// A `category` id that `Category` knows.
    pub fn category(&mut self, file: &Path, entry: &str, id: &str) {
        if self.ids.category(id).is_none() {
            let valid = ids::valid(&self.ids.categories);
            self.push(
                file,
                entry,
                format!(
                    "unknown category {id:?} (valid: {valid}; see {})",
                    ids::SOURCE
                ),
            );
        }
    }

    /// A `retry` id that `Retry` knows.
    pub fn retry(&mut self, file: &Path, entry: &str, id: &str) {
        if self.ids.retry(id).is_none() {
            let valid = ids::valid(&self.ids.retries);
            self.push(
                file,
                entry,
                format!("unknown retry {id:?} (valid: {valid}; see {})", ids::SOURCE),
            );
        }
    }
}

/// Reads and parses a TOML file, recording a problem if that fails.
pub fn read_toml<T: for<'de> serde::Deserialize<'de>>(path: &Path, c: &mut Checker) -> Option<T> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            c.push(path, "file", format!("cannot read: {e}"));
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e.to_string().replace('\n', "\n      ");
            c.push(path, "TOML", msg);
            None
        }
    }
}

/// Every `*.toml` directly in `dir`, sorted, so the output does not depend on directory
/// order.
pub fn toml_files(dir: &Path, c: &mut Checker) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => {
            c.push(dir, "folder", format!("cannot read: {e}"));
            Vec::new()
        }
    };
    out.sort();
    out
}

/// A string as a Rust literal.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A list of strings as a Rust slice literal.
pub fn lit_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("&[{}]", parts.join(", "))
}

/// `Some(lit)` or `None`.
pub fn lit_opt(s: Option<&str>) -> String {
    s.map_or("None".to_owned(), |s| format!("Some({})", lit(s)))
}
