//! A dialogue history as one source text (tutorial §6.3): the turns joined
//! by a mark that the tokenizer turns into the token [`TURN`], which no
//! typed text can produce.

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
/// use encdec::text::{TURN, Tokenizer, join_turns};
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
