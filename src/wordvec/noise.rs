//! The noise distribution of negative sampling, and drawing from it fast.

use crate::tensor::{Float, Rng};
use rand::RngExt;

/// The noise distribution of negative sampling, $P_n(w) \propto \mathrm{count}(w)^{3/4}$,
/// as a cumulative table: word $w$ owns the interval $[c_{w-1}, c_w)$ of $[0, 1)$, where
/// $c_w = \sum_{v \le w} P_n(v)$.
///
/// A draw takes $u$ uniform in $[0, 1)$ and returns the word whose interval holds it.
/// Binary search over the cumulative table would find that word in about
/// $\log_2(\text{vocabulary})$ steps, most of them unpredictable branches. A
/// *guide table* (Chen and Asau's index for inversion) finds it in one or two:
/// the interval $[0, 1)$ is cut into $m$ equal buckets, and bucket $b$ remembers
/// the first word whose interval reaches past $b/m$. A draw jumps to its
/// bucket's word and walks forward while the cumulative probability is still
/// at most $u$. The answer is exactly the one binary search gives, for every
/// $u$ — the guide only chooses where the walk starts — so the samples do not
/// depend on it. (word2vec.c and gensim approximate $P_n$ by a table of 10⁸
/// word ids instead; that draws slightly different probabilities.)
///
/// Checked by `tests/text/wordvec.rs::subsampling_and_noise_by_hand` and
/// `noise_table_draws_what_binary_search_draws`.
pub struct NoiseTable {
    cumulative: Vec<Float>,
    /// `guide[b]`: the first word $w$ with $c_w > b/m$, $m$ = `guide.len()`.
    guide: Vec<u32>,
}

/// Buckets of the guide table per word: with as many buckets as words or
/// more, a walk takes a step or two on average.
const BUCKETS_PER_WORD: usize = 4;

impl NoiseTable {
    /// The table for these word counts.
    ///
    /// # Panics
    /// If there are no counts, or more than `u32::MAX` words.
    pub fn new(counts: &[usize]) -> NoiseTable {
        assert!(
            !counts.is_empty() && counts.len() <= u32::MAX as usize,
            "NoiseTable: {} words",
            counts.len()
        );
        let mut total = 0.0;
        let cumulative = counts
            .iter()
            .map(|&c| {
                total += (c as Float).powf(0.75);
                total
            })
            .collect::<Vec<_>>();
        let cumulative: Vec<Float> = cumulative.iter().map(|c| c / total).collect();
        let m = BUCKETS_PER_WORD * counts.len();
        let guide = (0..m)
            .map(|b| {
                let start = b as Float / m as Float;
                cumulative
                    .partition_point(|&c| c <= start)
                    .min(counts.len() - 1) as u32
            })
            .collect();
        NoiseTable { cumulative, guide }
    }

    /// The cumulative probabilities $c_w$, one per word.
    pub fn cumulative(&self) -> &[Float] {
        &self.cumulative
    }

    /// $P_n(w)$ of word `w`.
    pub fn probability(&self, w: usize) -> Float {
        self.cumulative[w] - if w == 0 { 0.0 } else { self.cumulative[w - 1] }
    }

    /// The word whose interval holds `u` (the first $w$ with $c_w > u$; the
    /// last word when rounding leaves $c_{last}$ at or below `u`).
    pub fn word_at(&self, u: Float) -> usize {
        let c = &self.cumulative;
        let m = self.guide.len();
        // `as usize` saturates: u < 0 and NaN go to bucket 0, u >= 1 to the last.
        let mut w = self.guide[((u * m as Float) as usize).min(m - 1)] as usize;
        // Rounding can put u in a bucket whose start lies just above it: the
        // walk back covers that, so that the answer is exact for every u.
        while w > 0 && c[w - 1] > u {
            w -= 1;
        }
        while w + 1 < c.len() && c[w] <= u {
            w += 1;
        }
        w
    }

    /// Draws one word id.
    pub fn sample(&self, r: &mut Rng) -> usize {
        self.word_at(r.random())
    }
}
