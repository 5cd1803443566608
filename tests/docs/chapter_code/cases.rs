//! The extractor on hand-written sources, and the page rules on pages
//! broken on purpose: each break must be caught.

use super::item::{ItemName, extract};
use super::scan::{Tok, tokens};
use super::{parse, regenerate, stale, twin_problems};

fn cut(source: &str, item: &str) -> Result<String, String> {
    extract(source, &ItemName::parse(item).unwrap())
}

const TRICKY: &str = r####"/// A doc comment with a } brace.
#[inline]
pub fn tricky<'t>(x: &'t str) -> usize {
    let s = "}{ \" }";
    let c = '{';
    let e = '\'';
    let r = r#"a "} raw"#;
    let b = b'}';
    // a comment with }
    /* a block } /* nested { */ */
    if x.is_empty() {
        'outer: loop {
            break 'outer;
        }
    }
    s.len() + c.len_utf8() + e.len_utf8() + r.len() + b as usize
}

fn after() {}
"####;

#[test]
fn a_function_is_cut_past_braces_in_strings_chars_comments_and_lifetimes() {
    let got = cut(TRICKY, "fn tricky").unwrap();
    let start = TRICKY.find("pub fn tricky").unwrap();
    let end = TRICKY.find("\n}\n").unwrap() + 2;
    assert_eq!(got, TRICKY[start..end]);
    assert_eq!(cut(TRICKY, "fn after").unwrap(), "fn after() {}");
}

#[test]
fn lifetimes_and_char_literals_are_told_apart() {
    let toks = tokens("fn f<'a, 'b>(x: &'a u8, y: &'static str) -> char { '\\'' }").unwrap();
    let count = |want: Tok| toks.iter().filter(|t| t.tok == want).count();
    assert_eq!(count(Tok::Lifetime), 4);
    assert_eq!(count(Tok::Literal), 1);
}

const IMPLS: &str = "fn encode() -> u8 {
    0
}

struct A;

impl A {
    pub(crate) fn encode(&self) -> u8 {
        let nested = { 1 };
        nested
    }
}

impl fmt::Display for A {
    fn fmt(&self) -> impl Iterator<Item = u8> {
        std::iter::empty()
    }
}

impl<'t> B<'t> {
    fn encode(&self) {}
}
";

#[test]
fn a_method_is_found_in_its_own_or_a_trait_impl_block_and_dedented() {
    assert_eq!(
        cut(IMPLS, "fn encode").unwrap(),
        "fn encode() -> u8 {\n    0\n}"
    );
    assert_eq!(
        cut(IMPLS, "fn A::encode").unwrap(),
        "pub(crate) fn encode(&self) -> u8 {\n    let nested = { 1 };\n    nested\n}"
    );
    let fmt = cut(IMPLS, "fn A::fmt").unwrap();
    assert!(fmt.starts_with("fn fmt(&self) -> impl Iterator") && fmt.ends_with("empty()\n}"));
    // `-> impl Iterator` opened no impl block: B's method is still found.
    assert_eq!(cut(IMPLS, "fn B::encode").unwrap(), "fn encode(&self) {}");
}

