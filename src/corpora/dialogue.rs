//! The built-in dialogue data set (tutorial §6.3): short task-oriented dialogues
//! whose right reply depends on earlier turns, not only on the last one.
//!
//! The source is the history, user and bot turns alternating, joined by
//! the turn token [`TURN`] (written `<turn>`; see [`join_turns`]); it starts
//! and ends with a user turn. The target is the bot's next reply:
//!
//! ```text
//! i would like a pizza <turn> what size ? <turn> large please  →  one large pizza . anything else ?
//! i am in tokyo <turn> noted . <turn> what time is it ?        →  it is 9 pm in tokyo
//! ```
//!
//! The reply is a fixed function of the [`Topic`] (weather and time come
//! from the table of [`CITIES`](super::CITIES)); the phrasing of each turn
//! varies. Counting every topic's slots times its phrasings gives
//! [`DIALOGUE_COUNT`] = 11 678 distinct dialogues, each with its own
//! history:
//!
//! | topic                     | slot values      | phrasings | dialogues |
//! |---------------------------|------------------|-----------|-----------|
//! | [`Topic::Order`]           | 6 dishes×3 sizes | 6×3×5     | 1620      |
//! | [`Topic::Weather`]         | 8 cities×2 days  | 6×3×3     | 864       |
//! | [`Topic::WeatherDayFirst`] | 8 cities×2 days  | 4×3×3     | 576       |
//! | [`Topic::WeatherAtOnce`]   | 8 cities×2 days  | 3         | 48        |
//! | [`Topic::Time`]            | 8 cities         | 5×3×4     | 480       |
//! | [`Topic::TimeHereOrThere`] | 8×7 cities×2     | 3×2×3×2×2 | 8064      |
//! | [`Topic::TimeAtOnce`]      | 8 cities         | 2         | 16        |
//! | [`Topic::SmallTalk`]       | 10 lines         | 1         | 10        |
//!
//! Histories have at most 25 tokens, replies at most 7.

use super::GrammarError;
use super::dialogue_topic::Topic;
use super::split::{Split, draw_distinct, fill, split};
use crate::tensor::Rng;
use crate::text::{TextPair, join_turns};
use rand::RngExt;

/// The number of distinct dialogues [`Dialogue::all`] lists.
pub const DIALOGUE_COUNT: usize = 11_678;

/// A dialogue: a [`Topic`] and the phrasing chosen for each turn of its
/// history. Only [`Dialogue::new`], [`Dialogue::random`] and
/// [`Dialogue::all`] make one, so every value can be written out.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dialogue {
    topic: Topic,
    phrasing: Vec<usize>,
    slots: Vec<(&'static str, &'static str)>,
}

impl Dialogue {
    /// The dialogue of `topic` whose turn `i` uses phrasing `phrasing[i]`
    /// (0 is the first phrasing of that turn's template table).
    ///
    /// ```
    /// use encdec::corpora::{Dialogue, Topic};
    /// let d = Dialogue::new(Topic::Order { dish: "pizza", size: "large" }, &[0, 0, 0])?;
    /// assert_eq!(d.history(), ["i would like a pizza", "what size ?", "large please"]);
    /// assert_eq!(d.reply(), "one large pizza . anything else ?");
    /// # Ok::<(), encdec::corpora::GrammarError>(())
    /// ```
    ///
    /// # Errors
    /// If a slot value is not in its table, if `home` equals `away`, or if
    /// `phrasing` does not give one phrasing per turn within range.
    pub fn new(topic: Topic, phrasing: &[usize]) -> Result<Dialogue, GrammarError> {
        let slots = topic.slots()?;
        let (turns, _) = topic.templates();
        let sizes: Vec<usize> = turns.iter().map(|t| t.len()).collect();
        if phrasing.len() != sizes.len() || phrasing.iter().zip(&sizes).any(|(p, s)| p >= s) {
            return Err(GrammarError(format!(
                "phrasing {phrasing:?}: this topic needs one index per turn below {sizes:?}"
            )));
        }
        let phrasing = phrasing.to_vec();
        Ok(Dialogue {
            topic,
            phrasing,
            slots,
        })
    }

    /// A random dialogue: [`Topic`] kind uniform among the eight, slot values
    /// and phrasings uniform.
    pub fn random(rng: &mut Rng) -> Dialogue {
        let topic = Topic::random(rng);
        let phrasing: Vec<usize> = topic
            .templates()
            .0
            .iter()
            .map(|t| rng.random_range(0..t.len()))
            .collect();
        Dialogue::new(topic, &phrasing).expect("random topics and phrasings are in range")
    }

    /// Every distinct dialogue, [`DIALOGUE_COUNT`] of them.
    pub fn all() -> Vec<Dialogue> {
        let mut all = vec![];
        for topic in Topic::all() {
            let mut phrasings: Vec<Vec<usize>> = vec![vec![]];
            for turn in topic.templates().0 {
                phrasings = phrasings
                    .into_iter()
                    .flat_map(|p| (0..turn.len()).map(move |i| [p.clone(), vec![i]].concat()))
                    .collect();
            }
            all.extend(
                phrasings
                    .iter()
                    .map(|p| Dialogue::new(topic, p).expect("every slot value is in its table")),
            );
        }
        all
    }

    /// The topic and its slot values.
    pub fn topic(&self) -> Topic {
        self.topic
    }

    /// The turns of the history, first to last (user, bot, …, user).
    pub fn history(&self) -> Vec<String> {
        let (turns, _) = self.topic.templates();
        turns
            .iter()
            .zip(&self.phrasing)
            .map(|(t, &p)| fill(t[p], &self.slots))
            .collect()
    }

    /// The history as one text, turns joined by [`join_turns`].
    pub fn source(&self) -> String {
        join_turns(&self.history())
    }

    /// The bot's next reply.
    pub fn reply(&self) -> String {
        fill(self.topic.templates().1, &self.slots)
    }

    /// The history and the reply.
    pub fn to_pair(&self) -> TextPair {
        TextPair {
            source: self.source(),
            target: self.reply(),
        }
    }
}

/// The dialogue corpus: `n` distinct (history, reply) pairs drawn with
/// [`Dialogue::random`] from a generator seeded with `seed`, shuffled and
/// split 80/10/10 like [`translation_corpus`](super::translation_corpus):
/// `valid` holds `n / 10` pairs, `test` `max(n / 10, 1)`, `train` the rest.
/// `n` below 1 counts as 1, and `n` is capped at [`DIALOGUE_COUNT`].
///
/// Kinds with few dialogues (small talk, one-turn questions) run out early,
/// so the larger kinds make up most of a big corpus.
///
/// ```
/// use encdec::corpora::dialogue_corpus;
/// let split = dialogue_corpus(1000, 0);
/// assert_eq!((split.train.len(), split.valid.len(), split.test.len()), (800, 100, 100));
/// ```
pub fn dialogue_corpus(n: usize, seed: u64) -> Split {
    let n = n.clamp(1, DIALOGUE_COUNT);
    split(
        draw_distinct(n, seed, |r| Dialogue::random(r).to_pair()),
        seed,
    )
}
