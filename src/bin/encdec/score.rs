//! `encdec bleu`.

use crate::print::{CliResult, print_line};
use encdec::pipeline::BleuOptions;
use serde_json::json;

/// Corpus BLEU of a hypotheses file against a references file, one
/// sentence per line, as sacreBLEU computes it; as a line or as JSON.
pub fn bleu(o: &BleuOptions) -> CliResult {
    let b = encdec::pipeline::bleu_files(o)?;
    if o.json {
        let v = json!({"score": b.score, "counts": b.counts, "totals": b.totals,
            "precisions": b.precisions, "bp": b.bp, "sys_len": b.sys_len, "ref_len": b.ref_len});
        print_line(&v.to_string());
    } else {
        print_line(&b.to_string());
    }
    Ok(())
}
