//! A model's config (`src/seq2seq/config.rs`) and its JSON
//! (`src/seq2seq/io/config_json.rs`): each model has only the fields that
//! mean something for it; configs survive JSON in layout 2; layout 1, as
//! checkpoints and weights files written before it hold, still reads; a
//! malformed field is refused with its name.

use encdec::nn::{FfnActivation, LayerOptions};
use encdec::seq2seq::config::{
    Arch, AttentionScale, Bridge, Cell, DecoderMask, Directions, ModelConfig, ModelKind, Pieces,
    Positions, RnnConfig, TransformerConfig,
};
use encdec::seq2seq::io::{config_from, config_json};
use serde_json::json;

/// A recurrent model of `kind` (its cell: the kind's; LSTM for attention).
fn rnn(kind: ModelKind, layers: usize, directions: Directions) -> ModelConfig {
    let cell = match kind {
        ModelKind::Rnn => Cell::Rnn,
        ModelKind::Gru => Cell::Gru,
        _ => Cell::Lstm,
    };
    let r = RnnConfig {
        cell,
        emb: 6,
        hidden: 10,
        layers,
        directions,
    };
    let arch = match kind {
        ModelKind::Attention => Arch::Attention(r),
        _ => Arch::Lstm(r),
    };
    ModelConfig {
        src_vocab: 11,
        tgt_vocab: 13,
        dropout: 0.2,
        arch,
    }
}

fn transformer(norm_first: bool, activation: FfnActivation, final_norm: bool) -> ModelConfig {
    ModelConfig {
        src_vocab: 11,
        tgt_vocab: 13,
        dropout: 0.0,
        arch: Arch::Transformer(TransformerConfig {
            d_model: 8,
            d_ff: 12,
            heads: 2,
            layers: 3,
            layer: LayerOptions {
                norm_first,
                activation,
            },
            final_norm,
            pieces: Pieces::default(),
        }),
    }
}

#[test]
fn configs_round_trip_through_json() {
    let configs = [
        rnn(ModelKind::Lstm, 1, Directions::Forward),
        rnn(ModelKind::Attention, 3, Directions::Both(Bridge::Project)),
        rnn(ModelKind::Lstm, 2, Directions::Both(Bridge::Concat)),
        rnn(ModelKind::Rnn, 1, Directions::Forward),
        rnn(ModelKind::Gru, 2, Directions::Both(Bridge::Project)),
        attention_with(Cell::Gru),
        attention_with(Cell::Rnn),
        transformer(false, FfnActivation::Relu, false),
        transformer(true, FfnActivation::Gelu, true),
    ];
    for c in configs {
        let v = config_json(&c);
        assert_eq!(config_from(&v).unwrap(), c, "{v}");
    }
}

/// The default-sized attention model with `cell`.
fn attention_with(cell: Cell) -> ModelConfig {
    let mut c = rnn(ModelKind::Attention, 1, Directions::Forward);
    if let Arch::Attention(r) = &mut c.arch {
        r.cell = cell;
    }
    c
}

#[test]
fn each_model_and_cell_has_one_kind_and_one_spelling() {
    // rnn, lstm, gru: the kind names the cell and no "cell" is written;
    // attention writes "cell" only when it is not the LSTM, so an LSTM
    // model's JSON is what it was before cells existed.
    for (kind, cell) in [
        (ModelKind::Rnn, Cell::Rnn),
        (ModelKind::Lstm, Cell::Lstm),
        (ModelKind::Gru, Cell::Gru),
    ] {
        let c = ModelConfig::new(kind, 7, 8);
        assert_eq!((c.kind(), c.rnn().unwrap().cell), (kind, cell));
        let v = config_json(&c);
        assert_eq!(v["kind"], kind.name());
        assert!(v.get("cell").is_none(), "{v}");
    }
    assert!(
        config_json(&attention_with(Cell::Lstm))
            .get("cell")
            .is_none()
    );
    let gru = config_json(&attention_with(Cell::Gru));
    assert_eq!(
        (gru["kind"].as_str(), gru["cell"].as_str()),
        (Some("attention"), Some("gru"))
    );
    assert_eq!(
        attention_with(Cell::Gru).to_string(),
        "attention (GRU cells, emb 6, hidden 10, dropout 0.2)"
    );
    assert_eq!(
        ModelConfig::new(ModelKind::Rnn, 7, 8).to_string(),
        "rnn (emb 48, hidden 96, dropout 0.1)"
    );
    // A "cell" that contradicts the kind, or names no cell, is refused.
    let mut v = config_json(&rnn(ModelKind::Gru, 1, Directions::Forward));
    v["cell"] = json!("lstm");
    let e = config_from(&v).unwrap_err();
    assert!(e.contains("a gru model has gru cells, not lstm"), "{e}");
    v["cell"] = json!("tree");
    let e = config_from(&v).unwrap_err();
    assert!(
        e.contains("unknown cell 'tree': expected one of lstm, gru, rnn"),
        "{e}"
    );
}

