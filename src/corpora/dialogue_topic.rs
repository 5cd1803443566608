//! What a [`Dialogue`](super::Dialogue) is about: the [`Topic`] kinds, their
//! slot values, and which templates of [`super::chat`] write them out.

use super::GrammarError;
use super::dialogue_words::*;
use super::split::lookup;
use crate::tensor::Rng;
use rand::RngExt;

/// What a dialogue is about, with its slot values. Names must come from
/// [`DISHES`], [`SIZES`], [`CITIES`], [`WEATHER_DAYS`] and [`SMALL_TALK`];
/// [`Dialogue::new`](super::Dialogue::new) checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// User orders a dish, bot asks the size, user gives it:
    /// `one {size} {dish} . anything else ?`
    Order {
        /// The dish, named in the first turn.
        dish: &'static str,
        /// The size, named in the last turn.
        size: &'static str,
    },
    /// User asks the weather in a city, bot asks which day, user says it:
    /// `{day} in {city} it is {weather}` (`it will be` for tomorrow).
    Weather {
        /// The city, named in the first turn.
        city: &'static str,
        /// `today` or `tomorrow`, named in the last turn.
        day: &'static str,
    },
    /// As [`Topic::Weather`], but the day comes first and the bot asks for
    /// the city.
    WeatherDayFirst {
        /// The city, named in the last turn.
        city: &'static str,
        /// `today` or `tomorrow`, named in the first turn.
        day: &'static str,
    },
    /// As [`Topic::Weather`], asked in one turn.
    WeatherAtOnce {
        /// The city.
        city: &'static str,
        /// `today` or `tomorrow`.
        day: &'static str,
    },
    /// User says where they are, bot acknowledges, user asks the time:
    /// `it is {time} in {city}`.
    Time {
        /// The city, named in the first turn only.
        city: &'static str,
    },
    /// User says where they are and where a relative is, then asks the time
    /// `here` or `there`; the reply gives the time of the city meant.
    TimeHereOrThere {
        /// The user's city, named in the first turn.
        home: &'static str,
        /// The relative's city, named in the third turn; not `home`.
        away: &'static str,
        /// Whether the question says `there` (else `here`).
        there: bool,
    },
    /// As [`Topic::Time`], asked in one turn.
    TimeAtOnce {
        /// The city.
        city: &'static str,
    },
    /// One line of [`SMALL_TALK`] and its fixed answer.
    SmallTalk {
        /// What the user says.
        said: &'static str,
    },
}

impl Topic {
    /// The turn templates and the reply template.
    pub(crate) fn templates(&self) -> (Turns, &'static str) {
        match self {
            Topic::Order { .. } => (ORDER, ORDER_REPLY),
            Topic::Weather { .. } => (WEATHER, WEATHER_REPLY),
            Topic::WeatherDayFirst { .. } => (WEATHER_DAY_FIRST, WEATHER_REPLY),
            Topic::WeatherAtOnce { .. } => (WEATHER_AT_ONCE, WEATHER_REPLY),
            Topic::Time { .. } => (TIME, TIME_REPLY),
            Topic::TimeHereOrThere { .. } => (TIME_HERE_OR_THERE, TIME_REPLY),
            Topic::TimeAtOnce { .. } => (TIME_AT_ONCE, TIME_REPLY),
            Topic::SmallTalk { .. } => (SMALL_TALK_TURNS, "{answer}"),
        }
    }

