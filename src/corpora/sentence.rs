//! Sentences of the grammar of [`super::grammar`], built from its word
//! tables and written out in English and in French.

use super::GrammarError;
use super::grammar::{ADJECTIVES, Article, Gender, NOUNS, Number, VERBS};
use crate::tensor::Rng;
use crate::text::TextPair;
use rand::RngExt;

/// A noun phrase: article, 0 to 2 adjectives and a noun, singular or
/// plural. Only [`NounPhrase::new`] and [`NounPhrase::random`] make one, so
/// every value is grammatical.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NounPhrase {
    article: Article,
    number: Number,
    /// Indices into [`ADJECTIVES`], in English order.
    adjectives: Vec<usize>,
    /// Index into [`NOUNS`].
    noun: usize,
}

fn find<T>(
    table: &[T],
    word: &str,
    what: &str,
    key: impl Fn(&T) -> [&str; 2],
) -> Result<usize, GrammarError> {
    table
        .iter()
        .position(|entry| key(entry).contains(&word))
        .ok_or_else(|| GrammarError(format!("unknown {what} {word:?}")))
}

impl NounPhrase {
    /// The noun phrase with this article, number, English adjectives (in
    /// English order) and English noun (singular or plural spelling).
    ///
    /// ```
    /// use encdec::corpora::{Article, NounPhrase, Number};
    /// let np = NounPhrase::new(Article::The, Number::Plural, &["tired", "white"], "horse")?;
    /// assert_eq!(np.to_english(), "the tired white horses");
    /// assert_eq!(np.to_french(), "les chevaux blancs fatigués");
    /// # Ok::<(), encdec::corpora::GrammarError>(())
    /// ```
    ///
    /// # Errors
    /// If a word is not in [`NOUNS`] or [`ADJECTIVES`], if `a` is plural,
    /// if there are more than 2 adjectives, or if two adjectives are not a
    /// quality followed by a colour (as in `quick brown`).
    pub fn new(
        article: Article,
        number: Number,
        adjectives: &[&str],
        noun: &str,
    ) -> Result<NounPhrase, GrammarError> {
        let noun = find(&NOUNS, noun, "noun", |n| [n.en, n.en_plural])?;
        let adjectives = adjectives
            .iter()
            .map(|a| find(&ADJECTIVES, a, "adjective", |x| [x.en, x.en]))
            .collect::<Result<Vec<usize>, GrammarError>>()?;
        let fail = |why: String| Err(GrammarError(why));
        if article == Article::A && number == Number::Plural {
            return fail("the article \"a\" has no plural".into());
        }
        match adjectives[..] {
            [] | [_] => {}
            [q, c] if !ADJECTIVES[q].colour && ADJECTIVES[c].colour => {}
            [a, b] => {
                let (a, b) = (ADJECTIVES[a].en, ADJECTIVES[b].en);
                return fail(format!(
                    "two adjectives must be a quality then a colour, as in \"quick brown\"; got \"{a} {b}\""
                ));
            }
            _ => return fail(format!("at most 2 adjectives, got {}", adjectives.len())),
        }
        Ok(NounPhrase {
            article,
            number,
            adjectives,
            noun,
        })
    }

    /// A random noun phrase: `the` singular, `the` plural or `a` singular
    /// with equal chances, a uniform noun, 0, 1 or 2 adjectives with equal
    /// chances (two being a uniform quality and a uniform colour).
    pub fn random(rng: &mut Rng) -> NounPhrase {
        let (article, number) = match rng.random_range(0..3) {
            0 => (Article::The, Number::Singular),
            1 => (Article::The, Number::Plural),
            _ => (Article::A, Number::Singular),
        };
        let pick = |rng: &mut Rng, colour: bool| {
            let of_kind: Vec<usize> = (0..ADJECTIVES.len())
                .filter(|&i| ADJECTIVES[i].colour == colour)
                .collect();
            of_kind[rng.random_range(0..of_kind.len())]
        };
        let adjectives = match rng.random_range(0..3) {
            0 => vec![],
            1 => vec![rng.random_range(0..ADJECTIVES.len())],
            _ => vec![pick(rng, false), pick(rng, true)],
        };
        let noun = rng.random_range(0..NOUNS.len());
        NounPhrase {
            article,
            number,
            adjectives,
            noun,
        }
    }

