//! Summaries: documents and headlines checked by hand, and properties of
//! the generated corpus.

use crate::corpora::{pairs, tokens};
use encdec::corpora::*;
use encdec::tensor::rng;
use encdec::text::*;
use std::collections::HashSet;

fn event(who: &str, what: &str, place: &str, day: &str) -> Event {
    Event::new(who, what, place, day).unwrap()
}

fn document(event: Event, parts: Vec<Part>) -> TextPair {
    Document::new(event, parts).unwrap().to_pair()
}

#[test]
fn documents_and_headlines_checked_by_hand() {
    // The example of the brief: articles dropped, opened → opens.
    let p = document(
        event("the mayor", "opened a bridge", "berlin", "monday"),
        vec![
            Part::Where(0),
            Part::Watcher { who: "a farmer" },
            Part::What(0),
            Part::When(0),
        ],
    );
    assert_eq!(
        p.source,
        "it happened in berlin . a farmer watched from far away . \
         the mayor opened a bridge . this was on monday ."
    );
    assert_eq!(p.target, "mayor opens bridge in berlin on monday");

    // Passive voice (participle "written", not "wrote"); the adjective
    // "young" and the article of "the harbour" are dropped in the headline.
    // The weather distractor: paris is place 0, sunday day 6, (0 + 6) % 3 = 0 → cold.
    let p = document(
        event("the young doctor", "wrote a song", "the harbour", "friday"),
        vec![
            Part::What(1),
            Part::Weather {
                place: "paris",
                day: "sunday",
            },
            Part::When(2),
            Part::Where(1),
        ],
    );
    assert_eq!(
        p.source,
        "a song was written by the young doctor . the weather was cold in paris last sunday . \
         the day was friday . the event took place in the harbour ."
    );
    assert_eq!(p.target, "doctor writes song in harbour on friday");

    // The day comes first, then two distractors with other people, places
    // and days; lost → loses.
    let p = document(
        event("a fisherman", "lost a key", "the village", "sunday"),
        vec![
            Part::When(1),
            Part::Travel {
                who: "the old baker",
                place: "rome",
                day: "monday",
            },
            Part::Busy {
                who: "the nurse",
                place: "the station",
                day: "saturday",
            },
            Part::What(2),
            Part::Where(2),
        ],
    );
    assert_eq!(
        p.source,
        "it happened on sunday . the old baker will travel to rome on monday . \
         the nurse was busy in the station on saturday . \
         people say that a fisherman lost a key . it all took place in the village ."
    );
    assert_eq!(p.target, "fisherman loses key in village on sunday");

    // No distractor at all; sold → sells, "a farmer" → "farmer".
    let p = document(
        event("a farmer", "sold a horse", "lisbon", "tuesday"),
        vec![Part::When(0), Part::What(0), Part::Where(0)],
    );
    assert_eq!(
        p.source,
        "this was on tuesday . a farmer sold a horse . it happened in lisbon ."
    );
    assert_eq!(p.target, "farmer sells horse in lisbon on tuesday");
}

#[test]
fn the_longest_document_has_45_tokens() {
    // The longest phrasing of each sentence and the longest role, place and
    // day words: 10 + 8 + 5 + 11 + 11 = 45 tokens.
    let p = document(
        event(
            "the old captain",
            "repaired the clock",
            "the village",
            "wednesday",
        ),
        vec![
            Part::What(2),
            Part::Where(1),
            Part::When(2),
            Part::Travel {
                who: "the young doctor",
                place: "the station",
                day: "thursday",
            },
            Part::Busy {
                who: "the old baker",
                place: "the market",
                day: "saturday",
            },
        ],
    );
    assert_eq!(tokens(&p.source).len(), 45);
    assert_eq!(p.target, "captain repairs clock in village on wednesday");
}

