//! The key/value cache of incremental decoding: the Transformer's decoder
//! run one position at a time, each step reusing what the earlier steps
//! computed (tutorial §3.2's loop with §4.2's attention).

use super::multi_head::MultiHeadAttention;
use super::sublayer::sublayer_connection;
use super::transformer_layer::DecoderLayer;
use super::transformer_stack::{TransformerDecoder, final_norm};
use crate::autograd::{Tape, Var};
use crate::tensor::{Mask, Tensor, take_rows};

/// Which rows a decoding step runs: row `r` continues row `parents[r]` of
/// the step before (ignored at the first step) and reads source
/// `sources[r]`. Greedy decoding drops the rows that wrote `</s>`; beam
/// search reorders them, a prefix continuing the one it extends.
#[derive(Clone, Copy, Debug)]
pub struct StepRows<'a> {
    /// The row of the previous step that each row continues.
    pub parents: &'a [usize],
    /// The source each row is decoded against.
    pub sources: &'a [usize],
}

/// What one decoder layer keeps between steps.
struct LayerCache {
    /// Its self-attention's $K_{<t}$ and $V_{<t}$, `[rows, t, d_model]`
    /// each (none before the first step).
    keys_values: Option<(Tensor, Tensor)>,
    /// Its cross-attention's $M W^K$ and $M W^V$ over each source's memory
    /// $M$, `[batch, src, d_model]`: projected once.
    memory_keys_values: (Tensor, Tensor),
}

/// The key/value cache of a [`TransformerDecoder`]: decoding step $t$ runs
/// the new position $x_t$ alone. In each layer it projects
/// $q_t = h_t W^Q$, $k_t = h_t W^K$, $v_t = h_t W^V$ and attends over the
/// keys and values of every position so far, kept from the earlier steps:
///
/// $$ K_{\le t} = [K_{<t};\ k_t], \qquad
///    z_t = \mathrm{softmax}\Big(\frac{q_t K_{\le t}^\top}{\sqrt{d_k}}\Big) V_{\le t} $$
///
/// (per head, $V_{\le t}$ likewise). The causal mask hides from position
/// $t$ only the positions after it, which do not exist yet, and a position's
/// vectors depend on the positions before it only, so this is the whole
/// decoder's last row at a cost that grows with $t$ instead of $t^2$. The
/// cross-attention's keys $M W^K$ and values $M W^V$ over the encoder's
/// output are projected once, when the cache starts. Checked against
/// re-running the whole prefix, for every option of the config, by
/// `tests/seq2seq/kv_cache.rs::cached_decoding_equals_recomputing_the_prefix`.
///
/// # Shapes
/// memory `[batch, src, d_model]`; a step: `x_t` `[rows, 1, d_model]` →
/// `[rows, 1, d_model]` and cross-attention weights `[rows, heads, 1, src]`
/// per layer.
///
/// # Panics
/// [`TransformerDecoder::start_cache`] if the memory is not one
/// `[src, d_model]` row per source; [`TransformerDecoder::forward_step`] if
/// its rows do not name one parent among the previous step's rows and one
/// source each.
pub struct KvCache {
    layers: Vec<LayerCache>,
    /// Each source's true length.
    src_lengths: Vec<usize>,
    /// The positions decoded so far, $t$.
    len: usize,
}

impl KvCache {
    /// The positions decoded so far: the next step decodes position `len()`.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no position is decoded yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Row `r` of `old` taken from row `parents[r]`, with row `r` of `new`
/// appended along `axis` (the positions'):
///
/// $$ \mathrm{out}_r = [\mathrm{old}\_{\mathrm{parents}_r};\ \mathrm{new}_r] $$
///
/// `old` is `None` before the first position. The cache's keys and values
/// grow this way (axis 1), and so does the attention a decoding keeps (axis 2).
///
/// # Shapes
/// `old` `[rows', .., t, ..]`, `new` `[rows, .., 1, ..]` → `[rows, .., t + 1, ..]`
///
/// Worked by hand in `tests/seq2seq/kv_cache.rs::append_positions_by_hand`.
///
/// # Panics
/// If `new`'s `axis` is not 1 long, `parents` is not one index per row of
/// `new` or names a row `old` lacks.
pub fn append_positions(
    old: Option<&Tensor>,
    parents: &[usize],
    new: &Tensor,
    axis: usize,
) -> Tensor {
    let shape = new.shape();
    assert!(
        shape.len() > axis && shape[axis] == 1 && shape[0] == parents.len(),
        "append_positions: new {shape:?} is not one position (axis {axis}) for {} rows",
        parents.len()
    );
    let outer: usize = shape[1..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let t = old.map_or(0, |o| o.shape()[axis]);
    let mut out = Vec::with_capacity(parents.len() * outer * (t + 1) * inner);
    for (r, &p) in parents.iter().enumerate() {
        for o in 0..outer {
            if let Some(old) = old {
                let start = (p * outer + o) * t * inner;
                out.extend_from_slice(&old.data()[start..start + t * inner]);
            }
            let start = (r * outer + o) * inner;
            out.extend_from_slice(&new.data()[start..start + inner]);
        }
    }
    let mut grown = shape.to_vec();
    grown[axis] = t + 1;
    Tensor::from_vec(out, &grown)
}

/// `t`'s rows `rows` (its first axis), on `tape` as a constant.
fn rows_on<'t>(tape: &'t Tape, t: &Tensor, rows: &[usize]) -> Var<'t> {
    let mut shape = t.shape().to_vec();
    let row = t.numel() / shape[0].max(1);
    shape[0] = rows.len();
    tape.constant(Tensor::from_vec(take_rows(t.data(), row, rows), &shape))
}