#[test]
fn layout_2_names_only_what_each_model_has() {
    let v = config_json(&rnn(
        ModelKind::Attention,
        2,
        Directions::Both(Bridge::Project),
    ));
    let want = json!({"kind": "attention", "src_vocab": 11, "tgt_vocab": 13, "dropout": 0.2,
        "emb": 6, "hidden": 10, "layers": 2, "bidirectional": true, "bridge": "project"});
    assert_eq!(v, want);
    let v = config_json(&transformer(true, FfnActivation::Gelu, false));
    let want = json!({"kind": "transformer", "src_vocab": 11, "tgt_vocab": 13, "dropout": 0.0,
        "d_model": 8, "d_ff": 12, "heads": 2, "layers": 3,
        "norm_first": true, "activation": "gelu", "final_norm": false});
    assert_eq!(v, want);
}

#[test]
fn files_of_layout_1_still_load() {
    // As a69e63b wrote them: the Transformer's d_model and d_ff in "emb" and
    // "hidden", "layers" and "heads" on every model, the options in "arch".
    let lstm = json!({"kind": "attention", "src_vocab": 11, "tgt_vocab": 13, "emb": 6,
        "hidden": 10, "layers": 2, "heads": 4, "dropout": 0.2,
        "arch": {"rnn_layers": 3, "bidirectional": true, "bridge": "project",
                 "norm_first": false, "gelu": false, "final_norm": false}});
    assert_eq!(
        config_from(&lstm).unwrap(),
        rnn(ModelKind::Attention, 3, Directions::Both(Bridge::Project))
    );
    let tf = json!({"kind": "transformer", "src_vocab": 11, "tgt_vocab": 13, "emb": 8,
        "hidden": 12, "layers": 3, "heads": 2, "dropout": 0.0,
        "arch": {"rnn_layers": 1, "bidirectional": false, "bridge": "concat",
                 "norm_first": true, "gelu": true, "final_norm": true}});
    assert_eq!(
        config_from(&tf).unwrap(),
        transformer(true, FfnActivation::Gelu, true)
    );
    // The oldest files have no "arch": every option at its default, one LSTM layer.
    let oldest = json!({"kind": "lstm", "src_vocab": 11, "tgt_vocab": 13, "emb": 6,
        "hidden": 10, "layers": 2, "heads": 4, "dropout": 0.2});
    assert_eq!(
        config_from(&oldest).unwrap(),
        rnn(ModelKind::Lstm, 1, Directions::Forward)
    );
}

