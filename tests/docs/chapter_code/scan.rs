//! Just enough lexing of Rust to cut one item out of a source file: a
//! token stream that skips comments and sees through strings, raw strings,
//! byte strings and char literals (so a `'{'` or a `"}"` is no brace), and
//! tells a char literal from a lifetime (`'t`, `'static`). Items are found
//! by brace matching on the tokens.

/// What a token is; only identifiers and punctuation are looked at.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Punct(char),
    /// A string, char or number literal (its text is not kept).
    Literal,
    Lifetime,
}

/// A token and the byte offsets of its first and last character.
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// The source as characters with their byte offsets, and a cursor.
struct Lexer {
    chars: Vec<(usize, char)>,
    at: usize,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).map(|&(_, c)| c)
    }

    /// Skips a `/* .. */` comment (they nest); the cursor is on its `/`.
    fn block_comment(&mut self) -> Result<(), String> {
        let start = self.at;
        let mut depth = 0;
        while self.at < self.chars.len() {
            match (self.peek(0), self.peek(1)) {
                (Some('/'), Some('*')) => (depth, self.at) = (depth + 1, self.at + 2),
                (Some('*'), Some('/')) => {
                    (depth, self.at) = (depth - 1, self.at + 2);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => self.at += 1,
            }
        }
        Err(format!(
            "a /* comment at byte {} is never closed",
            self.chars[start].0
        ))
    }

    /// Skips a quoted literal from its opening `quote` (the cursor on it),
    /// honouring backslash escapes.
    fn quoted(&mut self, quote: char) -> Result<(), String> {
        let start = self.at;
        self.at += 1;
        while let Some(c) = self.peek(0) {
            self.at += 1;
            if c == '\\' {
                self.at += 1;
            } else if c == quote {
                return Ok(());
            }
        }
        Err(format!(
            "a literal at byte {} is never closed",
            self.chars[start].0
        ))
    }

    /// Skips a raw string `r##".."##` from the `#`s or the `"` after its `r`.
    fn raw_string(&mut self) -> Result<(), String> {
        let start = self.at;
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            (hashes, self.at) = (hashes + 1, self.at + 1);
        }
        self.at += 1; // the opening quote
        while let Some(c) = self.peek(0) {
            self.at += 1;
            if c == '"' && (0..hashes).all(|k| self.peek(k) == Some('#')) {
                self.at += hashes;
                return Ok(());
            }
        }
        Err(format!(
            "a raw string at byte {} is never closed",
            self.chars[start].0
        ))
    }

    /// Whether a raw string's `#`s and `"` follow the cursor.
    fn at_raw_string(&self) -> bool {
        let hashes = (0..).take_while(|&k| self.peek(k) == Some('#')).count();
        self.peek(hashes) == Some('"')
    }

    /// A `'`: a char literal (`'a'`, `'\n'`, `'{'`) or a lifetime or label.
    fn quote(&mut self) -> Result<Tok, String> {
        let escaped = self.peek(1) == Some('\\');
        if escaped || self.peek(2) == Some('\'') {
            self.quoted('\'')?;
            return Ok(Tok::Literal);
        }
        self.at += 1;
        self.identifier();
        Ok(Tok::Lifetime)
    }

    fn identifier(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek(0).filter(|c| c.is_alphanumeric() || *c == '_') {
            name.push(c);
            self.at += 1;
        }
        name
    }

    /// An identifier, or the literal it prefixes (`r".."`, `b'x'`, `br#".."#`).
    fn word(&mut self) -> Result<Tok, String> {
        let (c0, c1) = (self.peek(0), self.peek(1));
        let raw_prefix = match (c0, c1) {
            (Some('r'), _) => Some(1),
            (Some('b' | 'c'), Some('r')) => Some(2),
            _ => None,
        };
        if let Some(n) = raw_prefix {
            let saved = self.at;
            self.at += n;
            if self.at_raw_string() {
                self.raw_string()?;
                return Ok(Tok::Literal);
            }
            self.at = saved;
        }
        let quote = match (c0, c1) {
            (Some('b' | 'c'), Some('"')) => Some('"'),
            (Some('b'), Some('\'')) => Some('\''),
            _ => None,
        };
        if let Some(quote) = quote {
            self.at += 1;
            self.quoted(quote)?;
            return Ok(Tok::Literal);
        }
        Ok(Tok::Ident(self.identifier()))
    }

    /// A number: digits, letters (suffixes, hex), `_`, and a `.` before a digit.
    fn number(&mut self) {
        while let Some(c) = self.peek(0) {
            let decimal = c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit());
            if !(c.is_alphanumeric() || c == '_' || decimal) {
                break;
            }
            self.at += 1;
        }
    }

    /// The next token, or `None` at the end.
    fn next_token(&mut self) -> Result<Option<Token>, String> {
        loop {
            match (self.peek(0), self.peek(1)) {
                (None, _) => return Ok(None),
                (Some(c), _) if c.is_whitespace() => self.at += 1,
                (Some('/'), Some('/')) => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.at += 1;
                    }
                }
                (Some('/'), Some('*')) => self.block_comment()?,
                _ => break,
            }
        }
        let start = self.at;
        let c = self.peek(0).expect("not at the end");
        let tok = if c == '"' {
            self.quoted('"')?;
            Tok::Literal
        } else if c == '\'' {
            self.quote()?
        } else if c.is_ascii_digit() {
            self.number();
            Tok::Literal
        } else if c.is_alphabetic() || c == '_' {
            self.word()?
        } else {
            self.at += 1;
            Tok::Punct(c)
        };
        Ok(Some(Token {
            tok,
            start: self.chars[start].0,
            end: self.chars[self.at - 1].0,
        }))
    }
}

/// The tokens of `source`, or what could not be read (an unclosed string
/// or comment).
pub fn tokens(source: &str) -> Result<Vec<Token>, String> {
    let mut lexer = Lexer {
        chars: source.char_indices().collect(),
        at: 0,
    };
    let mut out = vec![];
    while let Some(t) = lexer.next_token()? {
        out.push(t);
    }
    Ok(out)
}
