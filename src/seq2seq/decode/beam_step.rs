//! One sentence's beam (tutorial §3.2): its live prefixes and finished
//! sentences, and one step of keeping the `width` best extensions.

use super::beam::{BeamEntry, normalised_score};
use super::greedy::{Hypothesis, choosable};
use crate::tensor::{Float, Tensor};
use crate::text::EOS_ID;
use std::cmp::Ordering;

/// One sentence's beam: the prefixes still growing and the sentences that
/// have written `</s>`; when traced, what it kept at each step.
pub(super) struct Beam {
    /// The prefixes still growing.
    pub(super) live: Vec<Hypothesis>,
    /// For each live prefix, the index of the live prefix of the step
    /// before that it extends (the cache's rows follow it).
    pub(super) parents: Vec<usize>,
    /// The sentences that wrote `</s>` (or reached the length limit).
    pub(super) finished: Vec<Hypothesis>,
    /// What the beam kept at each step, when traced.
    pub(super) trace: Option<Vec<Vec<BeamEntry>>>,
}

/// A possible next prefix: (total log-probability, live prefix, next id).
type Candidate = (Float, usize, usize);

/// Best first; ties go to the earlier prefix, then the smaller id, as in greedy.
fn best_first(a: &Candidate, b: &Candidate) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

impl Beam {
    /// Whether the beam is done: `width` sentences finished, or no prefix left.
    pub(super) fn done(&self, width: usize) -> bool {
        self.live.is_empty() || self.finished.len() >= width
    }

    /// One step: `scores[h]` holds the next-word log-probabilities after
    /// live prefix `h`. Keeps the `width` best extensions of all prefixes;
    /// those ending in `</s>` are finished, and all when `last` (cut by the
    /// length limit, they compete on [`normalised_score`] with those that
    /// ended). `attention(h, len)`, prefix `h`'s row, is kept when finished.
    pub(super) fn advance(
        &mut self,
        scores: &[Vec<Float>],
        width: usize,
        last: bool,
        attention: impl Fn(usize, usize) -> Vec<Tensor>,
    ) {
        let mut candidates: Vec<Candidate> = vec![];
        for (h, prefix) in self.live.iter().enumerate() {
            let words = scores[h].iter().enumerate().filter(|&(y, _)| choosable(y));
            candidates.extend(words.map(|(y, &s)| (prefix.log_prob + s, h, y)));
        }
        // Only the best `width` are kept: select them, then sort those.
        if candidates.len() > width {
            candidates.select_nth_unstable_by(width - 1, best_first);
            candidates.truncate(width);
        }
        candidates.sort_by(best_first);
        let (mut next, mut parents) = (vec![], vec![]);
        if let Some(trace) = &mut self.trace {
            trace.push(
                candidates
                    .iter()
                    .map(|&(log_prob, h, y)| BeamEntry {
                        ids: [self.live[h].ids.as_slice(), &[y]].concat(),
                        log_prob,
                        finished: y == EOS_ID,
                    })
                    .collect(),
            );
        }
        for (log_prob, h, y) in candidates {
            let mut ids = self.live[h].ids.clone();
            ids.push(y);
            let keep_attention = y == EOS_ID || last;
            let attention = if keep_attention {
                attention(h, ids.len())
            } else {
                vec![]
            };
            let hyp = Hypothesis {
                ids,
                log_prob,
                attention,
            };
            if keep_attention {
                self.finished.push(hyp);
            } else {
                next.push(hyp);
                parents.push(h);
            }
        }
        (self.live, self.parents) = (next, parents);
    }

    /// The finished sentences by falling [`normalised_score`] (the earlier
    /// found first on ties), then the live prefixes ranked the same way,
    /// each with its score: the `n` first.
    pub(super) fn n_best(self, alpha: Float, n: usize) -> Vec<(Hypothesis, Float)> {
        let score = |h: &Hypothesis| normalised_score(h.log_prob, h.ids.len(), alpha);
        let rank = |pool: Vec<Hypothesis>| {
            let mut scored: Vec<(Hypothesis, Float)> = pool
                .into_iter()
                .map(|h| {
                    let s = score(&h);
                    (h, s)
                })
                .collect();
            // A stable sort: ties keep the order in which they were found.
            scored.sort_by(|a, b| b.1.total_cmp(&a.1));
            scored
        };
        let mut all = rank(self.finished);
        all.extend(rank(self.live));
        all.truncate(n);
        all
    }

    /// The finished sentence with the best [`normalised_score`] (the first
    /// on ties), or the best live prefix if none finished.
    pub(super) fn best(self, alpha: Float) -> Hypothesis {
        self.n_best(alpha, 1)
            .pop()
            .map(|(h, _)| h)
            .expect("beam search keeps at least one hypothesis")
    }
}
