//! Weights in and out with safetensors: PyTorch-made models give PyTorch's
//! logits here, export then import changes nothing, and a bad file is an
//! error naming the tensor.

use crate::model_support;

use encdec::autograd::Tape;
use encdec::seq2seq::io::*;
use encdec::seq2seq::{config::*, decode::*, models::*, task::*};
use encdec::tensor::rng;
use safetensors::tensor::{Dtype, SafeTensors};
use std::collections::HashMap;
use std::process::Command;

const KINDS: [ModelKind; 5] = [
    ModelKind::Rnn,
    ModelKind::Lstm,
    ModelKind::Gru,
    ModelKind::Attention,
    ModelKind::Transformer,
];

/// A small model of `kind` with the fox vocabularies.
fn checkpoint(kind: ModelKind) -> Checkpoint {
    checkpoint_with(kind, None)
}

/// The same; with `stacked = Some(bridge)` an LSTM model has two layers, a
/// bidirectional encoder and that bridge.
fn checkpoint_with(kind: ModelKind, stacked: Option<Bridge>) -> Checkpoint {
    let (src, tgt) = model_support::fox_vocabs();
    let mut config = model_support::tiny_config(kind, src.len(), tgt.len(), 2);
    if let (Some(bridge), Arch::Lstm(r) | Arch::Attention(r)) = (stacked, &mut config.arch) {
        r.layers = 2;
        r.directions = Directions::Both(bridge);
    }
    let model = build(&config, &mut rng(3)).unwrap();
    Checkpoint::new(Translator::new(model, src, tgt, Task::Translation))
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

// The fixtures come from `python3 scripts/weights/torch_weights.py fixtures`, which
// for each kind builds the torch.nn model, fills every tensor with
// `torch.randn_like(p) * 0.5`, runs a batch of three sentences and saves
//     save_file(model.state_dict(), "torch_{kind}.safetensors", metadata=...)
//     save_file({"src": ..., "src_lengths": ..., "tgt_in": ...,
//                "logits": model(src, src_lengths, tgt_in)}, "torch_{kind}_logits.safetensors")
// with, for the Transformer, nn.TransformerEncoderLayer/DecoderLayer(d_model 8,
// 2 heads, d_ff 12, batch_first=True) × 2, and for the LSTMs nn.LSTM(5, 6,
// batch_first=True) over a packed (padded) source. `arch-fixtures` adds the
// LSTM models with nn.LSTM(5, 6, num_layers=2, bidirectional=True) encoders:
// lstm_stacked_concat (decoder nn.LSTM(5, 12, num_layers=2), from [h->; h<-])
// and attention_stacked_project (decoder nn.LSTM(5, 6, num_layers=2) from
// tanh(bridge.h([h->; h<-])), bridge.c([c->; c<-]); memory via bridge.memory).
// The kinds rnn and gru are the same wiring with nn.RNN(5, 6, nonlinearity="tanh",
// batch_first=True) and nn.GRU(5, 6, batch_first=True) (encoder.rnn.*, encoder.gru.*);
// gru_stacked_project has nn.GRU(5, 6, num_layers=2, bidirectional=True) as
// encoder and h0 = tanh(bridge.h([h->; h<-])) (no c, no bridge.c).
#[test]
fn pytorch_made_models_give_pytorchs_logits() {
    let arch_fixtures = [
        (ModelKind::Lstm, "lstm_stacked_concat", Bridge::Concat),
        (
            ModelKind::Attention,
            "attention_stacked_project",
            Bridge::Project,
        ),
        (ModelKind::Gru, "gru_stacked_project", Bridge::Project),
    ];
    let plain = KINDS.map(|k| (k, k.name(), None));
    let stacked = arch_fixtures.map(|(k, name, bridge)| (k, name, Some(bridge)));
    for (kind, name, bridge) in plain.into_iter().chain(stacked) {
        let (config, diff) = torch_fixture_diff(name);
        assert_eq!(config.kind(), kind);
        if let Some(bridge) = bridge {
            let r = config.rnn().unwrap();
            assert_eq!((r.layers, r.directions), (2, Directions::Both(bridge)));
        }
        assert!(
            diff < 1e-12,
            "{name}: encdec differs from PyTorch by {diff:e}"
        );
    }
}

/// Imports `tests/fixtures/torch_{name}.safetensors`, runs the batch of
/// `torch_{name}_logits.safetensors` and returns the model's config and the
/// largest difference from PyTorch's logits.
pub(crate) fn torch_fixture_diff(name: &str) -> (ModelConfig, f64) {
    let dir = std::path::Path::new("tests/fixtures");
    let c = import(&dir.join(format!("torch_{name}.safetensors"))).unwrap();
    let bytes = std::fs::read(dir.join(format!("torch_{name}_logits.safetensors"))).unwrap();
    let (batch, torch_logits) = read_logits(&bytes).unwrap();
    assert!(
        batch.src_lengths.iter().any(|&n| n < batch.src_len),
        "the batch has padding"
    );
    let tape = Tape::new();
    let ours = c
        .translator
        .model
        .forward(&tape, &batch, None)
        .logits
        .value();
    assert_eq!(ours.shape(), torch_logits.shape());
    let diff = max_abs_diff(ours.data(), torch_logits.data());
    (c.translator.model.config().clone(), diff)
}

// torch_transformer_arch*.safetensors come from the same script, with
// ARCH_FIXTURES["transformer_arch"] = dict(norm_first=True, gelu=True, final_norm=True): its
// layers are nn.TransformerEncoderLayer/DecoderLayer(..., norm_first=True,
// activation="gelu", batch_first=True), each stack ends in nn.LayerNorm
// (`encoder.norm`, `decoder.norm`), every tensor ~ 0.5 N(0, 1).
// torch_attention_gru*.safetensors: ARCH_FIXTURES["attention_gru"] = dict(cell="gru"),
// the attention model with nn.GRU(5, 6, batch_first=True) encoder and decoder;
// torch_attention_rnn_stacked_concat*: dict(cell="rnn", layers=2, bidirectional=True),
// encoder nn.RNN(5, 6, num_layers=2, bidirectional=True, nonlinearity="tanh"),
// decoder nn.RNN(5, 12, num_layers=2) from [h->; h<-], attention over [B, S, 12].
#[test]
fn pytorch_made_attention_models_with_gru_and_rnn_cells_give_pytorchs_logits() {
    for (name, cell, layers) in [
        ("attention_gru", Cell::Gru, 1),
        ("attention_rnn_stacked_concat", Cell::Rnn, 2),
    ] {
        let (config, diff) = torch_fixture_diff(name);
        assert_eq!(config.kind(), ModelKind::Attention);
        let r = config.rnn().unwrap();
        assert_eq!((r.cell, r.layers), (cell, layers));
        eprintln!("{name}: max |encdec - PyTorch| = {diff:.2e}");
        assert!(
            diff < 1e-12,
            "{name}: encdec differs from PyTorch by {diff:e}"
        );
    }
}

#[test]
fn a_pytorch_made_transformer_with_every_option_gives_pytorchs_logits() {
    let (config, diff) = torch_fixture_diff("transformer_arch");
    let t = config.transformer().unwrap();
    assert!(t.layer.norm_first && t.final_norm, "{t:?}");
    assert_eq!(t.layer.activation, encdec::nn::FfnActivation::Gelu);
    eprintln!("transformer with every option: max |encdec - PyTorch| = {diff:.2e}");
    assert!(diff < 1e-12, "encdec differs from PyTorch by {diff:e}");
}

#[test]
fn final_norms_export_under_pytorchs_names_and_import_back() {
    let (src, tgt) = model_support::fox_vocabs();
    let mut config = model_support::tiny_config(ModelKind::Transformer, src.len(), tgt.len(), 2);
    if let Arch::Transformer(t) = &mut config.arch {
        t.layer.norm_first = true;
        t.layer.activation = encdec::nn::FfnActivation::Gelu;
        t.final_norm = true;
    }
    let model = build(&config, &mut rng(3)).unwrap();
    let mut original = Checkpoint::new(Translator::new(model, src, tgt, Task::Translation));
    for p in original.translator.model.params_mut() {
        p.value = p.value.map(|v| 0.8 * v + 0.1);
    }
    let bytes = export_bytes(&mut original.translator).unwrap();
    let names: Vec<String> = SafeTensors::deserialize(&bytes)
        .unwrap()
        .names()
        .into_iter()
        .map(String::from)
        .collect();
    for n in [
        "encoder.norm.weight",
        "encoder.norm.bias",
        "decoder.norm.weight",
        "decoder.norm.bias",
    ] {
        assert!(names.iter().any(|m| m == n), "{n} not exported: {names:?}");
    }
    let mut back = import_bytes(&bytes).unwrap();
    assert_eq!(
        back.translator.model.config(),
        original.translator.model.config()
    );
    for (a, b) in back
        .translator
        .model
        .params()
        .iter()
        .zip(&original.translator.model.params())
    {
        assert_eq!((&a.name, &a.value), (&b.name, &b.value));
    }
    let batch = sample_batch(original.translator.model.config(), 3, 5, 1);
    assert_eq!(
        logits_bytes(&back.translator, &batch),
        logits_bytes(&original.translator, &batch)
    );
}

#[test]
fn export_then_import_gives_identical_parameters_and_decoding() {
    let mut cases: Vec<_> = KINDS.map(|k| (k, None)).to_vec();
    for kind in [ModelKind::Lstm, ModelKind::Attention, ModelKind::Gru] {
        cases.extend([(kind, Some(Bridge::Concat)), (kind, Some(Bridge::Project))]);
    }
    for (kind, arch) in cases {
        let mut original = checkpoint_with(kind, arch);
        let mut back = import_bytes(&export_bytes(&mut original.translator).unwrap()).unwrap();
        assert_eq!(
            back.translator.model.config(),
            original.translator.model.config()
        );
        assert_eq!(
            (&back.translator.src_vocab, &back.translator.tgt_vocab),
            (
                &original.translator.src_vocab,
                &original.translator.tgt_vocab
            )
        );
        let (a, b) = (
            back.translator.model.params(),
            original.translator.model.params(),
        );
        assert_eq!(a.len(), b.len());
        for (a, b) in a.iter().zip(&b) {
            assert_eq!((&a.name, &a.value), (&b.name, &b.value));
        }
        let batch = sample_batch(original.translator.model.config(), 3, 5, 1);
        assert_eq!(
            logits_bytes(&back.translator, &batch),
            logits_bytes(&original.translator, &batch)
        );
        let sentence = "the lazy fox jumps over the dog";
        assert_eq!(
            back.translator
                .decode_text(sentence, 1, UnknownWords::Refuse)
                .unwrap(),
            original
                .translator
                .decode_text(sentence, 1, UnknownWords::Refuse)
                .unwrap()
        );
    }
}

#[test]
fn lstm_tensors_gain_l0_and_every_other_name_stays() {
    assert_eq!(
        torch_name("encoder.lstm.weight_ih"),
        "encoder.lstm.weight_ih_l0"
    );
    assert_eq!(
        torch_name("decoder.lstm.bias_hh"),
        "decoder.lstm.bias_hh_l0"
    );
    let names = |kind| {
        let mut c = checkpoint(kind);
        let bytes = export_bytes(&mut c.translator).unwrap();
        let st = SafeTensors::deserialize(&bytes).unwrap();
        st.names().into_iter().map(String::from).collect::<Vec<_>>()
    };
    let lstm = names(ModelKind::Lstm);
    assert!(
        lstm.contains(&"encoder.lstm.weight_hh_l0".to_string()),
        "{lstm:?}"
    );
    assert!(!lstm.iter().any(|n| n.ends_with("weight_ih")), "{lstm:?}");
    // Further layers and the backward direction already carry PyTorch's
    // suffixes; the bridge is plain nn.Linear.
    assert_eq!(
        torch_name("encoder.lstm.weight_ih_l1"),
        "encoder.lstm.weight_ih_l1"
    );
    let reverse = "encoder.lstm.bias_hh_l0_reverse";
    assert_eq!(torch_name(reverse), reverse);
    let mut c = checkpoint_with(ModelKind::Attention, Some(Bridge::Project));
    let bytes = export_bytes(&mut c.translator).unwrap();
    let stacked: Vec<String> = SafeTensors::deserialize(&bytes)
        .unwrap()
        .names()
        .into_iter()
        .map(String::from)
        .collect();
    for name in [
        "encoder.lstm.weight_ih_l0",
        "encoder.lstm.weight_ih_l0_reverse",
        "encoder.lstm.weight_hh_l1_reverse",
        "decoder.lstm.bias_ih_l1",
        "bridge.h.weight",
        "bridge.c.bias",
        "bridge.memory.weight",
    ] {
        assert!(
            stacked.contains(&name.to_string()),
            "{name} not in {stacked:?}"
        );
    }
    let transformer = names(ModelKind::Transformer);
    for name in [
        "encoder.layers.1.self_attn.in_proj_weight",
        "decoder.layers.0.multihead_attn.out_proj.bias",
        "decoder.layers.1.linear1.weight",
        "decoder.layers.0.norm3.weight",
    ] {
        assert!(
            transformer.contains(&name.to_string()),
            "{name} not in {transformer:?}"
        );
    }
}

/// The exported transformer's file rebuilt after `edit` changes its tensors,
/// imported.
fn edited(edit: impl Fn(&mut Vec<model_support::RawTensor>)) -> Result<Checkpoint, String> {
    let mut c = checkpoint(ModelKind::Transformer);
    let bytes = export_bytes(&mut c.translator).unwrap();
    import_bytes(&model_support::rewrite_tensors(&bytes, edit))
}

/// The error of importing the edited file.
fn refused(edit: impl Fn(&mut Vec<model_support::RawTensor>)) -> String {
    match edited(edit) {
        Ok(_) => panic!("the edited file imported"),
        Err(e) => e,
    }
}

#[test]
fn f32_tensors_are_widened_exactly() {
    // Every tensor rounded to f32, as torch's default float type stores it.
    let narrowed = edited(|t| {
        for x in t.iter_mut() {
            x.1 = Dtype::F32;
            x.3 =
                x.3.chunks(8)
                    .flat_map(|c| (f64::from_le_bytes(c.try_into().unwrap()) as f32).to_le_bytes())
                    .collect();
        }
    });
    let mut narrowed = narrowed.unwrap();
    let mut original = checkpoint(ModelKind::Transformer);
    let mut changed = 0;
    for (a, b) in narrowed
        .translator
        .model
        .params()
        .iter()
        .zip(original.translator.model.params())
    {
        let rounded: Vec<f64> = b.value.data().iter().map(|&v| v as f32 as f64).collect();
        assert_eq!((&a.name, a.value.data()), (&b.name, rounded.as_slice()));
        changed += usize::from(a.value != b.value);
    }
    assert!(
        changed > 10,
        "rounding to f32 changed only {changed} tensors"
    );
}

const NORM: &str = "encoder.layers.0.norm1.weight";

#[test]
fn a_bad_file_is_an_error_naming_the_tensor_and_what_to_do() {
    // A missing tensor: the values are too few for the config, refused
    // before any model is built (the norm's 8 values).
    let e = refused(|t| t.retain(|x| x.0 != NORM));
    assert!(e.contains("8 fewer") && e.contains("missing"), "{e}");
    let e = refused(|t| {
        let x = t.iter_mut().find(|x| x.0 == NORM).unwrap();
        x.2 = vec![x.2[0] / 2, 2];
    });
    assert!(e.contains(NORM) && e.contains("shape"), "{e}");
    let e = refused(|t| t.iter_mut().find(|x| x.0 == NORM).unwrap().1 = Dtype::I64);
    assert!(e.contains(NORM) && e.contains("tensor.double()"), "{e}");
    let e = refused(|t| t.push(("encoder.extra".into(), Dtype::F64, vec![1], vec![0; 8])));
    assert!(e.contains("1 more") && e.contains("left over"), "{e}");
    // Same number of values, another name: named.
    let e = refused(|t| t.iter_mut().find(|x| x.0 == NORM).unwrap().0 = "encoder.extra".into());
    assert!(e.contains(NORM) && e.contains("missing"), "{e}");
    let mut c = checkpoint(ModelKind::Lstm);
    let bytes = export_bytes(&mut c.translator).unwrap();
    let e = import_bytes(&bytes[..bytes.len() - 5]).err().unwrap();
    assert!(e.contains("not a readable safetensors file"), "{e}");
    let st = SafeTensors::deserialize(&bytes).unwrap();
    let bare = safetensors::serialize(st.tensors(), None::<HashMap<String, String>>).unwrap();
    let e = import_bytes(&bare).err().unwrap();
    assert!(
        e.contains("metadata has no") && e.contains("encdec export"),
        "{e}"
    );
}

#[test]
fn a_damaged_config_is_refused_before_anything_is_allocated() {
    let mut c = checkpoint(ModelKind::Lstm);
    let bytes = export_bytes(&mut c.translator).unwrap();
    let (_, meta) = SafeTensors::read_metadata(&bytes).unwrap();
    let mut meta = meta.metadata().clone().unwrap();
    let mut config: serde_json::Value = serde_json::from_str(&meta["config"]).unwrap();
    config["hidden"] = serde_json::json!(1u64 << 40);
    meta.insert("config".into(), config.to_string());
    let st = SafeTensors::deserialize(&bytes).unwrap();
    let e = import_bytes(&safetensors::serialize(st.tensors(), Some(meta)).unwrap())
        .err()
        .unwrap();
    assert!(
        e.contains("hidden 1099511627776") && e.contains("more parameters than"),
        "{e}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// A cut or bit-flipped file is imported or refused, never a panic.
    #[test]
    fn a_cut_or_flipped_file_never_panics(cut in 0usize..4000, flip in 0usize..4000, bit in 0u8..8) {
        let mut c = checkpoint(ModelKind::Lstm);
        let mut bytes = export_bytes(&mut c.translator).unwrap();
        let flip = flip % bytes.len();
        bytes[flip] ^= 1 << bit;
        let _ = import_bytes(&bytes);
        let _ = import_bytes(&bytes[..cut.min(bytes.len())]);
    }
}

#[test]
fn export_and_import_commands_refuse_bad_paths_in_one_line() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_encdec"))
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = run(&[
        "import",
        "--weights",
        "no-such.safetensors",
        "--out",
        "x.ckpt",
    ]);
    assert!(
        e.contains("no-such.safetensors") && e.contains("cannot read"),
        "{e}"
    );
    let e = run(&["export", "--checkpoint", "no-such.ckpt", "--out", "x.txt"]);
    assert!(e.contains("--out") && e.contains("x.txt"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn export_and_import_commands_round_trip_a_checkpoint() {
    let dir = std::env::temp_dir().join(format!("encdec-weights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let mut original = checkpoint(ModelKind::Attention);
    original
        .save(std::path::Path::new(&path("m.ckpt")))
        .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_encdec"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let (ckpt, st, logits, back) = (
        path("m.ckpt"),
        path("m.safetensors"),
        path("l.safetensors"),
        path("n.ckpt"),
    );
    run(&[
        "export",
        "--checkpoint",
        &ckpt,
        "--out",
        &st,
        "--logits",
        &logits,
    ]);
    run(&["import", "--weights", &st, "--out", &back]);
    let mut back = Checkpoint::load(std::path::Path::new(&back)).unwrap();
    for (a, b) in back
        .translator
        .model
        .params()
        .iter()
        .zip(original.translator.model.params())
    {
        assert_eq!((&a.name, &a.value), (&b.name, &b.value));
    }
    let (batch, written) = read_logits(&std::fs::read(&logits).unwrap()).unwrap();
    let tape = Tape::new();
    assert_eq!(
        back.translator
            .model
            .forward(&tape, &batch, None)
            .logits
            .value(),
        written
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The export of a small attention model with target token 5 replaced by
/// `token`, imported.
fn with_target_token(token: &str) -> Result<Checkpoint, String> {
    let mut c = checkpoint(ModelKind::Attention);
    let bytes = export_bytes(&mut c.translator).unwrap();
    let (_, meta) = SafeTensors::read_metadata(&bytes).unwrap();
    let mut meta = meta.metadata().clone().unwrap();
    let mut vocab: Vec<String> = serde_json::from_str(&meta["tgt_vocab"]).unwrap();
    vocab[5] = token.into();
    meta.insert("tgt_vocab".into(), serde_json::to_string(&vocab).unwrap());
    let st = SafeTensors::deserialize(&bytes).unwrap();
    import_bytes(&safetensors::serialize(st.tensors(), Some(meta)).unwrap())
}

#[test]
fn a_token_the_tokenizer_cannot_make_is_refused_naming_it() {
    // Spaces, a terminal escape, a bidi override, NUL, an angle-bracket
    // tag, a capital in a lowercased model, a typographic apostrophe.
    for token in [
        "a b",
        "\u{1b}]0;x\u{7}",
        "\u{202e}abc",
        "a\0b",
        "<x>",
        "Renard",
        "l\u{2019}",
    ] {
        let e = with_target_token(token)
            .err()
            .unwrap_or_else(|| panic!("{token:?} imported"));
        assert!(
            e.contains("tgt_vocab: token 5") && e.contains("tokenizer"),
            "{token:?}: {e}"
        );
        assert!(
            !e.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{e:?}"
        );
    }
    // What the tokenizer does make is kept: an elided word, a number, an
    // ellipsis, a CJK character, an emoji.
    for token in ["l'", "2,5", "...", "狐", "🦊"] {
        with_target_token(token).unwrap_or_else(|e| panic!("{token:?}: {e}"));
    }
}
