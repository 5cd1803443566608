//! The built-in summarization data set (tutorial §6.2): short news reports
//! of one [`Event`] each and their headlines.
//!
//! A [`Document`] states who did what, where and when in three sentences,
//! each in one of three phrasings, and mixes in 0 to 2 distractor sentences
//! about *other* people, places and days, in any order:
//!
//! ```text
//! the weather was cold in rome last friday . it happened in berlin .
//! the mayor opened a bridge . this was on monday .
//! → mayor opens bridge in berlin on monday
//! ```
//!
//! The headline keeps the nouns (no articles, no adjectives) and puts the
//! verb in the present tense, so the model has to find the event's
//! sentences, pick the right words from them and change one of them.
//!
//! Counting: 10 roles × 12 actions × 10 places × 7 days give 8400 events
//! ([`EVENT_COUNT`](super::EVENT_COUNT)), each with 3 × 3 × 3 = 27
//! phrasings. There are 1035 distractor sentences for an event (54 about
//! the weather, 9 watchers, 486 trips, 486 busy people), and with the order
//! of the sentences that multiplies the count by about 1.3 × 10⁸ (mostly
//! 1035² pairs × 5! orders): some 3 × 10¹³ distinct documents, an endless
//! supply. Documents have at most 45 tokens, headlines 7.

use super::GrammarError;
use super::news::{ACTIONS, DAYS, PLACES, Part, ROLES, bare, sentence};
use super::split::{Split, draw_distinct, lookup, split};
use crate::tensor::Rng;
use crate::text::TextPair;
use rand::RngExt;
use rand::seq::SliceRandom;

/// One event: who did what, where and when. Only [`Event::new`] and
/// [`Event::random`] make one, so every value is in the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    who: usize,
    what: usize,
    where_: usize,
    when: usize,
}

impl Event {
    /// The event of this role phrase (`the mayor`), past-tense action with
    /// its object (`opened a bridge`), place (`berlin`) and day (`monday`).
    ///
    /// ```
    /// use encdec::corpora::Event;
    /// let e = Event::new("the young doctor", "wrote a song", "the harbour", "friday")?;
    /// assert_eq!(e.headline(), "doctor writes song in harbour on friday");
    /// # Ok::<(), encdec::corpora::GrammarError>(())
    /// ```
    ///
    /// # Errors
    /// If a word is not in [`ROLES`], [`ACTIONS`], [`PLACES`] or [`DAYS`].
    pub fn new(who: &str, what: &str, where_: &str, when: &str) -> Result<Event, GrammarError> {
        Ok(Event {
            who: lookup(&ROLES, who, "role", |r| r.phrase.into())?,
            what: lookup(&ACTIONS, what, "action", |a| {
                format!("{} {}", a.past, a.object)
            })?,
            where_: lookup(&PLACES, where_, "place", |p| p.to_string())?,
            when: lookup(&DAYS, when, "day", |d| d.to_string())?,
        })
    }

    /// A uniform random event.
    pub fn random(rng: &mut Rng) -> Event {
        Event {
            who: rng.random_range(0..ROLES.len()),
            what: rng.random_range(0..ACTIONS.len()),
            where_: rng.random_range(0..PLACES.len()),
            when: rng.random_range(0..DAYS.len()),
        }
    }

    /// The reference headline: `noun verb-present object in place on day`,
    /// with no article and no adjective.
    pub fn headline(&self) -> String {
        let a = &ACTIONS[self.what];
        format!(
            "{} {} {} in {} on {}",
            ROLES[self.who].noun,
            a.present,
            a.noun,
            bare(PLACES[self.where_]),
            DAYS[self.when]
        )
    }

    /// The event's place as the document writes it.
    pub fn place(&self) -> &'static str {
        PLACES[self.where_]
    }

    /// The event's day.
    pub fn day(&self) -> &'static str {
        DAYS[self.when]
    }
}

/// Checks that `word` is in `table` (of `what`s) and is not entry `own`,
/// the event's own.
fn other_than(table: &[&str], word: &str, own: usize, what: &str) -> Result<(), GrammarError> {
    if lookup(table, word, what, |w| w.to_string())? == own {
        return Err(GrammarError(format!(
            "a distractor names the event's {what} {word:?}"
        )));
    }
    Ok(())
}

/// A news report of one [`Event`]: its sentences ([`Part`]s) in order.
/// Only [`Document::new`] and [`Document::random`] make one, so every
/// document states its event exactly once and names it unambiguously.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Document {
    event: Event,
    parts: Vec<Part>,
}

