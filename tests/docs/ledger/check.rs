//! The ledger's rules, on text held in memory so that tests can break a
//! copy and watch a rule fire. `problems` returns one sentence per broken
//! rule; an empty list means the ledger, the rustdoc and the tutorial agree.

use super::rust;
use std::collections::{BTreeMap, BTreeSet};

/// The label of a row whose formula the tutorial does not write.
pub const OWN: &str = "encdec";

/// Everything the rules read: `docs/formulas.md`, every `.rs` file under
/// `src/` and `tests/` by path from the crate root, and `tutorial.zh.md`.
pub struct Sources<'a> {
    pub ledger: &'a str,
    pub files: &'a BTreeMap<String, String>,
    pub tutorial: &'a str,
}

/// A numbered section of the tutorial and the display formulas it writes.
pub struct Section {
    pub number: String,
    pub formulas: Vec<String>,
}

/// The tutorial's numbered headings (`### 4.2.1  自注意力计算` is "4.2.1"),
/// outside code blocks, each with the `$$ .. $$` formulas of its own text.
pub fn sections(tutorial: &str) -> Vec<Section> {
    let mut out: Vec<Section> = vec![];
    let mut body = String::new();
    let mut in_code = false;
    let finish = |out: &mut Vec<Section>, body: &mut String| {
        if let Some(last) = out.last_mut() {
            last.formulas = display_formulas(body);
        }
        body.clear();
    };
    for line in tutorial.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        let number = line
            .strip_prefix('#')
            .filter(|_| !in_code)
            .map(|h| h.trim_start_matches('#').trim())
            .and_then(|h| h.split_whitespace().next())
            .map(|n| n.trim_end_matches('.'))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'));
        match number {
            Some(n) => {
                finish(&mut out, &mut body);
                out.push(Section {
                    number: n.to_string(),
                    formulas: vec![],
                });
            }
            None => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    finish(&mut out, &mut body);
    out
}

/// The `$$ .. $$` formulas of a text, whitespace-normalised.
pub fn display_formulas(text: &str) -> Vec<String> {
    text.split("$$").skip(1).step_by(2).map(normalise).collect()
}

/// The `$ .. $` spans of a text outside its display formulas, normalised.
pub fn inline_math(text: &str) -> Vec<String> {
    text.split("$$")
        .step_by(2)
        .flat_map(|part| part.split('$').skip(1).step_by(2))
        .map(normalise)
        .collect()
}

/// Runs of whitespace become one space; none at either end.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `file::name` reference.
pub type Ref = (String, String);

/// One row of a ledger table.
pub struct Row {
    /// The 1-based line in `docs/formulas.md`.
    pub line: usize,
    pub label: String,
    pub formula: String,
    pub functions: Vec<Ref>,
    pub tests: Vec<Ref>,
}

/// The ledger's table rows (header and rule lines left out), and a problem
/// for each row that is not four cells of the expected kind.
pub fn rows(ledger: &str) -> (Vec<Row>, Vec<String>) {
    let (mut out, mut problems) = (vec![], vec![]);
    for (i, line) in ledger.lines().enumerate() {
        let line = line.trim();
        if !line.starts_with('|') || line.starts_with("| § |") || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 4 {
            problems.push(format!(
                "docs/formulas.md:{}: a row needs 4 cells, has {} (a `|` in a formula? write \\lvert)",
                i + 1,
                cells.len()
            ));
            continue;
        }
        let mut refs = |cell: &str| -> Vec<Ref> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .filter_map(|r| match r.split_once("::") {
                    Some((f, n)) => Some((f.to_string(), n.to_string())),
                    None => {
                        problems.push(format!(
                            "docs/formulas.md:{}: `{r}` is not file::name",
                            i + 1
                        ));
                        None
                    }
                })
                .collect()
        };
        let (functions, tests) = (refs(cells[2]), refs(cells[3]));
        out.push(Row {
            line: i + 1,
            label: cells[0].to_string(),
            formula: cells[1].to_string(),
            functions,
            tests,
        });
    }
    (out, problems)
}

/// Every problem with the ledger, the rustdoc and the tutorial together.
pub fn problems(s: &Sources) -> Vec<String> {
    let sections = sections(s.tutorial);
    let (rows, mut problems) = rows(s.ledger);
    if rows.len() < 40 {
        problems.push(format!("docs/formulas.md: only {} rows", rows.len()));
    }
    problems.extend(section_problems(s.ledger, &rows, &sections));
    for row in &rows {
        problems.extend(row_problems(s, row));
    }
    problems.extend(missing_rows(s, &rows));
    problems.extend(checked_by_problems(s.files));
    problems
}

/// Labels: `encdec`, or `§` numbers of tutorial sections that write a
/// formula; every `§` number anywhere in the ledger is a tutorial heading;
/// every section with a formula has a row.
fn section_problems(ledger: &str, rows: &[Row], sections: &[Section]) -> Vec<String> {
    let mut problems = vec![];
    let known: BTreeSet<&str> = sections.iter().map(|s| s.number.as_str()).collect();
    let with_formula: BTreeSet<&str> = sections
        .iter()
        .filter(|s| !s.formulas.is_empty())
        .map(|s| s.number.as_str())
        .collect();
    for (i, line) in ledger.lines().enumerate() {
        for part in line.split('§').skip(1) {
            let number = part
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .next()
                .unwrap_or("")
                .trim_end_matches('.');
            if !number.is_empty() && !known.contains(number) {
                problems.push(format!(
                    "docs/formulas.md:{}: §{number} is not a section of the tutorial",
                    i + 1
                ));
            }
        }
    }
    let mut labelled = BTreeSet::new();
    for row in rows {
        if row.label == OWN {
            continue;
        }
        for label in row.label.split(',').map(str::trim) {
            let number = label.strip_prefix('§').unwrap_or("");
            if known.contains(number) && !with_formula.contains(number) {
                problems.push(format!(
                    "docs/formulas.md:{}: {label} writes no formula; label the row {OWN}",
                    row.line
                ));
            } else if !known.contains(number) {
                problems.push(format!(
                    "docs/formulas.md:{}: label {label:?} is neither {OWN} nor a § of the tutorial",
                    row.line
                ));
            }
            labelled.insert(number.to_string());
        }
    }
    for number in with_formula {
        if !labelled.contains(number) {
            problems.push(format!(
                "docs/formulas.md: tutorial §{number} writes a formula but no row is labelled §{number}"
            ));
        }
    }
    problems
}

