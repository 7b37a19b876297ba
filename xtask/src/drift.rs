//! Comparing a checked-in generated file with what the generator produces now.

use std::path::Path;

/// `None` if `current` equals `fresh`; otherwise a message naming the file, the first
/// differing line and both versions of it. `current` is `None` for a missing file.
pub fn difference(path: &Path, current: Option<&str>, fresh: &str) -> Option<String> {
    let Some(current) = current else {
        return Some(format!("{} is missing", path.display()));
    };
    if current == fresh {
        return None;
    }
    let (a, b): (Vec<_>, Vec<_>) = (current.lines().collect(), fresh.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    Some(format!(
        "{} is stale (first difference at line {}).\n  checked in: {:?}\n  generated:  {:?}",
        path.display(),
        first + 1,
        a.get(first),
        b.get(first)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_differing_line() {
        let p = Path::new("x.rs");
        assert_eq!(difference(p, Some("a\nb\n"), "a\nb\n"), None);
        let msg = difference(p, Some("a\nb\nc\n"), "a\nB\nc\n").unwrap();
        assert!(
            msg.starts_with("x.rs is stale (first difference at line 2)"),
            "{msg}"
        );
        assert!(msg.contains("checked in: Some(\"b\")") && msg.contains("generated:  Some(\"B\")"));
        let msg = difference(p, Some("a\n"), "a\nb\n").unwrap();
        assert!(
            msg.contains("line 2") && msg.contains("checked in: None"),
            "{msg}"
        );
        assert_eq!(difference(p, None, "a").unwrap(), "x.rs is missing");
    }
}