#[test]
fn a_missing_or_repeated_item_or_a_broken_source_is_an_error() {
    let twice = "impl A {\n    fn x() {}\n}\nimpl A {\n    fn x() {}\n}\n";
    assert!(cut(twice, "fn A::x").unwrap_err().contains("2 items"));
    assert!(cut(IMPLS, "fn nope").unwrap_err().contains("no `fn nope`"));
    assert!(cut(IMPLS, "fn C::encode").is_err());
    assert!(
        cut("fn f() { let s = \"}", "fn f")
            .unwrap_err()
            .contains("never closed")
    );
    assert!(
        cut("trait T {\n    fn f();\n}\nfn f();", "fn f")
            .unwrap_err()
            .contains("no body")
    );
    for bad in ["rnn_step", "fn", "mod m", "struct A::b", "fn a b"] {
        assert!(ItemName::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn plain_comments_above_are_kept_doc_comments_and_attributes_are_not() {
    let src = "/// Doc.\n#[inline]\n// forward: y = -x  =>  dx += -dy\n// (a second line)\nfn neg() {}\n\n\
               impl A {\n    /// Doc.\n    // kept\n    fn m() {\n        0\n    }\n}\n";
    assert_eq!(
        cut(src, "fn neg").unwrap(),
        "// forward: y = -x  =>  dx += -dy\n// (a second line)\nfn neg() {}"
    );
    assert_eq!(cut(src, "fn A::m").unwrap(), "// kept\nfn m() {\n    0\n}");
}

#[test]
fn structs_and_enums_are_cut_whole() {
    let src =
        "pub struct P(pub usize);\n\n#[derive(Debug)]\npub enum E {\n    A { x: u8 },\n    B,\n}\n";
    assert_eq!(cut(src, "struct P").unwrap(), "pub struct P(pub usize);");
    assert_eq!(
        cut(src, "enum E").unwrap(),
        "pub enum E {\n    A { x: u8 },\n    B,\n}"
    );
}

/// A source and a page that shows its one function.
const SOURCE: &str = "/// Doubles.\npub fn double(x: u8) -> u8 {\n    2 * x\n}\n";
const PAGE: &str =
    "# A page\n\nThe code:\n\n<!-- code: src/a.rs fn double -->\n<!-- /code -->\n\nAfter.\n";

fn source(file: &str) -> Option<String> {
    (file == "src/a.rs").then(|| SOURCE.to_string())
}

#[test]
fn a_page_is_written_from_the_source_and_then_left_alone() {
    let fresh = regenerate("docs/a.md", PAGE, &source).unwrap();
    let want = "# A page\n\nThe code:\n\n<!-- code: src/a.rs fn double -->\n\
                [`src/a.rs`](../src/a.rs) · `double`\n\n\
                ```rust\npub fn double(x: u8) -> u8 {\n    2 * x\n}\n```\n\
                <!-- /code -->\n\nAfter.\n";
    assert_eq!(fresh, want);
    assert_eq!(regenerate("docs/a.md", &fresh, &source).unwrap(), fresh);
    let zh = regenerate("docs/zh/a.md", PAGE, &source).unwrap();
    assert!(zh.contains("(../../src/a.rs)"), "{zh}");
}

#[test]
fn a_marker_in_a_fenced_example_is_text() {
    let example = format!(
        "```text\n{}```\n\n{PAGE}",
        "<!-- code: src/nope.rs fn x -->\n"
    );
    let page = parse("docs/a.md", &example).unwrap();
    assert_eq!(page.blocks.len(), 1);
    assert_eq!(page.blocks[0].item, ItemName::parse("fn double").unwrap());
    let fresh = regenerate("docs/a.md", &example, &source).unwrap();
    assert!(fresh.starts_with("```text\n<!-- code: src/nope.rs fn x -->\n```\n"));
}

#[test]
fn a_block_that_differs_from_the_source_is_named() {
    let fresh = regenerate("docs/a.md", PAGE, &source).unwrap();
    assert!(stale("docs/a.md", &fresh, &fresh).is_empty());
    let edited = fresh.replace("2 * x", "3 * x");
    let problems = stale("docs/a.md", &edited, &fresh);
    assert_eq!(
        problems,
        ["docs/a.md:5: `fn double` is not the text of src/a.rs"]
    );
    // An empty block, as a new marker starts, is stale too.
    assert_eq!(stale("docs/a.md", PAGE, &fresh).len(), 1);
}

#[test]
fn broken_markers_are_errors_that_name_the_line() {
    let cases = [
        (PAGE.replace("src/a.rs", "src/b.rs"), "no file src/b.rs"),
        (PAGE.replace("fn double", "fn triple"), "no `fn triple`"),
        (
            PAGE.replace("<!-- /code -->\n", ""),
            "docs/a.md:5: the block is never closed",
        ),
        (
            PAGE.replace("After.", "<!-- /code -->"),
            "docs/a.md:8: <!-- /code --> closes no block",
        ),
        (
            PAGE.replace("fn double", "double"),
            "docs/a.md:5: `double` is not",
        ),
        (
            PAGE.replace(
                "<!-- /code -->",
                "<!-- code: src/a.rs fn double -->\n<!-- /code -->",
            ),
            "docs/a.md:6: a code marker inside an open block",
        ),
    ];
    for (page, want) in cases {
        let errors = regenerate("docs/a.md", &page, &source)
            .unwrap_err()
            .join("\n");
        assert!(errors.contains(want), "{want:?} not in {errors:?}");
    }
}

#[test]
fn a_chapter_and_its_twin_show_the_same_code() {
    let three = PAGE.replace(
        "<!-- /code -->\n",
        "<!-- /code -->\n<!-- code: src/a.rs fn x -->\n<!-- /code -->\n<!-- code: src/b.rs fn y -->\n<!-- /code -->\n",
    );
    assert_eq!(parse("p", &three).unwrap().blocks.len(), 3);
    assert!(twin_problems("docs/ch.md", &three, &three).is_empty());
    let changed = three.replace("src/b.rs fn y", "src/b.rs fn z");
    assert_eq!(twin_problems("docs/ch.md", &three, &changed).len(), 1);
    let problems = twin_problems("docs/ch.md", PAGE, PAGE);
    assert_eq!(
        problems,
        ["docs/ch.md shows 1 blocks of code, fewer than 3"]
    );
}
