//! Summarization (tutorial §6.2) and dialogue (§6.3) on the same models:
//! the data pipeline, a short training run of each, and the chat session.

use crate::data_support;
use encdec::pipeline::{TrainOptions, every_bot_turn, train};
use encdec::seq2seq::{config::*, decode::*, models::*, task::*};
use encdec::tensor::rng;
use encdec::text::{TextPair, join_turns};

/// The attention model trained by the pipeline on `n` built-in pairs of
/// `task`, and its test scores: BLEU-4, ROUGE-1/2/L, exact matches.
fn trained(task: Task, n: usize, epochs: usize) -> (Translator, f64, [f64; 3], f64) {
    let mut o = TrainOptions::new(task, ModelKind::Attention);
    o.data.pairs = Some(n);
    o.run.epochs = epochs;
    let outcome = train(&o, &mut |_| {}).unwrap();
    let s = outcome.test;
    (outcome.checkpoint.translator, s.bleu4, s.rouge, s.exact)
}

#[test]
fn every_bot_turn_becomes_a_training_pair() {
    // "u1 <turn> b1 <turn> u2 -> b2" also teaches "u1 -> b1"; the repeated prefix is kept once.
    let p = |s: &str, t: &str| TextPair {
        source: s.to_string(),
        target: t.to_string(),
    };
    let pairs = [
        p(
            &join_turns(&["i want soup", "what size ?", "large"]),
            "one large soup",
        ),
        p(
            &join_turns(&["i want soup", "what size ?", "small"]),
            "one small soup",
        ),
    ];
    let out = every_bot_turn(&pairs);
    assert_eq!(
        out,
        vec![
            p("i want soup", "what size ?"),
            p(
                &join_turns(&["i want soup", "what size ?", "large"]),
                "one large soup"
            ),
            p(
                &join_turns(&["i want soup", "what size ?", "small"]),
                "one small soup"
            ),
        ]
    );
}

#[test]
fn summarization_is_learned_and_scored_with_rouge() {
    let (c, bleu, rouge, exact) = trained(Task::Summarization, 1500, 4);
    assert!(
        rouge[0] > 0.8 && rouge[2] > 0.8,
        "ROUGE-1 {} ROUGE-L {}",
        rouge[0],
        rouge[2]
    );
    assert!(
        rouge[1] > 0.6 && bleu > 0.5 && exact > 0.3,
        "ROUGE-2 {} BLEU {bleu} exact {exact}",
        rouge[1]
    );
    // A document it never saw, with a distractor place and day.
    let doc = "the weather was cold in paris last friday . this was on monday . the mayor opened a bridge . it happened in berlin .";
    let t = c.decode_text(doc, 1, UnknownWords::Refuse).unwrap();
    assert!(
        t.text.contains("berlin") && t.text.contains("monday"),
        "{}",
        t.text
    );
    assert!(
        !t.text.contains("paris") && !t.text.contains("friday"),
        "{}",
        t.text
    );
    assert_eq!(
        t.attention[0].shape()[2],
        t.src_tokens.len(),
        "the heatmap has one column per source token"
    );
}

#[test]
fn dialogue_replies_depend_on_earlier_turns() {
    let (c, _, _, accuracy) = trained(Task::Dialogue, 2500, 5);
    assert!(accuracy > 0.8, "reply accuracy {accuracy}");
    let mut chat = ChatSession::new();
    assert_eq!(chat.respond(&c, "   "), ChatReply::Nothing);
    let first = chat.respond(&c, "i am in tokyo");
    assert!(matches!(first, ChatReply::Reply(_)), "{first:?}");
    // The city is in the first turn; the question does not name it.
    assert_eq!(
        chat.respond(&c, "what time is it ?"),
        ChatReply::Reply("it is 9 pm in tokyo".into())
    );
    assert_eq!(chat.turns().len(), 4);
    // Unknown words are reported and leave the history alone.
    assert_eq!(
        chat.respond(&c, "zebra"),
        ChatReply::Unknown(vec!["zebra".into()])
    );
    assert_eq!(chat.turns().len(), 4);
    chat.reset();
    assert!(chat.turns().is_empty());
}

#[test]
fn a_very_long_history_is_cut_to_the_last_tokens() {
    let data = data_support::prepared(Task::Dialogue, 300, 0);
    let config = ModelConfig::new(
        ModelKind::Attention,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
    );
    let c = Translator::new(
        build(&config, &mut rng(0)).unwrap(),
        data.src_vocab,
        data.tgt_vocab,
        Task::Dialogue,
    );
    let mut chat = ChatSession::new();
    let long = "hello ".repeat(20_000);
    assert!(matches!(chat.respond(&c, &long), ChatReply::Reply(_)));
    for _ in 0..30 {
        chat.respond(&c, "hello");
    }
    let tokens = encdec::text::Tokenizer::new(true).tokenize(&chat.history());
    assert!(
        tokens.len() <= MAX_HISTORY_TOKENS,
        "{} tokens",
        tokens.len()
    );
}
