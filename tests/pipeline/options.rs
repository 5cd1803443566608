//! The options of the main job (`src/pipeline/options.rs`, `check.rs`):
//! each setting reaches the model's config or the training's, each default
//! is the library's, and every bad value is refused by `check` with the
//! flag named, before any work.

use crate::data_support;
use encdec::nn::FfnActivation;
use encdec::nn::LinearInit;
use encdec::optim::Schedule;
use encdec::pipeline::{
    DataSource, TrainOptions, Units, model_config, output_init, prepare, train_config, units,
};
use encdec::seq2seq::config::{Bridge, Directions, ModelConfig, ModelKind};
use encdec::seq2seq::task::Task;
use encdec::seq2seq::train::{
    ADAMW_DEFAULT_DECAY, Batching, DEFAULT_SHARDS, OptimizerChoice, TrainConfig,
};
use std::path::PathBuf;

/// A change to the options.
type Edit = Box<dyn Fn(&mut TrainOptions)>;

fn options(model: ModelKind) -> TrainOptions {
    TrainOptions::new(Task::Translation, model)
}

#[test]
fn the_output_layer_starts_by_data_source_unless_told() {
    // Built-in corpora keep Xavier (the chapters' seeded figures); corpus files start as
    // nn.Linear, which measured best on real text (docs/own-data.md).
    let mut o = options(ModelKind::Attention);
    assert_eq!(output_init(&o), LinearInit::Xavier);
    o.data.corpus = Some(PathBuf::from("pairs.tsv"));
    assert_eq!(output_init(&o), LinearInit::FanIn);
    o.sizes.output_init = Some(LinearInit::Xavier);
    assert_eq!(output_init(&o), LinearInit::Xavier);
    let mut o = options(ModelKind::Transformer);
    o.sizes.output_init = Some(LinearInit::FanIn);
    assert_eq!(output_init(&o), LinearInit::FanIn);
}

#[test]
fn every_corpus_reads_words_unless_told() {
    let mut o = options(ModelKind::Attention);
    assert_eq!(units(&o), Units::Words, "the built-in corpus reads words");
    o.data.corpus = Some(PathBuf::from("pairs.tsv"));
    assert_eq!(
        units(&o),
        Units::Words,
        "so do corpus files, which measured best so"
    );
    o.text.subwords = Some(Units::Merges(300));
    assert_eq!(units(&o), Units::Merges(300));
    // `--subwords` reads a number or `words`, and says which when it is neither.
    assert_eq!("words".parse::<Units>(), Ok(Units::Words));
    assert_eq!("0".parse::<Units>(), Ok(Units::Merges(0)));
    assert!("-3".parse::<Units>().unwrap_err().contains("`words`"));
    assert!("2k".parse::<Units>().is_err());
}

#[test]
fn left_out_every_setting_is_the_librarys_default() {
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        let o = options(kind);
        assert!(o.check().is_ok());
        assert_eq!(
            model_config(&o, 20, 30, None),
            ModelConfig::new(kind, 20, 30)
        );
        let mut want = TrainConfig::new(kind);
        want.threads = o.threads();
        assert_eq!(train_config(&o), want);
        assert_eq!(o.source(), DataSource::BuiltIn { pairs: 6000 });
    }
    assert_eq!(options(ModelKind::Lstm).run.parallel.shards, DEFAULT_SHARDS);
}

#[test]
fn size_flags_reach_the_model_config() {
    let mut o = options(ModelKind::Attention);
    (o.sizes.emb, o.sizes.hidden, o.sizes.layers) = (Some(16), Some(24), Some(2));
    o.sizes.bidirectional = true;
    o.sizes.bridge = Some(Bridge::Project);
    o.sizes.dropout = Some(0.3);
    let c = model_config(&o, 20, 30, None);
    let r = c.rnn().unwrap();
    assert_eq!((r.emb, r.hidden, r.layers), (16, 24, 2));
    assert_eq!(r.directions, Directions::Both(Bridge::Project));
    assert_eq!(c.dropout, 0.3);
    let mut o = options(ModelKind::Transformer);
    (o.sizes.d_model, o.sizes.d_ff, o.sizes.heads) = (Some(32), Some(48), Some(8));
    (o.sizes.norm_first, o.sizes.gelu, o.sizes.final_norm) = (true, true, true);
    let t = *model_config(&o, 20, 30, None).transformer().unwrap();
    assert_eq!((t.d_model, t.d_ff, t.heads, t.layers), (32, 48, 8, 2));
    assert!(t.layer.norm_first && t.final_norm);
    assert_eq!(t.layer.activation, FfnActivation::Gelu);
    // Word vectors set the width when it is not given.
    let c = model_config(&options(ModelKind::Lstm), 20, 30, Some(50));
    assert_eq!(c.src_embedding_width(), 50);
}

