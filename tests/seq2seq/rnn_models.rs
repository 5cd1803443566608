//! The recurrent models with the options of their [`RnnConfig`]
//! (`src/seq2seq/models/lstm_seq2seq.rs`, `attention_seq2seq.rs`,
//! `bridge.rs`): LSTM, GRU and RNN cells, stacked layers, a
//! bidirectional encoder and the two bridges. Each trains, survives a
//! checkpoint round trip, passes a gradient check, and starts decoder layer
//! $l$ from encoder layer $l$.

use encdec::autograd::{Tape, Var};
use encdec::checks::modules::{detached_params, gradcheck_module};
use encdec::nn::Module;
use encdec::optim::Adam;
use encdec::seq2seq::{config::*, decode::*, io::*, models::*, task::*, train::*};
use encdec::tensor::{Tensor, rng};

use crate::model_support;

use model_support::{tiny_batch as batch, tiny_batch_loss as loss_of};

/// `layers` LSTM layers reading as `directions` say, $E = 4$, $H = 3$.
fn arch(layers: usize, directions: Directions) -> RnnConfig {
    RnnConfig {
        cell: Cell::Lstm,
        emb: 4,
        hidden: 3,
        layers,
        directions,
    }
}

/// Every option alone and all together.
fn variants() -> Vec<RnnConfig> {
    vec![
        arch(2, Directions::Forward),
        arch(1, Directions::Both(Bridge::Concat)),
        arch(1, Directions::Both(Bridge::Project)),
        arch(2, Directions::Both(Bridge::Project)),
        arch(2, Directions::Both(Bridge::Concat)),
    ]
}

fn tiny(kind: ModelKind, a: RnnConfig) -> ModelConfig {
    ModelConfig {
        src_vocab: 9,
        tgt_vocab: 8,
        dropout: 0.0,
        arch: match kind {
            ModelKind::Attention => Arch::Attention(a),
            _ => Arch::Lstm(a),
        },
    }
}

fn gradcheck_model<M: Seq2Seq>(mut m: M, what: &str) {
    let report = gradcheck_module(&mut m, &[], loss_of::<M>);
    assert!(report.ok(), "{what}: {report}");
    let detached = detached_params(&mut m, &[], loss_of::<M>);
    assert!(
        detached.is_empty(),
        "{what}: no gradient reaches {detached:?}"
    );
}

#[test]
fn tiny_stacked_bidirectional_models_pass_gradcheck() {
    for bridge in [Bridge::Concat, Bridge::Project] {
        let a = arch(2, Directions::Both(bridge));
        let lstm = LstmSeq2Seq::new(tiny(ModelKind::Lstm, a), &mut rng(1));
        gradcheck_model(lstm, &format!("lstm {bridge:?}"));
        let attention = AttentionSeq2Seq::new(tiny(ModelKind::Attention, a), &mut rng(1));
        gradcheck_model(attention, &format!("attention {bridge:?}"));
    }
}

#[test]
fn tiny_gru_and_rnn_models_pass_gradcheck() {
    // The §5.1 wiring and attention with GRU cells and with the §4.1 tanh RNN:
    // one layer one way, and two layers with a bidirectional encoder and
    // each bridge (the project bridge maps h alone: these cells have no c).
    let options = [
        arch(1, Directions::Forward),
        arch(2, Directions::Both(Bridge::Concat)),
        arch(2, Directions::Both(Bridge::Project)),
    ];
    for (cell, kind) in [(Cell::Gru, ModelKind::Gru), (Cell::Rnn, ModelKind::Rnn)] {
        for a in options {
            let a = RnnConfig { cell, ..a };
            let plain = tiny(kind, a);
            assert_eq!(plain.kind(), kind);
            gradcheck_model(
                LstmSeq2Seq::new(plain, &mut rng(1)),
                &format!("{kind} {a:?}"),
            );
            let attention = AttentionSeq2Seq::new(tiny(ModelKind::Attention, a), &mut rng(1));
            gradcheck_model(attention, &format!("attention {a:?}"));
        }
    }
}

#[test]
fn gru_and_rnn_models_carry_h_alone_and_name_their_cell() {
    let b = batch();
    let a = RnnConfig {
        cell: Cell::Gru,
        ..arch(2, Directions::Both(Bridge::Project))
    };
    let m = build(&tiny(ModelKind::Gru, a), &mut rng(2)).unwrap();
    let tape = Tape::new();
    let enc = m.encode(&tape, &b, None);
    assert_eq!(enc.state.len(), 2); // h for each of the decoder's 2 layers, no c
    let mut m = m;
    let names: Vec<String> = m.params().iter().map(|p| p.name.clone()).collect();
    assert!(names.contains(&"encoder.gru.weight_ih_l1_reverse".to_string()));
    assert!(names.contains(&"decoder.gru.weight_hh_l1".to_string()));
    assert!(names.contains(&"bridge.h.weight".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("lstm") || n.starts_with("bridge.c"))
    );
    let rnn = RnnConfig {
        cell: Cell::Rnn,
        ..arch(1, Directions::Forward)
    };
    let mut m = build(&tiny(ModelKind::Rnn, rnn), &mut rng(2)).unwrap();
    let p = m.params();
    assert_eq!(p[1].name, "encoder.rnn.weight_ih");
    assert_eq!(p[1].value.shape(), &[3, 4]); // one "gate": W_xh is [H, E]
}

