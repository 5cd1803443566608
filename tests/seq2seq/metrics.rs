//! BLEU and token accuracy, worked out by hand.

use approx::assert_abs_diff_eq;
use encdec::seq2seq::eval::{corpus_bleu, token_accuracy};
use encdec::tensor::Tensor;

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[test]
fn bleu_by_hand() {
    // "a b c d e" against "a b c d f": 1-grams 4/5 match, 2-grams 3/4, 3-grams 2/3,
    // 4-grams 1/2; equal lengths so BP = 1:
    // BLEU = (4/5 * 3/4 * 2/3 * 1/2)^(1/4) = 0.2^(1/4) = 0.66874
    let b = corpus_bleu(&[words("a b c d e")], &[words("a b c d f")]);
    assert_abs_diff_eq!(b, 0.2f64.powf(0.25), epsilon = 1e-12);
    assert_abs_diff_eq!(b, 0.668_740_3, epsilon = 1e-7);
    // A perfect translation scores 1.
    assert_eq!(
        corpus_bleu(&[words("le chien dort")], &[words("le chien dort")]),
        0.0,
        "3 words have no 4-gram"
    );
    let s = "le renard brun rapide saute";
    assert_eq!(corpus_bleu(&[words(s)], &[words(s)]), 1.0);
}

#[test]
fn bleu_brevity_penalty_by_hand() {
    // "a b c d" against "a b c d e": every n-gram matches (p_n = 1), but c = 4 < r = 5:
    // BP = exp(1 - 5/4) = exp(-1/4) = 0.7788
    let b = corpus_bleu(&[words("a b c d")], &[words("a b c d e")]);
    assert_abs_diff_eq!(b, (-0.25f64).exp(), epsilon = 1e-12);
}

#[test]
fn bleu_clips_repeated_words_and_sums_over_the_corpus() {
    // Sentence 1: "x x x x y" vs "x y z w v": 1-grams: x counts at most once, y once -> 2/5;
    // 2-grams: "x y" matches once of 4 -> 1/4; no 3- or 4-gram match alone.
    // Sentence 2 equals its reference (5 words): 5/5, 4/4, 3/3, 2/2.
    // Corpus: p1 = 7/10, p2 = 5/8, p3 = 3/6, p4 = 2/4; c = r = 10:
    // BLEU = (0.7 * 0.625 * 0.5 * 0.5)^(1/4)
    let c = [words("x x x x y"), words("p q r s t")];
    let r = [words("x y z w v"), words("p q r s t")];
    let expected = (0.7f64 * 0.625 * 0.5 * 0.5).powf(0.25);
    assert_abs_diff_eq!(corpus_bleu(&c, &r), expected, epsilon = 1e-12);
}

#[test]
fn token_accuracy_ignores_padding() {
    // Rows: argmax 2 (target 2: right), argmax 0 (target 1: wrong), padding target 0 (ignored).
    let logits = Tensor::from_vec(vec![0.1, 0.2, 0.9, 0.8, 0.1, 0.0, 0.9, 0.0, 0.0], &[3, 3]);
    assert_eq!(token_accuracy(&logits, &[2, 1, 0]), (1, 2));
}

#[test]
fn rouge_by_hand() {
    use encdec::seq2seq::eval::{lcs_len, mean_rouge, rouge_l, rouge_n};
    // candidate "mayor opens bridge in paris", reference "mayor opens a bridge in berlin".
    let c = words("mayor opens bridge in paris");
    let r = words("mayor opens a bridge in berlin");
    // ROUGE-1: shared words mayor, opens, bridge, in = 4; P = 4/5, R = 4/6, F1 = 2*0.8*0.6667/1.4667 = 0.72727
    let r1 = rouge_n(&c, &r, 1);
    assert_abs_diff_eq!(r1.precision, 0.8, epsilon = 1e-12);
    assert_abs_diff_eq!(r1.recall, 4.0 / 6.0, epsilon = 1e-12);
    assert_abs_diff_eq!(r1.f1, 8.0 / 11.0, epsilon = 1e-12);
    // ROUGE-2: candidate bigrams (4): mayor opens, opens bridge, bridge in, in paris;
    // reference bigrams (5): mayor opens, opens a, a bridge, bridge in, in berlin; shared 2:
    // P = 2/4, R = 2/5, F1 = 2 * 0.5 * 0.4 / 0.9 = 0.4444
    let r2 = rouge_n(&c, &r, 2);
    assert_abs_diff_eq!(r2.f1, 4.0 / 9.0, epsilon = 1e-12);
    // LCS: mayor opens bridge in = 4; ROUGE-L P = 4/5, R = 4/6, the same F1 as ROUGE-1 here.
    assert_eq!(lcs_len(&c, &r), 4);
    assert_abs_diff_eq!(rouge_l(&c, &r).f1, 8.0 / 11.0, epsilon = 1e-12);
    // Word order matters for ROUGE-L, not for ROUGE-1: "b a" vs "a b": LCS 1, unigrams 2.
    assert_eq!(rouge_l(&words("b a"), &words("a b")).f1, 0.5);
    assert_eq!(rouge_n(&words("b a"), &words("a b"), 1).f1, 1.0);
    // Repeated words are clipped: "the the the" vs "the cat": 1 match, P = 1/3, R = 1/2.
    let clipped = rouge_n(&words("the the the"), &words("the cat"), 1);
    assert_abs_diff_eq!(clipped.precision, 1.0 / 3.0, epsilon = 1e-12);
    // Nothing in common, or an empty candidate: 0, not NaN.
    assert_eq!(rouge_n(&words("x"), &words("y"), 1).f1, 0.0);
    assert_eq!(rouge_l(&[], &words("y")).f1, 0.0);
    // Mean over two summaries: [8/11, 4/9, 8/11] and a perfect one [1, 1, 1].
    let m = mean_rouge(&[c.clone(), r.clone()], &[r.clone(), r.clone()]);
    assert_abs_diff_eq!(m[0], (8.0 / 11.0 + 1.0) / 2.0, epsilon = 1e-12);
    assert_abs_diff_eq!(m[1], (4.0 / 9.0 + 1.0) / 2.0, epsilon = 1e-12);
}
