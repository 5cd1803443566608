//! The word tables of the summarization data set ([`super::Event`]): who,
//! what, where and when, and the kinds of sentence a
//! [`Document`](super::Document) is made of.

use super::split::fill;

/// Who the event is about: the phrase in the document and the noun kept
/// in the headline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Role {
    /// As the document says it: `the young doctor`.
    pub phrase: &'static str,
    /// As the headline says it: `doctor`.
    pub noun: &'static str,
}

/// What happened: a verb in three forms and its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action {
    /// Simple past, as in `the mayor opened a bridge`.
    pub past: &'static str,
    /// Past participle, as in `a bridge was opened by the mayor`.
    pub participle: &'static str,
    /// Present, third person, for the headline: `opens`.
    pub present: &'static str,
    /// The object with its article: `a bridge`.
    pub object: &'static str,
    /// The object's noun alone, for the headline: `bridge`.
    pub noun: &'static str,
}

const fn role(phrase: &'static str, noun: &'static str) -> Role {
    Role { phrase, noun }
}

const fn act(words: [&'static str; 5]) -> Action {
    let [past, participle, present, object, noun] = words;
    Action {
        past,
        participle,
        present,
        object,
        noun,
    }
}

/// The ten people an event (or a distractor) can be about.
pub const ROLES: [Role; 10] = [
    role("the mayor", "mayor"),
    role("a farmer", "farmer"),
    role("the teacher", "teacher"),
    role("the young doctor", "doctor"),
    role("the old baker", "baker"),
    role("a fisherman", "fisherman"),
    role("the nurse", "nurse"),
    role("a student", "student"),
    role("the old captain", "captain"),
    role("the singer", "singer"),
];

/// The twelve things that can happen.
pub const ACTIONS: [Action; 12] = [
    act(["opened", "opened", "opens", "a bridge", "bridge"]),
    act(["won", "won", "wins", "a prize", "prize"]),
    act(["found", "found", "finds", "a treasure", "treasure"]),
    act(["sold", "sold", "sells", "a horse", "horse"]),
    act(["painted", "painted", "paints", "a wall", "wall"]),
    act(["lost", "lost", "loses", "a key", "key"]),
    act(["built", "built", "builds", "a boat", "boat"]),
    act(["bought", "bought", "buys", "a house", "house"]),
    act(["visited", "visited", "visits", "the museum", "museum"]),
    act(["planted", "planted", "plants", "a tree", "tree"]),
    act(["repaired", "repaired", "repairs", "the clock", "clock"]),
    act(["wrote", "written", "writes", "a song", "song"]),
];

/// The ten places: towns, and spots whose article the headline drops
/// (`the harbour` → `harbour`).
pub const PLACES: [&str; 10] = [
    "paris",
    "berlin",
    "rome",
    "vienna",
    "lisbon",
    "the village",
    "the harbour",
    "the market",
    "the castle",
    "the station",
];

/// The days an event can happen on.
pub const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The number of distinct events: roles × actions × places × days.
pub const EVENT_COUNT: usize = ROLES.len() * ACTIONS.len() * PLACES.len() * DAYS.len();

const WHAT: [&str; 3] = [
    "{who} {past} {object} .",
    "{object} was {participle} by {who} .",
    "people say that {who} {past} {object} .",
];
const WHERE: [&str; 3] = [
    "it happened in {place} .",
    "the event took place in {place} .",
    "it all took place in {place} .",
];
const WHEN: [&str; 3] = [
    "this was on {day} .",
    "it happened on {day} .",
    "the day was {day} .",
];

/// The headline form of a place: without its article.
pub(crate) fn bare(place: &str) -> &str {
    place.strip_prefix("the ").unwrap_or(place)
}

/// One sentence of a [`Document`](super::Document): one of the event's
/// three sentences in phrasing 0, 1 or 2, or a distractor about another
/// role, place or day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Who did what: `the mayor opened a bridge .`, `a bridge was opened by
    /// the mayor .`, `people say that the mayor opened a bridge .`
    What(usize),
    /// Where: `it happened in … .`, `the event took place in … .`, `it all
    /// took place in … .`
    Where(usize),
    /// When: `this was on … .`, `it happened on … .`, `the day was … .`
    When(usize),
    /// `the weather was cold in {place} last {day} .`: cold, warm or wet
    /// when the place's index in [`PLACES`] plus the day's in [`DAYS`] is
    /// 0, 1 or 2 modulo 3.
    Weather {
        /// A place that is not the event's.
        place: &'static str,
        /// A day that is not the event's.
        day: &'static str,
    },
    /// `{who} watched from far away .`
    Watcher {
        /// A role phrase that is not the event's.
        who: &'static str,
    },
    /// `{who} will travel to {place} on {day} .`
    Travel {
        /// A role phrase that is not the event's.
        who: &'static str,
        /// A place that is not the event's.
        place: &'static str,
        /// A day that is not the event's.
        day: &'static str,
    },
    /// `{who} was busy in {place} on {day} .`
    Busy {
        /// A role phrase that is not the event's.
        who: &'static str,
        /// A place that is not the event's.
        place: &'static str,
        /// A day that is not the event's.
        day: &'static str,
    },
}

/// The sentence `part` stands for; `event` names the event's slots
/// (`who`, `past`, `participle`, `object`, `place`, `day`).
pub(crate) fn sentence(part: &Part, event: &[(&str, &str)]) -> String {
    match *part {
        Part::What(s) => fill(WHAT[s], event),
        Part::Where(s) => fill(WHERE[s], event),
        Part::When(s) => fill(WHEN[s], event),
        Part::Weather { place, day } => {
            let p = PLACES.iter().position(|&x| x == place).unwrap_or(0);
            let d = DAYS.iter().position(|&x| x == day).unwrap_or(0);
            let feel = ["cold", "warm", "wet"][(p + d) % 3];
            format!("the weather was {feel} in {place} last {day} .")
        }
        Part::Watcher { who } => format!("{who} watched from far away ."),
        Part::Travel { who, place, day } => format!("{who} will travel to {place} on {day} ."),
        Part::Busy { who, place, day } => format!("{who} was busy in {place} on {day} ."),
    }
}