#[test]
fn optimizer_flags_reach_the_training_config() {
    let mut o = options(ModelKind::Attention);
    o.run.weight_decay = Some(0.05);
    o.run.label_smoothing = Some(0.1);
    let c = train_config(&o);
    assert_eq!(c.optimizer, OptimizerChoice::AdamL2 { weight_decay: 0.05 });
    assert_eq!(c.label_smoothing, 0.1);
    let mut o = options(ModelKind::Attention);
    o.run.adamw = true;
    let weight_decay = ADAMW_DEFAULT_DECAY;
    assert_eq!(
        train_config(&o).optimizer,
        OptimizerChoice::AdamW { weight_decay }
    );
    assert_eq!(train_config(&o).optimizer.build().name(), "adamw");
    // --lr sets the constant rate, or the warm-up's peak: at step w = 200 the
    // rate is factor / sqrt(d_model w) = lr.
    o.run.lr = Some(0.01);
    assert_eq!(train_config(&o).schedule, Schedule::Constant(0.01));
    let mut o = options(ModelKind::Transformer);
    o.run.lr = Some(0.002);
    let s = train_config(&o).schedule;
    assert!((s.lr(200) - 0.002).abs() < 1e-15, "{s:?}");
    o.run.clip = Some(0.0);
    assert_eq!(train_config(&o).clip, None);
    o.data.corpus = Some(PathBuf::from("pairs.tsv"));
    assert_eq!(train_config(&o).batching, Batching::Bucketed);
}

#[test]
fn every_bad_value_is_refused_by_check_naming_the_flag() {
    let bad: Vec<(&str, Edit)> = vec![
        (
            "--pairs must be from 100",
            Box::new(|o| o.data.pairs = Some(5)),
        ),
        (
            "--valid and --test go with --corpus",
            Box::new(|o| o.data.valid = Some("v.tsv".into())),
        ),
        (
            "--source and --target go together",
            Box::new(|o| o.data.source = Some("s.txt".into())),
        ),
        (
            "not both",
            Box::new(|o| {
                o.data.corpus = Some("c.tsv".into());
                o.data.source = Some("s.txt".into());
                o.data.target = Some("t.txt".into());
            }),
        ),
        (
            "--freeze-vectors",
            Box::new(|o| o.files.freeze_vectors = true),
        ),
        ("--epochs must be from 1", Box::new(|o| o.run.epochs = 0)),
        (
            "--batch-size must be from 1",
            Box::new(|o| o.run.batch_size = 0),
        ),
        (
            "--shards must be from 1 to 64",
            Box::new(|o| o.run.parallel.shards = 65),
        ),
        (
            "--threads must be from 1 to 256",
            Box::new(|o| o.run.parallel.threads = Some(0)),
        ),
        (
            "--lr must be a positive number",
            Box::new(|o| o.run.lr = Some(f64::NAN)),
        ),
        (
            "--clip must be a number at least 0",
            Box::new(|o| o.run.clip = Some(-1.0)),
        ),
        (
            "--label-smoothing must be at least 0 and below 1",
            Box::new(|o| o.run.label_smoothing = Some(1.0)),
        ),
        (
            "--weight-decay must be a number at least 0",
            Box::new(|o| o.run.weight_decay = Some(-0.1)),
        ),
        (
            "--patience must be at least 1",
            Box::new(|o| o.run.patience = Some(0)),
        ),
        (
            "--dropout must be at least 0 and below 1",
            Box::new(|o| o.sizes.dropout = Some(1.0)),
        ),
        (
            "--max-vocab must be at least 5",
            Box::new(|o| o.text.max_vocab = Some(4)),
        ),
        ("--max-len must be from 1", Box::new(|o| o.text.max_len = 0)),
        (
            "--emb/--d-model must be from 1 to 65536",
            Box::new(|o| o.sizes.emb = Some(0)),
        ),
        (
            "more than the 200000000 this crate trains",
            Box::new(|o| o.sizes.hidden = Some(20_000)),
        ),
        (
            "--gelu is for the transformer",
            Box::new(|o| o.sizes.gelu = true),
        ),
        (
            "add --bidirectional",
            Box::new(|o| o.sizes.bridge = Some(Bridge::Concat)),
        ),
        ("at most 16", Box::new(|o| o.sizes.layers = Some(17))),
        (
            "--resume keeps the checkpoint's model sizes",
            Box::new(|o| {
                o.files.resume = Some("old.ckpt".into());
                o.sizes.emb = Some(8);
            }),
        ),
    ];
    for (message, edit) in bad {
        let mut o = options(ModelKind::Attention);
        edit(&mut o);
        let e = o.check().unwrap_err();
        assert!(e.contains(message), "{message}: got {e}");
    }
    let mut o = options(ModelKind::Transformer);
    o.sizes.heads = Some(3);
    assert!(
        o.check()
            .unwrap_err()
            .contains("--heads 3 must divide --d-model 64")
    );
    let mut o = options(ModelKind::Transformer);
    o.sizes.bidirectional = true;
    assert!(
        o.check()
            .unwrap_err()
            .contains("--bidirectional is for the recurrent models (rnn, lstm, gru, attention)")
    );
}

