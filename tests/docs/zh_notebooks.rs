//! The Chinese notebooks: every notebook in `notebooks/` has a twin in
//! `notebooks/zh/` with the same cells in the same order, whose code cells
//! (sources and outputs) are exactly the English ones and whose markdown
//! cells are written in Chinese. CI executes only the English set;
//! `scripts/docs/zh_notebooks.py` copies their code cells and outputs into
//! the twins. The rules run on JSON in memory: the first test on the real
//! files, the others on twins broken on purpose, each of which must be caught.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.ipynb` files directly in `dir`, by name.
fn notebooks(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ipynb"))
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A cell's source as one string (nbformat stores a string or a list of lines).
fn source(cell: &Value) -> String {
    match &cell["source"] {
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// Whether the text holds a CJK ideograph.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The text with display and inline formulas and link targets taken out:
/// what is left of an English cell that is only a formula or a link has no
/// letters, and then its twin needs no Chinese.
fn prose(text: &str) -> String {
    // Outside formulas: the even pieces between `$$`, then between `$`.
    let outside = |text: &str, mark: &str| -> String {
        (text.split(mark).enumerate())
            .filter(|(k, _)| k % 2 == 0)
            .map(|(_, part)| part)
            .collect()
    };
    let out = outside(&outside(text, "$$"), "$");
    let mut kept = String::new();
    let mut rest = out.as_str();
    while let Some(start) = rest.find("](") {
        kept.push_str(&rest[..start]);
        rest = rest[start..].split_once(')').map_or("", |(_, r)| r);
    }
    kept.push_str(rest);
    kept
}

/// The relative link targets of a markdown text (`[text](target)`).
fn links(text: &str) -> Vec<String> {
    (text.split("](").skip(1))
        .filter_map(|rest| rest.split(')').next())
        .filter(|t| !t.starts_with("http") && !t.starts_with('#') && !t.contains(' '))
        .map(str::to_string)
        .collect()
}

/// What is wrong with the twin `zh` of the English notebook `en` (`name` for messages).
fn problems(name: &str, en: &Value, zh: &Value) -> Vec<String> {
    let (Some(e), Some(z)) = (en["cells"].as_array(), zh["cells"].as_array()) else {
        return vec![format!("{name}: a notebook without a list of cells")];
    };
    if e.len() != z.len() {
        return vec![format!(
            "{name}: {} cells in English, {} in the twin",
            e.len(),
            z.len()
        )];
    }
    let mut found = vec![];
    for (i, (a, b)) in e.iter().zip(z).enumerate() {
        let (kind, n) = (a["cell_type"].as_str().unwrap_or("?"), i + 1);
        if b["cell_type"] != a["cell_type"] {
            found.push(format!(
                "{name}: cell {n} is {kind} in English, {} in the twin",
                b["cell_type"]
            ));
        } else if kind == "code" {
            for field in ["outputs", "execution_count"] {
                if a[field] != b[field] {
                    found.push(format!(
                        "{name}: cell {n}'s {field} differ from the English"
                    ));
                }
            }
            if source(a) != source(b) {
                found.push(format!("{name}: cell {n}'s code differs from the English"));
            }
        } else if kind == "markdown" {
            let needs_chinese = prose(&source(a)).chars().any(char::is_alphabetic);
            if needs_chinese && !has_chinese(&source(b)) {
                found.push(format!("{name}: markdown cell {n} has no Chinese"));
            }
        }
    }
    found
}

#[test]
fn every_notebook_has_a_chinese_twin_with_the_same_code_and_outputs() {
    let (english, twins) = (root().join("notebooks"), root().join("notebooks/zh"));
    let (names, twin_names) = (notebooks(&english), notebooks(&twins));
    assert!(names.len() >= 10, "only {} notebooks found", names.len());
    assert_eq!(
        twin_names, names,
        "notebooks/zh/ must hold one twin per English notebook"
    );
    let mut all = vec![];
    for name in &names {
        all.extend(problems(
            name,
            &read(&english.join(name)),
            &read(&twins.join(name)),
        ));
    }
    assert!(
        all.is_empty(),
        "run python3 scripts/docs/zh_notebooks.py, or write the Chinese:\n{}",
        all.join("\n")
    );
    // The twins sit one folder deeper: their links must still resolve.
    for name in &names {
        let zh = read(&twins.join(name));
        for cell in zh["cells"].as_array().unwrap() {
            for target in links(&source(cell)) {
                let path = twins.join(target.split('#').next().unwrap());
                assert!(
                    path.exists(),
                    "notebooks/zh/{name} links to {target}, which does not exist"
                );
            }
        }
    }
    let readme = std::fs::read_to_string(twins.join("README.md")).unwrap();
    for name in &names {
        assert!(
            readme.contains(&format!("]({name})")),
            "notebooks/zh/README.md does not link {name}"
        );
    }
}

/// A small English notebook: markdown, code with an output, a formula alone.
fn english() -> Value {
    json!({"cells": [
        {"cell_type": "markdown", "source": ["# The tape\n", "Each node keeps its value."]},
        {"cell_type": "code", "source": ["println!(\"{}\", 1 + 1);"], "execution_count": 3,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["2\n"]}]},
        {"cell_type": "markdown", "source": ["$$ y = \\tanh(x) $$"]},
    ]})
}

fn twin() -> Value {
    let mut zh = english();
    zh["cells"][0]["source"] = json!(["# 计算带\n", "每个节点保存它的值。"]);
    zh
}

#[test]
fn a_faithful_twin_passes() {
    assert_eq!(problems("t", &english(), &twin()), Vec::<String>::new());
}

#[test]
fn changed_code_or_outputs_are_caught() {
    let mut zh = twin();
    zh["cells"][1]["source"] = json!(["println!(\"{}\", 1 + 2);"]);
    zh["cells"][1]["outputs"][0]["text"] = json!(["3\n"]);
    assert_eq!(
        problems("t", &english(), &zh),
        [
            "t: cell 2's outputs differ from the English",
            "t: cell 2's code differs from the English"
        ]
    );
}

#[test]
fn an_english_markdown_cell_left_in_the_twin_is_caught() {
    let mut zh = twin();
    zh["cells"][0] = english()["cells"][0].clone();
    assert_eq!(
        problems("t", &english(), &zh),
        ["t: markdown cell 1 has no Chinese"]
    );
}

#[test]
fn cells_out_of_step_are_caught() {
    let mut zh = twin();
    zh["cells"].as_array_mut().unwrap().pop();
    assert_eq!(
        problems("t", &english(), &zh),
        ["t: 3 cells in English, 2 in the twin"]
    );
    let mut zh = twin();
    zh["cells"][2]["cell_type"] = json!("code");
    assert_eq!(
        problems("t", &english(), &zh),
        ["t: cell 3 is markdown in English, \"code\" in the twin"]
    );
}
