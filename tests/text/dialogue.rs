//! Dialogues: histories and replies checked by hand, and properties of
//! every dialogue and of the generated corpus.

use crate::corpora::{pairs, tokens};
use encdec::corpora::*;
use encdec::text::*;
use std::collections::{HashMap, HashSet};

/// Builds the dialogue and checks its history (turns written here with
/// ` | ` between them) and reply.
fn check(topic: Topic, phrasing: &[usize], history: &str, reply: &str) {
    let d = Dialogue::new(topic, phrasing).unwrap();
    let turns: Vec<&str> = history.split(" | ").collect();
    let (source, target) = (join_turns(&turns), reply.to_string());
    assert_eq!(d.to_pair(), TextPair { source, target });
}

#[test]
fn dialogues_checked_by_hand() {
    use Topic::*;
    // The reply combines turn 1 (the dish) and turn 3 (the size).
    check(
        Order {
            dish: "pizza",
            size: "large",
        },
        &[0, 0, 0],
        "i would like a pizza | what size ? | large please",
        "one large pizza . anything else ?",
    );
    check(
        Order {
            dish: "soup",
            size: "small",
        },
        &[5, 2, 1],
        "can i get a soup ? | what size would you like ? | a small one",
        "one small soup . anything else ?",
    );
    // Paris tomorrow is rainy in the table; tomorrow takes "will be".
    check(
        Weather {
            city: "paris",
            day: "tomorrow",
        },
        &[0, 0, 0],
        "what is the weather in paris ? | today or tomorrow ? | tomorrow",
        "tomorrow in paris it will be rainy",
    );
    // The day first, the city last; moscow today is snowy, today takes "is".
    check(
        WeatherDayFirst {
            city: "moscow",
            day: "today",
        },
        &[2, 2, 1],
        "what will the weather be today ? | where ? | in moscow",
        "today in moscow it is snowy",
    );
    // Dubai is sunny tomorrow.
    check(
        WeatherAtOnce {
            city: "dubai",
            day: "tomorrow",
        },
        &[0],
        "what is the weather in dubai tomorrow ?",
        "tomorrow in dubai it will be sunny",
    );
    // Tokyo is at 9 pm; the city is only in the first turn.
    check(
        Time { city: "tokyo" },
        &[0, 0, 0],
        "i am in tokyo | noted . | what time is it ?",
        "it is 9 pm in tokyo",
    );
    // Two cities; "there" means the sister's (sydney, 11 pm), "here" the
    // user's (london, 12 pm).
    let history = "i live in london | ok . | my sister lives in sydney | i see . | what time is it";
    let (home, away) = ("london", "sydney");
    check(
        TimeHereOrThere {
            home,
            away,
            there: true,
        },
        &[1, 1, 1, 1, 0],
        &format!("{history} there ?"),
        "it is 11 pm in sydney",
    );
    check(
        TimeHereOrThere {
            home,
            away,
            there: false,
        },
        &[1, 1, 1, 1, 0],
        &format!("{history} here ?"),
        "it is 12 pm in london",
    );
    // Lima is at 7 am.
    check(
        TimeAtOnce { city: "lima" },
        &[1],
        "what is the time in lima ?",
        "it is 7 am in lima",
    );
    check(
        SmallTalk { said: "thanks" },
        &[0],
        "thanks",
        "you are welcome .",
    );
}

#[test]
fn malformed_dialogues_are_refused() {
    let order = |dish| Topic::Order {
        dish,
        size: "large",
    };
    assert!(Dialogue::new(order("pizza"), &[0, 0, 0]).is_ok());
    assert!(Dialogue::new(order("pasta"), &[0, 0, 0]).is_err());
    assert!(
        Dialogue::new(
            Topic::Order {
                dish: "pizza",
                size: "huge"
            },
            &[0, 0, 0]
        )
        .is_err()
    );
    assert!(Dialogue::new(order("pizza"), &[0, 0]).is_err());
    assert!(Dialogue::new(order("pizza"), &[0, 0, 0, 0]).is_err());
    assert!(Dialogue::new(order("pizza"), &[0, 3, 0]).is_err());
    assert!(Dialogue::new(Topic::Time { city: "atlantis" }, &[0, 0, 0]).is_err());
    assert!(
        Dialogue::new(
            Topic::Weather {
                city: "paris",
                day: "monday"
            },
            &[0, 0, 0]
        )
        .is_err()
    );
    let same = Topic::TimeHereOrThere {
        home: "paris",
        away: "paris",
        there: true,
    };
    assert!(Dialogue::new(same, &[0; 5]).is_err());
    assert!(Dialogue::new(Topic::SmallTalk { said: "hey" }, &[0]).is_err());
}

