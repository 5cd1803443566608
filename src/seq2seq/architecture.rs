//! Architecture choices beyond the sizes: the options seq2seq code in the
//! wild reaches for (PyTorch's `num_layers`, `bidirectional`, `norm_first`,
//! `activation='gelu'`, a final `norm`). The defaults are encdec's models as
//! they always were, so a checkpoint without them loads unchanged.

use super::model::ModelKind;
use serde_json::{Value, json};
use std::fmt;
use std::str::FromStr;

/// How the decoder starts from a bidirectional encoder's final states,
/// which are twice as wide as one direction's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

impl fmt::Display for Bridge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Bridge {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "concat" => Ok(Bridge::Concat),
            "project" => Ok(Bridge::Project),
            _ => Err(format!("unknown bridge '{s}': expected concat or project")),
        }
    }
}

/// The architecture options of a model. Each applies to one family:
/// the first three to the LSTM models, the last three to the Transformer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Architecture {
    /// LSTM models: layers per stack, PyTorch's `num_layers` (the
    /// Transformer's layers are [`super::ModelConfig::layers`]).
    pub rnn_layers: usize,
    /// LSTM models: the encoder reads the source both ways.
    pub bidirectional: bool,
    /// LSTM models with a bidirectional encoder: how the decoder starts.
    pub bridge: Bridge,
    /// Transformer: LayerNorm before each sublayer (pre-norm) instead of after.
    pub norm_first: bool,
    /// Transformer: GELU instead of ReLU in the feed-forward block.
    pub gelu: bool,
    /// Transformer: a LayerNorm at the end of each stack.
    pub final_norm: bool,
}

impl Default for Architecture {
    fn default() -> Self {
        Architecture {
            rnn_layers: 1,
            bidirectional: false,
            bridge: Bridge::Concat,
            norm_first: false,
            gelu: false,
            final_norm: false,
        }
    }
}

/// The most recurrent layers a model may stack.
pub const MAX_RNN_LAYERS: usize = 16;

impl Architecture {
    /// Checks that every option set applies to `kind`; the message names the
    /// option and says which models take it.
    pub fn validate(&self, kind: ModelKind) -> Result<(), String> {
        if self.rnn_layers == 0 || self.rnn_layers > MAX_RNN_LAYERS {
            return Err(format!(
                "model config: the LSTM layers ({}) must be from 1 to {MAX_RNN_LAYERS}",
                self.rnn_layers
            ));
        }
        let recurrent = [
            ("more than one LSTM layer", self.rnn_layers > 1),
            ("bidirectional", self.bidirectional),
            ("bridge project", self.bridge == Bridge::Project),
        ];
        let transformer = [
            ("norm_first", self.norm_first),
            ("gelu", self.gelu),
            ("final_norm", self.final_norm),
        ];
        let (wrong, family) = match kind {
            ModelKind::Transformer => (&recurrent, "the lstm and attention models"),
            _ => (&transformer, "the transformer"),
        };
        if let Some((name, _)) = wrong.iter().find(|(_, set)| *set) {
            return Err(format!(
                "model config: {name} is an option of {family}, not of the {kind} model"
            ));
        }
        if self.bridge == Bridge::Project && !self.bidirectional {
            return Err("model config: bridge project needs a bidirectional encoder".into());
        }
        Ok(())
    }

    /// The options as checkpoint JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "rnn_layers": self.rnn_layers, "bidirectional": self.bidirectional,
            "bridge": self.bridge.name(), "norm_first": self.norm_first,
            "gelu": self.gelu, "final_norm": self.final_norm,
        })
    }

    /// The options from checkpoint JSON; a missing value (`Null`, as in
    /// checkpoints written before the options existed) or a missing field
    /// takes its default.
    ///
    /// # Errors
    /// If a field has the wrong type or an unknown value.
    pub fn from_json(v: &Value) -> Result<Architecture, String> {
        let mut a = Architecture::default();
        if v.is_null() {
            return Ok(a);
        }
        if !v.is_object() {
            return Err("config field 'arch' is not an object".into());
        }
        let flag = |k: &str, default: bool| match &v[k] {
            Value::Null => Ok(default),
            x => x
                .as_bool()
                .ok_or(format!("config field 'arch.{k}' is not true or false")),
        };
        if !v["rnn_layers"].is_null() {
            a.rnn_layers = v["rnn_layers"]
                .as_u64()
                .ok_or("config field 'arch.rnn_layers' is not a whole number")?
                as usize;
        }
        a.bidirectional = flag("bidirectional", a.bidirectional)?;
        if let Some(b) = v["bridge"].as_str() {
            a.bridge = b.parse()?;
        } else if !v["bridge"].is_null() {
            return Err("config field 'arch.bridge' is not a string".into());
        }
        a.norm_first = flag("norm_first", a.norm_first)?;
        a.gelu = flag("gelu", a.gelu)?;
        a.final_norm = flag("final_norm", a.final_norm)?;
        Ok(a)
    }

    /// A short description for logs and model summaries, empty for the defaults.
    pub fn describe(&self) -> String {
        let mut parts = vec![];
        if self.rnn_layers > 1 {
            parts.push(format!("{} LSTM layers", self.rnn_layers));
        }
        if self.bidirectional {
            parts.push(format!("bidirectional encoder ({} bridge)", self.bridge));
        }
        for (name, set) in [
            ("pre-norm", self.norm_first),
            ("GELU", self.gelu),
            ("final LayerNorm", self.final_norm),
        ] {
            if set {
                parts.push(name.to_string());
            }
        }
        parts.join(", ")
    }
}
