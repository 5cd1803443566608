//! The formula ledger `docs/formulas.md` names, for each formula, a function
//! and the tests that check it. This test fails when a named function or
//! test does not exist, or when a function whose documentation displays a
//! formula (`$$ .. $$`) is missing from the ledger.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `file::name` references in backticks of a table cell.
fn refs(cell: &str) -> Vec<Ref> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|r| {
            let (file, name) = r
                .split_once("::")
                .unwrap_or_else(|| panic!("`{r}` is not file::name"));
            (file.to_string(), name.to_string())
        })
        .collect()
}

/// A `file::name` reference.
type Ref = (String, String);

/// The ledger's rows as (formula, functions, tests).
fn rows() -> Vec<(String, Vec<Ref>, Vec<Ref>)> {
    let ledger = read(&root().join("docs/formulas.md"));
    ledger
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| § | formula |"))
        .filter(|l| l.contains("::"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            assert_eq!(cells.len(), 4, "a ledger row needs 4 cells: {l}");
            (cells[1].to_string(), refs(cells[2]), refs(cells[3]))
        })
        .collect()
}

fn defines(source: &str, name: &str) -> bool {
    [
        format!("fn {name}("),
        format!("fn {name}<"),
        format!("struct {name} "),
    ]
    .iter()
    .any(|p| source.contains(p.as_str()))
}

fn has_test(source: &str, name: &str) -> bool {
    source.contains(&format!("fn {name}(")) || source.contains(&format!("{name} =>"))
}

#[test]
fn every_function_and_test_in_the_ledger_exists() {
    let rows = rows();
    assert!(rows.len() >= 40, "only {} ledger rows", rows.len());
    for (formula, functions, tests) in rows {
        assert!(
            !functions.is_empty() && !tests.is_empty(),
            "row without function or test: {formula}"
        );
        for (file, name) in functions {
            let src = read(&root().join(&file));
            assert!(
                defines(&src, &name),
                "{file} does not define {name} (ledger: {formula})"
            );
        }
        for (file, name) in tests {
            assert!(file.starts_with("tests/"), "{file} is not a test file");
            let src = read(&root().join(&file));
            assert!(
                has_test(&src, &name),
                "{file} has no test {name} (ledger: {formula})"
            );
        }
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_displayed_formula_is_in_the_ledger() {
    let ledger = read(&root().join("docs/formulas.md"));
    let mut files = vec![];
    sources(&root().join("src"), &mut files);
    let mut missing = vec![];
    for file in files {
        let src = read(&file);
        let mut doc_has_formula = false;
        for line in src.lines() {
            let line = line.trim();
            if line.starts_with("///") {
                doc_has_formula |= line.contains("$$");
                continue;
            }
            if line.starts_with("#[") {
                continue;
            }
            if doc_has_formula {
                let item = line.strip_prefix("pub ").unwrap_or(line);
                let name = item
                    .strip_prefix("fn ")
                    .or_else(|| item.strip_prefix("struct "))
                    .map(|rest| rest.split(['(', '<', ' ']).next().unwrap().to_string());
                if let Some(name) = name
                    && !ledger.contains(&format!("::{name}`"))
                {
                    let file = file.strip_prefix(root()).unwrap().display();
                    missing.push(format!("{file}::{name}"));
                }
            }
            doc_has_formula = false;
        }
    }
    assert!(
        missing.is_empty(),
        "formulas documented but not in docs/formulas.md: {missing:?}"
    );
}
