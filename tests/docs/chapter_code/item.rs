//! One item of a Rust source file, cut out by brace matching on the tokens
//! of `scan.rs`: from its first qualifier (`pub`) to its closing brace,
//! with the plain `//` comments directly above it, without its doc comment
//! and attributes.

use super::scan::{Tok, Token, tokens};
use std::fmt;

/// The kinds of item a page may show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Fn,
    Struct,
    Enum,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Fn => "fn",
            Kind::Struct => "struct",
            Kind::Enum => "enum",
        }
    }
}

/// What a marker names: `fn name` (a free function), `fn Type::name` (a
/// method in any `impl` block of `Type`, a trait's or its own), `struct
/// Name` or `enum Name`.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemName {
    pub kind: Kind,
    pub owner: Option<String>,
    pub name: String,
}

impl ItemName {
    /// Reads `fn rnn_step`, `fn WordLstm::encode`, `struct Embedding`, ...
    pub fn parse(text: &str) -> Result<ItemName, String> {
        let bad =
            || format!("`{text}` is not `fn name`, `fn Type::name`, `struct Name` or `enum Name`");
        let (keyword, path) = text.trim().split_once(' ').ok_or_else(bad)?;
        let kind = [Kind::Fn, Kind::Struct, Kind::Enum]
            .into_iter()
            .find(|k| k.keyword() == keyword)
            .ok_or_else(bad)?;
        let (owner, name) = match path.split_once("::") {
            Some((owner, name)) if kind == Kind::Fn => (Some(owner.to_string()), name),
            Some(_) => return Err(bad()),
            None => (None, path),
        };
        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !word(name) || !owner.as_deref().is_none_or(word) {
            return Err(bad());
        }
        Ok(ItemName {
            kind,
            owner,
            name: name.to_string(),
        })
    }

    /// The name as Rust writes it: `rnn_step`, `WordLstm::encode`.
    pub fn path(&self) -> String {
        match &self.owner {
            Some(owner) => format!("{owner}::{}", self.name),
            None => self.name.clone(),
        }
    }
}

impl fmt::Display for ItemName {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} {}", self.kind.keyword(), self.path())
    }
}

/// Whether the token before `at` lets an `impl` there open an impl block
/// (and not be `impl Trait` in a type, as in `-> impl Iterator`).
fn starts_item(toks: &[Token], at: usize) -> bool {
    at == 0
        || matches!(&toks[at - 1].tok, Tok::Punct('}' | ';' | ']' | '{'))
        || toks[at - 1].tok == Tok::Ident("unsafe".into())
}

/// The type an `impl` header at `at` is for: the last name outside angle
/// brackets before its `{` or `where` (`impl<'t> Foo<'t>` and `impl
/// fmt::Display for Foo` are both for `Foo`).
fn self_type(toks: &[Token], at: usize) -> String {
    let mut depth = 0i32;
    let mut last = String::new();
    for (j, t) in toks.iter().enumerate().skip(at + 1) {
        match &t.tok {
            Tok::Punct('<') => depth += 1,
            Tok::Punct('>') if !matches!(toks[j - 1].tok, Tok::Punct('-')) => depth -= 1,
            Tok::Punct('{') if depth == 0 => break,
            Tok::Ident(w) if depth == 0 && w == "where" => break,
            Tok::Ident(w) if depth == 0 && w != "for" => last = w.clone(),
            _ => {}
        }
    }
    last
}

/// The indices of the keyword tokens (`fn`, `struct`, `enum`) that declare
/// `item`: at the top of the file, or directly in an impl block of its owner.
fn declarations(toks: &[Token], item: &ItemName) -> Vec<usize> {
    // One entry per open brace: the type whose impl block it opens, if any.
    let mut open: Vec<Option<String>> = vec![];
    let mut pending_impl = None;
    let mut found = vec![];
    for (i, t) in toks.iter().enumerate() {
        match &t.tok {
            Tok::Punct('{') => open.push(pending_impl.take()),
            Tok::Punct('}') => {
                open.pop();
            }
            Tok::Ident(w) if w == "impl" && starts_item(toks, i) => {
                pending_impl = Some(self_type(toks, i));
            }
            Tok::Ident(w) if w == item.kind.keyword() => {
                let named = toks.get(i + 1).map(|n| &n.tok) == Some(&Tok::Ident(item.name.clone()));
                let placed = match &item.owner {
                    None => open.is_empty(),
                    Some(owner) => open.last() == Some(&Some(owner.clone())),
                };
                if named && placed {
                    found.push(i);
                }
            }
            _ => {}
        }
    }
    found
}

