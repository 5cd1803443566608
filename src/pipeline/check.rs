//! Every check of [`TrainOptions`], once, before any work starts: the
//! command line, a notebook and a test all get the same one-line errors,
//! each naming the flag and what it must be.
//!
//! Checked by `tests/pipeline/options.rs`.

use super::corpus::CorpusSpec;
use super::corpus::DataSource;
use super::options::TrainOptions;
use super::splits::check_test_split;
use super::subwords::check_subwords;
use crate::corpora::MAX_CLAUSES;
use crate::files::{check_distinct, check_output};
use crate::seq2seq::config::{Cell, MAX_RNN_LAYERS, ModelKind};
use crate::seq2seq::size::{StepShape, check_trainable};
use crate::seq2seq::task::Task;
use std::path::Path;

impl TrainOptions {
    /// Checks the options before any work: which flags go together, sizes,
    /// rates, and every input and output path.
    ///
    /// # Errors
    /// The first problem found, as one line naming the flag.
    pub fn check(&self) -> Result<(), String> {
        self.check_data()?;
        self.check_watch()?;
        self.check_paths()?;
        self.check_resume()?;
        self.check_family()?;
        self.check_sizes()?;
        self.check_training()
    }

    fn check_data(&self) -> Result<(), String> {
        let d = &self.data;
        let files = d.corpus.is_some() || d.source.is_some() || d.target.is_some();
        if d.corpus.is_some() && (d.source.is_some() || d.target.is_some()) {
            return Err("give --corpus FILE, or --source FILE and --target FILE, not both".into());
        }
        if d.source.is_some() != d.target.is_some() {
            return Err("--source and --target go together: one file per side".into());
        }
        if files && d.pairs.is_some() {
            return Err(
                "--pairs sizes the built-in corpus; it does not go with corpus files".into(),
            );
        }
        if !files && (d.valid.is_some() || d.test.is_some()) {
            return Err("--valid and --test go with --corpus (or --source and --target)".into());
        }
        check_test_split(d)?;
        if d.pairs.is_some_and(|n| !(100..=100_000).contains(&n)) {
            return Err("--pairs must be from 100 to 100000".into());
        }
        if let Some(k) = d.clauses {
            if files || self.task != Task::Translation {
                return Err("--clauses lengthens the built-in translation corpus; it goes with --task translation and no corpus files".into());
            }
            if !(1..=MAX_CLAUSES).contains(&k) {
                return Err(format!("--clauses must be from 1 to {MAX_CLAUSES}"));
            }
        }
        if self.files.freeze_vectors && self.files.src_vectors.is_none() {
            return Err(
                "--freeze-vectors keeps the --src-vectors fixed: give --src-vectors".into(),
            );
        }
        Ok(())
    }

    fn check_paths(&self) -> Result<(), String> {
        let f = &self.files;
        let mut outputs = vec![];
        if let Some(out) = &f.out {
            check_output("--out", out, &[])?;
            outputs.push(("--out", out.as_path()));
        }
        if let Some(c) = &f.curves {
            check_output("--curves", c, &["png", "svg"])?;
            outputs.push(("--curves", c));
        }
        let watch = self.watch_path();
        if let Some(w) = &watch {
            check_output("--watch", w, &["json"])?;
            outputs.push(("--watch", w));
        }
        let mut inputs: Vec<(&str, &Path)> = vec![];
        let source = self.source();
        if let DataSource::Files { train, valid, test } = &source {
            for (flag, spec) in [
                ("--corpus", Some(train)),
                ("--valid", valid.as_ref()),
                ("--test", test.as_ref()),
            ] {
                match spec {
                    Some(CorpusSpec::File(p)) => inputs.push((flag, p)),
                    Some(CorpusSpec::Parallel { source, target }) => {
                        inputs.push(("--source", source));
                        inputs.push(("--target", target));
                    }
                    None => {}
                }
            }
        }
        if let Some(r) = f.resume.as_ref().filter(|r| f.out.as_ref() != Some(*r)) {
            inputs.push(("--resume", r));
        }
        if let Some(v) = &f.src_vectors {
            inputs.push(("--src-vectors", v));
        }
        check_distinct(&outputs, &inputs)
    }

    fn check_resume(&self) -> Result<(), String> {
        if self.files.resume.is_none() {
            return Ok(());
        }
        let m = &self.sizes;
        let sizes = [m.emb, m.hidden, m.d_model, m.d_ff, m.layers, m.heads];
        let set = sizes.iter().any(Option::is_some)
            || m.bidirectional
            || m.bridge.is_some()
            || m.cell.is_some()
            || m.norm_first
            || m.gelu
            || m.final_norm
            || m.attention_scale.is_some()
            || m.positions.is_some()
            || m.decoder_mask.is_some()
            || m.output_init.is_some()
            || m.dropout.is_some()
            || self.text.max_vocab.is_some()
            || self.text.subwords.is_some()
            || self.text.subword_table.is_some()
            || self.text.src_lang.is_some()
            || self.text.tgt_lang.is_some()
            || self.files.src_vectors.is_some();
        if set {
            return Err("--resume keeps the checkpoint's model sizes, architecture, dropout, vocabularies and languages; leave out --emb, --hidden, --d-model, --d-ff, --layers, --heads, --bidirectional, --bridge, --cell, --norm-first, --gelu, --final-norm, --attention-scale, --positions, --decoder-mask, --output-init, --dropout, --max-vocab, --subwords, --subword-table, --src-lang, --tgt-lang and --src-vectors".into());
        }
        Ok(())
    }

