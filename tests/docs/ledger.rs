//! The formula ledger `docs/formulas.md` names, for each formula, the
//! tutorial section that writes it (or `encdec`, the crate's own), the one
//! function that computes it and the tests that check it. The rules live in
//! `ledger/check.rs` and run on text in memory: the first test runs them on
//! the real files, the others on copies broken on purpose, each of which
//! must be caught.

mod check;
mod rust;

use check::{Sources, problems};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, by path from the crate root.
fn sources(dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root()).unwrap();
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>();
            out.insert(key.join("/"), read(&path));
        }
    }
}

/// The tutorial is not part of the crate; this file holds its numbered
/// headings and display formulas, verbatim.
const OUTLINE: &str = "tests/docs/ledger/tutorial_outline.md";

/// The real ledger, sources and tutorial outline.
struct Real {
    ledger: String,
    files: BTreeMap<String, String>,
    tutorial: String,
}

fn real() -> Real {
    let mut files = BTreeMap::new();
    sources(&root().join("src"), &mut files);
    sources(&root().join("tests"), &mut files);
    Real {
        ledger: read(&root().join("docs/formulas.md")),
        files,
        tutorial: read(&root().join(OUTLINE)),
    }
}

impl Real {
    fn problems(&self) -> Vec<String> {
        problems(&Sources {
            ledger: &self.ledger,
            files: &self.files,
            tutorial: &self.tutorial,
        })
    }

    /// `text` with `from` replaced once by `to`, which must occur.
    fn edit(text: &mut String, from: &str, to: &str) {
        assert!(text.contains(from), "the copy to break has no {from:?}");
        *text = text.replacen(from, to, 1);
    }

    fn edit_file(&mut self, file: &str, from: &str, to: &str) {
        Self::edit(self.files.get_mut(file).unwrap(), from, to);
    }

    /// Problems of this copy that mention `what`; fails if there are none.
    fn caught(&self, what: &str) -> Vec<String> {
        let found: Vec<String> = self
            .problems()
            .into_iter()
            .filter(|p| p.contains(what))
            .collect();
        assert!(
            !found.is_empty(),
            "a broken copy passed: nothing about {what}"
        );
        found
    }
}

