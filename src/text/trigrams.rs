//! What word sequences the training sources held: the set of their word
//! trigrams with sentence-boundary marks, kept as sorted 64-bit hashes so
//! that a checkpoint can carry it compactly.
//!
//! The rule: a sentence $w_1 \dots w_n$ is read as
//! `<s>` $w_1 \dots w_n$ `</s>`, and its trigrams are the $n$ windows of
//! three tokens. An input is *outside what the model was trained on* when
//! one of its trigrams never occurs in a training source. It is a
//! one-sided test: a trigram never seen proves that the training corpus
//! never produced this word sequence; every trigram seen does not prove
//! that the whole sentence was (two halves of different sentences pass),
//! nor that its meaning is one the model has learnt.
//!
//! Checked by `tests/text/trigrams.rs`.

use super::{BOS, EOS};

/// The most distinct trigrams a set holds: $2^{20}$, 8 MiB of hashes,
/// 16 MiB written as hex, which leaves half of a checkpoint's 32 MiB header
/// to the rest. A corpus with more is not described by a set (its
/// checkpoint says so), and a header claiming more is refused before
/// anything is allocated.
pub const MAX_TRIGRAMS: usize = 1 << 20;

/// The word trigrams of some sentences, as sorted, distinct hashes
/// ([`trigram_hash`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigrams {
    hashes: Vec<u64>,
}

/// A trigram of tokens, boundary marks included.
pub type Trigram = [String; 3];

/// The trigrams of one sentence with its boundary marks:
/// `<s> a b` … `y z </s>` (for a single word, `<s> a </s>`); none for an
/// empty sentence.
pub fn trigrams_of(tokens: &[String]) -> Vec<Trigram> {
    if tokens.is_empty() {
        return vec![];
    }
    let marked: Vec<&str> = std::iter::once(BOS)
        .chain(tokens.iter().map(String::as_str))
        .chain(std::iter::once(EOS))
        .collect();
    marked
        .windows(3)
        .map(|w| [w[0].to_string(), w[1].to_string(), w[2].to_string()])
        .collect()
}

/// A trigram's hash: 64-bit FNV-1a over the bytes $b_0 \dots b_{m-1}$ of
/// its three tokens, each followed by the byte 0x1F (no token holds a
/// control character, so two different trigrams never give the same
/// bytes); the hash is $h_m$.
///
/// $$ h_0 = \mathrm{cbf29ce484222325}\_{16},\quad h_{i+1} = (h_i \oplus b_i) \cdot \mathrm{100000001b3}\_{16} \bmod 2^{64} $$
///
/// Checked by `tests/text/trigrams.rs::trigram_hash_by_hand`.
pub fn trigram_hash(g: &Trigram) -> u64 {
    let bytes = g
        .iter()
        .flat_map(|t| t.bytes().chain(std::iter::once(0x1f)));
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Trigrams {
    /// The trigrams of some tokenized sentences, or `None` if they hold
    /// more than [`MAX_TRIGRAMS`] distinct ones.
    pub fn of_sentences<'a, I: IntoIterator<Item = &'a [String]>>(
        sentences: I,
    ) -> Option<Trigrams> {
        let mut hashes: Vec<u64> = sentences
            .into_iter()
            .flat_map(|s| trigrams_of(s).iter().map(trigram_hash).collect::<Vec<_>>())
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        (hashes.len() <= MAX_TRIGRAMS).then_some(Trigrams { hashes })
    }

    /// How many distinct trigrams the set holds.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Whether the training sources held `g` (a hash collision, about one
    /// chance in $2^{64}/n$, would call an unseen trigram seen).
    pub fn contains(&self, g: &Trigram) -> bool {
        self.hashes.binary_search(&trigram_hash(g)).is_ok()
    }

    /// The first trigram of `tokens` (boundary marks added) that the
    /// training sources never held, if any.
    pub fn first_unseen(&self, tokens: &[String]) -> Option<Trigram> {
        trigrams_of(tokens).into_iter().find(|g| !self.contains(g))
    }

    /// The hashes as one string of hexadecimal digits, 16 per hash, in
    /// order: how a checkpoint's header stores them.
    pub fn to_hex(&self) -> String {
        self.hashes.iter().map(|h| format!("{h:016x}")).collect()
    }

    /// The set [`Trigrams::to_hex`] wrote.
    ///
    /// # Errors
    /// A length that is not a multiple of 16, more than [`MAX_TRIGRAMS`]
    /// hashes (checked before allocating), a character that is not a
    /// lowercase hexadecimal digit, hashes not in strictly increasing order.
    pub fn from_hex(hex: &str) -> Result<Trigrams, String> {
        if !hex.len().is_multiple_of(16) {
            return Err(format!(
                "{} hexadecimal digits, not a multiple of 16",
                hex.len()
            ));
        }
        let n = hex.len() / 16;
        if n > MAX_TRIGRAMS {
            return Err(format!(
                "{n} trigrams, more than the {MAX_TRIGRAMS} a set may hold"
            ));
        }
        if let Some(c) = hex.chars().find(|c| !matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(format!(
                "{} is not a lowercase hexadecimal digit",
                c.escape_default()
            ));
        }
        let hashes: Vec<u64> = (0..n)
            .map(|i| u64::from_str_radix(&hex[16 * i..16 * i + 16], 16).expect("hex digits"))
            .collect();
        if let Some(i) = hashes.windows(2).position(|w| w[0] >= w[1]) {
            return Err(format!(
                "hash {} is not above hash {i}: the set must be sorted and distinct",
                i + 1
            ));
        }
        Ok(Trigrams { hashes })
    }
}

/// How a trigram no training source held reads to a learner:
/// `no training sentence ends with 'dog sleeps'`,
/// `no training sentence starts with 'lazy dog'`,
/// `'the dog under' never occurs in a training sentence`.
pub fn describe_unseen(g: &Trigram) -> String {
    match (g[0].as_str(), g[2].as_str()) {
        (BOS, EOS) => format!("no training sentence is the single word '{}'", g[1]),
        (BOS, _) => format!("no training sentence starts with '{} {}'", g[1], g[2]),
        (_, EOS) => format!("no training sentence ends with '{} {}'", g[0], g[1]),
        _ => format!(
            "'{} {} {}' never occurs in a training sentence",
            g[0], g[1], g[2]
        ),
    }
}