    /// Refuses a flag of the other model family, naming it.
    fn check_family(&self) -> Result<(), String> {
        let m = &self.sizes;
        if m.cell.is_some() && self.model != ModelKind::Attention {
            let plain = match m.cell.unwrap_or_default() {
                Cell::Lstm => "a plain LSTM",
                Cell::Gru => "a plain GRU",
                Cell::Rnn => "a plain RNN",
            };
            let kind = m.cell.unwrap_or_default().name();
            return Err(format!(
                "--cell applies to --model attention; for {plain} use --model {kind}"
            ));
        }
        let rnn = [
            ("--emb", m.emb.is_some()),
            ("--hidden", m.hidden.is_some()),
            ("--bidirectional", m.bidirectional),
            ("--bridge", m.bridge.is_some()),
        ];
        let transformer = [
            ("--d-model", m.d_model.is_some()),
            ("--d-ff", m.d_ff.is_some()),
            ("--heads", m.heads.is_some()),
            ("--norm-first", m.norm_first),
            ("--gelu", m.gelu),
            ("--final-norm", m.final_norm),
            ("--attention-scale", m.attention_scale.is_some()),
            ("--positions", m.positions.is_some()),
            ("--decoder-mask", m.decoder_mask.is_some()),
        ];
        let (wrong, family) = match self.model {
            ModelKind::Transformer => {
                (&rnn[..], "the recurrent models (rnn, lstm, gru, attention)")
            }
            _ => (&transformer[..], "the transformer"),
        };
        if let Some((flag, _)) = wrong.iter().find(|(_, set)| *set) {
            let sizes = match self.model {
                ModelKind::Transformer => "--d-model and --d-ff",
                _ => "--emb and --hidden",
            };
            return Err(format!(
                "{flag} is for {family}, not the {} model (its sizes are {sizes})",
                self.model
            ));
        }
        if m.bridge.is_some() && !m.bidirectional {
            return Err(
                "--bridge says how a bidirectional encoder starts the decoder: add --bidirectional"
                    .into(),
            );
        }
        Ok(())
    }

    fn check_sizes(&self) -> Result<(), String> {
        let m = &self.sizes;
        let transformer = self.model == ModelKind::Transformer;
        let (width, inner) = if transformer {
            (m.d_model.unwrap_or(64), m.d_ff.unwrap_or(128))
        } else {
            (m.emb.unwrap_or(48), m.hidden.unwrap_or(96))
        };
        for (flag, v) in [
            ("--emb/--d-model", Some(width)),
            ("--hidden/--d-ff", Some(inner)),
            ("--layers", m.layers),
            ("--heads", m.heads),
        ] {
            if v.is_some_and(|v| v == 0 || v > 65_536) {
                return Err(format!("{flag} must be from 1 to 65536"));
            }
        }
        if !transformer && m.layers.is_some_and(|l| l > MAX_RNN_LAYERS) {
            return Err(format!(
                "--layers {} is too many recurrent layers: at most {MAX_RNN_LAYERS}",
                m.layers.unwrap_or_default()
            ));
        }
        // The model with the smallest vocabularies (the four special tokens
        // and a word) on one-token sentences: if even that cannot be
        // trained, no data needs reading to say so. `train` checks again
        // with the real vocabularies and lengths before building the model.
        let smallest = super::train::model_config(self, 5, 5, None);
        let shape = StepShape {
            batch: self.run.batch_size,
            src_len: 1,
            tgt_len: 1,
            shards: self.run.parallel.shards,
        };
        check_trainable(&smallest, shape)?;
        let heads = m.heads.unwrap_or(4);
        if transformer && !width.is_multiple_of(heads) {
            return Err(format!("--heads {heads} must divide --d-model {width}"));
        }
        if m.dropout.is_some_and(|p| !(0.0..1.0).contains(&p)) {
            return Err("--dropout must be at least 0 and below 1".into());
        }
        check_subwords(self)?;
        if self.text.max_vocab.is_some_and(|v| v < 5) {
            return Err(
                "--max-vocab must be at least 5 (the four special tokens and a word)".into(),
            );
        }
        Ok(())
    }

    fn check_training(&self) -> Result<(), String> {
        let r = &self.run;
        let positive = |x: Option<f64>| x.is_some_and(|v| !(v.is_finite() && v > 0.0));
        let non_negative = |x: Option<f64>| x.is_some_and(|v| !(v.is_finite() && v >= 0.0));
        if positive(r.lr) {
            return Err("--lr must be a positive number".into());
        }
        if non_negative(r.clip) {
            return Err("--clip must be a number at least 0 (0: no clipping)".into());
        }
        if r.label_smoothing
            .is_some_and(|e| !(e.is_finite() && (0.0..1.0).contains(&e)))
        {
            return Err("--label-smoothing must be at least 0 and below 1 (0.1 is usual)".into());
        }
        if non_negative(r.weight_decay) {
            return Err("--weight-decay must be a number at least 0 (0.01 is usual)".into());
        }
        let limit = |flag: &str, v: usize, max: usize| match v {
            v if (1..=max).contains(&v) => Ok(()),
            _ => Err(format!("{flag} must be from 1 to {max}")),
        };
        limit("--epochs", r.epochs, 100_000)?;
        limit("--batch-size", r.batch_size, 100_000)?;
        limit("--max-len", self.text.max_len, 100_000)?;
        limit("--shards", r.parallel.shards, 64)?;
        if let Some(t) = r.parallel.threads {
            limit("--threads", t, 256)?;
        }
        if r.patience == Some(0) {
            return Err("--patience must be at least 1".into());
        }
        Ok(())
    }
}