impl LayerCache {
    /// Projects the new position's $k_t$, $v_t$ from `h` and returns
    /// $K_{\le t}$, $V_{\le t}$ on `tape`, keeping them for the next step.
    fn extend<'t>(
        &mut self,
        (tape, attn): (&'t Tape, &MultiHeadAttention),
        h: Var<'t>,
        parents: &[usize],
    ) -> (Var<'t>, Var<'t>) {
        let k_t = attn.projection(tape, h, 1).value();
        let v_t = attn.projection(tape, h, 2).value();
        let old = self.keys_values.take();
        let k = append_positions(old.as_ref().map(|o| &o.0), parents, &k_t, 1);
        let v = append_positions(old.as_ref().map(|o| &o.1), parents, &v_t, 1);
        self.keys_values = Some((k.clone(), v.clone()));
        (tape.constant(k), tape.constant(v))
    }
}

impl DecoderLayer {
    /// [`DecoderLayer::forward`] for the new position only, over `cache`
    /// (no dropout: decoding). Returns the output `[rows, 1, d_model]` and
    /// the cross-attention weights `[rows, heads, 1, src]`.
    fn forward_step<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        cache: &mut LayerCache,
        (rows, memory_mask): (StepRows, &Mask),
    ) -> (Var<'t>, Var<'t>) {
        let (p, first) = (self.dropout, self.norm_first);
        let x = sublayer_connection(tape, &self.norm1, first, x, (p, None), |h, _| {
            let kv = cache.extend((tape, &self.self_attn), h, rows.parents);
            let q = self.self_attn.projection(tape, h, 0);
            self.self_attn.attend(tape, q, kv, None).0
        });
        let mut weights = None;
        let x = sublayer_connection(tape, &self.norm2, first, x, (p, None), |h, _| {
            let (k, v) = &cache.memory_keys_values;
            let kv = (
                rows_on(tape, k, rows.sources),
                rows_on(tape, v, rows.sources),
            );
            let q = self.multihead_attn.projection(tape, h, 0);
            let (a, w) = self.multihead_attn.attend(tape, q, kv, Some(memory_mask));
            weights = Some(w);
            a
        });
        let y = sublayer_connection(tape, &self.norm3, first, x, (p, None), |h, r| {
            self.ff.forward(tape, h, p, r)
        });
        (y, weights.expect("the cross-attention sub-layer ran"))
    }
}

impl TransformerDecoder {
    /// A cache for decoding against `memory`, the encoder's output
    /// `[batch, src, d_model]` for sources of lengths `src_lengths`: each
    /// layer's cross-attention keys and values, projected once.
    ///
    /// # Panics
    /// If `memory` is not `[src_lengths.len(), src, d_model]`.
    pub fn start_cache(&self, memory: &Tensor, src_lengths: &[usize]) -> KvCache {
        assert!(
            memory.ndim() == 3 && memory.shape()[0] == src_lengths.len(),
            "start_cache: memory {:?} for {} sources",
            memory.shape(),
            src_lengths.len()
        );
        let tape = Tape::new();
        let m = tape.constant(memory.clone());
        let layers = (self.layers.iter())
            .map(|l| {
                let project = |part| l.multihead_attn.projection(&tape, m, part).value();
                LayerCache {
                    keys_values: None,
                    memory_keys_values: (project(1), project(2)),
                }
            })
            .collect();
        KvCache {
            layers,
            src_lengths: src_lengths.to_vec(),
            len: 0,
        }
    }

    /// One decoding step through every layer and the final norm: the new
    /// position `x` `[rows, 1, d_model]` (word vector and positional
    /// encoding) → its output `[rows, 1, d_model]` and each layer's
    /// cross-attention weights `[rows, heads, 1, src]`. See [`KvCache`].
    ///
    /// # Panics
    /// If `rows` does not give one parent (among the previous step's rows)
    /// and one source per row of `x`.
    pub fn forward_step<'t>(
        &self,
        tape: &'t Tape,
        mut x: Var<'t>,
        cache: &mut KvCache,
        rows: StepRows,
    ) -> (Var<'t>, Vec<Var<'t>>) {
        assert!(
            rows.sources.len() == x.shape()[0] && rows.parents.len() == x.shape()[0],
            "forward_step: {} parents and {} sources for {} rows",
            rows.parents.len(),
            rows.sources.len(),
            x.shape()[0]
        );
        let src_len = cache
            .layers
            .first()
            .map_or(0, |l| l.memory_keys_values.0.shape()[1]);
        let lengths = take_rows(&cache.src_lengths, 1, rows.sources);
        let memory_mask = Mask::padding(&lengths, src_len);
        let mut cross_weights = vec![];
        for (layer, c) in self.layers.iter().zip(&mut cache.layers) {
            let (y, w) = layer.forward_step(tape, x, c, (rows, &memory_mask));
            x = y;
            cross_weights.push(w);
        }
        cache.len += 1;
        (final_norm(tape, self.norm.as_ref(), x), cross_weights)
    }
}
