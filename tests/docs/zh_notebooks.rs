//! The Chinese notebooks: every notebook in `notebooks/` has a twin in
//! `notebooks/zh/` with the same cells in the same order, whose code cells
//! (sources and outputs) are exactly the English ones and whose markdown
//! cells are written in Chinese. The one exception is the setup cell (the
//! first code cell): the twin sits one folder deeper, so its setup cell names
//! the crate (`:dep ... path`) and the repository's root (`const ROOT`) as
//! `"../.."` where the English says `".."`; every other code cell builds its
//! paths from `ROOT` and is the same in both. CI executes only the English set;
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

/// The setup cell's two lines that name places relative to the notebook, as
/// the English notebooks write them and as their twins in `notebooks/zh/` do
/// (the same pairs as `RELOCATED` in `scripts/docs/zh_notebooks.py`).
const RELOCATED: [(&str, &str); 2] = [
    (
        r#":dep encdec-tutorial = { path = ".." }"#,
        r#":dep encdec-tutorial = { path = "../.." }"#,
    ),
    (
        r#"const ROOT: &str = "..";"#,
        r#"const ROOT: &str = "../..";"#,
    ),
];

/// The twin's setup cell made from the English one: each line of `RELOCATED`
/// replaced, all else kept; an error when the English cell lacks one of them.
fn relocated(setup: &str) -> Result<String, String> {
    let mut lines: Vec<&str> = setup.split('\n').collect();
    for (english, twin) in RELOCATED {
        let hits: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == english).collect();
        let [i] = hits[..] else {
            return Err(format!("needs the line `{english}` exactly once"));
        };
        lines[i] = twin;
    }
    Ok(lines.join("\n"))
}

/// What is wrong with the English code cell `n` (`setup` when it is the first
/// code cell) or with its twin `b` (`name` for messages).
fn code_problems(name: &str, n: usize, a: &Value, b: &Value, setup: bool) -> Vec<String> {
    let mut found = vec![];
    for field in ["outputs", "execution_count"] {
        if a[field] != b[field] {
            found.push(format!(
                "{name}: cell {n}'s {field} differ from the English"
            ));
        }
    }
    let expected = if setup {
        match relocated(&source(a)) {
            Ok(code) => code,
            Err(e) => return [found, vec![format!("{name}: the setup cell {e}")]].concat(),
        }
    } else {
        if source(a).contains("\"../") {
            found.push(format!(
                "{name}: cell {n} names a path from notebooks/ (\"../\"); build it from ROOT"
            ));
        }
        source(a)
    };
    if source(b) != expected {
        let how = if setup {
            " (beyond `..` → `../..`)"
        } else {
            ""
        };
        found.push(format!(
            "{name}: cell {n}'s code differs from the English{how}"
        ));
    }
    found
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
    let setup = e.iter().position(|c| c["cell_type"] == "code");
    for (i, (a, b)) in e.iter().zip(z).enumerate() {
        let (kind, n) = (a["cell_type"].as_str().unwrap_or("?"), i + 1);
        if b["cell_type"] != a["cell_type"] {
            found.push(format!(
                "{name}: cell {n} is {kind} in English, {} in the twin",
                b["cell_type"]
            ));
        } else if kind == "code" {
            found.extend(code_problems(name, n, a, b, setup == Some(i)));
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
        {"cell_type": "code", "source": [
            ":opt 2\n",
            ":dep encdec-tutorial = { path = \"..\" }\n",
            "const ROOT: &str = \"..\";",
        ], "execution_count": 1, "outputs": []},
        {"cell_type": "code", "source": ["println!(\"{}\", 1 + 1);"], "execution_count": 3,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["2\n"]}]},
        {"cell_type": "markdown", "source": ["$$ y = \\tanh(x) $$"]},
    ]})
}

fn twin() -> Value {
    let mut zh = english();
    zh["cells"][0]["source"] = json!(["# 计算带\n", "每个节点保存它的值。"]);
    zh["cells"][1]["source"] = json!([
        ":opt 2\n",
        ":dep encdec-tutorial = { path = \"../..\" }\n",
        "const ROOT: &str = \"../..\";",
    ]);
    zh
}

/// What [`problems`] finds in the faithful [`twin`] after `edit`.
fn problems_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut zh = twin();
    edit(&mut zh);
    problems("t", &english(), &zh)
}

#[test]
fn a_faithful_twin_passes() {
    assert_eq!(problems("t", &english(), &twin()), Vec::<String>::new());
}

#[test]
fn changed_code_or_outputs_are_caught() {
    let found = problems_after(|zh| {
        zh["cells"][2]["source"] = json!(["println!(\"{}\", 1 + 2);"]);
        zh["cells"][2]["outputs"][0]["text"] = json!(["3\n"]);
    });
    assert_eq!(
        found,
        [
            "t: cell 3's outputs differ from the English",
            "t: cell 3's code differs from the English"
        ]
    );
}

#[test]
fn an_english_markdown_cell_left_in_the_twin_is_caught() {
    assert_eq!(
        problems_after(|zh| zh["cells"][0] = english()["cells"][0].clone()),
        ["t: markdown cell 1 has no Chinese"]
    );
}

#[test]
fn cells_out_of_step_are_caught() {
    assert_eq!(
        problems_after(|zh| {
            zh["cells"].as_array_mut().unwrap().pop();
        }),
        ["t: 4 cells in English, 3 in the twin"]
    );
    assert_eq!(
        problems_after(|zh| zh["cells"][3]["cell_type"] = json!("code")),
        ["t: cell 4 is markdown in English, \"code\" in the twin"]
    );
}

#[test]
fn a_twin_whose_setup_cell_names_the_english_places_is_caught() {
    // The English setup cell copied as it is: from notebooks/zh/, ".." is one folder too shallow.
    let mut zh = twin();
    zh["cells"][1] = english()["cells"][1].clone();
    let caught = ["t: cell 2's code differs from the English (beyond `..` → `../..`)"];
    assert_eq!(problems("t", &english(), &zh), caught);
    // Only the crate's path moved, not ROOT.
    zh["cells"][1]["source"][1] = json!(":dep encdec-tutorial = { path = \"../..\" }\n");
    assert_eq!(problems("t", &english(), &zh), caught);
    // Both moved, and something else changed too.
    let found = problems_after(|zh| zh["cells"][1]["source"][0] = json!(":opt 0\n"));
    assert_eq!(found, caught);
}

#[test]
fn an_english_notebook_naming_places_outside_root_is_caught() {
    // A setup cell without ROOT: its twin cannot be made.
    let mut en = english();
    en["cells"][1]["source"].as_array_mut().unwrap().pop();
    assert_eq!(
        problems("t", &en, &twin()),
        ["t: the setup cell needs the line `const ROOT: &str = \"..\";` exactly once"]
    );
    // A later cell naming a file from notebooks/ rather than from ROOT: wrong in the twin.
    let mut en = english();
    en["cells"][2]["source"] = json!(["show(Path::new(\"../docs/img/x.png\"));"]);
    let mut zh = twin();
    zh["cells"][2]["source"] = en["cells"][2]["source"].clone();
    assert_eq!(
        problems("t", &en, &zh),
        ["t: cell 3 names a path from notebooks/ (\"../\"); build it from ROOT"]
    );
}
