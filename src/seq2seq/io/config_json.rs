// Long file: the writer and the reader of one format, and both of its layouts, kept side by side so that each field is read next to where it is written.
//! A [`ModelConfig`] as the JSON that checkpoints and weights files carry.
//!
//! Written in layout 2, one field per size the model has:
//!
//! ```json
//! {"kind": "attention", "src_vocab": 85, "tgt_vocab": 108, "dropout": 0.1,
//!  "emb": 48, "hidden": 96, "layers": 1, "bidirectional": true, "bridge": "project"}
//! {"kind": "transformer", "src_vocab": 85, "tgt_vocab": 108, "dropout": 0.1,
//!  "d_model": 64, "d_ff": 128, "heads": 4, "layers": 2,
//!  "norm_first": false, "activation": "relu", "final_norm": false}
//! ```
//!
//! A Transformer with a piece switched off ([`Pieces`]) also carries
//! `"scale": "none"`, `"positions": "none"` or `"decoder_mask": "none"`;
//! these fields are written only when not the default, so a file of a
//! default model is the same byte for byte as before they existed.
//! The recurrent models' cell: `kind` `rnn`, `lstm` or `gru` names it; the
//! attention model carries `"cell": "gru"` (or `"rnn"`) when its cell is
//! not the LSTM, and a file without `cell` (every file written before the
//! cells existed) holds an LSTM, so such files load, and are written
//! again, unchanged.
//!
//! Read, each family needs only its own keys; the optional ones default
//! as the table of docs/weights.md says (`dropout`: that of
//! [`ModelConfig::new`]; `layers`: 1; `bidirectional`, `norm_first`,
//! `final_norm`: false; `bridge`: concat; `activation`: relu; `cell`: the
//! LSTM's), and a key of another family is refused by name.
//!
//! Read in layout 2 and in layout 1, which files written before the
//! Transformer had its own field names hold: `emb` and `hidden` for
//! $d_{model}$ and $d_{ff}$ too, `layers` and `heads` on every model, and
//! the options in an `arch` object (`rnn_layers`, `bidirectional`,
//! `bridge`, `norm_first`, `gelu`, `final_norm`; absent in the oldest).
//!
//! Checked by `tests/seq2seq/config.rs::configs_round_trip_through_json`,
//! `tests/seq2seq/config.rs::files_of_layout_1_still_load` and
//! `tests/seq2seq/config.rs::each_family_needs_only_its_own_keys`.

use crate::nn::{FfnActivation, LayerOptions};
use crate::seq2seq::config::{
    Arch, Bridge, Cell, Directions, ModelConfig, ModelKind, Pieces, RnnConfig, TransformerConfig,
};
use crate::text::printable;
use serde_json::{Value, json};

/// The config in layout 2.
pub fn config_json(c: &ModelConfig) -> Value {
    let mut v = json!({
        "kind": c.kind().name(), "src_vocab": c.src_vocab, "tgt_vocab": c.tgt_vocab,
        "dropout": c.dropout,
    });
    let fields = match &c.arch {
        Arch::Lstm(r) | Arch::Attention(r) => {
            let (both, bridge) = match r.directions {
                Directions::Forward => (false, Bridge::Concat),
                Directions::Both(b) => (true, b),
            };
            let mut f = json!({"emb": r.emb, "hidden": r.hidden, "layers": r.layers,
                   "bidirectional": both, "bridge": bridge.name()});
            if matches!(c.arch, Arch::Attention(_)) && r.cell != Cell::Lstm {
                f["cell"] = json!(r.cell.name());
            }
            f
        }
        Arch::Transformer(t) => {
            let mut f = json!({
                "d_model": t.d_model, "d_ff": t.d_ff, "heads": t.heads, "layers": t.layers,
                "norm_first": t.layer.norm_first, "activation": activation_name(t.layer.activation),
                "final_norm": t.final_norm,
            });
            if let Value::Object(f) = &mut f {
                f.extend(pieces_json(t.pieces));
            }
            f
        }
    };
    if let (Some(v), Value::Object(f)) = (v.as_object_mut(), fields) {
        v.extend(f);
    }
    v
}