    /// The values of the templates' `{name}`s, or an error for a name
    /// outside the tables.
    pub(crate) fn slots(&self) -> Result<Vec<(&'static str, &'static str)>, GrammarError> {
        let city = |name: &str| lookup(&CITIES, name, "city", |c| c.name.into()).map(|i| CITIES[i]);
        let day = |name: &str| lookup(&WEATHER_DAYS, name, "day", |d| d.to_string());
        Ok(match *self {
            Topic::Order { dish, size } => {
                lookup(&DISHES, dish, "dish", |d| d.to_string())?;
                lookup(&SIZES, size, "size", |s| s.to_string())?;
                vec![("dish", dish), ("size", size)]
            }
            Topic::Weather { city: c, day: d }
            | Topic::WeatherDayFirst { city: c, day: d }
            | Topic::WeatherAtOnce { city: c, day: d } => {
                let (weather, d_index) = (city(c)?.weather, day(d)?);
                let be = ["is", "will be"][d_index];
                vec![
                    ("city", c),
                    ("day", d),
                    ("be", be),
                    ("weather", weather[d_index]),
                ]
            }
            Topic::Time { city: c } | Topic::TimeAtOnce { city: c } => {
                vec![("city", c), ("time", city(c)?.time)]
            }
            Topic::TimeHereOrThere { home, away, there } => {
                let (h, a) = (city(home)?, city(away)?);
                if home == away {
                    return Err(GrammarError(format!("home and away are both {home}")));
                }
                let (which, meant) = if there { ("there", a) } else { ("here", h) };
                vec![
                    ("home", home),
                    ("away", away),
                    ("which", which),
                    ("city", meant.name),
                    ("time", meant.time),
                ]
            }
            Topic::SmallTalk { said } => {
                let i = lookup(&SMALL_TALK, said, "small talk", |s| s.0.into())?;
                vec![("said", said), ("answer", SMALL_TALK[i].1)]
            }
        })
    }

    /// Every topic: each kind with every combination of slot values.
    pub(crate) fn all() -> Vec<Topic> {
        let mut topics = vec![];
        for dish in DISHES {
            topics.extend(SIZES.map(|size| Topic::Order { dish, size }));
        }
        for city in CITIES.map(|c| c.name) {
            for day in WEATHER_DAYS {
                topics.push(Topic::Weather { city, day });
                topics.push(Topic::WeatherDayFirst { city, day });
                topics.push(Topic::WeatherAtOnce { city, day });
            }
            topics.push(Topic::Time { city });
            topics.push(Topic::TimeAtOnce { city });
            for away in CITIES.map(|c| c.name).into_iter().filter(|&a| a != city) {
                topics.extend([false, true].map(|there| Topic::TimeHereOrThere {
                    home: city,
                    away,
                    there,
                }));
            }
        }
        topics.extend(SMALL_TALK.map(|(said, _)| Topic::SmallTalk { said }));
        topics
    }

    /// A random topic: a uniform kind of the eight, then uniform slot values.
    pub(crate) fn random(rng: &mut Rng) -> Topic {
        fn pick(rng: &mut Rng, table: &[&'static str]) -> &'static str {
            table[rng.random_range(0..table.len())]
        }
        let cities = CITIES.map(|c| c.name);
        match rng.random_range(0..8) {
            0 => Topic::Order {
                dish: pick(rng, &DISHES),
                size: pick(rng, &SIZES),
            },
            1 => Topic::Weather {
                city: pick(rng, &cities),
                day: pick(rng, &WEATHER_DAYS),
            },
            2 => Topic::WeatherDayFirst {
                city: pick(rng, &cities),
                day: pick(rng, &WEATHER_DAYS),
            },
            3 => Topic::WeatherAtOnce {
                city: pick(rng, &cities),
                day: pick(rng, &WEATHER_DAYS),
            },
            4 => Topic::Time {
                city: pick(rng, &cities),
            },
            5 => Topic::TimeAtOnce {
                city: pick(rng, &cities),
            },
            6 => Topic::SmallTalk {
                said: pick(rng, &SMALL_TALK.map(|s| s.0)),
            },
            _ => {
                let home = pick(rng, &cities);
                let others: Vec<&'static str> = cities.into_iter().filter(|&c| c != home).collect();
                Topic::TimeHereOrThere {
                    home,
                    away: pick(rng, &others),
                    there: rng.random_bool(0.5),
                }
            }
        }
    }
}
