// Long file: the whole parser in one place, one function per rule of the grammar, with its types and errors.
//! A tiny syntax for scalar expressions, to watch the tape differentiate
//! anything a reader types: `tanh(a*b + c) * a`.
//!
//! ```text
//! expr    := term (("+" | "-") term)*
//! term    := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | name | function "(" expr ")" | "(" expr ")"
//! function: tanh, sigmoid, exp, log, relu
//! ```
//!
//! A hand-written recursive-descent parser: one function per line of the
//! grammar. Each name becomes one leaf of the tape (used twice, it receives
//! two contributions), each number a constant, each operation one node named
//! by its text. Input is bounded ([`MAX_CHARS`], [`MAX_DEPTH`]) and a mistake
//! is an [`ExprError`] naming the column; no character of the input is
//! echoed unless it is a printable part of the syntax.
//!
//! Checked by `tests/core/expr.rs`.

use crate::tensor::Float;

/// The longest expression accepted, in characters.
pub const MAX_CHARS: usize = 200;
/// The deepest nesting accepted (parentheses, calls and unary minus).
pub const MAX_DEPTH: usize = 24;

/// A function of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// $\tanh x$
    Tanh,
    /// $\sigma(x)$
    Sigmoid,
    /// $e^x$
    Exp,
    /// $\ln x$
    Log,
    /// $\max(0, x)$
    Relu,
}

const FUNCTIONS: [(&str, Function); 5] = [
    ("tanh", Function::Tanh),
    ("sigmoid", Function::Sigmoid),
    ("exp", Function::Exp),
    ("log", Function::Log),
    ("relu", Function::Relu),
];

/// The four arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// What an expression is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A number (never negative: `-2` is a negation of `2`).
    Number(Float),
    /// A named variable.
    Variable(String),
    /// `-e`
    Negate(Box<Expr>),
    /// `a op b`
    Binary(Operator, Box<Expr>, Box<Expr>),
    /// `f(e)`
    Call(Function, Box<Expr>),
}

/// A parsed expression and the column (from 1) where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: Kind,
    /// Where it starts in the text.
    pub column: usize,
}

/// A mistake in an expression or in the values given for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// The column (from 1) of the mistake, if it is in the expression.
    pub column: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(f, "expression, column {c}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for ExprError {}

fn error<T>(column: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        column: Some(column),
        message: message.into(),
    })
}

/// How a character is named in a message: itself if it is printable
/// ASCII, else its code point (a control character is never echoed).
fn shown(c: char) -> String {
    match c.is_ascii_graphic() {
        true => format!("`{c}`"),
        false => format!("the character U+{:04X}", c as u32),
    }
}

/// Parses `text` (see the module's grammar).
///
/// # Errors
/// An [`ExprError`] with the column: an empty or too long text, a
/// character outside the syntax, an unknown function, a missing `)`,
/// nesting deeper than [`MAX_DEPTH`], text left over.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_CHARS {
        return error(
            MAX_CHARS + 1,
            format!(
                "the expression is {} characters long; at most {MAX_CHARS}",
                chars.len()
            ),
        );
    }
    if let Some(i) = chars
        .iter()
        .position(|c| !c.is_ascii() || c.is_ascii_control())
    {
        return error(
            i + 1,
            format!("{} is not part of the syntax", shown(chars[i])),
        );
    }
    let mut p = Parser {
        chars,
        at: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.skip_spaces();
    match p.peek() {
        None => Ok(e),
        Some(c) => error(
            p.at + 1,
            format!("unexpected {} after a complete expression", shown(c)),
        ),
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// expr := term (("+" | "-") term)*
    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.term()?;
        loop {
            self.skip_spaces();
            let op = match self.peek() {
                Some('+') => Operator::Add,
                Some('-') => Operator::Sub,
                _ => return Ok(left),
            };
            self.at += 1;
            let right = self.term()?;
            left = binary(op, left, right);
        }
    }

    /// term := unary (("*" | "/") unary)*
    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        loop {
            self.skip_spaces();
            let op = match self.peek() {
                Some('*') => Operator::Mul,
                Some('/') => Operator::Div,
                _ => return Ok(left),
            };
            self.at += 1;
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    /// unary := "-" unary | primary
    fn unary(&mut self) -> Result<Expr, ExprError> {
        self.skip_spaces();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return error(
                self.at + 1,
                format!("nested deeper than {MAX_DEPTH} levels"),
            );
        }
        let column = self.at + 1;
        let e = if self.peek() == Some('-') {
            self.at += 1;
            let inner = self.unary()?;
            Expr {
                kind: Kind::Negate(Box::new(inner)),
                column,
            }
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(e)
    }

    /// primary := number | name | function "(" expr ")" | "(" expr ")"
    fn primary(&mut self) -> Result<Expr, ExprError> {
        let column = self.at + 1;
        match self.peek() {
            None => error(
                column,
                "the expression ends where a number, a name or `(` should come",
            ),
            Some('(') => {
                self.at += 1;
                let inner = self.expr()?;
                self.close(column)?;
                Ok(inner)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == '_' => self.name(),
            Some(c) => error(
                column,
                format!("expected a number, a name or `(`, found {}", shown(c)),
            ),
        }
    }

    fn close(&mut self, open: usize) -> Result<(), ExprError> {
        self.skip_spaces();
        match self.peek() {
            Some(')') => {
                self.at += 1;
                Ok(())
            }
            _ => error(
                self.at + 1,
                format!("expected `)` to close the `(` of column {open}"),
            ),
        }
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> String {
        let start = self.at;
        while self.peek().is_some_and(&f) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn number(&mut self) -> Result<Expr, ExprError> {
        let column = self.at + 1;
        let text = self.take_while(|c| c.is_ascii_digit() || c == '.');
        match text.parse::<Float>() {
            Ok(v) if v.is_finite() => Ok(Expr {
                kind: Kind::Number(v),
                column,
            }),
            _ => error(column, format!("`{text}` is not a number")),
        }
    }

    fn name(&mut self) -> Result<Expr, ExprError> {
        let column = self.at + 1;
        let name = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
        self.skip_spaces();
        if self.peek() != Some('(') {
            return Ok(Expr {
                kind: Kind::Variable(name),
                column,
            });
        }
        let Some(&(_, f)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
            return error(
                column,
                format!(
                    "unknown function `{name}`; the functions are {}",
                    known.join(", ")
                ),
            );
        };
        let open = self.at + 1;
        self.at += 1;
        let arg = self.expr()?;
        self.close(open)?;
        Ok(Expr {
            kind: Kind::Call(f, Box::new(arg)),
            column,
        })
    }
}

fn binary(op: Operator, left: Expr, right: Expr) -> Expr {
    let column = left.column;
    Expr {
        kind: Kind::Binary(op, Box::new(left), Box::new(right)),
        column,
    }
}
