//! Reading a recorded computation back: a node by its index, the variables
//! a variable was computed from, and the operation that computed it. The
//! explorer's arithmetic view (`src/seq2seq/decode/tapped.rs`) finds the
//! queries, keys and values of an attention this way, from its weights.

use super::tape::{Tape, Var};

impl Tape {
    /// The variable of node `index`, to read a recorded computation back
    /// (with [`Var::inputs`] and [`Var::op_name`]).
    ///
    /// # Panics
    /// If the tape has no node `index`.
    ///
    /// Checked by `tests/core/tape.rs::a_computation_reads_back_along_its_edges`
    /// and `reading_a_node_past_the_end_panics`.
    pub fn var(&self, index: usize) -> Var<'_> {
        assert!(
            index < self.len(),
            "Tape::var: no node {index} on a tape of {}",
            self.len()
        );
        Var { tape: self, index }
    }
}

impl<'t> Var<'t> {
    /// The variables this one was computed from, in the operation's order
    /// (its edges on the tape; none for a leaf or a constant). Checked by
    /// `tests/core/tape.rs::a_computation_reads_back_along_its_edges`.
    pub fn inputs(&self) -> Vec<Var<'t>> {
        let nodes = self.tape.nodes();
        let at = |&index: &usize| Var {
            tape: self.tape,
            index,
        };
        nodes[self.index].inputs.iter().map(at).collect()
    }

    /// The name of the operation that computed it (`"matmul_nt"`,
    /// `"attention_weights"`, ..., as [`Tape::to_dot`] labels it).
    pub fn op_name(&self) -> String {
        self.tape.nodes()[self.index].op.name()
    }
}