#[test]
fn every_option_trains_the_loss_falls() {
    let b = batch();
    for kind in [ModelKind::Lstm, ModelKind::Attention] {
        for a in variants() {
            let mut config = tiny(kind, a);
            config.dropout = 0.1; // the dropout between layers runs too
            let mut m = build(&config, &mut rng(2)).unwrap();
            let mut opt = Adam::new(0.9, 0.999, 1e-8);
            let mut r = rng(3);
            let steps = model_support::step_config(0.05, Some(1.0));
            let first = train_step(m.as_mut(), &b, &mut opt, &steps, 1, &mut r).loss();
            let mut last = first;
            for step in 2..=151 {
                last = train_step(m.as_mut(), &b, &mut opt, &steps, step, &mut r).loss();
            }
            assert!(
                last.is_finite() && last < 0.5 * first,
                "{kind} {a:?}: loss {first} -> {last}"
            );
        }
    }
}

#[test]
fn checkpoints_of_every_option_round_trip() {
    let (src, tgt) = model_support::fox_vocabs();
    for kind in [ModelKind::Lstm, ModelKind::Attention] {
        for a in variants() {
            let mut config = tiny(kind, a);
            (config.src_vocab, config.tgt_vocab) = (src.len(), tgt.len());
            let model = build(&config, &mut rng(7)).unwrap();
            let path = std::env::temp_dir().join(format!(
                "encdec-test-{}-rnn-{kind}-{}-{:?}",
                std::process::id(),
                a.layers,
                a.directions
            ));
            let mut original = Checkpoint::new(Translator::new(
                model,
                src.clone(),
                tgt.clone(),
                Task::Translation,
            ));
            original.save(&path).unwrap();
            let mut c = Checkpoint::load(&path).unwrap();
            std::fs::remove_file(&path).unwrap();
            assert_eq!(c.translator.model.config(), &config);
            let (ours, theirs) = (
                c.translator.model.params(),
                original.translator.model.params(),
            );
            assert_eq!(ours.len(), theirs.len());
            for (p, q) in ours.iter().zip(theirs) {
                assert_eq!((&p.name, &p.value), (&q.name, &q.value));
            }
            let sentence = "the lazy fox jumps over the dog";
            assert_eq!(
                c.translator
                    .decode_text(sentence, 2, UnknownWords::Refuse)
                    .unwrap(),
                original
                    .translator
                    .decode_text(sentence, 2, UnknownWords::Refuse)
                    .unwrap()
            );
        }
    }
}

#[test]
fn widths_and_names_follow_the_bridge() {
    let names_and_shapes = |kind, a| {
        let mut m = build(&tiny(kind, a), &mut rng(0)).unwrap();
        let p: Vec<(String, Vec<usize>)> = m
            .params()
            .iter()
            .map(|p| (p.name.clone(), p.shape().to_vec()))
            .collect();
        p
    };
    let shape = |p: &[(String, Vec<usize>)], name: &str| {
        p.iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))
            .1
            .clone()
    };
    // Concat: the decoder, combine and output are 2H = 6 wide; layer 1 reads 2H.
    let concat = names_and_shapes(
        ModelKind::Attention,
        arch(2, Directions::Both(Bridge::Concat)),
    );
    assert_eq!(shape(&concat, "decoder.lstm.weight_hh"), vec![24, 6]);
    assert_eq!(shape(&concat, "decoder.lstm.weight_ih_l1"), vec![24, 6]);
    assert_eq!(
        shape(&concat, "encoder.lstm.weight_ih_l1_reverse"),
        vec![12, 6]
    );
    assert_eq!(shape(&concat, "decoder.combine.weight"), vec![6, 12]);
    assert_eq!(shape(&concat, "decoder.output.weight"), vec![8, 6]);
    assert!(!concat.iter().any(|(n, _)| n.starts_with("bridge.")));
    assert!(
        !concat
            .iter()
            .any(|(n, _)| n.contains("decoder.lstm.weight_ih_l0_reverse"))
    );
    // Project: the decoder keeps H = 3; the bridge maps 2H -> H, last in the list.
    let project = names_and_shapes(
        ModelKind::Attention,
        arch(2, Directions::Both(Bridge::Project)),
    );
    assert_eq!(shape(&project, "decoder.lstm.weight_hh"), vec![12, 3]);
    assert_eq!(shape(&project, "decoder.output.weight"), vec![8, 3]);
    let tail: Vec<&str> = project[project.len() - 6..]
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        tail,
        [
            "bridge.h.weight",
            "bridge.h.bias",
            "bridge.c.weight",
            "bridge.c.bias",
            "bridge.memory.weight",
            "bridge.memory.bias"
        ]
    );
    assert_eq!(shape(&project, "bridge.memory.weight"), vec![3, 6]);
    // The plain LSTM model keeps no memory, so it has no memory map.
    let lstm = names_and_shapes(ModelKind::Lstm, arch(1, Directions::Both(Bridge::Project)));
    assert!(lstm.iter().any(|(n, _)| n == "bridge.c.weight"));
    assert!(!lstm.iter().any(|(n, _)| n.starts_with("bridge.memory")));
}