impl Document {
    /// The document that writes `parts` in this order about `event`.
    ///
    /// ```
    /// use encdec::corpora::{Document, Event, Part};
    /// let e = Event::new("the mayor", "opened a bridge", "berlin", "monday")?;
    /// let parts = vec![
    ///     Part::Where(0),
    ///     Part::Watcher { who: "a farmer" },
    ///     Part::What(0),
    ///     Part::When(0),
    /// ];
    /// let d = Document::new(e, parts)?;
    /// assert_eq!(
    ///     d.text(),
    ///     "it happened in berlin . a farmer watched from far away . \
    ///      the mayor opened a bridge . this was on monday ."
    /// );
    /// assert_eq!(d.to_pair().target, "mayor opens bridge in berlin on monday");
    /// # Ok::<(), encdec::corpora::GrammarError>(())
    /// ```
    ///
    /// # Errors
    /// Unless `parts` holds exactly one [`Part::What`], one [`Part::Where`]
    /// and one [`Part::When`], each with a phrasing below 3, and at most two
    /// distractors whose roles, places and days are in the tables and differ
    /// from the event's.
    pub fn new(event: Event, parts: Vec<Part>) -> Result<Document, GrammarError> {
        let fail = |why: String| Err(GrammarError(why));
        let count = |f: fn(&Part) -> bool| parts.iter().filter(|p| f(p)).count();
        let counts = [
            count(|p| matches!(p, Part::What(_))),
            count(|p| matches!(p, Part::Where(_))),
            count(|p| matches!(p, Part::When(_))),
        ];
        if counts != [1, 1, 1] {
            return fail(format!(
                "need one what, where and when part each, got {counts:?}"
            ));
        }
        if parts.len() > 5 {
            return fail(format!("at most 2 distractors, got {}", parts.len() - 3));
        }
        let roles = ROLES.map(|r| r.phrase);
        for part in &parts {
            let (who, place, day) = match *part {
                Part::What(s) | Part::Where(s) | Part::When(s) if s >= 3 => {
                    return fail(format!("phrasing {s} is not below 3"));
                }
                Part::What(_) | Part::Where(_) | Part::When(_) => continue,
                Part::Weather { place, day } => (None, Some(place), Some(day)),
                Part::Watcher { who } => (Some(who), None, None),
                Part::Travel { who, place, day } | Part::Busy { who, place, day } => {
                    (Some(who), Some(place), Some(day))
                }
            };
            who.map_or(Ok(()), |w| other_than(&roles, w, event.who, "role"))?;
            place.map_or(Ok(()), |p| other_than(&PLACES, p, event.where_, "place"))?;
            day.map_or(Ok(()), |d| other_than(&DAYS, d, event.when, "day"))?;
        }
        Ok(Document { event, parts })
    }

    /// A random document: a uniform [`Event`], uniform phrasings, 0, 1 or 2
    /// distractors with chances 1/5, 2/5, 2/5 (each of the four kinds
    /// equally likely, naming uniform other roles, places and days), all in
    /// a uniformly shuffled order.
    pub fn random(rng: &mut Rng) -> Document {
        let event = Event::random(rng);
        let other = |rng: &mut Rng, len: usize, own: usize| {
            let i = rng.random_range(0..len - 1);
            if i >= own { i + 1 } else { i }
        };
        let mut parts = vec![
            Part::What(rng.random_range(0..3)),
            Part::Where(rng.random_range(0..3)),
            Part::When(rng.random_range(0..3)),
        ];
        let distractors = [0, 1, 1, 2, 2][rng.random_range(0..5)];
        for _ in 0..distractors {
            let who = ROLES[other(rng, ROLES.len(), event.who)].phrase;
            let place = PLACES[other(rng, PLACES.len(), event.where_)];
            let day = DAYS[other(rng, DAYS.len(), event.when)];
            parts.push(match rng.random_range(0..4) {
                0 => Part::Weather { place, day },
                1 => Part::Watcher { who },
                2 => Part::Travel { who, place, day },
                _ => Part::Busy { who, place, day },
            });
        }
        parts.shuffle(rng);
        Document { event, parts }
    }

    /// The event the document reports.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The sentences, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The document: its sentences joined by spaces, each ending in ` .`.
    pub fn text(&self) -> String {
        let e = &self.event;
        let a = &ACTIONS[e.what];
        let event = [
            ("who", ROLES[e.who].phrase),
            ("past", a.past),
            ("participle", a.participle),
            ("object", a.object),
            ("place", PLACES[e.where_]),
            ("day", DAYS[e.when]),
        ];
        let sentences: Vec<String> = self
            .parts
            .iter()
            .map(|part| sentence(part, &event))
            .collect();
        sentences.join(" ")
    }

    /// The document and its headline ([`Event::headline`]).
    pub fn to_pair(&self) -> TextPair {
        TextPair {
            source: self.text(),
            target: self.event.headline(),
        }
    }
}

/// The summarization corpus: `n` distinct (document, headline) pairs drawn
/// with [`Document::random`] from a generator seeded with `seed`, shuffled
/// and split 80/10/10 like [`translation_corpus`](super::translation_corpus):
/// `valid` holds `n / 10` pairs, `test` `max(n / 10, 1)`, `train` the rest.
/// `n` below 1 counts as 1; `n` is capped at [`EVENT_COUNT`](super::EVENT_COUNT)
/// × 27 × 6 = 1 360 800 (the documents without distractors alone), far
/// below the number of distinct documents, so drawing stays fast.
///
/// ```
/// use encdec::corpora::summarization_corpus;
/// let split = summarization_corpus(1000, 0);
/// assert_eq!((split.train.len(), split.valid.len(), split.test.len()), (800, 100, 100));
/// ```
pub fn summarization_corpus(n: usize, seed: u64) -> Split {
    let n = n.clamp(1, super::EVENT_COUNT * 27 * 6);
    split(
        draw_distinct(n, seed, |r| Document::random(r).to_pair()),
        seed,
    )
}
