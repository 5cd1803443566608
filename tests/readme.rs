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