/// The pieces switched off, by name (none for the default).
fn pieces_json(p: Pieces) -> serde_json::Map<String, Value> {
    let d = Pieces::default();
    let mut m = serde_json::Map::new();
    if p.scale != d.scale {
        m.insert("scale".into(), p.scale.name().into());
    }
    if p.positions != d.positions {
        m.insert("positions".into(), p.positions.name().into());
    }
    if p.decoder_mask != d.decoder_mask {
        m.insert("decoder_mask".into(), p.decoder_mask.name().into());
    }
    m
}

fn activation_name(a: FfnActivation) -> &'static str {
    match a {
        FfnActivation::Relu => "relu",
        FfnActivation::Gelu => "gelu",
    }
}

/// The variant of `T` called `name` (as on the command line), or an error
/// listing the names there are (`name` shown without control characters).
fn named<T: clap::ValueEnum>(what: &str, name: &str) -> Result<T, String> {
    T::from_str(name, false).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        let name = printable(name);
        format!(
            "unknown {what} '{name}': expected one of {}",
            names.join(", ")
        )
    })
}

/// The keys every config may have; then each layout's and family's own.
const COMMON_KEYS: [&str; 4] = ["kind", "src_vocab", "tgt_vocab", "dropout"];
const RNN_KEYS: [&str; 6] = ["emb", "hidden", "layers", "bidirectional", "bridge", "cell"];
const TRANSFORMER_KEYS: [&str; 10] = [
    "d_model",
    "d_ff",
    "heads",
    "layers",
    "norm_first",
    "activation",
    "final_norm",
    "scale",
    "positions",
    "decoder_mask",
];
const LAYOUT_1_KEYS: [&str; 6] = ["emb", "hidden", "layers", "heads", "arch", "cell"];

/// Which layout a config is in: layout 1 has an `arch` object; without
/// one, a Transformer without `d_model` (its sizes under the older names
/// `emb`, `hidden`) and a recurrent model with `heads` but none of
/// `bidirectional`, `bridge`, `cell` (the oldest files) are layout 1 too.
fn is_layout_1(kind: ModelKind, v: &Value) -> bool {
    let has = |k: &str| v.get(k).is_some();
    has("arch")
        || match kind {
            ModelKind::Transformer => !has("d_model"),
            _ => has("heads") && !["bidirectional", "bridge", "cell"].iter().any(|&k| has(k)),
        }
}

/// A config from either layout, validated. Each family needs only its own
/// keys (the table of docs/weights.md); an optional key that is absent
/// takes its default, `dropout` that of [`ModelConfig::new`].
///
/// # Errors
/// A missing field or one of the wrong type, named; a key the family does
/// not have, named with the keys it has; an invalid config.
pub fn config_from(v: &Value) -> Result<ModelConfig, String> {
    let kind: ModelKind = named(
        "model",
        v["kind"].as_str().ok_or("config has no model kind")?,
    )?;
    let fields = Fields(v);
    let legacy = is_layout_1(kind, v);
    let own: &[&str] = match (kind, legacy) {
        (_, true) => &LAYOUT_1_KEYS,
        (ModelKind::Transformer, false) => &TRANSFORMER_KEYS,
        (_, false) => &RNN_KEYS,
    };
    fields.only(kind, own)?;
    let arch = match (kind, legacy) {
        (ModelKind::Transformer, false) => Arch::Transformer(fields.transformer()?),
        (ModelKind::Transformer, true) => Arch::Transformer(fields.transformer_v1()?),
        (_, false) => rnn_arch(kind, fields.rnn()?, &v["cell"])?,
        (_, true) => rnn_arch(kind, fields.rnn_v1()?, &v["cell"])?,
    };
    let dropout = match &v["dropout"] {
        Value::Null => ModelConfig::new(kind, 1, 1).dropout,
        d => d.as_f64().ok_or("config field 'dropout' is not a number")?,
    };
    let config = ModelConfig {
        src_vocab: fields.int("src_vocab")?,
        tgt_vocab: fields.int("tgt_vocab")?,
        dropout,
        arch,
    };
    config.validate()?;
    Ok(config)
}