#[test]
fn malformed_fields_are_refused_with_their_names() {
    let base = config_json(&rnn(ModelKind::Lstm, 1, Directions::Forward));
    let with = |k: &str, v: serde_json::Value| {
        let mut c = base.clone();
        c[k] = v;
        c
    };
    for (c, named) in [
        (with("emb", json!("six")), "'emb'"),
        (with("bidirectional", json!(1)), "'bidirectional'"),
        (with("bridge", json!("sum")), "unknown bridge 'sum'"),
        (with("kind", json!("tree")), "unknown model 'tree'"),
        // A name from a file is echoed without its control characters.
        (
            with("kind", json!("\u{1b}[2J")),
            "unknown model '\\u{1b}[2J'",
        ),
        (with("hidden", json!(0)), "hidden must be at least 1"),
        (with("layers", json!(17)), "from 1 to 16"),
    ] {
        let e = config_from(&c).unwrap_err();
        assert!(e.contains(named), "{c}: {e}");
    }
    let project_alone = with("bridge", json!("project"));
    assert!(
        config_from(&project_alone)
            .unwrap_err()
            .contains("bidirectional")
    );
    let tf = config_json(&transformer(false, FfnActivation::Relu, false));
    let mut bad = tf.clone();
    bad["activation"] = json!("tanh");
    assert!(config_from(&bad).unwrap_err().contains("'activation'"));
    let mut bad = tf;
    bad["heads"] = json!(3);
    assert!(config_from(&bad).unwrap_err().contains("divide d_model"));
    // Layout 1 refuses an option of the other family, as it always did.
    let v1 = json!({"kind": "lstm", "src_vocab": 11, "tgt_vocab": 13, "emb": 6, "hidden": 10,
        "layers": 1, "heads": 1, "dropout": 0.0, "arch": {"gelu": true}});
    assert!(
        config_from(&v1)
            .unwrap_err()
            .contains("gelu is an option of the transformer")
    );
}

#[test]
fn the_defaults_are_stated_once_in_model_config_new() {
    let c = ModelConfig::new(ModelKind::Attention, 85, 108);
    assert_eq!(
        c.rnn(),
        Some(&RnnConfig {
            cell: Cell::Lstm,
            emb: 48,
            hidden: 96,
            layers: 1,
            directions: Directions::Forward
        })
    );
    assert_eq!(c.dropout, 0.1);
    let t = ModelConfig::new(ModelKind::Transformer, 85, 108);
    let tc = t.transformer().unwrap();
    assert_eq!((tc.d_model, tc.d_ff, tc.heads, tc.layers), (64, 128, 4, 2));
    assert_eq!(tc.layer, LayerOptions::default());
    assert!(!tc.final_norm && t.rnn().is_none());
    assert_eq!(t.kind(), ModelKind::Transformer);
    assert_eq!(
        t.to_string(),
        "transformer (d_model 64, d_ff 128, 4 heads, 2+2 layers, dropout 0.1)"
    );
    assert_eq!(c.to_string(), "attention (emb 48, hidden 96, dropout 0.1)");
}

#[test]
fn encdec_gradcheck_lists_the_layers_of_every_option() {
    // `encdec gradcheck` prints one row per op case and layer case
    // (tests/cli/basics.rs checks that each row is there and ok); these are
    // the cases of the architecture options, which must not drop out.
    let layers: Vec<&str> = encdec::checks::layers::layer_cases()
        .iter()
        .map(|c| c.name)
        .collect();
    for name in [
        "lstm_stack",
        "lstm_stack_steps",
        "scaled_dot_float_mask",
        "mha_float_mask",
        "mha_kdim_vdim_no_bias",
        "encoder_layer_pre_norm_gelu",
        "decoder_layer_pre_norm_gelu",
        "encoder_stack_final_norm",
        "decoder_stack_final_norm",
    ] {
        assert!(layers.contains(&name), "{name} is not in {layers:?}");
    }
    let ops: Vec<&str> = encdec::checks::ops::op_cases()
        .iter()
        .map(|c| c.name)
        .collect();
    assert!(ops.contains(&"gelu"), "{ops:?}");
}

