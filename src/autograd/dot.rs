//! The tape as a Graphviz picture.

use super::op::Op;
use super::tape::Tape;

impl Tape {
    /// Writes the recorded graph in Graphviz DOT: one node per tape entry
    /// (label: index, op, optional name from [`super::Var::named`], shape),
    /// one edge from each input to its consumer. Inputs are ellipses (leaves
    /// double, constants dashed), operations are boxes.
    ///
    /// Render it with `dot -Tpng graph.dot -o graph.png`.
    ///
    /// ```
    /// use encdec::{autograd::Tape, tensor::Tensor};
    /// let tape = Tape::new();
    /// let x = tape.leaf(Tensor::ones(&[2])).named("x");
    /// let y = x.tanh();
    /// let dot = tape.to_dot();
    /// assert!(dot.contains("n0 -> n1"));
    /// assert!(dot.contains("tanh"));
    /// ```
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph tape {\n  node [fontname=\"monospace\"];\n");
        for (i, node) in self.nodes().iter().enumerate() {
            let name = node
                .name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            let style = match node.op {
                Op::Leaf => "shape=ellipse, peripheries=2",
                Op::Constant => "shape=ellipse, style=dashed",
                _ => "shape=box",
            };
            let label = format!("#{i} {}{name}\\n{:?}", node.op.name(), node.value.shape());
            out.push_str(&format!(
                "  n{i} [label=\"{}\", {style}];\n",
                label.replace('"', "\\\"")
            ));
            for j in &node.inputs {
                out.push_str(&format!("  n{j} -> n{i};\n"));
            }
        }
        out.push_str("}\n");
        out
    }
}
