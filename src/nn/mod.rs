//! Layers: every formula of the tutorial as a documented function on the
//! tape, and the layers built from them.
//!
//! | tutorial | formula | function | layer |
//! |---|---|---|---|
//! | §3.1, §5.1 | $y_t = E_{\mathrm{id}_t}$ | [`embedding()`] | [`Embedding`] |
//! | §5.1 | $y = xW^\top + b$ | [`linear()`] | [`Linear`] |
//! | §4.1 | $h_t = f(W_{xh}x_t + W_{hh}h_{t-1} + b_h)$ | [`rnn_step`] | [`Rnn`] |
//! | §5.1 | LSTM gates, $c_t$, $h_t$ | [`lstm_step`], [`lstm_cell_state`], [`lstm_hidden_state`] | [`Lstm`] |
//! | §2.3 | $h_t = [\overrightarrow h_t; \overleftarrow h_t]$, stacked layers of any [`Cell`] | [`reverse_within_lengths`] | [`RecurrentStack`] |
//! | — | GRU gates | [`gru_step`] | [`Gru`] |
//! | §4.2.1 | $s_{ij} = q_i^\top k_j$ | [`attention_scores`] | |
//! | §4.2.1 | $a_{ij} = \mathrm{softmax}\_j(s_{ij}/\sqrt{d_k})$ | [`attention_weights`] | |
//! | §4.2.2 | $z_i = \sum_j a_{ij} v_j$ | [`attention_output`] | [`MultiHeadAttention`] |
//! | §2.3 | the same three without $\sqrt{d_k}$, and Bahdanau's $e_{ij} = v^\top\tanh(W_q q_i + W_k k_j)$ | [`attention_scores`], [`attention_weights`], [`attention_output`], [`additive_scores`] | [`DotAttention`], [`AdditiveAttention`] |
//! | §2.1.2 | positional encoding | [`positional_encoding`] | |
//! | §4.1 | $\lVert \partial L/\partial h_t \rVert$, vanishing gradients | [`rnn_hidden_gradient_norms`], [`lstm_hidden_gradient_norms`], [`gru_hidden_gradient_norms`] | |
//! | §3.2, §4.2 | $K_{\le t} = [K_{<t}; k_t]$: decoding one position a step | [`append_positions`] | [`KvCache`] |
//! | §2.1.2 | layer norm, FFN (ReLU or GELU), residual (post-norm or pre-norm), final norm | [`layer_norm()`], [`feed_forward()`], [`residual_norm`], [`sublayer_connection`], [`final_norm()`] | [`EncoderLayer`], [`DecoderLayer`], [`TransformerEncoder`], [`TransformerDecoder`] |
//!
//! Every layer keeps its weights in [`Param`]s named as in PyTorch, and
//! implements [`Module`] so that optimizers and checkpoints can walk them.

mod embedding;
mod encoder_attention;
mod feed_forward;
mod gradient_flow;
mod gru;
mod kv_cache;
mod layer_norm;
mod linear;
mod lstm;
mod multi_head;
mod positional;
mod recurrent_layer;
mod recurrent_stack;
mod rnn;
mod saturation;
mod scaled_dot_product;
mod sequence;
mod sublayer;
mod transformer_layer;
mod transformer_stack;

use crate::autograd::Param;

pub use embedding::{Embedding, embedding};
pub use encoder_attention::{AdditiveAttention, DotAttention, additive_scores};
pub use feed_forward::{FeedForward, FfnActivation, feed_forward};
pub use gradient_flow::{
    GradientSetup, gradient_norm_curves, gru_hidden_gradient_norms, lstm_hidden_gradient_norms,
    rnn_hidden_gradient_norms,
};
pub use gru::{Gru, gru_step};
pub use kv_cache::{KvCache, StepRows, append_positions};
pub use layer_norm::{LayerNorm, layer_norm};
pub use linear::{Linear, LinearInit, linear};
pub use lstm::{Lstm, LstmOutput, lstm_cell_state, lstm_hidden_state, lstm_step};
pub use multi_head::{InProjection, MhaOptions, MultiHeadAttention};
pub use positional::{add_positional_encoding, positional_encoding, positional_rows};
pub use recurrent_layer::{Cell, RecurrentLayer};
pub use recurrent_stack::{RecurrentStack, RecurrentStackOutput};
pub use rnn::{Activation, RecurrentWeights, Rnn, RnnOutput, rnn_step};
pub use saturation::{SATURATED, Saturation, row_entropy};
pub use scaled_dot_product::{
    AttentionScale, attention_output, attention_scores, attention_weights,
    attention_weights_biased, scaled_dot_product_attention, scaled_dot_product_attention_biased,
};
pub use sequence::{RecurrentOptions, reverse_within_lengths};
pub use sublayer::{residual_norm, sublayer_connection};
pub use transformer_layer::{DecoderLayer, DecoderOutput, EncoderLayer, LayerOptions};
pub use transformer_stack::{
    StackConfig, StackOutput, TransformerDecoder, TransformerEncoder, final_norm,
};

/// Anything that holds parameters.
///
/// A layer lists its parameters once, in [`Module::params_mut`]; everything
/// else (optimizers, checkpoints, gradient checks, counting weights) walks
/// that one list, so it cannot disagree with another.
pub trait Module {
    /// Every parameter, in a fixed order (the order checkpoints store them in).
    fn params_mut(&mut self) -> Vec<&mut Param>;

    /// The same list, read-only. It borrows the module mutably because it is
    /// built from [`Module::params_mut`]: a second, read-only list written
    /// by hand could drift from the first.
    fn params(&mut self) -> Vec<&Param> {
        self.params_mut().into_iter().map(|p| &*p).collect()
    }
}

/// `prefix.name`, or `name` when the prefix is empty (PyTorch-style names).
pub(crate) fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}
