// Long file: every model option and its default, said once.
//! What a model is: its kind, its sizes and its architecture options, each
//! named once and defaulted once.
//!
//! A [`ModelConfig`] holds what every model has (the two vocabulary sizes,
//! the dropout rate) and an [`Arch`]: the recurrent models' [`RnnConfig`]
//! (with its [`Cell`]: LSTM, GRU or the §4.1 RNN) or the Transformer's
//! [`TransformerConfig`]. A field exists only where it means something: an
//! LSTM has no heads, a Transformer no bridge.
//!
//! Checked by `tests/seq2seq/config.rs`.

pub use super::pieces::{AttentionScale, DecoderMask, Pieces, Positions};
use crate::nn::{FfnActivation, LayerOptions, StackConfig};
use clap::builder::PossibleValue;
use std::fmt;

pub use crate::nn::Cell;

/// The models of encdec. Each combination of wiring and cell has one
/// spelling: `rnn`, `lstm` and `gru` are the §5.1 wiring with that cell,
/// `attention` takes its cell from `--cell` (LSTM by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelKind {
    /// The §5.1 wiring with the §4.1 RNN cell, $h_t = \tanh(W_{xh}x_t + W_{hh}h_{t-1} + b_h)$.
    Rnn,
    /// The §5.1 LSTM encoder–decoder: the encoder's final state starts the decoder.
    Lstm,
    /// The §5.1 wiring with GRU cells.
    Gru,
    /// A recurrent encoder–decoder with attention over the encoder outputs
    /// (§2.3); LSTM cells unless `--cell` says otherwise.
    Attention,
    /// A Transformer encoder–decoder (§2.1.2, §4.2).
    Transformer,
}

impl ModelKind {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Rnn => "rnn",
            ModelKind::Lstm => "lstm",
            ModelKind::Gru => "gru",
            ModelKind::Attention => "attention",
            ModelKind::Transformer => "transformer",
        }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The cell as a command-line value (`--cell lstm|gru|rnn`) and a
/// checkpoint's `cell` field.
impl clap::ValueEnum for Cell {
    fn value_variants<'a>() -> &'a [Self] {
        &[Cell::Lstm, Cell::Gru, Cell::Rnn]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

/// How the decoder starts from a bidirectional encoder's final states,
/// which are twice as wide as one direction's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Bridge {
    /// The decoder is twice as wide and starts from $[\overrightarrow h; \overleftarrow h]$.
    #[default]
    Concat,
    /// A learnt linear map takes the two directions back to one width.
    Project,
}

impl Bridge {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            Bridge::Concat => "concat",
            Bridge::Project => "project",
        }
    }
}

/// Which ways the recurrent encoder reads the source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Directions {
    /// Left to right, as in §5.1.
    #[default]
    Forward,
    /// Both ways (Bahdanau et al.'s encoder), the decoder starting as the
    /// bridge says.
    Both(Bridge),
}

/// The most recurrent layers a model may stack.
pub const MAX_RNN_LAYERS: usize = 16;

/// The sizes and cell of the recurrent models (§4.1, §5.1 and §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RnnConfig {
    /// The cell of the encoder and the decoder (LSTM unless said otherwise).
    pub cell: Cell,
    /// Word-vector size $E$.
    pub emb: usize,
    /// Hidden size $H$.
    pub hidden: usize,
    /// Recurrent layers per stack, PyTorch's `num_layers` (1 in §5.1).
    pub layers: usize,
    /// One direction or both.
    pub directions: Directions,
}

/// The sizes and options of the Transformer (§2.1.2, §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransformerConfig {
    /// $d_{model}$: the width of every position's vector.
    pub d_model: usize,
    /// $d_{ff}$: the feed-forward block's hidden width.
    pub d_ff: usize,
    /// Attention heads $h$; $d_k = d_{model}/h$.
    pub heads: usize,
    /// Encoder layers, and as many decoder layers.
    pub layers: usize,
    /// Where each layer norm sits and the feed-forward nonlinearity.
    pub layer: LayerOptions,
    /// A layer norm at the end of each stack (PyTorch's `norm=`).
    pub final_norm: bool,
    /// The pieces `encdec experiment` switches off; all on by default.
    pub pieces: Pieces,
}

/// The architecture of a model, with the sizes it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// The §5.1 wiring (no attention) with the config's cell: `--model
    /// lstm`, `gru` or `rnn` ([`ModelConfig::kind`] reads the cell).
    Lstm(RnnConfig),
    /// The §5.1 wiring with attention (§2.3), any cell.
    Attention(RnnConfig),
    /// The Transformer.
    Transformer(TransformerConfig),
}

/// One model: what it reads and writes, its dropout and its architecture.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    /// Source vocabulary size.
    pub src_vocab: usize,
    /// Target vocabulary size.
    pub tgt_vocab: usize,
    /// Dropout rate in training, in $[0, 1)$.
    pub dropout: f64,
    /// The kind and its sizes.
    pub arch: Arch,
}