/// The recurrent model of `kind` with the sizes `r`: the cell is the
/// kind's, or for attention the `cell` field's (absent: the LSTM).
fn rnn_arch(kind: ModelKind, r: RnnConfig, cell: &Value) -> Result<Arch, String> {
    let named_cell = match cell {
        Value::Null => None,
        Value::String(c) => Some(named::<Cell>("cell", c)?),
        _ => return Err("config field 'cell' is not a string".into()),
    };
    let plain = |cell: Cell| match named_cell {
        Some(c) if c != cell => Err(format!(
            "model config: a {kind} model has {} cells, not {}",
            cell.name(),
            c.name()
        )),
        _ => Ok(Arch::Lstm(RnnConfig { cell, ..r })),
    };
    match kind {
        ModelKind::Rnn => plain(Cell::Rnn),
        ModelKind::Lstm => plain(Cell::Lstm),
        ModelKind::Gru => plain(Cell::Gru),
        _ => Ok(Arch::Attention(RnnConfig {
            cell: named_cell.unwrap_or_default(),
            ..r
        })),
    }
}

/// Typed reads of a config object's fields, each error naming the field.
struct Fields<'a>(&'a Value);

impl Fields<'_> {
    /// Refuses a key that is neither common nor in `own`, naming it and the keys there are.
    fn only(&self, kind: ModelKind, own: &[&str]) -> Result<(), String> {
        let Value::Object(m) = self.0 else {
            return Err("config is not a JSON object".into());
        };
        let known = |k: &str| COMMON_KEYS.contains(&k) || own.contains(&k);
        match m.keys().find(|k| !known(k)) {
            None => Ok(()),
            Some(k) => Err(format!(
                "config field '{}' is not a key of a {kind} model: its keys are {}, {} (docs/weights.md)",
                printable(k),
                COMMON_KEYS.join(", "),
                own.join(", ")
            )),
        }
    }

    /// A whole number that may be absent (then `default`).
    fn int_or(&self, k: &str, default: usize) -> Result<usize, String> {
        match &self.0[k] {
            Value::Null => Ok(default),
            _ => self.int(k),
        }
    }

    fn int(&self, k: &str) -> Result<usize, String> {
        self.0[k]
            .as_u64()
            .and_then(|x| usize::try_from(x).ok())
            .ok_or(format!(
                "config field '{k}' is missing or not a whole number"
            ))
    }

    /// A flag that may be absent (then `false`).
    fn flag(&self, value: &Value, k: &str) -> Result<bool, String> {
        match value {
            Value::Null => Ok(false),
            x => x
                .as_bool()
                .ok_or(format!("config field '{k}' is not true or false")),
        }
    }

    fn directions(&self, both: bool, bridge: &Value, k: &str) -> Result<Directions, String> {
        let bridge = match bridge {
            Value::Null => Bridge::Concat,
            Value::String(b) => named("bridge", b)?,
            _ => return Err(format!("config field '{k}' is not a string")),
        };
        match (both, bridge) {
            (true, b) => Ok(Directions::Both(b)),
            (false, Bridge::Concat) => Ok(Directions::Forward),
            (false, Bridge::Project) => {
                Err("model config: bridge project needs a bidirectional encoder".into())
            }
        }
    }

    fn rnn(&self) -> Result<RnnConfig, String> {
        let both = self.flag(&self.0["bidirectional"], "bidirectional")?;
        Ok(RnnConfig {
            cell: Cell::Lstm,
            emb: self.int("emb")?,
            hidden: self.int("hidden")?,
            layers: self.int_or("layers", 1)?,
            directions: self.directions(both, &self.0["bridge"], "bridge")?,
        })
    }

    fn rnn_v1(&self) -> Result<RnnConfig, String> {
        let arch = &self.0["arch"];
        for k in ["norm_first", "gelu", "final_norm"] {
            if self.flag(&arch[k], &format!("arch.{k}"))? {
                return Err(format!(
                    "model config: {k} is an option of the transformer, not of the LSTM models"
                ));
            }
        }
        let both = self.flag(&arch["bidirectional"], "arch.bidirectional")?;
        let layers = match &arch["rnn_layers"] {
            Value::Null => 1,
            x => x
                .as_u64()
                .and_then(|x| usize::try_from(x).ok())
                .ok_or("config field 'arch.rnn_layers' is not a whole number".to_string())?,
        };
        Ok(RnnConfig {
            cell: Cell::Lstm,
            emb: self.int("emb")?,
            hidden: self.int("hidden")?,
            layers,
            directions: self.directions(both, &arch["bridge"], "arch.bridge")?,
        })
    }

    fn transformer(&self) -> Result<TransformerConfig, String> {
        let activation = match &self.0["activation"] {
            Value::Null => FfnActivation::Relu,
            a if a.as_str() == Some("relu") => FfnActivation::Relu,
            a if a.as_str() == Some("gelu") => FfnActivation::Gelu,
            _ => return Err("config field 'activation' must be \"relu\" or \"gelu\"".into()),
        };
        Ok(TransformerConfig {
            d_model: self.int("d_model")?,
            d_ff: self.int("d_ff")?,
            heads: self.int("heads")?,
            layers: self.int("layers")?,
            layer: LayerOptions {
                norm_first: self.flag(&self.0["norm_first"], "norm_first")?,
                activation,
            },
            final_norm: self.flag(&self.0["final_norm"], "final_norm")?,
            pieces: self.pieces()?,
        })
    }

    /// The pieces named (absent ones take their default).
    fn pieces(&self) -> Result<Pieces, String> {
        let d = Pieces::default();
        Ok(Pieces {
            scale: self.optional("scale", d.scale)?,
            positions: self.optional("positions", d.positions)?,
            decoder_mask: self.optional("decoder_mask", d.decoder_mask)?,
        })
    }

    /// An option given by name, or `default` when absent.
    fn optional<T: clap::ValueEnum>(&self, k: &str, default: T) -> Result<T, String> {
        match &self.0[k] {
            Value::Null => Ok(default),
            Value::String(name) => named(k, name),
            _ => Err(format!("config field '{k}' is not a string")),
        }
    }

    fn transformer_v1(&self) -> Result<TransformerConfig, String> {
        let arch = &self.0["arch"];
        let gelu = self.flag(&arch["gelu"], "arch.gelu")?;
        let layers = arch["rnn_layers"].as_u64().unwrap_or(1);
        let project = arch["bridge"].as_str() == Some("project");
        let recurrent = self.flag(&arch["bidirectional"], "arch.bidirectional")? || layers > 1;
        if recurrent || project {
            return Err(
                "model config: stacked or bidirectional LSTM options on a transformer".into(),
            );
        }
        Ok(TransformerConfig {
            d_model: self.int("emb")?,
            d_ff: self.int("hidden")?,
            heads: self.int("heads")?,
            layers: self.int("layers")?,
            layer: LayerOptions {
                norm_first: self.flag(&arch["norm_first"], "arch.norm_first")?,
                activation: if gelu {
                    FfnActivation::Gelu
                } else {
                    FfnActivation::Relu
                },
            },
            final_norm: self.flag(&arch["final_norm"], "arch.final_norm")?,
            pieces: Pieces::default(),
        })
    }
}