#[test]
fn every_dialogue_is_distinct_and_within_bounds() {
    let all = Dialogue::all();
    assert_eq!(all.len(), DIALOGUE_COUNT);
    let sources: HashSet<String> = all.iter().map(|d| d.source()).collect();
    // Distinct histories: a history has one right reply.
    assert_eq!(sources.len(), DIALOGUE_COUNT);
    let mut per_kind: HashMap<String, usize> = HashMap::new();
    for d in &all {
        let kind = format!("{:?}", d.topic());
        *per_kind
            .entry(kind.split(' ').next().unwrap().to_string())
            .or_default() += 1;
        let history = d.history();
        assert_eq!(
            history.len() % 2,
            1,
            "user turns first and last: {history:?}"
        );
        assert_eq!(d.source(), join_turns(&history));
        assert!(history.iter().all(|t| !t.contains(TURN_MARK)));
        assert!(tokens(&d.source()).len() <= 25, "{}", d.source());
        assert!(tokens(&d.reply()).len() <= 7, "{}", d.reply());
    }
    let expected = [
        ("Order", 1620),
        ("Weather", 864),
        ("WeatherDayFirst", 576),
        ("WeatherAtOnce", 48),
        ("Time", 480),
        ("TimeHereOrThere", 8064),
        ("TimeAtOnce", 16),
        ("SmallTalk", 10),
    ];
    for (kind, count) in expected {
        assert_eq!(per_kind[kind], count, "{kind}");
    }
}

#[test]
fn the_key_slot_comes_from_an_earlier_turn() {
    for d in Dialogue::all() {
        let h = d.history();
        let (first, last) = (tokens(&h[0]), tokens(h.last().unwrap()));
        let reply = tokens(&d.reply());
        // (word taken from an earlier turn, not in the last turn)
        let earlier: Option<(&str, Vec<String>)> = match d.topic() {
            Topic::Order { dish, .. } => Some((dish, first)),
            Topic::Weather { city, .. } | Topic::Time { city } => Some((city, first)),
            Topic::WeatherDayFirst { day, .. } => Some((day, first)),
            Topic::TimeHereOrThere { home, away, there } => {
                let meant = if there { away } else { home };
                let both: Vec<String> = [first, tokens(&h[2])].concat();
                assert!(both.contains(&home.to_string()) && both.contains(&away.to_string()));
                Some((meant, both))
            }
            _ => None,
        };
        if let Some((slot, turns)) = earlier {
            let slot = slot.to_string();
            assert!(turns.contains(&slot), "{slot} not in {h:?}");
            assert!(!last.contains(&slot), "{slot} in the last turn of {h:?}");
            assert!(reply.contains(&slot), "{slot} not in {}", d.reply());
        } else {
            assert_eq!(h.len(), 1, "{h:?}");
        }
    }
}

#[test]
fn the_last_turn_alone_does_not_fix_a_multi_turn_reply() {
    let mut replies: HashMap<String, HashSet<String>> = HashMap::new();
    let all = Dialogue::all();
    for d in &all {
        let last = d.history().last().unwrap().clone();
        replies.entry(last).or_default().insert(d.reply());
    }
    for d in all.iter().filter(|d| d.history().len() > 1) {
        let last = d.history().last().unwrap().clone();
        assert!(
            replies[&last].len() >= 2,
            "{last:?} gives only {:?}",
            replies[&last]
        );
    }
}

#[test]
fn replies_follow_the_city_table() {
    for d in Dialogue::all() {
        let reply = d.reply();
        match d.topic() {
            Topic::Weather { city, day }
            | Topic::WeatherDayFirst { city, day }
            | Topic::WeatherAtOnce { city, day } => {
                let c = CITIES.iter().find(|c| c.name == city).unwrap();
                let (i, be) = if day == "today" {
                    (0, "is")
                } else {
                    (1, "will be")
                };
                assert_eq!(reply, format!("{day} in {city} it {be} {}", c.weather[i]));
            }
            Topic::Time { city } | Topic::TimeAtOnce { city } => {
                let c = CITIES.iter().find(|c| c.name == city).unwrap();
                assert_eq!(reply, format!("it is {} in {city}", c.time));
            }
            _ => {}
        }
    }
}

#[test]
fn corpus_replies_take_a_slot_from_before_the_last_turn() {
    // The same property on generated text alone, through the word tables.
    let mut slots: HashSet<&str> = DISHES.into_iter().chain(WEATHER_DAYS).collect();
    slots.extend(CITIES.iter().map(|c| c.name));
    let split = dialogue_corpus(4000, 5);
    let mut multi = 0;
    for p in pairs(&split) {
        let turns = split_turns(&p.source);
        if turns.len() == 1 {
            continue;
        }
        multi += 1;
        let last = tokens(turns[turns.len() - 1]);
        let before = tokens(&turns[..turns.len() - 1].join(" "));
        let found = tokens(&p.target)
            .into_iter()
            .any(|w| slots.contains(w.as_str()) && before.contains(&w) && !last.contains(&w));
        assert!(found, "{} → {}", p.source, p.target);
    }
    assert!(multi > 3500, "{multi}");
}

#[test]
fn the_corpus_is_capped_at_every_dialogue() {
    let split = dialogue_corpus(usize::MAX, 0);
    let sources: HashSet<&str> = pairs(&split).iter().map(|p| p.source.as_str()).collect();
    let all: HashSet<String> = Dialogue::all().iter().map(|d| d.source()).collect();
    assert_eq!(sources.len(), DIALOGUE_COUNT);
    assert!(sources.iter().all(|s| all.contains(*s)));
    // The turn separator is a token of its own; a typed `|` is not it.
    assert_eq!(tokens(&join_turns(&["a", "b"])), ["a", TURN, "b"]);
    assert_ne!(tokens("a | b"), ["a", TURN, "b"]);
}
