//! A parsed [`Expr`] written back as text and recorded on a tape, and the
//! values of its variables read from `a=0.5,b=-1.2`.

use super::expr::{Expr, ExprError, Function, Kind, Operator};
use super::tape::{Tape, Var};
use crate::tensor::{Float, Tensor};

/// The most variables one `--set` may give.
pub const MAX_VARIABLES: usize = 16;
/// The largest magnitude a variable may be given.
pub const MAX_VALUE: Float = 1e6;

impl Expr {
    /// How tightly it binds, for writing it back with only the parentheses it needs.
    fn precedence(&self) -> u8 {
        match &self.kind {
            Kind::Binary(Operator::Add | Operator::Sub, ..) => 1,
            Kind::Binary(..) => 2,
            Kind::Negate(_) => 3,
            _ => 4,
        }
    }

    /// The variables' names, each once, in order of first appearance.
    pub fn variables(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = vec![];
        self.visit(&mut |e| {
            if let Kind::Variable(n) = &e.kind
                && !out.iter().any(|(m, _)| m == n)
            {
                out.push((n.clone(), e.column));
            }
        });
        out
    }

    fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            Kind::Negate(e) | Kind::Call(_, e) => e.visit(f),
            Kind::Binary(_, a, b) => {
                a.visit(f);
                b.visit(f);
            }
            Kind::Number(_) | Kind::Variable(_) => {}
        }
    }

    /// Records the expression on `tape`: one leaf per variable (named by
    /// it, created first, in order of appearance), a constant per number,
    /// and one node per operation, named by its text. Returns the result.
    ///
    /// # Errors
    /// A variable with no value in `values`, a value for a name the
    /// expression lacks, or an operation whose value is not finite for
    /// these values (`log` of a negative number, a division by 0).
    pub fn record<'t>(
        &self,
        tape: &'t Tape,
        values: &[(String, Float)],
    ) -> Result<Var<'t>, ExprError> {
        let names = self.variables();
        if let Some((name, _)) = values
            .iter()
            .find(|(n, _)| !names.iter().any(|(m, _)| m == n))
        {
            return Err(ExprError {
                column: None,
                message: format!("--set gives `{name}`, which the expression does not use"),
            });
        }
        let mut leaves = vec![];
        for (name, column) in names {
            let Some(&(_, v)) = values.iter().find(|(n, _)| *n == name) else {
                return Err(ExprError {
                    column: Some(column),
                    message: format!("`{name}` has no value; give it with --set {name}=..."),
                });
            };
            leaves.push((name.clone(), tape.leaf(Tensor::scalar(v)).named(&name)));
        }
        self.build(tape, &leaves)
    }

    fn build<'t>(
        &self,
        tape: &'t Tape,
        leaves: &[(String, Var<'t>)],
    ) -> Result<Var<'t>, ExprError> {
        let v = match &self.kind {
            Kind::Number(x) => {
                return Ok(tape.constant(Tensor::scalar(*x)).named(&self.to_string()));
            }
            Kind::Variable(n) => {
                return Ok(leaves
                    .iter()
                    .find(|(m, _)| m == n)
                    .expect("every variable has a leaf")
                    .1);
            }
            Kind::Negate(e) => -e.build(tape, leaves)?,
            Kind::Binary(op, a, b) => {
                let (a, b) = (a.build(tape, leaves)?, b.build(tape, leaves)?);
                match op {
                    Operator::Add => a + b,
                    Operator::Sub => a - b,
                    Operator::Mul => a * b,
                    Operator::Div => a / b,
                }
            }
            Kind::Call(f, e) => {
                let x = e.build(tape, leaves)?;
                match f {
                    Function::Tanh => x.tanh(),
                    Function::Sigmoid => x.sigmoid(),
                    Function::Exp => x.exp(),
                    Function::Log => x.log(),
                    Function::Relu => x.relu(),
                }
            }
        };
        let v = v.named(&self.to_string());
        match v.item().is_finite() {
            true => Ok(v),
            false => Err(ExprError {
                column: Some(self.column),
                message: format!("`{self}` is {} for these values", v.item()),
            }),
        }
    }
}

impl std::fmt::Display for Expr {
    /// The expression as the grammar reads it, with only the parentheses
    /// it needs: parsing the text gives the same tree back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = |e: &Expr, at_least: u8| match e.precedence() >= at_least {
            true => e.to_string(),
            false => format!("({e})"),
        };
        match &self.kind {
            Kind::Number(x) => write!(f, "{x}"),
            Kind::Variable(n) => write!(f, "{n}"),
            Kind::Negate(e) => write!(f, "-{}", side(e, 3)),
            Kind::Binary(op, a, b) => {
                let p = self.precedence();
                let symbol = match op {
                    Operator::Add => "+",
                    Operator::Sub => "-",
                    Operator::Mul => "*",
                    Operator::Div => "/",
                };
                write!(f, "{} {symbol} {}", side(a, p), side(b, p + 1))
            }
            Kind::Call(func, e) => {
                let name = format!("{func:?}").to_lowercase();
                write!(f, "{name}({e})")
            }
        }
    }
}

/// Reads `name=value,name=value` (the `--set` of `encdec tape expr`).
///
/// # Errors
/// A message naming the piece at fault: no `=`, a name that is not
/// letters, digits and `_`, a value that is not a finite number within
/// $\pm 10^6$, a name given twice, more than [`MAX_VARIABLES`] names.
pub fn parse_assignments(text: &str) -> Result<Vec<(String, Float)>, ExprError> {
    let fail = |message: String| {
        Err(ExprError {
            column: None,
            message,
        })
    };
    let mut out: Vec<(String, Float)> = vec![];
    for (i, piece) in text.split(',').map(str::trim).enumerate() {
        if i >= MAX_VARIABLES {
            return fail(format!("--set gives more than {MAX_VARIABLES} values"));
        }
        let Some((name, value)) = piece.split_once('=') else {
            return fail(format!(
                "--set: value {} has no `=`; write name=number, e.g. a=0.5",
                i + 1
            ));
        };
        let name = name.trim();
        let valid = name.len() <= 32
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return fail(format!(
                "--set: name {} is not letters, digits and _ (starting with a letter)",
                i + 1
            ));
        }
        let v = match value.trim().parse::<Float>() {
            Ok(v) if v.is_finite() && v.abs() <= MAX_VALUE => v,
            _ => return fail(format!("--set {name}: not a number between -1e6 and 1e6")),
        };
        if out.iter().any(|(n, _)| n == name) {
            return fail(format!("--set gives `{name}` twice"));
        }
        out.push((name.to_string(), v));
    }
    Ok(out)
}