/// The documented items named `name` in `file`, first one first.
fn documented<'a>(items: &'a [rust::Item], name: &str) -> Option<&'a rust::Item> {
    items.iter().find(|i| i.name.as_deref() == Some(name))
}

/// One row: its function exists and its doc states the row's formula;
/// its tests exist.
fn row_problems(s: &Sources, row: &Row) -> Vec<String> {
    let mut problems = vec![];
    let at = format!("docs/formulas.md:{}", row.line);
    if row.functions.len() != 1 {
        problems.push(format!(
            "{at}: a row names one function, this names {}",
            row.functions.len()
        ));
    }
    if row.tests.is_empty() {
        problems.push(format!("{at}: a row names at least one test"));
    }
    for (file, name) in &row.functions {
        let Some(source) = s.files.get(file).filter(|_| file.starts_with("src/")) else {
            problems.push(format!("{at}: {file} is not a file under src/"));
            continue;
        };
        let items = rust::items(source);
        let Some(item) = documented(&items, name) else {
            problems.push(format!(
                "{at}: {file} has no documented fn, struct or enum {name}"
            ));
            continue;
        };
        let ledger_math = inline_math(&row.formula);
        let display = display_formulas(&item.doc);
        if !display.is_empty() {
            if ledger_math != display {
                problems.push(format!(
                    "{at}: the formula of {file}::{name} is {display:?} in its doc comment but {ledger_math:?} in the ledger"
                ));
            }
        } else {
            let inline = inline_math(&item.doc);
            for m in &ledger_math {
                if !inline.contains(m) {
                    problems.push(format!(
                        "{at}: ${m}$ is not a formula of the doc comment of {file}::{name} (it has {inline:?})"
                    ));
                }
            }
            if ledger_math.is_empty() && !inline.is_empty() {
                problems.push(format!(
                    "{at}: the doc comment of {file}::{name} has formulas {inline:?}; quote them"
                ));
            }
        }
    }
    for (file, name) in &row.tests {
        problems.extend(test_problem(s.files, file, name).map(|p| format!("{at}: {p}")));
    }
    problems
}

/// Why `file::name` is not a test, if it is not.
fn test_problem(files: &BTreeMap<String, String>, file: &str, name: &str) -> Option<String> {
    let Some(source) = files.get(file).filter(|_| file.starts_with("tests/")) else {
        return Some(format!("{file} is not a file under tests/"));
    };
    (!rust::tests(source).iter().any(|t| t == name))
        .then(|| format!("{file} has no #[test] {name}"))
}

/// Where the tape's operations live: each is one formula and its derivative.
pub const OPS: &str = "src/autograd/ops/";

/// Is this documented item one the ledger must list? Anything whose doc
/// comment displays a formula, and each operation of the tape whose first
/// paragraph (what it computes) states an equation in inline math.
pub fn bears_formula(file: &str, item: &rust::Item) -> bool {
    if item.doc.contains("$$") {
        return true;
    }
    let summary = item.doc.split("\n\n").next().unwrap_or("");
    file.starts_with(OPS) && inline_math(summary).iter().any(|m| m.contains('='))
}

/// Every formula-bearing `fn`, `struct` or `enum` under `src/` has a row.
fn missing_rows(s: &Sources, rows: &[Row]) -> Vec<String> {
    let listed: BTreeSet<&Ref> = rows.iter().flat_map(|r| &r.functions).collect();
    let mut problems = vec![];
    for (file, source) in s.files.iter().filter(|(f, _)| f.starts_with("src/")) {
        for item in rust::items(source) {
            if !bears_formula(file, &item) {
                continue;
            }
            match &item.name {
                Some(name) if !listed.contains(&(file.clone(), name.clone())) => {
                    problems.push(format!(
                        "{file}:{}: {name} states a formula but has no row in docs/formulas.md",
                        item.line
                    ))
                }
                None if item.doc.contains("$$") => problems.push(format!(
                    "{file}:{}: a displayed formula on something that is not a fn, struct or enum",
                    item.line
                )),
                _ => {}
            }
        }
    }
    problems
}

/// Every "Checked by" sentence of rustdoc under `src/` names existing tests.
fn checked_by_problems(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = vec![];
    for (file, source) in files.iter().filter(|(f, _)| f.starts_with("src/")) {
        let mut docs = vec![(0, rust::module_doc(source))];
        docs.extend(rust::items(source).into_iter().map(|i| (i.line, i.doc)));
        for (line, doc) in docs {
            for named in rust::checked_by(&doc) {
                let problem = match &named.test {
                    Some(test) => test_problem(files, &named.file, test),
                    None => (!files.contains_key(&named.file))
                        .then(|| format!("{} is not a file", named.file)),
                };
                if let Some(p) = problem {
                    problems.push(format!("{file}:{line}: Checked by: {p}"));
                }
            }
        }
    }
    problems
}
