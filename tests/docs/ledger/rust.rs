//! Just enough reading of Rust source for the ledger: documented items with
//! their doc comments, the tests a file defines, and the "Checked by"
//! sentences of rustdoc. Line-based, for rustfmt-formatted code.

/// A `fn`, `struct` or `enum` with its doc comment (the `///` lines above it,
/// each without `///` and one space), or a doc comment on anything else
/// (`name` is then `None`, e.g. an enum variant or a field).
pub struct Item {
    pub name: Option<String>,
    pub doc: String,
    /// The 1-based line of the item.
    pub line: usize,
}

/// The name a line declares, if it starts a `fn`, `struct` or `enum`.
fn declared_name(line: &str) -> Option<String> {
    let mut rest = line.trim();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "unsafe ",
        "async ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = ["fn ", "struct ", "enum "]
        .iter()
        .find_map(|k| rest.strip_prefix(k))?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Whether brackets opened on an attribute's lines are all closed.
fn balanced(text: &str) -> bool {
    text.matches('[').count() <= text.matches(']').count()
}

/// Whether `line` continues an attribute opened on an earlier line (kept in
/// `attribute` until its brackets close).
fn continues_attribute(attribute: &mut String, line: &str) -> bool {
    if attribute.is_empty() {
        return false;
    }
    attribute.push_str(line);
    if balanced(attribute) {
        attribute.clear();
    }
    true
}

/// Every doc comment of `source` (`///`, not `//!`) with the item under it.
pub fn items(source: &str) -> Vec<Item> {
    let mut out = vec![];
    let mut doc: Vec<&str> = vec![];
    let mut attribute = String::new();
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if continues_attribute(&mut attribute, line) {
            continue;
        }
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.strip_prefix(' ').unwrap_or(text));
            continue;
        }
        if line.starts_with("#[") {
            if !balanced(line) {
                attribute.push_str(line);
            }
            continue;
        }
        if !doc.is_empty() {
            out.push(Item {
                name: declared_name(line),
                doc: doc.join("\n"),
                line: i + 1,
            });
            doc.clear();
        }
    }
    out
}

/// The module's own doc comment (`//!` lines).
pub fn module_doc(source: &str) -> String {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("//!"))
        .map(|t| t.strip_prefix(' ').unwrap_or(t))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names of the tests `source` defines: a `fn` under a `#[test]`
/// attribute (other attributes, doc and `//` comments may sit between;
/// this covers the cases of a `proptest!` block, which need `#[test]`
/// too), and the names given to a local `macro_rules!` whose body writes
/// `#[test] fn $name`, in entries `name => ..` of its invocations.
pub fn tests(source: &str) -> Vec<String> {
    let mut out = vec![];
    let mut pending = false;
    let mut attribute = String::new();
    for raw in source.lines() {
        let line = raw.trim();
        if continues_attribute(&mut attribute, line) {
            continue;
        }
        if line.starts_with("#[test]") {
            pending = true;
            continue;
        }
        if line.starts_with("#[") {
            if !balanced(line) {
                attribute.push_str(line);
            }
            continue;
        }
        if line.starts_with("//") || line.is_empty() {
            continue;
        }
        if pending && let Some(name) = declared_name(line) {
            out.push(name);
        }
        pending = false;
    }
    out.extend(macro_tests(source));
    out
}

/// Tests named in invocations of a local macro that defines `#[test] fn $..`.
fn macro_tests(source: &str) -> Vec<String> {
    let mut out = vec![];
    for (start, _) in source.match_indices("macro_rules! ") {
        let rest = &source[start + "macro_rules! ".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(body) = braced(rest) else { continue };
        let squeezed: String = body.split_whitespace().collect();
        if !squeezed.contains("#[test]fn$") {
            continue;
        }
        for (call, _) in source.match_indices(&format!("\n{name}! {{")) {
            let Some(entries) = braced(&source[call + 1..]) else {
                continue;
            };
            for entry in entries.split(',') {
                if let Some((test, _)) = entry.split_once("=>") {
                    out.push(test.trim().to_string());
                }
            }
        }
    }
    out
}

/// The text inside the first `{ .. }` of `text` (braces balanced).
fn braced(text: &str) -> Option<&str> {
    let open = text.find('{')?;
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[open + 1..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// A test a doc comment says checks it: the file, and the test if named
/// (`tests/pipeline/train.rs` alone names a file).
#[derive(Debug, PartialEq)]
pub struct Named {
    pub file: String,
    pub test: Option<String>,
}

/// The tests named by every "Checked by .." sentence of `doc`, from
/// "Checked by" to the first line ending in a full stop. A bare `name`
/// means a test in the file named last.
pub fn checked_by(doc: &str) -> Vec<Named> {
    let mut out = vec![];
    let mut rest = doc;
    while let Some(start) = rest.find("Checked by") {
        rest = &rest[start..];
        let end = rest
            .find(".\n")
            .map(|i| i + 1)
            .or_else(|| rest.find("\n\n"))
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        rest = &rest[end..];
        let mut file: Option<String> = None;
        for span in sentence.split('`').skip(1).step_by(2) {
            if let Some((f, t)) = span.split_once("::") {
                file = Some(f.to_string());
                out.push(Named {
                    file: f.to_string(),
                    test: Some(t.to_string()),
                });
            } else if span.ends_with(".rs") {
                file = Some(span.to_string());
                out.push(Named {
                    file: span.to_string(),
                    test: None,
                });
            } else if span.chars().all(|c| c.is_alphanumeric() || c == '_') {
                out.push(Named {
                    file: file.clone().unwrap_or_default(),
                    test: Some(span.to_string()),
                });
            }
        }
    }
    out
}