/// The index of the token that ends the item declared at `at`: the brace
/// closing its body, or the `;` of a tuple or unit struct.
fn item_end(toks: &[Token], at: usize, item: &ItemName) -> Result<usize, String> {
    let mut parens = 0i32;
    let mut body = None;
    for (j, t) in toks.iter().enumerate().skip(at) {
        match t.tok {
            Tok::Punct('(' | '[') => parens += 1,
            Tok::Punct(')' | ']') => parens -= 1,
            Tok::Punct(';') if parens == 0 && item.kind == Kind::Struct => return Ok(j),
            Tok::Punct(';') if parens == 0 => return Err(format!("`{item}` has no body")),
            Tok::Punct('{') if parens == 0 => {
                body = Some(j);
                break;
            }
            _ => {}
        }
    }
    let body = body.ok_or_else(|| format!("`{item}` has no body"))?;
    let mut depth = 0;
    for (j, t) in toks.iter().enumerate().skip(body) {
        match t.tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(j);
                }
            }
            _ => {}
        }
    }
    Err(format!("the body of `{item}` is never closed"))
}

/// The first token of the item whose keyword is at `at`: its qualifiers
/// (`pub`, `pub(crate)`, `const`, `unsafe`, `async`, `extern "C"`) included.
fn item_start(toks: &[Token], at: usize) -> usize {
    let qualifier = |t: &Tok| matches!(t, Tok::Ident(w) if ["pub", "const", "unsafe", "async", "extern"].contains(&w.as_str()));
    let mut start = at;
    while start > 0 {
        let prev = &toks[start - 1].tok;
        if qualifier(prev) || *prev == Tok::Literal && start >= 2 && qualifier(&toks[start - 2].tok)
        {
            start -= 1;
        } else if *prev == Tok::Punct(')') {
            // `pub(crate)`, `pub(in path)`: back to the `pub`
            let open = (0..start - 1)
                .rev()
                .find(|&j| toks[j].tok == Tok::Punct('('));
            match open {
                Some(j) if j > 0 && toks[j - 1].tok == Tok::Ident("pub".into()) => start = j - 1,
                _ => break,
            }
        } else {
            break;
        }
    }
    start
}

/// Where the `//` comment lines directly above `from`'s line begin (at
/// their `//`), or `from` when there are none. Doc comments (`///`) and
/// attributes end the run: a plain comment above an item, such as
/// `// forward: y = tanh(x)  =>  dx += dy * (1 - y*y)`, belongs to its code.
fn comments_above(source: &str, from: usize) -> usize {
    let mut start = from;
    let mut line_start = source[..from].rfind('\n').map_or(0, |i| i + 1);
    while line_start > 0 {
        let prev_start = source[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &source[prev_start..line_start - 1];
        let text = line.trim_start();
        if !text.starts_with("//") || text.starts_with("///") || text.starts_with("//!") {
            break;
        }
        start = prev_start + (line.len() - text.len());
        line_start = prev_start;
    }
    start
}

/// `source[from..=to]`, with as many spaces taken off each later line as
/// there are characters before `from` on its line (so a method comes out
/// as if written at the top of the file).
fn dedent(source: &str, from: usize, to: usize) -> String {
    let line_start = source[..from].rfind('\n').map_or(0, |i| i + 1);
    let indent = source[line_start..from].chars().count();
    let lines: Vec<&str> = source[from..=to]
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let spaces = l.len() - l.trim_start_matches(' ').len();
            if i == 0 { l } else { &l[spaces.min(indent)..] }
        })
        .collect();
    lines.join("\n")
}

/// The text of `item` in `source`: from its first qualifier (`pub`) to its
/// closing brace, with the plain `//` comment lines directly above it but
/// without its doc comment and attributes, its indentation taken off. An error when `source` cannot be read, or
/// declares no such item or more than one.
pub fn extract(source: &str, item: &ItemName) -> Result<String, String> {
    let toks = tokens(source)?;
    let at = match declarations(&toks, item)[..] {
        [at] => at,
        [] => return Err(format!("no `{item}` there")),
        ref many => return Err(format!("{} items `{item}` there", many.len())),
    };
    let end = item_end(&toks, at, item)?;
    let start = comments_above(source, toks[item_start(&toks, at)].start);
    Ok(dedent(source, start, toks[end].end))
}
