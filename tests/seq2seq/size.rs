//! A model's size from its config alone: the exact parameter count equals
//! the built model's, for every kind, cell and option, and overflows are `None`.

use encdec::nn::LayerOptions;
use encdec::seq2seq::config::*;
use encdec::seq2seq::models::build;
use encdec::seq2seq::size::parameter_count;
use encdec::tensor::rng;
use proptest::prelude::*;

/// The values a built model holds, counted one parameter at a time.
fn built(config: &ModelConfig) -> usize {
    let mut model = build(config, &mut rng(0)).unwrap();
    model.params().iter().map(|p| p.value.data().len()).sum()
}

fn rnn_arch() -> impl Strategy<Value = Arch> {
    let directions = prop_oneof![
        Just(Directions::Forward),
        Just(Directions::Both(Bridge::Concat)),
        Just(Directions::Both(Bridge::Project)),
    ];
    let cell = prop_oneof![Just(Cell::Lstm), Just(Cell::Gru), Just(Cell::Rnn)];
    let sizes = (1usize..6, 1usize..7, 1usize..4);
    (sizes, directions, cell, any::<bool>()).prop_map(
        |((emb, hidden, layers), directions, cell, attention)| {
            let r = RnnConfig {
                cell,
                emb,
                hidden,
                layers,
                directions,
            };
            if attention {
                Arch::Attention(r)
            } else {
                Arch::Lstm(r)
            }
        },
    )
}

fn transformer_arch() -> impl Strategy<Value = Arch> {
    (
        1usize..4,
        1usize..4,
        1usize..7,
        1usize..4,
        any::<[bool; 2]>(),
    )
        .prop_map(|(heads, d_k, d_ff, layers, [norm_first, final_norm])| {
            Arch::Transformer(TransformerConfig {
                d_model: heads * d_k,
                d_ff,
                heads,
                layers,
                layer: LayerOptions {
                    norm_first,
                    ..LayerOptions::default()
                },
                final_norm,
                pieces: Pieces::default(),
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// The count from the sizes is the count of the values built.
    #[test]
    fn the_count_is_the_built_models_for_any_config(
        arch in prop_oneof![rnn_arch(), transformer_arch()],
        src_vocab in 1usize..9,
        tgt_vocab in 1usize..9,
    ) {
        let config = ModelConfig { src_vocab, tgt_vocab, dropout: 0.0, arch };
        prop_assert_eq!(parameter_count(&config), Some(built(&config)), "{}", config);
    }
}

#[test]
fn the_default_models_are_counted_by_hand() {
    // §5.1 model, vocabularies 10 and 12, E = 48, H = 96, one layer:
    // embeddings (10 + 12) 48 = 1056; each LSTM 4·96·(48 + 96 + 2) = 56064;
    // output 12·(96 + 1) = 1164. Total 1056 + 2·56064 + 1164 = 114348.
    let lstm = ModelConfig::new(ModelKind::Lstm, 10, 12);
    assert_eq!(parameter_count(&lstm), Some(114_348));
    // Attention adds combine: 96·(2·96 + 1) = 18528.
    let attention = ModelConfig::new(ModelKind::Attention, 10, 12);
    assert_eq!(parameter_count(&attention), Some(114_348 + 18_528));
    // Transformer, d = 64, d_ff = 128, 2 + 2 layers: attention 4·64·65 =
    // 16640, feed-forward 128·65 + 64·129 = 16576, norm 128; encoder layer
    // 16640 + 16576 + 256 = 33472, decoder layer 2·16640 + 16576 + 384 =
    // 50240; (33472 + 50240)·2 = 167424; embeddings 22·64 = 1408; output
    // 12·65 = 780. Total 169612.
    let transformer = ModelConfig::new(ModelKind::Transformer, 10, 12);
    assert_eq!(parameter_count(&transformer), Some(169_612));
    // GRU: 3 gates, each GRU 3·96·(48 + 96 + 2) = 42048: 1056 + 2·42048 + 1164 = 86316.
    let gru = ModelConfig::new(ModelKind::Gru, 10, 12);
    assert_eq!(parameter_count(&gru), Some(86_316));
    // RNN (§4.1): one "gate", each RNN 96·(48 + 96 + 2) = 14016: 1056 + 2·14016 + 1164 = 30252.
    let rnn = ModelConfig::new(ModelKind::Rnn, 10, 12);
    assert_eq!(parameter_count(&rnn), Some(30_252));
}

#[test]
fn a_count_past_usize_is_none() {
    let mut config = ModelConfig::new(ModelKind::Transformer, 10, 12);
    if let Arch::Transformer(t) = &mut config.arch {
        t.layers = usize::MAX / 2;
    }
    assert_eq!(parameter_count(&config), None);
    let mut config = ModelConfig::new(ModelKind::Lstm, usize::MAX / 8, 12);
    assert_eq!(parameter_count(&config), None);
    config.src_vocab = 10;
    if let Arch::Lstm(r) = &mut config.arch {
        r.hidden = 1 << 40;
    }
    assert_eq!(parameter_count(&config), None);
}
