//! Gluing pieces back into words.
//!
//! Checked by `tests/text/subwords.rs`.

use super::CONTINUES;

/// The words of some pieces: a piece ending with [`CONTINUES`] (`@@`) is
/// glued, without its mark, to the piece after it. A model may stop
/// after a piece that promised more (`lo@@` then `</s>`): that last word
/// is written as it stands, without the mark, rather than dropped.
///
/// ```
/// use encdec::text::subwords::join;
/// let pieces = ["the", "low@@", "est", "hel@@"].map(String::from);
/// assert_eq!(join(&pieces), ["the", "lowest", "hel"]);
/// ```
pub fn join(pieces: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for p in pieces {
        match p.strip_suffix(CONTINUES) {
            Some(start) => word.push_str(start),
            None => {
                word.push_str(p);
                words.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}
