//! What the gradient checker reports: per input, the entry closest to failing
//! and the verdict, printable as a table.

use crate::tensor::{Float, max_or_nan};
use std::fmt;

/// The entry that came closest to failing (largest error over tolerance).
#[derive(Clone, Debug, PartialEq)]
pub struct Worst {
    /// Full mode: the input element (multi-index); directional: `[direction]`.
    pub element: Vec<usize>,
    /// Full mode: the flat output index; directional: 0.
    pub output: usize,
    /// The tape's value.
    pub analytic: Float,
    /// The finite-difference value.
    pub numeric: Float,
}

/// The verdict for one input.
#[derive(Clone, Debug)]
pub struct InputReport {
    /// Position of the input in the argument list.
    pub input: usize,
    /// A label: `input 0`, `input 1`, .. unless [`GradcheckReport::named`] gave names.
    pub name: String,
    /// Its shape.
    pub shape: Vec<usize>,
    /// How many entries (or directions) were compared.
    pub checked: usize,
    /// How many of them failed.
    pub failures: usize,
    /// $\max |a - n|$; NaN if any compared entry gave NaN.
    pub max_abs_err: Float,
    /// $\max |a - n| / \max(|a|, |n|, \mathrm{atol})$; NaN as `max_abs_err`.
    pub max_rel_err: Float,
    /// The entry with the largest $|a - n| / (\mathrm{atol} + \mathrm{rtol}|n|)$.
    pub worst: Option<Worst>,
}

impl InputReport {
    /// Whether something was compared and every comparison passed: an input
    /// with no entries, or zero directions, checks nothing and does not pass.
    pub fn ok(&self) -> bool {
        self.checked > 0 && self.failures == 0
    }
}

/// The result of [`gradcheck`](super::gradcheck()): one [`InputReport`] per input.
#[derive(Clone, Debug)]
pub struct GradcheckReport {
    /// `"full"` or `"directional"`.
    pub mode: &'static str,
    /// One report per input.
    pub inputs: Vec<InputReport>,
}

impl GradcheckReport {
    /// Whether there was an input and every input passed.
    pub fn ok(&self) -> bool {
        !self.inputs.is_empty() && self.inputs.iter().all(InputReport::ok)
    }

    /// The largest absolute error over all inputs (NaN if any input's is).
    pub fn max_abs_err(&self) -> Float {
        self.inputs
            .iter()
            .map(|r| r.max_abs_err)
            // `Float::max` would drop an input's NaN error.
            .fold(0.0, max_or_nan)
    }

    /// Gives the inputs names (a layer's parameter names, say), in order.
    pub fn named(mut self, names: &[String]) -> GradcheckReport {
        for (r, name) in self.inputs.iter_mut().zip(names) {
            r.name = name.clone();
        }
        self
    }

    /// The largest relative error over all inputs (NaN if any input's is).
    pub fn max_rel_err(&self) -> Float {
        self.inputs
            .iter()
            .map(|r| r.max_rel_err)
            // `Float::max` would drop an input's NaN error.
            .fold(0.0, max_or_nan)
    }
}

impl fmt::Display for GradcheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "gradcheck ({}):", self.mode)?;
        if self.inputs.is_empty() {
            writeln!(f, "  no inputs: nothing checked")?;
        }
        for r in &self.inputs {
            write!(
                f,
                "  {} {:?}: {} checked, {} failed, max abs err {:.3e}, max rel err {:.3e}",
                r.name, r.shape, r.checked, r.failures, r.max_abs_err, r.max_rel_err
            )?;
            if r.checked == 0 {
                write!(f, " (nothing checked)")?;
            }
            if let Some(w) = &r.worst {
                write!(
                    f,
                    ", worst at {:?} (output {}): analytic {:.9e} vs numeric {:.9e}",
                    w.element, w.output, w.analytic, w.numeric
                )?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
