//! sacreBLEU's default tokenizer, `13a` (the one of the WMT
//! `mteval-v13a` script): what BLEU on detokenized text counts as words.

/// Whitespace as Python's `str.split()` sees it: Rust's whitespace plus the
/// information separators U+001C–U+001F.
pub(super) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// The characters the first `13a` rule puts spaces around: ASCII symbols
/// and punctuation except `'`, `-`, `.` and `,` (and the space itself).
fn is_13a_symbol(c: char) -> bool {
    matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/')
}

/// One pass of a two-character rewrite, left to right, matches not
/// overlapping (as Python's `re.sub` applies a two-character pattern).
fn rewrite_pairs(
    chars: &[char],
    matches: impl Fn(char, char) -> bool,
    out: impl Fn(char, char) -> String,
) -> Vec<char> {
    let mut result = Vec::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() && matches(chars[i], chars[i + 1]) {
            result.extend(out(chars[i], chars[i + 1]).chars());
            i += 2;
        } else {
            result.push(chars[i]);
            i += 1;
        }
    }
    result
}

/// sacreBLEU's `13a` tokenizer: drop `<skipped>`, join `-` + line end,
/// undo four HTML entities, then
/// 1. space around ASCII symbols other than `' - . ,`;
/// 2. split `.` and `,` from a preceding non-digit;
/// 3. split `.` and `,` from a following non-digit;
/// 4. split `-` from a preceding digit;
///
/// and split on whitespace.
///
/// ```
/// use encdec::seq2seq::eval::tokenize_13a;
/// assert_eq!(tokenize_13a("It's 3.5 km-long (really)."), ["It's", "3.5", "km-long", "(", "really", ")", "."]);
/// ```
pub fn tokenize_13a(line: &str) -> Vec<String> {
    let mut line = line
        .replace("<skipped>", "")
        .replace("-\n", "")
        .replace('\n', " ");
    if line.contains('&') {
        line = line
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    let mut chars: Vec<char> = Vec::with_capacity(line.len() + 8);
    chars.push(' ');
    for c in line.chars() {
        if is_13a_symbol(c) {
            chars.extend([' ', c, ' ']);
        } else {
            chars.push(c);
        }
    }
    chars.push(' ');
    let dot = |c: char| c == '.' || c == ',';
    let digit = |c: char| c.is_ascii_digit();
    let chars = rewrite_pairs(
        &chars,
        |a, b| !digit(a) && dot(b),
        |a, b| format!("{a} {b} "),
    );
    let chars = rewrite_pairs(
        &chars,
        |a, b| dot(a) && !digit(b),
        |a, b| format!(" {a} {b}"),
    );
    let chars = rewrite_pairs(
        &chars,
        |a, b| digit(a) && b == '-',
        |a, b| format!("{a} {b} "),
    );
    let text: String = chars.into_iter().collect();
    text.split(is_python_space)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}
