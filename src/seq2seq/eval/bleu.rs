//! Corpus BLEU (Papineni et al., 2002) with one reference per sentence, in
//! two finishes of the same counts ([`NgramStats`]):
//!
//! - [`corpus_bleu`] scores token lists in $[0, 1]$ without smoothing, for
//!   the built-in corpora, whose tokens are the model's own;
//! - [`sacre_bleu`] scores detokenized text as sacreBLEU (Post, 2018) does
//!   with its defaults — its `13a` tokenizer ([`tokenize_13a`]), `exp`
//!   smoothing, no effective order, 0 to 100 — so that a score printed by
//!   `encdec evaluate` compares with published ones.
//!
//! Checked by `tests/seq2seq/metrics.rs::bleu_by_hand`,
//! `tests/seq2seq/bleu.rs::sacre_bleu_by_hand` and
//! `tests/seq2seq/bleu.rs::matches_sacrebleu_fixture` (a fixture written by
//! sacreBLEU through `scripts/fixtures/sacrebleu.py`).

use super::ngrams::NgramStats;
use super::tokenize_13a::{is_python_space, tokenize_13a};
use crate::tensor::Float;
use std::fmt;

/// Corpus BLEU-4 (Papineni et al., 2002) with one reference per sentence:
///
/// $$ \mathrm{BLEU} = \mathrm{BP} \cdot \exp\Big(\frac14 \sum_{n=1}^{4} \log p_n\Big),
///    \qquad \mathrm{BP} = \min\big(1, e^{1 - r/c}\big) $$
///
/// where $p_n$ is the clipped n-gram precision summed over the corpus (each
/// candidate n-gram counts at most as often as in its reference), $c$ the
/// total candidate length and $r$ the total reference length. In $[0, 1]$;
/// 0 when some $p_n$ is 0 (no smoothing).
///
/// # Panics
/// If the two lists differ in length.
///
/// Checked by `tests/seq2seq/metrics.rs::bleu_by_hand`.
pub fn corpus_bleu(candidates: &[Vec<String>], references: &[Vec<String>]) -> Float {
    assert_eq!(
        candidates.len(),
        references.len(),
        "corpus_bleu: candidates and references differ in number"
    );
    let s = NgramStats::of_corpus(candidates, references);
    if s.hyp_len == 0 || s.matches.contains(&0) {
        return 0.0;
    }
    let log_p: Float = (0..4)
        .map(|n| (s.matches[n] as Float / s.totals[n] as Float).ln())
        .sum::<Float>()
        / 4.0;
    s.brevity_penalty() * log_p.exp()
}

/// A sacreBLEU corpus score with the counts behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct SacreBleu {
    /// BLEU from 0 to 100.
    pub score: Float,
    /// Matched n-grams for n = 1..4 (clipped by the reference counts).
    pub counts: [usize; 4],
    /// Hypothesis n-grams for n = 1..4.
    pub totals: [usize; 4],
    /// The smoothed precisions, in percent.
    pub precisions: [Float; 4],
    /// The brevity penalty.
    pub bp: Float,
    /// Hypothesis tokens.
    pub sys_len: usize,
    /// Reference tokens.
    pub ref_len: usize,
    /// Whether both sides were lowercased first.
    pub lowercase: bool,
}

impl SacreBleu {
    /// sacreBLEU's signature of this score's settings.
    pub fn signature(&self) -> String {
        let case = if self.lowercase { "lc" } else { "mixed" };
        format!("nrefs:1|case:{case}|eff:no|tok:13a|smooth:exp (sacreBLEU's defaults)")
    }
}

impl fmt::Display for SacreBleu {
    /// sacreBLEU's own line: `BLEU = 27.85 60.0/33.3/21.4/15.4 (BP = 1.000 ratio = 1.000 hyp_len = 10 ref_len = 10)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.precisions;
        write!(
            f,
            "BLEU = {:.2} {:.1}/{:.1}/{:.1}/{:.1} (BP = {:.3} ratio = {:.3} hyp_len = {} ref_len = {})",
            self.score,
            p[0],
            p[1],
            p[2],
            p[3],
            self.bp,
            if self.ref_len == 0 {
                0.0
            } else {
                self.sys_len as Float / self.ref_len as Float
            },
            self.sys_len,
            self.ref_len
        )
    }
}

/// Corpus BLEU of detokenized hypotheses against one reference each, as
/// `sacrebleu.corpus_bleu(hypotheses, [references])` computes it with its
/// defaults (and `lowercase=True` when `lowercase`):
///
/// $$ \mathrm{BLEU} = 100 \cdot \mathrm{BP} \cdot \exp\Big(\frac14 \sum_{n=1}^{4} \log p_n\Big),
///    \qquad \mathrm{BP} = \min\big(1, e^{1 - r/c}\big) $$
///
/// with $p_n$ the clipped n-gram precision over the corpus after `13a`
/// tokenization ([`tokenize_13a`]); a $p_n$ with no match is smoothed to
/// $1/(2^k \cdot \mathrm{total}_n)$, $k$ counting the orders without a
/// match so far. No match at all gives 0.
///
/// # Panics
/// If the two lists differ in length.
pub fn sacre_bleu(hypotheses: &[String], references: &[String], lowercase: bool) -> SacreBleu {
    assert_eq!(
        hypotheses.len(),
        references.len(),
        "sacre_bleu: {} hypotheses but {} references",
        hypotheses.len(),
        references.len()
    );
    // sacreBLEU's order: lowercase, strip trailing whitespace, tokenize.
    let prepare = |s: &String| {
        let lowered;
        let s = if lowercase {
            lowered = s.to_lowercase();
            &lowered
        } else {
            s
        };
        tokenize_13a(s.trim_end_matches(is_python_space))
    };
    let hyps: Vec<Vec<String>> = hypotheses.iter().map(prepare).collect();
    let refs: Vec<Vec<String>> = references.iter().map(prepare).collect();
    let stats = NgramStats::of_corpus(&hyps, &refs);
    let (counts, totals) = (stats.matches, stats.totals);
    let mut result = SacreBleu {
        score: 0.0,
        counts,
        totals,
        precisions: [0.0; 4],
        bp: stats.brevity_penalty(),
        sys_len: stats.hyp_len,
        ref_len: stats.ref_len,
        lowercase,
    };
    if counts.iter().all(|&c| c == 0) {
        return result;
    }
    let mut smooth = 1.0;
    for n in 0..4 {
        if totals[n] == 0 {
            break;
        }
        result.precisions[n] = if counts[n] == 0 {
            smooth *= 2.0;
            100.0 / (smooth * totals[n] as Float)
        } else {
            100.0 * counts[n] as Float / totals[n] as Float
        };
    }
    // sacreBLEU's log of 0 is -9999999999, which makes the score 0.
    let log = |p: Float| if p == 0.0 { -9_999_999_999.0 } else { p.ln() };
    result.score =
        result.bp * (result.precisions.iter().map(|&p| log(p)).sum::<Float>() / 4.0).exp();
    result
}
