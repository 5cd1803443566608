//! The README gives a newcomer two commands, and CI runs the same test command.

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The command of the README's fenced `sh` block whose comment says `tests`.
fn readme_command(marker: &str) -> String {
    let readme = read("README.md");
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo ") && l.contains(&format!("# {marker}")))
        .unwrap_or_else(|| panic!("README has no `cargo ...  # {marker}` line"));
    line.split('#').next().unwrap().trim().to_string()
}

#[test]
fn ci_runs_the_readme_test_command() {
    let test_cmd = readme_command("the tests");
    assert_eq!(test_cmd, "cargo test --release");
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == test_cmd),
        "`.ci/run` does not run the README's test command `{test_cmd}`"
    );
}

#[test]
fn readme_main_command_is_the_demo() {
    let main_cmd = readme_command("the main job");
    assert_eq!(main_cmd, "cargo run --release -- demo");
}

#[test]
fn readme_images_exist() {
    let readme = read("README.md");
    for part in readme.split("](").skip(1) {
        let target = part.split(')').next().unwrap();
        if target.ends_with(".png") || target.ends_with(".svg") {
            assert!(
                root_path(target).exists(),
                "README shows {target}, which does not exist"
            );
        }
    }
}

fn root_path(p: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Every relative link `](target)` of a Markdown file, resolved against its folder.
fn links(file: &str) -> Vec<(String, std::path::PathBuf)> {
    let text = read(file);
    let dir = root_path(file).parent().unwrap().to_path_buf();
    text.split("](")
        .skip(1)
        .map(|part| part.split(')').next().unwrap().to_string())
        .filter(|t| !t.starts_with("http") && !t.starts_with('#'))
        .map(|t| {
            let path = t.split('#').next().unwrap().to_string();
            (t, dir.join(path))
        })
        .collect()
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut files = vec![
        "README.md".to_string(),
        "notebooks/README.md".to_string(),
        "notebooks/zh/README.md".to_string(),
    ];
    for folder in ["docs", "docs/zh"] {
        for entry in std::fs::read_dir(root_path(folder)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".md") {
                files.push(format!("{folder}/{name}"));
            }
        }
    }
    let mut checked = 0;
    for file in &files {
        for (target, path) in links(file) {
            assert!(
                path.exists(),
                "{file} links to {target}, which does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn the_tutorial_table_links_every_chapter_to_page_notebook_and_code() {
    let readme = read("README.md");
    let table: Vec<&str> = readme
        .split("## Read alongside the tutorial")
        .nth(1)
        .expect("README has the tutorial table")
        .lines()
        .filter(|l| l.starts_with("| §"))
        .collect();
    assert_eq!(table.len(), 9, "one row per tutorial section");
    for row in table {
        for needle in ["docs/ch", "docs/zh/ch", "notebooks/", "src/", "tests/"] {
            assert!(row.contains(needle), "row without {needle}: {row}");
        }
    }
}