    /// Singular or plural.
    pub fn number(&self) -> Number {
        self.number
    }

    /// English: article, adjectives, noun (`the quick brown fox`).
    pub fn to_english(&self) -> String {
        let noun = &NOUNS[self.noun];
        let mut words = vec![match self.article {
            Article::The => "the",
            Article::A => "a",
        }];
        words.extend(self.adjectives.iter().map(|&a| ADJECTIVES[a].en));
        words.push(match self.number {
            Number::Singular => noun.en,
            Number::Plural => noun.en_plural,
        });
        words.join(" ")
    }

    /// French: article, noun, adjectives in reverse English order, all
    /// agreeing with the noun (`le renard brun rapide`).
    pub fn to_french(&self) -> String {
        let noun = &NOUNS[self.noun];
        let (plural, feminine) = (
            self.number == Number::Plural,
            noun.gender == Gender::Feminine,
        );
        let article = match (self.article, plural, feminine) {
            (Article::The, true, _) => "les",
            (Article::The, false, false) => "le",
            (Article::The, false, true) => "la",
            (Article::A, _, false) => "un",
            (Article::A, _, true) => "une",
        };
        let mut words = vec![article, if plural { noun.fr_plural } else { noun.fr }];
        let form = 2 * usize::from(plural) + usize::from(feminine);
        words.extend(
            self.adjectives
                .iter()
                .rev()
                .map(|&a| ADJECTIVES[a].fr[form]),
        );
        words.join(" ")
    }
}

/// A sentence: subject, verb, object. The verb agrees with the subject.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sentence {
    subject: NounPhrase,
    /// Index into [`VERBS`].
    verb: usize,
    object: NounPhrase,
}

impl Sentence {
    /// The sentence with this subject, English verb (with its preposition,
    /// singular or plural spelling, e.g. `jumps over`) and object.
    ///
    /// ```
    /// use encdec::corpora::{Article, FOX_EN, FOX_FR, NounPhrase, Number, Sentence};
    /// let fox = NounPhrase::new(Article::The, Number::Singular, &["quick", "brown"], "fox")?;
    /// let dog = NounPhrase::new(Article::The, Number::Singular, &["lazy"], "dog")?;
    /// let s = Sentence::new(fox, "jumps over", dog)?;
    /// assert_eq!((s.to_english().as_str(), s.to_french().as_str()), (FOX_EN, FOX_FR));
    /// # Ok::<(), encdec::corpora::GrammarError>(())
    /// ```
    ///
    /// # Errors
    /// If the verb is not in [`VERBS`].
    pub fn new(
        subject: NounPhrase,
        verb: &str,
        object: NounPhrase,
    ) -> Result<Sentence, GrammarError> {
        let verb = find(&VERBS, verb, "verb", |v| [v.en, v.en_plural])?;
        Ok(Sentence {
            subject,
            verb,
            object,
        })
    }

    /// A random sentence: random subject and object ([`NounPhrase::random`])
    /// and a uniform verb.
    pub fn random(rng: &mut Rng) -> Sentence {
        let subject = NounPhrase::random(rng);
        let verb = rng.random_range(0..VERBS.len());
        let object = NounPhrase::random(rng);
        Sentence {
            subject,
            verb,
            object,
        }
    }

    /// The sentence in English, lowercase, without final punctuation.
    pub fn to_english(&self) -> String {
        let verb = &VERBS[self.verb];
        let verb = match self.subject.number {
            Number::Singular => verb.en,
            Number::Plural => verb.en_plural,
        };
        format!(
            "{} {verb} {}",
            self.subject.to_english(),
            self.object.to_english()
        )
    }

    /// The sentence in French, lowercase, without final punctuation.
    pub fn to_french(&self) -> String {
        let verb = &VERBS[self.verb];
        let verb = match self.subject.number {
            Number::Singular => verb.fr,
            Number::Plural => verb.fr_plural,
        };
        format!(
            "{} {verb} {}",
            self.subject.to_french(),
            self.object.to_french()
        )
    }

    /// The English→French pair.
    pub fn to_pair(&self) -> TextPair {
        TextPair {
            source: self.to_english(),
            target: self.to_french(),
        }
    }
}
