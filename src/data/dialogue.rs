//! The built-in dialogue data set (tutorial §6.3): short task dialogues
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
//! The reply is a fixed function of the [`Task`] (weather and time come
//! from the table of [`CITIES`](super::CITIES)); the phrasing of each turn
//! varies. Counting every task's slots times its phrasings gives
//! [`DIALOGUE_COUNT`] = 11 678 distinct dialogues, each with its own
//! history:
//!
//! | task                      | slot values      | phrasings | dialogues |
//! |---------------------------|------------------|-----------|-----------|
//! | [`Task::Order`]           | 6 dishes×3 sizes | 6×3×5     | 1620      |
//! | [`Task::Weather`]         | 8 cities×2 days  | 6×3×3     | 864       |
//! | [`Task::WeatherDayFirst`] | 8 cities×2 days  | 4×3×3     | 576       |
//! | [`Task::WeatherAtOnce`]   | 8 cities×2 days  | 3         | 48        |
//! | [`Task::Time`]            | 8 cities         | 5×3×4     | 480       |
//! | [`Task::TimeHereOrThere`] | 8×7 cities×2     | 3×2×3×2×2 | 8064      |
//! | [`Task::TimeAtOnce`]      | 8 cities         | 2         | 16        |
//! | [`Task::SmallTalk`]       | 10 lines         | 1         | 10        |
//!
//! Histories have at most 25 tokens, replies at most 7.

use super::DataError;
use super::dialogue_task::Task;
use super::tasks::{TaskSplit, TextPair, draw_distinct, fill, split};
use crate::tensor::Rng;
use rand::RngExt;

/// The token between two turns of a dialogue history. The tokenizer makes
/// it only from [`TURN_MARK`], never from typed text (`<` is always a token
/// of its own), so a `|` or `<turn>` a user types stays words of the turn.
pub const TURN: &str = "<turn>";

/// The character that marks a turn boundary in a source text: the ASCII
/// record separator U+001E, which the tokenizer turns into [`TURN`].
pub const TURN_MARK: char = '\u{1e}';

/// The turns as one source text, [`TURN_MARK`] between them. A mark inside
/// a turn is read as a space, so no turn's own text can split it.
///
/// ```
/// use encdec::data::{TURN, Tokenizer, join_turns};
/// let source = join_turns(&["soup | salad ?", "salad"]);
/// let tokens = Tokenizer::new(true).tokenize(&source);
/// assert_eq!(tokens, ["soup", "|", "salad", "?", TURN, "salad"]);
/// ```
pub fn join_turns<S: AsRef<str>>(turns: &[S]) -> String {
    let clean: Vec<String> = turns
        .iter()
        .map(|t| t.as_ref().replace(TURN_MARK, " "))
        .collect();
    clean.join(&format!(" {TURN_MARK} "))
}

/// A source text made by [`join_turns`], written for people: the turns
/// joined by ` <turn> `.
pub fn show_turns(source: &str) -> String {
    split_turns(source).join(&format!(" {TURN} "))
}

/// The turns of a source text made by [`join_turns`], trimmed.
pub fn split_turns(source: &str) -> Vec<&str> {
    source.split(TURN_MARK).map(str::trim).collect()
}

/// The number of distinct dialogues [`Dialogue::all`] lists.
pub const DIALOGUE_COUNT: usize = 11_678;

/// A dialogue: a [`Task`] and the phrasing chosen for each turn of its
/// history. Only [`Dialogue::new`], [`Dialogue::random`] and
/// [`Dialogue::all`] make one, so every value can be written out.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dialogue {
    task: Task,
    phrasing: Vec<usize>,
    slots: Vec<(&'static str, &'static str)>,
}

impl Dialogue {
    /// The dialogue of `task` whose turn `i` uses phrasing `phrasing[i]`
    /// (0 is the first phrasing of that turn's template table).
    ///
    /// ```
    /// use encdec::data::{Dialogue, Task};
    /// let d = Dialogue::new(Task::Order { dish: "pizza", size: "large" }, &[0, 0, 0])?;
    /// assert_eq!(d.history(), ["i would like a pizza", "what size ?", "large please"]);
    /// assert_eq!(d.reply(), "one large pizza . anything else ?");
    /// # Ok::<(), encdec::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// If a slot value is not in its table, if `home` equals `away`, or if
    /// `phrasing` does not give one phrasing per turn within range.
    pub fn new(task: Task, phrasing: &[usize]) -> Result<Dialogue, DataError> {
        let slots = task.slots()?;
        let (turns, _) = task.templates();
        let sizes: Vec<usize> = turns.iter().map(|t| t.len()).collect();
        if phrasing.len() != sizes.len() || phrasing.iter().zip(&sizes).any(|(p, s)| p >= s) {
            return Err(DataError::Grammar(format!(
                "phrasing {phrasing:?}: this task needs one index per turn below {sizes:?}"
            )));
        }
        let phrasing = phrasing.to_vec();
        Ok(Dialogue {
            task,
            phrasing,
            slots,
        })
    }

    /// A random dialogue: [`Task`] kind uniform among the eight, slot values
    /// and phrasings uniform.
    pub fn random(rng: &mut Rng) -> Dialogue {
        let task = Task::random(rng);
        let phrasing: Vec<usize> = task
            .templates()
            .0
            .iter()
            .map(|t| rng.random_range(0..t.len()))
            .collect();
        Dialogue::new(task, &phrasing).expect("random tasks and phrasings are in range")
    }

    /// Every distinct dialogue, [`DIALOGUE_COUNT`] of them.
    pub fn all() -> Vec<Dialogue> {
        let mut all = vec![];
        for task in Task::all() {
            let mut phrasings: Vec<Vec<usize>> = vec![vec![]];
            for turn in task.templates().0 {
                phrasings = phrasings
                    .into_iter()
                    .flat_map(|p| (0..turn.len()).map(move |i| [p.clone(), vec![i]].concat()))
                    .collect();
            }
            all.extend(
                phrasings
                    .iter()
                    .map(|p| Dialogue::new(task, p).expect("every slot value is in its table")),
            );
        }
        all
    }

    /// The task and its slot values.
    pub fn task(&self) -> Task {
        self.task
    }

    /// The turns of the history, first to last (user, bot, …, user).
    pub fn history(&self) -> Vec<String> {
        let (turns, _) = self.task.templates();
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
        fill(self.task.templates().1, &self.slots)
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
/// use encdec::data::dialogue_corpus;
/// let split = dialogue_corpus(1000, 0);
/// assert_eq!((split.train.len(), split.valid.len(), split.test.len()), (800, 100, 100));
/// ```
pub fn dialogue_corpus(n: usize, seed: u64) -> TaskSplit {
    let n = n.clamp(1, DIALOGUE_COUNT);
    split(
        draw_distinct(n, seed, |r| Dialogue::random(r).to_pair()),
        seed,
    )
}
