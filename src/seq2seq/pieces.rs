//! The Transformer's pieces that `encdec experiment` switches off to show
//! why each exists: the $1/\sqrt{d_k}$ scale (tutorial §4.2), the
//! positional encoding and the decoder's causal mask. Part of
//! [`super::config`], which re-exports them.
//!
//! Checked by `tests/seq2seq/config.rs::pieces_round_trip_through_json`.

pub use crate::nn::AttentionScale;

/// What the Transformer adds to the word vectors to tell positions apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Positions {
    /// The sinusoidal encoding of Vaswani et al. (§3.5).
    #[default]
    Sinusoidal,
    /// Nothing: the encoder sees a bag of words (`experiment positions`).
    None,
}

/// Which target positions the decoder's self-attention may see in training.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DecoderMask {
    /// Position $t$ sees positions $\le t$ only.
    #[default]
    Causal,
    /// Every position sees every other, the next word included, under
    /// teacher forcing (`experiment causal`). Step-by-step decoding
    /// cannot: its future does not exist yet.
    None,
}

/// The Transformer's pieces that an experiment may switch off, each on by
/// default. Checkpoints name only those that are off, so that files
/// written before these options existed stay byte for byte the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pieces {
    /// $1/\sqrt{d_k}$ in every attention, or none.
    pub scale: AttentionScale,
    /// Positional encoding, or none.
    pub positions: Positions,
    /// The decoder's causal mask, or none.
    pub decoder_mask: DecoderMask,
}

impl Positions {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            Positions::Sinusoidal => "sinusoidal",
            Positions::None => "none",
        }
    }
}

impl DecoderMask {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            DecoderMask::Causal => "causal",
            DecoderMask::None => "none",
        }
    }
}

impl Pieces {
    /// The pieces switched off, in words (`no causal mask`), for
    /// [`super::config::ModelConfig::sizes`].
    pub fn switched_off(&self) -> impl Iterator<Item = &'static str> {
        let d = Pieces::default();
        [
            (self.scale != d.scale, "no 1/sqrt(d_k) scale"),
            (self.positions != d.positions, "no positional encoding"),
            (self.decoder_mask != d.decoder_mask, "no causal mask"),
        ]
        .into_iter()
        .filter_map(|(off, words)| off.then_some(words))
    }
}
