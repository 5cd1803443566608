//! The rules of `src/lib.rs`'s crate map, checked on the sources:
//!
//! 1. **Imports point down.** Each top-level module has a floor; a file may
//!    name (`crate::m::…`) only modules on lower floors. `corpora` and `viz`
//!    are leaves: only the pipeline names them. `viz` draws what it is given:
//!    it names no model, no tape, no layer.
//! 2. **No circle between folders**: the graph of which folder's files name
//!    which folder has no cycle.
//! 3. **Short files and functions**: a file over 300 lines starts with a
//!    `// Long file:` line saying why; a function over 60 lines has a
//!    `// Long function:` line just above its signature.
//!
//! The rules run on text in memory: the first test on the real sources,
//! the others on copies broken on purpose, each of which must be caught.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `src/` but the binary's, by path from `src/`.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out.retain(|k, _| !k.starts_with("bin/"));
    out
}

/// The floor of each top-level module: a file may name lower floors only.
const FLOORS: [(&str, u8); 12] = [
    ("files", 0),
    ("tensor", 1),
    ("autograd", 2),
    ("nn", 3),
    ("optim", 3),
    ("text", 3),
    ("wordvec", 4),
    ("corpora", 4),
    ("seq2seq", 5),
    ("checks", 6),
    ("viz", 6),
    ("pipeline", 7),
];

/// Leaves: only these modules may name them.
const LEAVES: [(&str, &[&str]); 2] = [("corpora", &["pipeline"]), ("viz", &["pipeline"])];

/// What `viz` may not name: anything that runs a model.
const VIZ_NEVER: [&str; 6] = [
    "crate::autograd",
    "crate::nn",
    "crate::optim",
    "crate::seq2seq::models",
    "crate::seq2seq::train",
    "crate::seq2seq::io",
];

/// Each `crate::a::b::c` path named in code (comments left out), with its line.
fn crate_paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = vec![];
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let tail = &rest[at + "crate::".len()..];
            let path: String = tail
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let parts: Vec<String> = path
                .split("::")
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect();
            if !parts.is_empty() {
                found.push((i + 1, parts));
            }
            rest = &tail[path.len()..];
        }
    }
    found
}

