//! Corpus BLEU as sacreBLEU computes it (Post, 2018), so that a score
//! printed by `encdec evaluate` can be compared with published ones.
//!
//! [`corpus_bleu`](super::corpus_bleu) scores token lists in $[0, 1]$
//! without smoothing, for the built-in corpora. Real text is scored on
//! detokenized sentences instead, and then the tokenization is part of the
//! score: this module follows sacreBLEU's defaults exactly — its `13a`
//! tokenizer (the one of the WMT `mteval-v13a` script), one reference per
//! sentence, `exp` smoothing, no effective order, scores from 0 to 100.
//!
//! Checked by `tests/bleu.rs::matches_sacrebleu_fixture` (a fixture written
//! by sacreBLEU through `scripts/compare_sacrebleu.py`) and
//! `tests/bleu.rs::sacre_bleu_by_hand`.

use crate::tensor::Float;
use std::collections::HashMap;
use std::fmt;

/// Whitespace as Python's `str.split()` sees it: Rust's whitespace plus the
/// information separators U+001C–U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// The characters the first `13a` rule puts spaces around: ASCII symbols
/// and punctuation except `'`, `-`, `.` and `,` (and the space itself).
fn is_13a_symbol(c: char) -> bool {
    matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/')
}

/// One pass of a two-character rewrite, left to right, matches not
/// overlapping (as Python's `re.sub` applies a two-character pattern).
fn rewrite_pairs(
    chars: &[char],
    matches: impl Fn(char, char) -> bool,
    out: impl Fn(char, char) -> String,
) -> Vec<char> {
    let mut result = Vec::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() && matches(chars[i], chars[i + 1]) {
            result.extend(out(chars[i], chars[i + 1]).chars());
            i += 2;
        } else {
            result.push(chars[i]);
            i += 1;
        }
    }
    result
}

/// sacreBLEU's `13a` tokenizer: drop `<skipped>`, join `-` + line end,
/// undo four HTML entities, then
/// 1. space around ASCII symbols other than `' - . ,`;
/// 2. split `.` and `,` from a preceding non-digit;
/// 3. split `.` and `,` from a following non-digit;
/// 4. split `-` from a preceding digit;
///
/// and split on whitespace.
///
/// ```
/// use encdec::seq2seq::tokenize_13a;
/// assert_eq!(tokenize_13a("It's 3.5 km-long (really)."), ["It's", "3.5", "km-long", "(", "really", ")", "."]);
/// ```
pub fn tokenize_13a(line: &str) -> Vec<String> {
    let mut line = line
        .replace("<skipped>", "")
        .replace("-\n", "")
        .replace('\n', " ");
    if line.contains('&') {
        line = line
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    let mut chars: Vec<char> = Vec::with_capacity(line.len() + 8);
    chars.push(' ');
    for c in line.chars() {
        if is_13a_symbol(c) {
            chars.extend([' ', c, ' ']);
        } else {
            chars.push(c);
        }
    }
    chars.push(' ');
    let dot = |c: char| c == '.' || c == ',';
    let digit = |c: char| c.is_ascii_digit();
    let chars = rewrite_pairs(
        &chars,
        |a, b| !digit(a) && dot(b),
        |a, b| format!("{a} {b} "),
    );
    let chars = rewrite_pairs(
        &chars,
        |a, b| dot(a) && !digit(b),
        |a, b| format!(" {a} {b}"),
    );
    let chars = rewrite_pairs(
        &chars,
        |a, b| digit(a) && b == '-',
        |a, b| format!("{a} {b} "),
    );
    let text: String = chars.into_iter().collect();
    text.split(is_python_space)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
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

/// The n-grams of a token list with their counts.
fn ngram_counts(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for g in tokens.windows(n) {
        *counts.entry(g).or_insert(0) += 1;
    }
    counts
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
    let (mut counts, mut totals) = ([0usize; 4], [0usize; 4]);
    let (mut sys_len, mut ref_len) = (0, 0);
    for (h, r) in hypotheses.iter().zip(references) {
        let (h, r) = (prepare(h), prepare(r));
        sys_len += h.len();
        ref_len += r.len();
        for n in 1..=4 {
            let ref_counts = ngram_counts(&r, n);
            for (g, k) in ngram_counts(&h, n) {
                counts[n - 1] += k.min(ref_counts.get(g).copied().unwrap_or(0));
            }
            totals[n - 1] += h.len().saturating_sub(n - 1);
        }
    }
    let bp = if sys_len < ref_len {
        if sys_len > 0 {
            (1.0 - ref_len as Float / sys_len as Float).exp()
        } else {
            0.0
        }
    } else {
        1.0
    };
    let mut result = SacreBleu {
        score: 0.0,
        counts,
        totals,
        precisions: [0.0; 4],
        bp,
        sys_len,
        ref_len,
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
