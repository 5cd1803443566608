//! `encdec chat`: one reply per line of standard input, keeping the history.

use crate::print::{CliResult, print_line};
use encdec::pipeline::load_for_task;
use encdec::seq2seq::decode::{ChatReply, ChatSession};
use encdec::seq2seq::task::Task;
use encdec::text::printable;
use std::io::BufRead;
use std::path::Path;

/// Talks with a dialogue model: `/reset` forgets the conversation, `/quit`
/// (or the end of input) ends it; a line that is not UTF-8 is skipped.
pub fn chat(checkpoint: &Path) -> CliResult {
    let t = load_for_task(checkpoint, Task::Dialogue, "chat")?;
    let mut session = ChatSession::new();
    print_line("chat with the dialogue model; /reset forgets the conversation, /quit ends it");
    let mut input = std::io::stdin().lock();
    let mut bytes = vec![];
    for number in 1.. {
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            print_line(&format!(
                "(line {number} is not valid UTF-8 text; it was skipped)"
            ));
            continue;
        };
        let line = line.trim_end_matches(['\n', '\r']);
        match line.trim() {
            "/quit" => break,
            "/reset" => {
                session.reset();
                print_line("(conversation forgotten)");
            }
            _ => match session.respond(&t, line) {
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
