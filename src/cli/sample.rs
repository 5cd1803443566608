//! The decoding flags of `encdec translate` and `summarize` beyond
//! `--beam`: sampling (`--sample`, `--temperature`, `--top-k`, `--top-p`,
//! `--seed`) and beam search's n best (`--n-best`).

use super::train::{WROTE_NOTHING, stdin_lines};
use super::{CliResult, print_line};
use encdec::seq2seq::{Checkpoint, Sampling};
use encdec::tensor::rng;

/// The flags as clap reads them.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct DecodeFlags {
    /// Draw each next word at random from the model's distribution instead of taking the best.
    #[arg(long)]
    sample: bool,
    /// With --sample: divide the scores by this before the softmax (above 0; default 1).
    #[arg(long, allow_negative_numbers = true)]
    temperature: Option<f64>,
    /// With --sample: draw only among the K most probable words (K ≥ 1).
    #[arg(long)]
    top_k: Option<u64>,
    /// With --sample: draw only among the fewest most probable words whose probability reaches P (0 < P ≤ 1).
    #[arg(long, allow_negative_numbers = true)]
    top_p: Option<f64>,
    /// With --sample: the seed of the draws (default 0); the same seed writes the same output.
    #[arg(long)]
    seed: Option<u64>,
    /// With --beam B: print the N best outputs (N ≤ B), best first, each after its score.
    #[arg(long)]
    n_best: Option<u64>,
}

/// How to decode, the flags checked.
enum Mode {
    /// Sampling with a seed.
    Sample(Sampling, u64),
    /// Beam search's `n` best.
    NBest(usize),
}

impl DecodeFlags {
    /// The mode the flags ask for (`None`: greedy or beam search as
    /// `--beam` says), or a one-line error naming the flag.
    fn mode(&self, beam: usize) -> Result<Option<Mode>, String> {
        if !self.sample {
            let needs_sample = [
                ("--temperature", self.temperature.is_some()),
                ("--top-k", self.top_k.is_some()),
                ("--top-p", self.top_p.is_some()),
                ("--seed", self.seed.is_some()),
            ];
            if let Some((flag, _)) = needs_sample.iter().find(|(_, given)| *given) {
                return Err(format!("{flag} shapes sampling: add --sample"));
            }
            return match self.n_best {
                None => Ok(None),
                Some(n) if n >= 1 && n as usize <= beam => Ok(Some(Mode::NBest(n as usize))),
                Some(n) => Err(format!(
                    "--n-best {n} must be at least 1 and at most the beam width (--beam {beam})"
                )),
            };
        }
        if beam > 1 || self.n_best.is_some() {
            return Err(
                "--sample draws one output word by word; it does not mix with --beam or --n-best"
                    .into(),
            );
        }
        let top_k = self.top_k.map(|k| k as usize);
        let sampling = Sampling::new(
            self.temperature.unwrap_or(1.0),
            top_k,
            self.top_p.unwrap_or(1.0),
        )
        .map_err(|e| e.to_string())?;
        Ok(Some(Mode::Sample(sampling, self.seed.unwrap_or(0))))
    }
}

/// Decodes `text` (or each line of standard input) as the flags ask and
/// prints it; `Ok(false)` when the flags ask for plain greedy or beam
/// search, which the caller does.
pub fn decode_flagged(
    c: &Checkpoint,
    flags: &DecodeFlags,
    text: Option<&str>,
    beam: usize,
    allow_unknown: bool,
) -> Result<bool, Box<dyn std::error::Error>> {
    let Some(mode) = flags.mode(beam)? else {
        return Ok(false);
    };
    let inputs = match text {
        Some(t) => vec![(None, t.to_string())],
        None => stdin_lines()?
            .into_iter()
            .enumerate()
            .map(|(i, l)| (Some(i + 1), l))
            .collect(),
    };
    let mut draws = rng(match mode {
        Mode::Sample(_, seed) => seed,
        Mode::NBest(_) => 0,
    });
    for (line, input) in inputs {
        let at = |e: &dyn std::fmt::Display| match line {
            Some(n) => format!("standard input, line {n}: {e}"),
            None => e.to_string(),
        };
        if line.is_some() && c.tokenizer().tokenize(&input).is_empty() {
            print_line("");
            continue;
        }
        let outputs = match &mode {
            Mode::Sample(s, _) => vec![(
                c.sample_text(&input, s, &mut draws, allow_unknown)
                    .map_err(|e| at(&e))?
                    .text,
                None,
            )],
            Mode::NBest(n) => c
                .n_best_text(&input, beam, *n, allow_unknown)
                .map_err(|e| at(&e))?
                .into_iter()
                .map(|(t, s)| (t, Some(s)))
                .collect(),
        };
        print_outputs(&outputs, line.is_none())?;
    }
    Ok(true)
}

/// Prints outputs, each after its score when it has one; an empty output
/// of a single text is an error.
fn print_outputs(outputs: &[(String, Option<f64>)], single: bool) -> CliResult {
    for (text, score) in outputs {
        if single && outputs.len() == 1 && text.is_empty() {
            return Err(WROTE_NOTHING.into());
        }
        match score {
            Some(s) => print_line(&format!("{s:.4}\t{text}")),
            None => print_line(text),
        }
    }
    Ok(())
}
