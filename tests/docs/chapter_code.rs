//! The code the chapter pages show is the code of `src/`, word for word.
//!
//! A page marks each block it takes from the source with two HTML comments,
//! which Markdown does not show:
//!
//! ```text
//! <!-- code: src/nn/rnn.rs fn rnn_step -->
//! (written by this test: a link to the file, the item's name, a ```rust block)
//! <!-- /code -->
//! ```
//!
//! The item is `fn name`, `fn Type::name` (a method), `struct Name` or
//! `enum Name`; its text runs from its signature to its closing brace,
//! without its doc comment (the page has the formula beside it). The test
//! fails when a block differs from the source, naming the page, the item and
//! the command that writes every block again:
//!
//! ```text
//! ENCDEC_WRITE_DOCS=1 cargo test --release --test docs chapter_code
//! ```
//!
//! Every chapter page shows code, and each Chinese page (`docs/zh/`) shows
//! the same items as its English twin, in the same order. The rules run on
//! text in memory; the tests below the first run them on pages and sources
//! broken on purpose, each of which must be caught.

mod cases;
mod item;
mod scan;

use item::{ItemName, extract};
use std::path::{Path, PathBuf};

/// The command that writes every marked block again from `src/`.
const FIX: &str = "ENCDEC_WRITE_DOCS=1 cargo test --release --test docs chapter_code";
const OPEN: &str = "<!-- code:";
const CLOSE: &str = "<!-- /code -->";
/// The fewest blocks a chapter page shows.
const AT_LEAST: usize = 3;

/// A marked block: the file and item its marker names, and the text between
/// its two marker lines, as the page has it.
#[derive(Debug)]
struct Block {
    line: usize,
    file: String,
    item: ItemName,
    body: String,
}

/// A page cut at its markers: the text outside the blocks (one piece more
/// than there are blocks) and the blocks.
#[derive(Debug)]
struct Page {
    text: Vec<String>,
    blocks: Vec<Block>,
}

/// Reads a marker line's `FILE KIND NAME` (e.g. `src/nn/rnn.rs fn rnn_step`).
fn marker(line: &str) -> Option<Result<(String, ItemName), String>> {
    let inner = line.trim().strip_prefix(OPEN)?.strip_suffix("-->")?.trim();
    Some(match inner.split_once(' ') {
        Some((file, item)) => ItemName::parse(item).map(|item| (file.to_string(), item)),
        None => Err(format!("`{inner}` names no item after the file")),
    })
}

/// Cuts `text` at its markers; `name` only labels the errors. A marker
/// inside a fenced block outside the marked blocks (an example of the
/// syntax, as in `docs/architecture.md`) is text.
fn parse(name: &str, text: &str) -> Result<Page, String> {
    let mut page = Page {
        text: vec![String::new()],
        blocks: vec![],
    };
    let mut open: Option<Block> = None;
    let mut fenced = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let at = format!("{name}:{}", i + 1);
        if open.is_none() && line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            page.text.last_mut().unwrap().push_str(line);
        } else if let Some(found) = marker(line) {
            if open.is_some() {
                return Err(format!(
                    "{at}: a code marker inside an open block (no {CLOSE} before it)"
                ));
            }
            let (file, item) = found.map_err(|e| format!("{at}: {e}"))?;
            page.text.last_mut().unwrap().push_str(line);
            open = Some(Block {
                line: i + 1,
                file,
                item,
                body: String::new(),
            });
        } else if line.trim() == CLOSE {
            let block = open
                .take()
                .ok_or_else(|| format!("{at}: {CLOSE} closes no block"))?;
            page.blocks.push(block);
            page.text.push(line.to_string());
        } else if let Some(block) = open.as_mut() {
            block.body.push_str(line);
        } else {
            page.text.last_mut().unwrap().push_str(line);
        }
    }
    match open {
        Some(block) => Err(format!(
            "{name}:{}: the block is never closed ({CLOSE})",
            block.line
        )),
        None => Ok(page),
    }
}

/// What a block shows: a link to the file (from a page `up` folders below
/// the root), the item's name, and its code.
fn body(file: &str, item: &ItemName, code: &str, up: &str) -> String {
    format!(
        "[`{file}`]({up}{file}) · `{}`\n\n```rust\n{code}\n```\n",
        item.path()
    )
}

/// `../` once per folder between the page `name` (e.g. `docs/zh/ch2.md`) and the root.
fn up(name: &str) -> String {
    "../".repeat(name.matches('/').count())
}