impl ModelConfig {
    /// encdec's default model of `kind` for these vocabularies: the sizes
    /// the built-in corpora train well with on a laptop (recurrent models:
    /// $E = 48$, $H = 96$, one layer, the kind's cell, LSTM for attention;
    /// Transformer: $d_{model} = 64$, $d_{ff} = 128$, 4 heads, 2 + 2
    /// post-norm ReLU layers), dropout 0.1.
    pub fn new(kind: ModelKind, src_vocab: usize, tgt_vocab: usize) -> ModelConfig {
        let rnn = RnnConfig {
            cell: Cell::Lstm,
            emb: 48,
            hidden: 96,
            layers: 1,
            directions: Directions::Forward,
        };
        let arch = match kind {
            ModelKind::Lstm => Arch::Lstm(rnn),
            ModelKind::Rnn => Arch::Lstm(RnnConfig {
                cell: Cell::Rnn,
                ..rnn
            }),
            ModelKind::Gru => Arch::Lstm(RnnConfig {
                cell: Cell::Gru,
                ..rnn
            }),
            ModelKind::Attention => Arch::Attention(rnn),
            ModelKind::Transformer => Arch::Transformer(TransformerConfig {
                d_model: 64,
                d_ff: 128,
                heads: 4,
                layers: 2,
                layer: LayerOptions::default(),
                final_norm: false,
                pieces: Pieces::default(),
            }),
        };
        ModelConfig {
            src_vocab,
            tgt_vocab,
            dropout: 0.1,
            arch,
        }
    }

    /// Which model.
    pub fn kind(&self) -> ModelKind {
        match self.arch {
            Arch::Lstm(r) => match r.cell {
                Cell::Lstm => ModelKind::Lstm,
                Cell::Gru => ModelKind::Gru,
                Cell::Rnn => ModelKind::Rnn,
            },
            Arch::Attention(_) => ModelKind::Attention,
            Arch::Transformer(_) => ModelKind::Transformer,
        }
    }

    /// The recurrent models' sizes; `None` for the Transformer.
    pub fn rnn(&self) -> Option<&RnnConfig> {
        match &self.arch {
            Arch::Lstm(r) | Arch::Attention(r) => Some(r),
            Arch::Transformer(_) => None,
        }
    }

    /// The Transformer's sizes; `None` for the recurrent models.
    pub fn transformer(&self) -> Option<&TransformerConfig> {
        match &self.arch {
            Arch::Transformer(t) => Some(t),
            _ => None,
        }
    }

    /// The width of the source word vectors: $E$, or $d_{model}$.
    pub fn src_embedding_width(&self) -> usize {
        match &self.arch {
            Arch::Lstm(r) | Arch::Attention(r) => r.emb,
            Arch::Transformer(t) => t.d_model,
        }
    }

    /// Checks the sizes; the message names the one that is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |name: &str, v: usize| match v {
            0 => Err(format!("model config: {name} must be at least 1")),
            _ => Ok(()),
        };
        positive("src_vocab", self.src_vocab)?;
        positive("tgt_vocab", self.tgt_vocab)?;
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(format!(
                "model config: dropout {} is not in [0, 1)",
                self.dropout
            ));
        }
        match &self.arch {
            Arch::Lstm(r) | Arch::Attention(r) => {
                positive("emb", r.emb)?;
                positive("hidden", r.hidden)?;
                if !(1..=MAX_RNN_LAYERS).contains(&r.layers) {
                    return Err(format!(
                        "model config: the {} layers ({}) must be from 1 to {MAX_RNN_LAYERS}",
                        r.cell.name().to_uppercase(),
                        r.layers
                    ));
                }
            }
            Arch::Transformer(t) => {
                positive("d_model", t.d_model)?;
                positive("d_ff", t.d_ff)?;
                positive("layers", t.layers)?;
                if t.heads == 0 || !t.d_model.is_multiple_of(t.heads) {
                    return Err(format!(
                        "model config: heads ({}) must be at least 1 and divide d_model ({})",
                        t.heads, t.d_model
                    ));
                }
            }
        }
        Ok(())
    }
}

impl TransformerConfig {
    /// The encoder's and the decoder's stack, as [`crate::nn`] builds them.
    pub fn stack(&self, dropout: f64) -> StackConfig {
        StackConfig {
            layers: self.layers,
            d_model: self.d_model,
            n_heads: self.heads,
            d_ff: self.d_ff,
            dropout,
            options: self.layer,
            final_norm: self.final_norm,
        }
    }
}

impl ModelConfig {
    /// Every size and option in words, e.g. `emb 48, hidden 96, dropout 0.1`,
    /// `GRU cells, emb 48, hidden 96, dropout 0.1` (attention with a cell
    /// other than the LSTM) or `d_model 64, d_ff 128, 4 heads, 2+2 layers, pre-norm, GELU, dropout 0.1`.
    pub fn sizes(&self) -> String {
        let mut parts = vec![];
        match &self.arch {
            Arch::Lstm(r) | Arch::Attention(r) => {
                let cell = r.cell.name().to_uppercase();
                if matches!(self.arch, Arch::Attention(_)) && r.cell != Cell::Lstm {
                    parts.push(format!("{cell} cells"));
                }
                parts.push(format!("emb {}, hidden {}", r.emb, r.hidden));
                if r.layers > 1 {
                    parts.push(format!("{} {cell} layers", r.layers));
                }
                if let Directions::Both(bridge) = r.directions {
                    parts.push(format!("bidirectional encoder ({} bridge)", bridge.name()));
                }
            }
            Arch::Transformer(t) => {
                parts.push(format!(
                    "d_model {}, d_ff {}, {} heads, {}+{} layers",
                    t.d_model, t.d_ff, t.heads, t.layers, t.layers
                ));
                if t.layer.norm_first {
                    parts.push("pre-norm".into());
                }
                if t.layer.activation == FfnActivation::Gelu {
                    parts.push("GELU".into());
                }
                if t.final_norm {
                    parts.push("final LayerNorm".into());
                }
                parts.extend(t.pieces.switched_off().map(String::from));
            }
        }
        parts.push(format!("dropout {}", self.dropout));
        parts.join(", ")
    }
}

/// The kind and its sizes, e.g. `attention (emb 48, hidden 96, dropout 0.1)`.
impl fmt::Display for ModelConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.kind(), self.sizes())
    }
}