/// The ablations of `encdec experiment`: each piece switched off is written
/// by name and read back; a default model's JSON names none of them, so
/// checkpoints written before the options existed read and write the same.
#[test]
fn pieces_round_trip_through_json() {
    let default = ModelConfig::new(ModelKind::Transformer, 20, 30);
    let v = config_json(&default);
    for k in ["scale", "positions", "decoder_mask"] {
        assert!(v.get(k).is_none(), "{k} written for the default model: {v}");
    }
    let off = [
        Pieces {
            scale: AttentionScale::None,
            ..Pieces::default()
        },
        Pieces {
            positions: Positions::None,
            ..Pieces::default()
        },
        Pieces {
            decoder_mask: DecoderMask::None,
            ..Pieces::default()
        },
        Pieces {
            scale: AttentionScale::None,
            positions: Positions::None,
            decoder_mask: DecoderMask::None,
        },
    ];
    for pieces in off {
        let mut c = default.clone();
        if let Arch::Transformer(t) = &mut c.arch {
            t.pieces = pieces;
        }
        let v = config_json(&c);
        assert_eq!(config_from(&v).unwrap(), c, "{v}");
    }
    let mut v = config_json(&default);
    v["positions"] = json!("learnt");
    let e = config_from(&v).unwrap_err();
    assert!(
        e.contains("unknown positions 'learnt'") && e.contains("sinusoidal"),
        "{e}"
    );
}

/// A config as a user writes it for a model made elsewhere (docs/weights.md,
/// "The config's keys"): each family's own keys, the optional ones at their
/// documented defaults. An LSTM needs no `heads`, and its `layers` counts.
#[test]
fn each_family_needs_only_its_own_keys() {
    let lstm = json!({"kind": "lstm", "src_vocab": 11, "tgt_vocab": 13, "emb": 6, "hidden": 10});
    let mut want = rnn(ModelKind::Lstm, 1, Directions::Forward);
    want.dropout = 0.1; // the default of ModelConfig::new
    assert_eq!(config_from(&lstm).unwrap(), want);
    let mut two = lstm.clone();
    two["layers"] = json!(2);
    two["bidirectional"] = json!(true);
    assert_eq!(
        config_from(&two).unwrap().rnn().unwrap(),
        &RnnConfig {
            layers: 2,
            directions: Directions::Both(Bridge::Concat),
            ..*want.rnn().unwrap()
        }
    );
    // A size alone is enough for `layers` to count (it is not layout 1's).
    let mut layers = lstm.clone();
    layers["layers"] = json!(3);
    assert_eq!(config_from(&layers).unwrap().rnn().unwrap().layers, 3);
    let tf = json!({"kind": "transformer", "src_vocab": 11, "tgt_vocab": 13, "dropout": 0.0,
        "d_model": 8, "d_ff": 12, "heads": 2, "layers": 3});
    assert_eq!(
        config_from(&tf).unwrap(),
        transformer(false, FfnActivation::Relu, false)
    );
    // The Transformer's older names for d_model and d_ff still read.
    let old_names = json!({"kind": "transformer", "src_vocab": 11, "tgt_vocab": 13,
        "dropout": 0.0, "emb": 8, "hidden": 12, "heads": 2, "layers": 3});
    assert_eq!(config_from(&old_names).unwrap(), config_from(&tf).unwrap());
}

#[test]
fn a_key_of_another_family_is_refused_by_name() {
    let lstm = json!({"kind": "lstm", "src_vocab": 11, "tgt_vocab": 13, "emb": 6, "hidden": 10,
        "bidirectional": false, "d_model": 8});
    let e = config_from(&lstm).unwrap_err();
    assert!(e.contains("'d_model' is not a key of a lstm model"), "{e}");
    assert!(e.contains("emb, hidden"), "{e}");
    let mut heads = lstm.clone();
    heads.as_object_mut().unwrap().remove("d_model");
    heads["heads"] = json!(4);
    let e = config_from(&heads).unwrap_err();
    assert!(e.contains("'heads' is not a key of a lstm model"), "{e}");
    let tf = json!({"kind": "transformer", "src_vocab": 11, "tgt_vocab": 13, "d_model": 8,
        "hidden": 12, "d_ff": 12, "heads": 2, "layers": 3});
    let e = config_from(&tf).unwrap_err();
    assert!(
        e.contains("'hidden' is not a key of a transformer model"),
        "{e}"
    );
    let mut missing = tf.clone();
    missing.as_object_mut().unwrap().remove("hidden");
    missing.as_object_mut().unwrap().remove("heads");
    let e = config_from(&missing).unwrap_err();
    assert!(e.contains("'heads' is missing"), "{e}");
}
