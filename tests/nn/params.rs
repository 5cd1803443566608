//! Parameter lists: every layer and every model lists each parameter once,
//! under a unique name, in an order that does not change between builds, and
//! a checkpoint round trip keeps every one of them.

use encdec::nn::*;
use encdec::seq2seq::{config::*, decode::*, io::*, models::*, task::*};
use encdec::tensor::{Rng, Tensor, rng};
use encdec::text::Vocab;

use crate::model_support;

/// The names of `m`'s parameters, in list order.
fn names<M: Module + ?Sized>(m: &mut M) -> Vec<String> {
    m.params().iter().map(|p| p.name.clone()).collect()
}

/// Panics unless `names` is non-empty and has no repeats.
fn assert_unique(what: &str, names: &[String]) {
    assert!(!names.is_empty(), "{what} lists no parameters");
    let mut sorted = names.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        names.len(),
        "{what} repeats a name: {names:?}"
    );
}

/// Builds the layer twice with different seeds: the names must be unique
/// and come in the same order both times.
fn check_layer<M: Module>(what: &str, build: impl Fn(&mut Rng) -> M) {
    let first = names(&mut build(&mut rng(1)));
    let second = names(&mut build(&mut rng(2)));
    assert_unique(what, &first);
    assert_eq!(first, second, "{what}: the order changed between builds");
}

#[test]
fn every_layer_lists_unique_names_in_a_fixed_order() {
    let stack = StackConfig {
        layers: 2,
        d_model: 4,
        n_heads: 2,
        d_ff: 6,
        dropout: 0.1,
        options: LayerOptions::default(),
        final_norm: false,
    };
    check_layer("Linear", |r| Linear::new("proj", 3, 4, true, r));
    check_layer("Linear without bias", |r| {
        Linear::new("proj", 3, 4, false, r)
    });
    check_layer("Embedding", |r| Embedding::new("emb", 5, 3, r));
    check_layer("Embedding from vectors", |_| {
        Embedding::from_vectors("emb", Tensor::zeros(&[5, 3]), false)
    });
    check_layer("LayerNorm", |_| LayerNorm::new("norm", 4));
    check_layer("RecurrentWeights", |r| {
        RecurrentWeights::new("rnn", 3, 3, 4, r)
    });
    check_layer("Rnn", |r| Rnn::new("rnn", 3, 4, Activation::Tanh, r));
    check_layer("Lstm", |r| Lstm::new("lstm", 3, 4, r));
    check_layer("Gru", |r| Gru::new("gru", 3, 4, r));
    check_layer("AdditiveAttention", |r| {
        AdditiveAttention::new("attn", 4, 3, 5, r)
    });
    check_layer("MultiHeadAttention", |r| {
        MultiHeadAttention::new("mha", 4, 2, r)
    });
    check_layer("FeedForward", |r| FeedForward::new("ff", 4, 6, r));
    check_layer("EncoderLayer", |r| {
        EncoderLayer::new("enc", 4, 2, 6, 0.1, r)
    });
    check_layer("DecoderLayer", |r| {
        DecoderLayer::new("dec", 4, 2, 6, 0.1, r)
    });
    check_layer("TransformerEncoder", |r| {
        TransformerEncoder::new("encoder", stack, r)
    });
    check_layer("TransformerDecoder", |r| {
        TransformerDecoder::new("decoder", stack, r)
    });
}

const KINDS: [ModelKind; 5] = [
    ModelKind::Rnn,
    ModelKind::Lstm,
    ModelKind::Gru,
    ModelKind::Attention,
    ModelKind::Transformer,
];

fn vocabs() -> (Vocab, Vocab) {
    model_support::fox_vocabs()
}

fn config(kind: ModelKind, src: usize, tgt: usize) -> ModelConfig {
    model_support::tiny_config(kind, src, tgt, 2)
}

#[test]
fn every_model_lists_unique_names_in_a_fixed_order() {
    for kind in KINDS {
        let c = config(kind, 9, 11);
        let first = names(build(&c, &mut rng(1)).unwrap().as_mut());
        let second = names(build(&c, &mut rng(2)).unwrap().as_mut());
        assert_unique(kind.name(), &first);
        assert_eq!(first, second, "{kind}: the order changed between builds");
    }
}

#[test]
fn checkpoint_round_trip_keeps_every_parameter() {
    for kind in KINDS {
        let (src, tgt) = vocabs();
        let mut model = build(&config(kind, src.len(), tgt.len()), &mut rng(7)).unwrap();
        // Values no fresh build would have, a different one per parameter,
        // and one frozen parameter, so that a swap or a lost flag shows.
        for (i, p) in model.params_mut().into_iter().enumerate() {
            let n = p.value.numel();
            let values = (0..n).map(|j| i as f64 + j as f64 / n as f64).collect();
            p.value = Tensor::from_vec(values, p.shape());
            p.trainable = i != 1;
        }
        let expected: Vec<(String, Tensor, bool)> = model
            .params()
            .iter()
            .map(|p| (p.name.clone(), p.value.clone(), p.trainable))
            .collect();
        let path =
            std::env::temp_dir().join(format!("encdec-test-{}-params-{kind}", std::process::id()));
        Checkpoint::new(Translator::new(model, src, tgt, Task::Translation))
            .save(&path)
            .unwrap();
        let mut back = Checkpoint::load(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let params = back.translator.model.params();
        assert_eq!(params.len(), expected.len(), "{kind}: parameter count");
        for (p, (name, value, trainable)) in params.iter().zip(&expected) {
            assert_eq!(&p.name, name, "{kind}: order");
            assert_eq!(p.shape(), value.shape(), "{kind}: shape of {name}");
            assert_eq!(p.value.data(), value.data(), "{kind}: values of {name}");
            assert_eq!(p.trainable, *trainable, "{kind}: trainable flag of {name}");
        }
    }
}