#[test]
fn malformed_documents_are_refused() {
    assert!(Event::new("the king", "opened a bridge", "paris", "monday").is_err());
    assert!(Event::new("the mayor", "opened a song", "paris", "monday").is_err());
    assert!(Event::new("the mayor", "opened a bridge", "village", "monday").is_err());
    let e = event("the mayor", "opened a bridge", "paris", "monday");
    let base = [Part::What(0), Part::Where(0), Part::When(0)];
    let with = |extra: &[Part]| [&base[..], extra].concat();
    assert!(Document::new(e, with(&[])).is_ok());
    // A distractor may not reuse the event's place, day or person.
    assert!(
        Document::new(
            e,
            with(&[Part::Weather {
                place: "paris",
                day: "friday"
            }])
        )
        .is_err()
    );
    assert!(
        Document::new(
            e,
            with(&[Part::Weather {
                place: "rome",
                day: "monday"
            }])
        )
        .is_err()
    );
    assert!(Document::new(e, with(&[Part::Watcher { who: "the mayor" }])).is_err());
    assert!(Document::new(e, with(&[Part::Watcher { who: "a king" }])).is_err());
    // Exactly one sentence of each kind, phrasings below 3, at most 2 distractors.
    assert!(Document::new(e, with(&[Part::What(1)])).is_err());
    assert!(Document::new(e, base[..2].to_vec()).is_err());
    assert!(Document::new(e, vec![Part::What(3), Part::Where(0), Part::When(0)]).is_err());
    let w = Part::Watcher { who: "a farmer" };
    assert!(Document::new(e, with(&[w, w])).is_ok());
    assert!(Document::new(e, with(&[w, w, w])).is_err());
}

#[test]
fn random_documents_follow_the_rules_of_document_new() {
    let mut r = rng(11);
    let mut distractors = [0usize; 3];
    for _ in 0..3000 {
        let d = Document::random(&mut r);
        // Document::new checks every rule; rebuilding must succeed and agree.
        let again = Document::new(*d.event(), d.parts().to_vec()).unwrap();
        assert_eq!(again, d);
        distractors[d.parts().len() - 3] += 1;
    }
    // Chances 1/5, 2/5, 2/5 for 0, 1, 2 distractors: 600, 1200, 1200 expected.
    for (count, expected) in distractors.into_iter().zip([600, 1200, 1200]) {
        assert!(count.abs_diff(expected) < 120, "{distractors:?}");
    }
}

/// The headline's place (noun) and day.
fn place_and_day(headline: &str) -> (String, String) {
    let words: Vec<&str> = headline.split(' ').collect();
    let n = words.len();
    assert_eq!((words[n - 4], words[n - 2]), ("in", "on"), "{headline}");
    (words[n - 3].to_string(), words[n - 1].to_string())
}

#[test]
fn the_headline_place_and_day_are_in_the_document() {
    for p in pairs(&summarization_corpus(3000, 1)) {
        let words = tokens(&p.source);
        let (place, day) = place_and_day(&p.target);
        assert!(words.contains(&place), "{place} not in {}", p.source);
        assert!(words.contains(&day), "{day} not in {}", p.source);
    }
}

#[test]
fn most_documents_name_another_place_or_day() {
    let places: HashSet<&str> = PLACES
        .iter()
        .map(|p| p.trim_start_matches("the "))
        .collect();
    let days: HashSet<&str> = DAYS.into_iter().collect();
    let split = summarization_corpus(3000, 2);
    let with_other = pairs(&split)
        .iter()
        .filter(|p| {
            let (place, day) = place_and_day(&p.target);
            tokens(&p.source).iter().any(|w| {
                (places.contains(w.as_str()) && *w != place)
                    || (days.contains(w.as_str()) && *w != day)
            })
        })
        .count();
    // Expected share: 1 − (1/5 + 2/5 · 1/4 + 2/5 · 1/16) = 67.5 %.
    assert!(with_other >= 1500, "{with_other} of 3000");
    assert!(with_other.abs_diff(2025) < 150, "{with_other} of 3000");
}

#[test]
fn lengths_stay_within_bounds() {
    let split = summarization_corpus(5000, 3);
    let mut longest = (0, 0);
    for p in pairs(&split) {
        longest.0 = longest.0.max(tokens(&p.source).len());
        longest.1 = longest.1.max(tokens(&p.target).len());
        // No event sentence is dropped: at least 3 sentences.
        assert!(p.source.matches(" .").count() >= 3, "{}", p.source);
    }
    assert!(longest.0 <= 45 && longest.1 <= 7, "{longest:?}");
    assert!(longest.0 >= 35, "{longest:?}: distractors never appear?");
}

#[test]
fn the_word_tables_have_the_advertised_sizes() {
    assert_eq!(EVENT_COUNT, 8400);
    let nouns: HashSet<&str> = ROLES.iter().map(|r| r.noun).collect();
    assert_eq!(nouns.len(), ROLES.len(), "a headline noun names one role");
    for r in ROLES {
        assert!(r.phrase.ends_with(r.noun), "{r:?}");
    }
    for a in ACTIONS {
        assert!(a.object.ends_with(a.noun), "{a:?}");
        assert!(a.present.ends_with('s'), "{a:?}");
    }
}