#[test]
fn prepare_is_the_one_way_to_a_tasks_data() {
    let mut o = TrainOptions::new(Task::Dialogue, ModelKind::Attention);
    o.data.pairs = Some(300);
    let mut notes = vec![];
    let p = prepare(&o, None, &mut |n| notes.extend(n.line())).unwrap();
    assert_eq!(p.test.len(), 30);
    // Dialogue: the encoder knows every word the decoder can write.
    for token in p.tgt_vocab.tokens() {
        assert!(p.src_vocab.get(token).is_some(), "{token}");
    }
    assert!(notes[0].starts_with("dialogue corpus: "), "{notes:?}");
    assert!(
        notes[1].starts_with("<unk> share of training tokens: 0.00 % source"),
        "{notes:?}"
    );
    // The same options give the same data.
    assert_eq!(prepare(&o, None, &mut |_| {}).unwrap(), p);
}

#[test]
fn test_pairs_become_examples_and_a_translator_as_training_did() {
    let p = data_support::prepared(Task::Dialogue, 300, 4);
    let examples = p.test_examples();
    assert_eq!(examples.len(), p.test.len());
    let tok = encdec::text::Tokenizer::new(p.text.lowercase);
    for (e, pair) in examples.iter().zip(&p.test) {
        // Every id reads back as its token, or as <unk> for a word training never saw.
        let words = tok.tokenize(&pair.source);
        assert_eq!(e.src.len(), words.len());
        for (w, read) in words.iter().zip(p.src_vocab.decode(&e.src)) {
            assert!(read == *w || read == "<unk>", "{w} read back as {read}");
        }
        assert_eq!(
            p.tgt_vocab.decode(&e.tgt).len(),
            tok.tokenize(&pair.target).len()
        );
    }
    let config = ModelConfig::new(ModelKind::Lstm, p.src_vocab.len(), p.tgt_vocab.len());
    let t =
        p.translator(encdec::seq2seq::models::build(&config, &mut encdec::tensor::rng(0)).unwrap());
    assert_eq!((t.task, t.text), (Task::Dialogue, p.text));
    assert_eq!((&t.src_vocab, &t.tgt_vocab), (&p.src_vocab, &p.tgt_vocab));
}

/// `--clauses` lengthens the built-in translation corpus only, and the
/// ablation flags are the Transformer's; each refusal names the flag.
#[test]
fn clauses_and_pieces_are_checked() {
    let mut o = TrainOptions::new(Task::Translation, ModelKind::Lstm);
    o.data.clauses = Some(4);
    assert!(o.check().is_ok());
    o.data.clauses = Some(9);
    assert!(
        o.check()
            .unwrap_err()
            .contains("--clauses must be from 1 to 8")
    );
    o.task = Task::Summarization;
    o.data.clauses = Some(2);
    assert!(o.check().unwrap_err().contains("--clauses lengthens"));
    let mut o = TrainOptions::new(Task::Translation, ModelKind::Attention);
    o.sizes.positions = Some(encdec::seq2seq::config::Positions::None);
    assert!(
        o.check()
            .unwrap_err()
            .contains("--positions is for the transformer")
    );
    let mut o = TrainOptions::new(Task::Translation, ModelKind::Transformer);
    o.sizes.decoder_mask = Some(encdec::seq2seq::config::DecoderMask::None);
    assert!(o.check().is_ok());
    let c = model_config(&o, 10, 10, None);
    assert_eq!(
        c.transformer().unwrap().pieces.decoder_mask,
        encdec::seq2seq::config::DecoderMask::None
    );
    assert!(c.sizes().contains("no causal mask"), "{}", c.sizes());
}
