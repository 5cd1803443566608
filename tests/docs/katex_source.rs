//! Formulas in doc comments must reach KaTeX unchanged. Rustdoc runs
//! Markdown first, and Markdown eats backslash escapes (`\,` becomes `,`,
//! `\{` becomes `{`, `\_` becomes `_`), turns `*..*` and some `_.._` into
//! emphasis, and curls quotes. This test renders every doc comment with
//! pulldown-cmark, the Markdown engine of rustdoc, and checks that each
//! `$..$` and `$$..$$` comes out exactly as written.

use pulldown_cmark::{Options, Parser, html};
use std::path::{Path, PathBuf};

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

/// The doc-comment blocks of a file (`///` and `//!` runs), without the markers.
fn doc_blocks(src: &str) -> Vec<String> {
    let mut blocks = vec![];
    let mut current: Vec<&str> = vec![];
    for line in src.lines() {
        let t = line.trim_start();
        let text = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"));
        match text {
            Some(text) => current.push(text.strip_prefix(' ').unwrap_or(text)),
            None if !current.is_empty() => {
                blocks.push(current.join("\n"));
                current.clear();
            }
            None => {}
        }
    }
    if !current.is_empty() {
        blocks.push(current.join("\n"));
    }
    blocks
}

/// Removes code spans and fenced code (KaTeX does not look inside them).
fn without_code(md: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The math segments of a text: `$$..$$` first, then `$..$`.
fn math(text: &str) -> Vec<String> {
    let mut found = vec![];
    let mut rest = text.to_string();
    while let Some(start) = rest.find("$$") {
        let Some(len) = rest[start + 2..].find("$$") else {
            break;
        };
        found.push(rest[start + 2..start + 2 + len].to_string());
        rest.replace_range(start..start + 2 + len + 2, " ");
    }
    let parts: Vec<&str> = rest.split('$').collect();
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 && i + 1 < parts.len() {
            found.push(p.to_string());
        }
    }
    found
}

/// Collapses whitespace: KaTeX ignores it, and Markdown re-flows lines.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn render(md: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut html_out = String::new();
    html::push_html(&mut html_out, Parser::new_ext(md, options));
    html_out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn every_formula_survives_markdown() {
    let mut files = vec![];
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut broken = vec![];
    let mut checked = 0;
    for file in files {
        for block in doc_blocks(&std::fs::read_to_string(&file).unwrap()) {
            let rendered = squash(&render(&block));
            for m in math(&without_code(&block)) {
                checked += 1;
                // `\_` is a Markdown escape meant for KaTeX as a plain `_`.
                if !rendered.contains(&squash(&m.replace(r"\_", "_"))) {
                    broken.push(format!("{}: ${m}$", file.display()));
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} formulas found");
    assert!(
        broken.is_empty(),
        "Markdown changes these formulas before KaTeX sees them:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_checker_sees_what_markdown_breaks() {
    // The check itself must be able to fail: each of these is altered by Markdown.
    for bad in [
        r"$a\,b$",
        r"$\{x\}$",
        r"$\mathrm{softmax}_j(s_{ij})$",
        r"$a*b*c$",
        r"$f'(x)$",
    ] {
        let m = &math(bad)[0];
        assert!(!render(bad).contains(m.as_str()), "{bad} was not caught");
    }
    assert!(render(r"$\lbrace x \rbrace \thinspace$").contains(r"\lbrace x \rbrace \thinspace"));
    // The escaped form reaches KaTeX as intended.
    assert!(render(r"$\mathrm{softmax}\_j(s_{ij})$").contains(r"\mathrm{softmax}_j(s_{ij})"));
}
