//! The README stays true to the repository: its workspace map names every top-level folder
//! and nothing that does not exist, and its test command is the one `.ci/run` runs.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md at the workspace root")
}

/// The body of the `## {title}` section.
fn section<'a>(text: &'a str, title: &str) -> &'a str {
    let start = text
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README has no `## {title}` section"));
    let body = &text[start + title.len() + 5..];
    &body[..body.find("\n## ").unwrap_or(body.len())]
}

/// The first column of the workspace map's table, without backticks.
fn mapped_paths(text: &str) -> Vec<String> {
    section(text, "Workspace map")
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            l.split('|')
                .nth(1)
                .unwrap()
                .trim()
                .trim_matches('`')
                .to_string()
        })
        .collect()
}

/// The contents of every ```sh block in `text`.
fn sh_blocks(text: &str) -> Vec<String> {
    text.split("```sh\n")
        .skip(1)
        .map(|b| {
            b[..b.find("```").expect("closed code block")]
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn every_mapped_path_exists() {
    let paths = mapped_paths(&readme());
    assert!(paths.len() >= 8, "workspace map looks empty: {paths:?}");
    let missing: Vec<_> = paths.iter().filter(|p| !root().join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "README's workspace map names paths that do not exist: {missing:?}"
    );
}

#[test]
fn every_top_level_folder_is_mapped() {
    let paths = mapped_paths(&readme());
    let mut unmapped = Vec::new();
    for entry in std::fs::read_dir(root()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        // Build output and hidden folders (git, local caches) are not part of the project;
        // `.ci` is.
        let hidden = name.starts_with('.') && name != ".ci";
        if !entry.file_type().unwrap().is_dir() || hidden || name == "target" {
            continue;
        }
        if !paths
            .iter()
            .any(|p| p.trim_end_matches('/') == name || p.starts_with(&format!("{name}/")))
        {
            unmapped.push(name);
        }
    }
    assert!(
        unmapped.is_empty(),
        "top-level folders missing from README's workspace map: {unmapped:?}"
    );
}

#[test]
fn readme_gives_the_two_fresh_machine_commands_and_ci_runs_the_test_command() {
    let text = readme();
    let blocks = sh_blocks(section(&text, "Try it (fresh machine, no SDK, no camera)"));
    assert_eq!(
        blocks.len(),
        2,
        "expected two commands (main job, tests): {blocks:?}"
    );
    assert!(
        blocks[0].contains("cargo run --bin hcnet -- demo"),
        "main job: {}",
        blocks[0]
    );
    let test_command = &blocks[1];
    assert!(
        test_command.starts_with("cargo test"),
        "tests: {test_command}"
    );
    let ci = std::fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    let step1 = section_after(&ci, "step \"1.");
    assert!(
        step1.lines().any(|l| {
            let l = l.trim();
            // Exactly the command, or the command under `env -u VAR ...` (which only clears
            // the caller's SDK settings so the run is the fresh-machine one).
            l == test_command.as_str()
                || (l.starts_with("env ") && l.ends_with(&format!(" {test_command}")))
        }),
        ".ci/run step 1 does not run the README's test command `{test_command}`:\n{step1}"
    );
}

/// The lines of `.ci/run` from the marker to the next `step` call.
fn section_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!(".ci/run has no {marker}"));
    let body = &text[start + marker.len()..];
    &body[..body.find("\nstep ").unwrap_or(body.len())]
}