#[test]
fn the_ledger_the_rustdoc_and_the_tutorial_agree() {
    let problems = real().problems();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_test_that_lost_its_test_attribute_is_caught() {
    let mut copy = real();
    copy.edit_file(
        "tests/nn/recurrent.rs",
        "#[test]\nfn rnn_step_by_hand(",
        "fn rnn_step_by_hand(",
    );
    copy.caught("#[test] rnn_step_by_hand");
}

#[test]
fn a_proptest_case_that_lost_its_test_attribute_is_caught() {
    let mut copy = real();
    let source = &copy.files["tests/nn/properties.rs"];
    let at = source.find("fn causal_mask_hides_the_future(").unwrap();
    let attribute = source[..at].rfind("#[test]").unwrap();
    let file = copy.files.get_mut("tests/nn/properties.rs").unwrap();
    file.replace_range(attribute..attribute + "#[test]".len(), "");
    copy.caught("#[test] causal_mask_hides_the_future");
}

#[test]
fn a_test_macro_that_lost_its_test_attribute_is_caught() {
    let mut copy = real();
    copy.edit_file(
        "tests/core/ops_gradcheck.rs",
        "#[test]\n                fn $test",
        "fn $test",
    );
    copy.caught("#[test] softmax_gradcheck");
}

#[test]
fn a_changed_formula_is_caught() {
    let mut copy = real();
    Real::edit(
        &mut copy.ledger,
        "$h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)$",
        "$h_t = W x_t$",
    );
    copy.caught("src/nn/rnn.rs::rnn_step");
}

#[test]
fn a_formula_changed_in_the_rustdoc_is_caught() {
    let mut copy = real();
    copy.edit_file(
        "src/nn/scaled_dot_product.rs",
        "$$ z_i = \\sum_{j=1}^{n} a_{ij} v_j $$",
        "$$ z_i = \\sum_j v_j $$",
    );
    copy.caught("attention_output");
}

#[test]
fn deleted_rows_are_caught() {
    for name in ["softmax", "tanh", "rnn_step"] {
        let mut copy = real();
        let row = format!("::{name}` |");
        let kept: Vec<&str> = copy.ledger.lines().filter(|l| !l.contains(&row)).collect();
        assert_eq!(
            kept.len() + 1,
            copy.ledger.lines().count(),
            "one row for {name}"
        );
        copy.ledger = kept.join("\n");
        copy.caught(&format!(" {name} states a formula but has no row"));
    }
}

#[test]
fn a_wrong_section_label_is_caught() {
    let mut copy = real();
    Real::edit(&mut copy.ledger, "| §4.1 |", "| §9.9 |");
    copy.caught("§9.9");
    let mut copy = real();
    // §2.1.2 exists but writes no formula.
    Real::edit(
        &mut copy.ledger,
        "| encdec | $\\mathrm{FFN}",
        "| §2.1.2 | $\\mathrm{FFN}",
    );
    copy.caught("§2.1.2 writes no formula");
}

#[test]
fn a_tutorial_section_without_a_row_is_caught() {
    let mut copy = real();
    Real::edit(&mut copy.ledger, "| §4.2.2 |", "| encdec |");
    // Two rows compose §4.2.1 and §4.2.2: scaled_dot_product_attention and attention_arithmetic.
    for _ in 0..2 {
        Real::edit(&mut copy.ledger, "| §4.2.1, §4.2.2 |", "| §4.2.1 |");
    }
    copy.caught("no row is labelled §4.2.2");
}

#[test]
fn a_checked_by_line_naming_a_missing_test_is_caught() {
    let mut copy = real();
    copy.edit_file(
        "src/nn/rnn.rs",
        "Checked by `tests/nn/recurrent.rs::rnn_step_by_hand`",
        "Checked by `tests/nn/recurrent.rs::rnn_step_by_heart`",
    );
    copy.caught("rnn_step_by_heart");
    let mut copy = real();
    copy.edit_file(
        "src/nn/rnn.rs",
        "and `rnn_step_gradcheck`",
        "and `rnn_step_gradchek`",
    );
    copy.caught("tests/nn/recurrent.rs has no #[test] rnn_step_gradchek");
}

/// The sections and formulas of the outline are the tutorial's. Needs the
/// tutorial, which is not part of the repository: `ENCDEC_TUTORIAL`, or else
/// `../shared/tutorial.zh.md` beside the repository (where the developers
/// keep it); without either the test says so and passes.
#[test]
fn the_outline_is_the_tutorials() {
    let beside = root().join("../shared/tutorial.zh.md");
    let path = match std::env::var("ENCDEC_TUTORIAL") {
        Ok(p) => p,
        Err(_) if beside.exists() => beside.display().to_string(),
        Err(_) => {
            eprintln!("the tutorial is not at hand: {OUTLINE} not compared with it");
            return;
        }
    };
    let outline = |text: &str| -> Vec<(String, Vec<String>)> {
        check::sections(text)
            .into_iter()
            .map(|s| (s.number, s.formulas))
            .collect()
    };
    let tutorial = outline(&read(Path::new(&path)));
    assert!(
        tutorial.len() > 20,
        "{path}: only {} numbered headings",
        tutorial.len()
    );
    assert_eq!(outline(&read(&root().join(OUTLINE))), tutorial);
}

#[test]
fn headings_in_code_blocks_are_not_sections() {
    let text = "## 5. 项目\n```python\n# 1.9 not a heading\n```\n### 5.1 x\n$$a = b$$\n";
    let found: Vec<(String, Vec<String>)> = check::sections(text)
        .into_iter()
        .map(|s| (s.number, s.formulas))
        .collect();
    assert_eq!(
        found,
        [
            ("5".to_string(), vec![]),
            ("5.1".to_string(), vec!["a = b".to_string()])
        ]
    );
}
