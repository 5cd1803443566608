//! BLEU as sacreBLEU computes it (`src/seq2seq/bleu.rs`): a worked example,
//! the `13a` tokenizer's rules, and a parity fixture written by sacreBLEU.

use encdec::seq2seq::eval::{sacre_bleu, tokenize_13a};
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Hypothesis "the cat sat on a mat ." against "the cat sat on the mat ." (13a
/// leaves these tokens as they are; 7 tokens each):
/// - 1-grams: 7 hypothesis, 6 match ("a" does not) → 6/7
/// - 2-grams: 6, matching "the cat", "cat sat", "sat on", "mat ." → 4/6
/// - 3-grams: 5, matching "the cat sat", "cat sat on" → 2/5
/// - 4-grams: 4, matching "the cat sat on" → 1/4
///
/// BP = 1 (equal lengths); BLEU = 100 · (6/7 · 4/6 · 2/5 · 1/4)^{1/4}
/// = 100 · (48/840)^{1/4} = 100 · 0.0571428…^{1/4} ≈ 48.89.
#[test]
fn sacre_bleu_by_hand() {
    let h = vec!["the cat sat on a mat .".to_string()];
    let r = vec!["the cat sat on the mat .".to_string()];
    let b = sacre_bleu(&h, &r, false);
    assert_eq!(b.counts, [6, 4, 2, 1]);
    assert_eq!(b.totals, [7, 6, 5, 4]);
    let expected = 100.0 * (48.0f64 / 840.0).powf(0.25);
    assert!(
        (b.score - expected).abs() < 1e-12,
        "{} vs {expected}",
        b.score
    );
    assert!((b.score - 48.89).abs() < 0.005);
    assert_eq!(
        b.to_string(),
        "BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)"
    );
    // "a b c d e" against "a b c x e": 1-grams 4/5, 2-grams "a b", "b c"
    // 2/4, 3-grams "a b c" 1/3, 4-grams 0/2; exp smoothing: p4 = 100 / (2 · 2).
    let b = sacre_bleu(
        &["a b c d e".to_string()],
        &["a b c x e".to_string()],
        false,
    );
    assert_eq!(b.counts, [4, 2, 1, 0]);
    assert_eq!(b.totals, [5, 4, 3, 2]);
    assert_eq!(b.precisions[3], 25.0);
}

#[test]
fn tokenizer_13a_rules() {
    // Symbols split, apostrophes and hyphens stay, dots and commas split
    // unless between digits, a dash after a digit splits.
    assert_eq!(
        tokenize_13a("l'homme (vraiment) : 3.14, 1,000 5-3 x-y end."),
        [
            "l'homme", "(", "vraiment", ")", ":", "3.14", ",", "1,000", "5", "-", "3", "x-y",
            "end", "."
        ]
    );
    assert_eq!(
        tokenize_13a("a &amp; b &lt;skipped&gt;<skipped>"),
        ["a", "&", "b", "<", "skipped", ">"]
    );
    // U+001F is whitespace to sacreBLEU (Python), though not to Rust.
    assert_eq!(tokenize_13a("a\u{1f}b"), ["a", "b"]);
}

#[test]
fn matches_sacrebleu_fixture() {
    let text = std::fs::read_to_string("tests/fixtures/sacrebleu.json").unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 12);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let b = sacre_bleu(
            &strings(&case["hypotheses"]),
            &strings(&case["references"]),
            case["lowercase"].as_bool().unwrap(),
        );
        let ints = |k: &str| -> Vec<usize> {
            case[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect()
        };
        assert_eq!(b.counts.to_vec(), ints("counts"), "{name}");
        assert_eq!(b.totals.to_vec(), ints("totals"), "{name}");
        assert_eq!(
            b.sys_len as u64,
            case["sys_len"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            b.ref_len as u64,
            case["ref_len"].as_u64().unwrap(),
            "{name}"
        );
        let score = case["score"].as_f64().unwrap();
        assert!(
            (b.score - score).abs() < 1e-9,
            "{name}: {} vs sacreBLEU {score}",
            b.score
        );
        let bp = case["bp"].as_f64().unwrap();
        assert!((b.bp - bp).abs() < 1e-12, "{name}: bp {} vs {bp}", b.bp);
    }
}
