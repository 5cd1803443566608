//! `encdec chat`: one reply per line of standard input, keeping the history.

use crate::print::{CliResult, print_line};
use encdec::pipeline::load_for_task;
use encdec::seq2seq::decode::{ChatReply, ChatSession};
use encdec::seq2seq::task::Task;
use encdec::text::corpus_files::{CORPUS_CAP, Lines};
use encdec::text::printable;
use std::path::Path;

/// Talks with a dialogue model: `/reset` forgets the conversation, `/quit`
/// (or the end of input) ends it; a line that is not UTF-8, holds a NUL or
/// is longer than 1 MiB is skipped (and its bytes not held).
pub fn chat(checkpoint: &Path) -> CliResult {
    let t = load_for_task(checkpoint, Task::Dialogue, "chat")?;
    let mut session = ChatSession::new();
    print_line("chat with the dialogue model; /reset forgets the conversation, /quit ends it");
    let input = Lines::new(
        std::io::stdin().lock(),
        Path::new("standard input"),
        CORPUS_CAP,
    );
    for item in input {
        let (number, line) = item.map_err(|e| e.to_string())?;
        let line = match line {
            Ok(line) => line,
            Err(why) => {
                print_line(&format!("(line {number} was skipped: {why})"));
                continue;
            }
        };
        match line.trim() {
            "/quit" => break,
            "/reset" => {
                session.reset();
                print_line("(conversation forgotten)");
            }
            _ => match session.respond(&t, &line) {
                ChatReply::Reply(r) if r.is_empty() => {
                    print_line("bot: (no reply: the model ended its output at once)")
                }
                ChatReply::Reply(r) => print_line(&format!("bot: {r}")),
                ChatReply::Failed(e) => print_line(&format!("bot: (no reply: {e})")),
                ChatReply::Unknown(words) => print_line(&format!(
                    "bot: (I do not know the words: {})",
                    printable(&words.join(", "))
                )),
                ChatReply::Nothing => {}
            },
        }
    }
    print_line("bye");
    Ok(())
}