/// The top-level module of a file (`nn/lstm.rs` → `nn`, `files.rs` → `files`).
fn module_of(file: &str) -> &str {
    let first = file.split('/').next().unwrap_or(file);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// Imports that point up, name a leaf, or make `viz` run a model.
fn upward_imports(files: &BTreeMap<String, String>) -> Vec<String> {
    let floor = |m: &str| FLOORS.iter().find(|(n, _)| *n == m).map(|(_, f)| *f);
    let mut problems = vec![];
    for (file, text) in files {
        let from = module_of(file);
        if from == "lib" {
            continue;
        }
        for (line, parts) in crate_paths(text) {
            let to = parts[0].as_str();
            if to == from {
                continue;
            }
            let at = format!("src/{file}:{line}: crate::{}", parts.join("::"));
            match (floor(from), floor(to)) {
                (Some(a), Some(b)) if b < a => {}
                (a, b) => problems.push(format!(
                    "{at} points up ({from} on floor {a:?}, {to} on {b:?})"
                )),
            }
            if let Some((leaf, users)) = LEAVES.iter().find(|(l, _)| *l == to)
                && !users.contains(&from)
            {
                problems.push(format!("{at}: {leaf} is a leaf, named only by {users:?}"));
            }
            let full = format!("crate::{}", parts.join("::"));
            if from == "viz" && VIZ_NEVER.iter().any(|n| full.starts_with(n)) {
                problems.push(format!(
                    "{at}: viz draws what it is given and runs no model"
                ));
            }
        }
    }
    problems
}

/// The folder (from `src/`) of a file, or of the longest folder prefix of a path.
fn folder_of_file(file: &str) -> String {
    file.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

/// The graph of folders: which folder's files name which other folder.
fn folder_graph(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let folders: BTreeSet<String> = files.keys().map(|f| folder_of_file(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in files {
        let from = folder_of_file(file);
        for (_, parts) in crate_paths(text) {
            let mut to = String::new();
            for k in 1..=parts.len() {
                let candidate = parts[..k].join("/");
                if folders.contains(&candidate) {
                    to = candidate;
                } else {
                    break;
                }
            }
            if !to.is_empty() && to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// Every cycle of the folder graph, as one folder path per cycle found.
fn folder_cycles(files: &BTreeMap<String, String>) -> Vec<String> {
    let graph = folder_graph(files);
    let mut cycles = vec![];
    for start in graph.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    cycles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    cycles
}

/// Files over 300 lines and functions over 60 without a line saying why.
fn long_without_reason(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = vec![];
    for (file, text) in files {
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > 300 && !lines[0].starts_with("// Long file:") {
            problems.push(format!(
                "src/{file}: {} lines and no `// Long file:` first line",
                lines.len()
            ));
        }
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| trimmed.starts_with(p));
            if !is_fn || trimmed.ends_with(';') {
                continue;
            }
            let end = lines[i + 1..]
                .iter()
                .position(|l| *l == format!("{indent}}}"))
                .map_or(lines.len(), |p| i + 1 + p);
            let above = lines[..i].iter().rev().take_while(|l| {
                let t = l.trim_start();
                t.starts_with("///") || t.starts_with("#[") || t.starts_with("//")
            });
            let reason = above
                .clone()
                .any(|l| l.trim_start().starts_with("// Long function:"));
            if end - i + 1 > 60 && !reason {
                problems.push(format!("src/{file}:{}: a function of {} lines and no `// Long function:` line above it", i + 1, end - i + 1));
            }
        }
    }
    problems
}

#[test]
fn the_sources_keep_the_rules_of_the_crate_map() {
    let files = sources();
    let mut problems = upward_imports(&files);
    problems.extend(
        folder_cycles(&files)
            .into_iter()
            .map(|c| format!("a circle between folders: {c}")),
    );
    problems.extend(long_without_reason(&files));
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The real sources with `line` added to `file`.
fn planted(file: &str, line: &str) -> BTreeMap<String, String> {
    let mut files = sources();
    let text = files.get_mut(file).unwrap_or_else(|| panic!("no {file}"));
    text.push_str(line);
    files
}

#[test]
fn an_upward_import_is_caught() {
    let files = planted("nn/linear.rs", "\nuse crate::seq2seq::models::build;\n");
    let problems = upward_imports(&files);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("src/nn/linear.rs") && problems[0].contains("points up"),
        "{problems:?}"
    );
}

#[test]
fn naming_a_leaf_from_below_the_pipeline_is_caught() {
    let files = planted("seq2seq/task.rs", "\nuse crate::corpora::FOX_EN;\n");
    assert!(
        upward_imports(&files)
            .iter()
            .any(|p| p.contains("corpora is a leaf"))
    );
    let files = planted("viz/heatmap.rs", "\nuse crate::seq2seq::models::Seq2Seq;\n");
    assert!(
        upward_imports(&files)
            .iter()
            .any(|p| p.contains("runs no model"))
    );
}

#[test]
fn a_circle_between_folders_is_caught() {
    // seq2seq/models names seq2seq/decode here; decode already names models.
    let files = planted(
        "seq2seq/models/bridge.rs",
        "\nuse crate::seq2seq::decode::greedy;\n",
    );
    let cycles = folder_cycles(&files);
    assert!(
        cycles
            .iter()
            .any(|c| c.contains("seq2seq/models") && c.contains("seq2seq/decode")),
        "{cycles:?}"
    );
    assert!(folder_cycles(&sources()).is_empty());
}

#[test]
fn a_long_function_without_its_reason_is_caught() {
    // Planted in a file of its own, so that the real files' lengths do not
    // matter to the check.
    let body: String = (0..70).map(|i| format!("    let _x{i} = {i};\n")).collect();
    let with = |text: String| {
        let mut files = sources();
        files.insert("planted.rs".into(), text);
        files
    };
    let files = with(format!("\nfn planted_long() {{\n{body}}}\n"));
    let problems = long_without_reason(&files);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("src/planted.rs") && p.contains("72 lines")),
        "{problems:?}"
    );
    let files = with(format!(
        "\n// Long function: a planted example.\nfn planted_long() {{\n{body}}}\n"
    ));
    assert!(
        long_without_reason(&files)
            .iter()
            .all(|p| !p.contains("src/planted.rs"))
    );
}
