//! The architecture options of a model config (`src/seq2seq/architecture.rs`):
//! saved in checkpoints, absent in old ones, refused where they do not apply,
//! and the `train` flags that set them.

#[path = "cli_support/mod.rs"]
mod cli_support;

use cli_support::{encdec, fails_with};
use encdec::seq2seq::{Architecture, Bridge, ModelKind};
use serde_json::json;

#[test]
fn the_options_survive_json_and_old_configs_take_the_defaults() {
    let a = Architecture {
        rnn_layers: 3,
        bidirectional: true,
        bridge: Bridge::Project,
        ..Architecture::default()
    };
    assert_eq!(Architecture::from_json(&a.to_json()).unwrap(), a);
    let t = Architecture {
        norm_first: true,
        gelu: true,
        final_norm: true,
        ..Architecture::default()
    };
    assert_eq!(Architecture::from_json(&t.to_json()).unwrap(), t);
    // A checkpoint written before the options existed has no "arch" field.
    let old = Architecture::from_json(&serde_json::Value::Null).unwrap();
    assert_eq!(old, Architecture::default());
    assert_eq!(old.rnn_layers, 1);
    assert!(!old.bidirectional && !old.norm_first && !old.gelu && !old.final_norm);
    // A partial object takes the defaults for what it lacks.
    let partial = Architecture::from_json(&json!({"gelu": true})).unwrap();
    assert!(partial.gelu && partial.rnn_layers == 1);
}

#[test]
fn malformed_options_are_refused_with_the_field_named() {
    for (v, field) in [
        (json!({"rnn_layers": "two"}), "arch.rnn_layers"),
        (json!({"bidirectional": 1}), "arch.bidirectional"),
        (json!({"bridge": "sum"}), "unknown bridge 'sum'"),
        (json!({"gelu": "yes"}), "arch.gelu"),
        (json!([1, 2]), "'arch' is not an object"),
    ] {
        let e = Architecture::from_json(&v).unwrap_err();
        assert!(e.contains(field), "{v}: {e}");
    }
}

#[test]
fn each_option_is_refused_by_the_other_family() {
    let lstm_only = [
        Architecture {
            rnn_layers: 2,
            ..Default::default()
        },
        Architecture {
            bidirectional: true,
            ..Default::default()
        },
    ];
    for a in lstm_only {
        assert!(a.validate(ModelKind::Lstm).is_ok());
        assert!(a.validate(ModelKind::Attention).is_ok());
        let e = a.validate(ModelKind::Transformer).unwrap_err();
        assert!(e.contains("lstm and attention models"), "{e}");
    }
    let transformer_only = [
        Architecture {
            norm_first: true,
            ..Default::default()
        },
        Architecture {
            gelu: true,
            ..Default::default()
        },
        Architecture {
            final_norm: true,
            ..Default::default()
        },
    ];
    for a in transformer_only {
        assert!(a.validate(ModelKind::Transformer).is_ok());
        let e = a.validate(ModelKind::Lstm).unwrap_err();
        assert!(e.contains("of the transformer"), "{e}");
    }
    let zero = Architecture {
        rnn_layers: 0,
        ..Default::default()
    };
    assert!(zero.validate(ModelKind::Lstm).is_err());
    let project_alone = Architecture {
        bridge: Bridge::Project,
        ..Default::default()
    };
    let e = project_alone.validate(ModelKind::Lstm).unwrap_err();
    assert!(e.contains("bidirectional"), "{e}");
}

#[test]
fn train_refuses_flags_of_the_other_family_before_any_work() {
    let o = encdec(&["train", "--model", "transformer", "--bidirectional"]);
    fails_with(&o, "--bidirectional is for the lstm and attention models");
    let o = encdec(&["train", "--model", "lstm", "--norm-first"]);
    fails_with(&o, "--norm-first is for the transformer");
    let o = encdec(&["train", "--model", "attention", "--gelu"]);
    fails_with(&o, "--gelu is for the transformer");
    let o = encdec(&["train", "--model", "lstm", "--layers", "17"]);
    fails_with(&o, "at most 16");
    // --bridge needs --bidirectional (clap says so).
    let o = encdec(&["train", "--model", "lstm", "--bridge", "project"]);
    fails_with(&o, "--bidirectional");
    let o = encdec(&[
        "train",
        "--model",
        "lstm",
        "--bidirectional",
        "--bridge",
        "sum",
    ]);
    fails_with(&o, "unknown bridge 'sum'");
}

#[test]
fn encdec_gradcheck_lists_the_layers_of_every_option() {
    // `encdec gradcheck` prints one row per op case and layer case
    // (tests/cli.rs checks that each row is there and ok); these are the
    // cases of issue 15's options, which must not drop out of the list.
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
