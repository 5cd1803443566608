//! Scoring a trained model on text pairs: decode every source, write each
//! output back as text, and compare with the references — BLEU as
//! sacreBLEU computes it on the text, BLEU-4 and ROUGE on tokens, and the
//! share of outputs equal to their reference.

use super::bleu::{SacreBleu, corpus_bleu, sacre_bleu};
use super::rouge::mean_rouge;
use crate::seq2seq::decode::{DecodeError, MAX_INPUT_TOKENS, Translator};
use crate::seq2seq::task::Task;
use crate::text::{TextPair, UNK_ID};

/// A model's outputs on some pairs and their scores.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalReport {
    /// One output per pair, as text in the target language's typography.
    pub hypotheses: Vec<String>,
    /// BLEU of the outputs against the reference texts, as sacreBLEU
    /// computes it (lowercased when the model's tokenizer lowercases).
    pub bleu: SacreBleu,
    /// Corpus BLEU-4 on tokens, in $[0, 1]$ ([`corpus_bleu`]).
    pub bleu4: f64,
    /// Mean ROUGE-1, ROUGE-2, ROUGE-L $F_1$ on tokens.
    pub rouge: [f64; 3],
    /// Share of outputs equal to their reference, token for token.
    pub exact: f64,
    /// Share of source tokens the vocabulary does not know (`<unk>`).
    pub unk_share: f64,
    /// Sources cut to [`MAX_INPUT_TOKENS`] tokens before decoding.
    pub truncated: usize,
}

impl EvalReport {
    /// How many outputs have no words (the model wrote `</s>` first).
    pub fn empty_outputs(&self) -> usize {
        self.hypotheses
            .iter()
            .filter(|h| h.trim().is_empty())
            .count()
    }

    /// The built-in corpora's one-line summary: token-level BLEU-4 (and
    /// ROUGE or reply accuracy) in $[0, 1]$.
    pub fn token_line(&self, task: Task) -> String {
        let n = self.hypotheses.len();
        match task {
            Task::Translation => format!("test BLEU-4 (greedy, {n} sentences): {:.4}", self.bleu4),
            Task::Summarization => format!(
                "test ROUGE-1 {:.4}  ROUGE-2 {:.4}  ROUGE-L {:.4}  BLEU-4 {:.4}  exact headlines {:.4} (greedy, {n} documents)",
                self.rouge[0], self.rouge[1], self.rouge[2], self.bleu4, self.exact
            ),
            Task::Dialogue => format!(
                "test reply accuracy {:.4}  BLEU-4 {:.4} (greedy, {n} dialogues)",
                self.exact, self.bleu4
            ),
        }
    }

    /// The report's lines for `task`, as `encdec evaluate` prints them.
    pub fn lines(&self, task: Task) -> Vec<String> {
        let n = self.hypotheses.len();
        let mut lines = vec![format!(
            "{n} {}; {:.2} % of source tokens unknown to the model (<unk>)",
            match task {
                Task::Translation => "sentences",
                Task::Summarization => "documents",
                Task::Dialogue => "conversations",
            },
            100.0 * self.unk_share
        )];
        if self.truncated > 0 {
            lines.push(format!(
                "{} sources were longer than {MAX_INPUT_TOKENS} tokens and were cut to that length",
                self.truncated
            ));
        }
        if self.empty_outputs() > 0 {
            lines.push(format!(
                "{} of {n} outputs are empty (the model ended them at once)",
                self.empty_outputs()
            ));
        }
        lines.push(format!("{}", self.bleu));
        lines.push(format!("  signature: {}", self.bleu.signature()));
        match task {
            Task::Translation => {}
            Task::Summarization => lines.push(format!(
                "ROUGE-1 {:.4}  ROUGE-2 {:.4}  ROUGE-L {:.4} (F1, on encdec's tokens)",
                self.rouge[0], self.rouge[1], self.rouge[2]
            )),
            Task::Dialogue => lines.push(format!("reply accuracy {:.4}", self.exact)),
        }
        lines
    }
}

/// Decodes the source of every pair with `translator` (greedy, or beam
/// search of width `beam`; unknown words as `<unk>`) in batches of
/// `batch_size`, and scores the outputs against the targets.
///
/// # Errors
/// If the model's scores are not finite ([`DecodeError::NonFinite`]).
pub fn evaluate_pairs(
    translator: &Translator,
    pairs: &[TextPair],
    beam: usize,
    batch_size: usize,
) -> Result<EvalReport, DecodeError> {
    let tok = translator.tokenizer();
    let mut truncated = 0;
    let sources: Vec<Vec<usize>> = pairs
        .iter()
        .map(|p| {
            let source = translator.source_tokens(tok.tokenize(&p.source));
            let mut ids = translator.src_vocab.encode(&source);
            if ids.len() > MAX_INPUT_TOKENS {
                ids.truncate(MAX_INPUT_TOKENS);
                truncated += 1;
            }
            ids
        })
        .collect();
    let (unk, all) = sources.iter().fold((0, 0), |(u, a), s| {
        (u + s.iter().filter(|&&i| i == UNK_ID).count(), a + s.len())
    });
    let hypotheses = translator.decode_all(&sources, beam, batch_size)?;
    let references: Vec<String> = pairs.iter().map(|p| p.target.clone()).collect();
    let hyp_tokens: Vec<Vec<String>> = hypotheses.iter().map(|h| tok.tokenize(h)).collect();
    let ref_tokens: Vec<Vec<String>> = references.iter().map(|r| tok.tokenize(r)).collect();
    let exact = hyp_tokens
        .iter()
        .zip(&ref_tokens)
        .filter(|(h, r)| h == r)
        .count() as f64
        / pairs.len().max(1) as f64;
    Ok(EvalReport {
        bleu: sacre_bleu(&hypotheses, &references, translator.text.lowercase),
        bleu4: corpus_bleu(&hyp_tokens, &ref_tokens),
        rouge: mean_rouge(&hyp_tokens, &ref_tokens),
        exact,
        unk_share: unk as f64 / all.max(1) as f64,
        truncated,
        hypotheses,
    })
}