#[test]
fn the_defaults_draw_the_same_weights_as_one_layer_one_direction_always_did() {
    // Options that add parameters draw them after the default ones: a
    // two-layer bidirectional model starts with the same embedding draws.
    let mut one = build(
        &tiny(ModelKind::Lstm, arch(1, Directions::Forward)),
        &mut rng(5),
    )
    .unwrap();
    let names: Vec<String> = one.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(
        names,
        [
            "encoder.embedding.weight",
            "encoder.lstm.weight_ih",
            "encoder.lstm.weight_hh",
            "encoder.lstm.bias_ih",
            "encoder.lstm.bias_hh",
            "decoder.embedding.weight",
            "decoder.lstm.weight_ih",
            "decoder.lstm.weight_hh",
            "decoder.lstm.bias_ih",
            "decoder.lstm.bias_hh",
            "decoder.output.weight",
            "decoder.output.bias"
        ]
    );
    let mut two = build(
        &tiny(ModelKind::Lstm, arch(2, Directions::Both(Bridge::Project))),
        &mut rng(5),
    )
    .unwrap();
    assert_eq!(one.params()[0].value, two.params()[0].value);
    assert_eq!(one.params()[1].value, two.params()[1].value);
}

#[test]
fn decoder_layer_l_starts_from_encoder_layer_l() {
    let m = build(
        &tiny(ModelKind::Lstm, arch(2, Directions::Both(Bridge::Concat))),
        &mut rng(4),
    )
    .unwrap();
    let b = batch();
    let tape = Tape::new();
    let enc = m.encode(&tape, &b, None);
    assert_eq!(enc.state.len(), 4); // (h, c) for each of the decoder's 2 layers
    // Run the encoder stack by hand: h_n in order l0, l0_reverse, l1, l1_reverse.
    let mut c = build(
        &tiny(ModelKind::Lstm, arch(2, Directions::Both(Bridge::Concat))),
        &mut rng(4),
    )
    .unwrap();
    let p = c.params();
    let emb = &p[0].value;
    assert_eq!(p[0].name, "encoder.embedding.weight");
    let x: Vec<f64> = b
        .src
        .iter()
        .flat_map(|&id| emb.data()[id * 4..][..4].to_vec())
        .collect();
    let mut stack = encdec::nn::RecurrentStack::new(
        ("encoder.lstm", Cell::Lstm),
        4,
        3,
        (2, true),
        0.0,
        &mut rng(0),
    );
    for q in stack.params_mut() {
        q.value = p.iter().find(|r| r.name == q.name).unwrap().value.clone();
    }
    let x = tape.constant(Tensor::from_vec(x, &[2, 4, 4]));
    let out = stack.forward(&tape, x, None, Some(&b.src_lengths), None);
    for l in 0..2 {
        let h = Var::concat(&[out.h[2 * l], out.h[2 * l + 1]], 1).value();
        let c = Var::concat(&[out.c[2 * l], out.c[2 * l + 1]], 1).value();
        assert_eq!(enc.state[2 * l].value(), h, "layer {l}: h");
        assert_eq!(enc.state[2 * l + 1].value(), c, "layer {l}: c");
    }
}

#[test]
fn projected_bridge_by_hand() {
    // H = 1: h0 = tanh(W_h [h->; h<-] + b_h) = tanh(1 * 0.3 - 1 * 0.1 + 0.5) = tanh(0.7),
    //        c0 = W_c [c->; c<-] + b_c = 2 * 0.5 + 1 * 0.25 - 1 = 0.25.
    let mut rnn = arch(1, Directions::Both(Bridge::Project));
    rnn.hidden = 1;
    let mut bridge = StateBridge::new(&rnn, DecoderReads::FinalState, &mut rng(0)).unwrap();
    bridge.h.weight.value = Tensor::from_vec(vec![1.0, -1.0], &[1, 2]);
    let map_c = bridge.c.as_mut().unwrap();
    map_c.weight.value = Tensor::from_vec(vec![2.0, 1.0], &[1, 2]);
    for (p, v) in [(&mut bridge.h.bias, 0.5), (&mut map_c.bias, -1.0)] {
        p.as_mut().unwrap().value = Tensor::from_vec(vec![v], &[1]);
    }
    let tape = Tape::new();
    let h = tape.constant(Tensor::from_vec(vec![0.3, 0.1], &[1, 2]));
    let c = tape.constant(Tensor::from_vec(vec![0.5, 0.25], &[1, 2]));
    let [h0, c0] = project_state(&bridge, &tape, &[h, c])[..] else {
        panic!("an LSTM's bridge makes h0 and c0")
    };
    assert!((h0.value().item() - 0.7f64.tanh()).abs() < 1e-15);
    assert!((c0.value().item() - 0.25).abs() < 1e-15);
}