/// The page with every block written from the source; the errors name
/// each marker whose file or item cannot be found.
fn regenerate(
    name: &str,
    text: &str,
    source: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Vec<String>> {
    let page = parse(name, text).map_err(|e| vec![e])?;
    let mut out = page.text[0].clone();
    let mut errors = vec![];
    for (block, after) in page.blocks.iter().zip(&page.text[1..]) {
        let code = source(&block.file)
            .ok_or_else(|| format!("no file {}", block.file))
            .and_then(|src| extract(&src, &block.item));
        match code {
            Ok(code) => out.push_str(&body(&block.file, &block.item, &code, &up(name))),
            Err(e) => errors.push(format!(
                "{name}:{}: `{}` in {}: {e}",
                block.line, block.item, block.file
            )),
        }
        out.push_str(after);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The blocks of `text` that differ from those of `fresh` (the same page
/// regenerated), each named with its page and item.
fn stale(name: &str, text: &str, fresh: &str) -> Vec<String> {
    let (old, new) = (parse(name, text).unwrap(), parse(name, fresh).unwrap());
    old.blocks
        .iter()
        .zip(&new.blocks)
        .filter(|(a, b)| a.body != b.body)
        .map(|(a, _)| {
            format!(
                "{name}:{}: `{}` is not the text of {}",
                a.line, a.item, a.file
            )
        })
        .collect()
}

/// What is wrong with an English chapter page and its Chinese twin: too few
/// blocks, or not the same items in the same order.
fn twin_problems(name: &str, en: &str, zh: &str) -> Vec<String> {
    let items = |page: &str| -> Vec<String> {
        let page = parse(name, page).map(|p| p.blocks).unwrap_or_default();
        page.iter()
            .map(|b| format!("{} {}", b.file, b.item))
            .collect()
    };
    let (en, zh) = (items(en), items(zh));
    let mut out = vec![];
    if en.len() < AT_LEAST {
        out.push(format!(
            "{name} shows {} blocks of code, fewer than {AT_LEAST}",
            en.len()
        ));
    }
    if en != zh {
        out.push(format!(
            "{name} and its Chinese twin show different code:\n  en {en:?}\n  zh {zh:?}"
        ));
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every Markdown page of `docs/` and `docs/zh/`, by path from the root.
fn pages() -> Vec<String> {
    let mut out = vec![];
    for dir in ["docs", "docs/zh"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

/// A file of the crate by its path from the root, if it is one of `src/`,
/// `examples/` or `tests/`.
fn crate_file(file: &str) -> Option<String> {
    let allowed = ["src/", "examples/", "tests/"]
        .iter()
        .any(|d| file.starts_with(d));
    let safe = !file.split('/').any(|part| part == ".." || part.is_empty());
    (allowed && safe).then(|| std::fs::read_to_string(root().join(file)).ok())?
}

#[test]
fn pages_show_the_code_of_src() {
    let write = std::env::var_os("ENCDEC_WRITE_DOCS").is_some();
    let (mut errors, mut problems, mut written) = (vec![], vec![], vec![]);
    for name in pages() {
        let text = read(&root().join(&name));
        let fresh = match regenerate(&name, &text, &crate_file) {
            Ok(fresh) => fresh,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        if fresh == text {
            continue;
        }
        if write {
            encdec::files::write_atomic(&root().join(&name), fresh.as_bytes()).unwrap();
            written.push(name);
        } else {
            problems.extend(stale(&name, &text, &fresh));
        }
    }
    assert!(
        errors.is_empty(),
        "code markers that name nothing:\n{}",
        errors.join("\n")
    );
    if write {
        eprintln!("chapter code written again in: {written:?}");
    }
    assert!(
        problems.is_empty(),
        "pages whose code is not the source's:\n{}\nto write them again from src/:\n  {FIX}",
        problems.join("\n")
    );
}

#[test]
fn every_chapter_shows_code_and_its_twin_the_same() {
    let chapters: Vec<String> = pages()
        .into_iter()
        .filter(|p| p.starts_with("docs/ch"))
        .collect();
    assert!(chapters.len() >= 8, "chapter pages: {chapters:?}");
    let mut problems = vec![];
    for name in &chapters {
        let zh = name.replacen("docs/", "docs/zh/", 1);
        let (en_text, zh_text) = (read(&root().join(name)), read(&root().join(&zh)));
        problems.extend(twin_problems(name, &en_text, &zh_text));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
