//! The playground's requests answered natively, by the code the page's
//! WebAssembly module runs (`src/pipeline/playground/`): the same numbers as
//! the command's, and a clear error (never a panic) for a bad request.

use crate::model_support::{fox_vocabs, sized};
use encdec::corpora::FOX_EN;
use encdec::pipeline::playground::{Playground, page_checkpoint};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::{Exploration, ExploreOptions, Sampling, Translator, UnknownWords};
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::tensor::rng;
use encdec::viz::explorer::attention_json;
use serde_json::{Value, json};

fn translator(kind: ModelKind) -> Translator {
    let (src, tgt) = fox_vocabs();
    let config = sized(kind, (src.len(), tgt.len()), (8, 8), (2, 2), 0.0);
    Translator::new(
        build(&config, &mut rng(3)).unwrap(),
        src,
        tgt,
        Task::Translation,
    )
}

/// A playground with `kind`'s model loaded, as the page loads it.
fn loaded(kind: ModelKind) -> Playground {
    let mut p = Playground::default();
    let bytes = page_checkpoint(&mut Checkpoint::new(translator(kind))).unwrap();
    let about = p.load(&bytes).unwrap();
    assert_eq!(about["kind"], json!(kind.name()));
    p
}

#[test]
fn explore_answers_the_numbers_of_heatmap_json() {
    for kind in [ModelKind::Transformer, ModelKind::Attention] {
        let mut p = loaded(kind);
        let typed = "the lazy fox jumps over a zebra";
        let page = p.call(&json!({"op": "explore", "text": typed})).unwrap();
        let options = ExploreOptions {
            allow_unknown: true,
            ..ExploreOptions::default()
        };
        let cli = attention_json(&Exploration::new(&translator(kind), typed, &options).unwrap());
        assert_eq!(page["output"], cli["output"]);
        assert_eq!(page["unknown"], json!(["a", "zebra"]));
        assert_eq!(
            page["read_as"],
            json!(["the", "lazy", "fox", "jumps", "over", "<unk>", "<unk>"])
        );
        for m in cli["attention"].as_array().unwrap() {
            let map = page["attention"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["kind"] == m["kind"] && p["layer"] == m["layer"])
                .unwrap();
            let head = m["head"].as_u64().unwrap() as usize - 1;
            // Natively the same code gives the same bits.
            assert_eq!(map["heads"][head], m["weights"], "{kind}");
        }
    }
}

#[test]
fn reshape_at_temperature_one_is_the_model_and_sampling_is_translate_samples() {
    let mut p = loaded(ModelKind::Transformer);
    let e = p
        .call(&json!({"op": "explore", "text": FOX_EN, "shown": 3}))
        .unwrap();
    let r = p
        .call(&json!({"op": "reshape", "temperature": 1.0, "shown": 3}))
        .unwrap();
    for (step, row) in e["steps"]
        .as_array()
        .unwrap()
        .iter()
        .zip(r["steps"].as_array().unwrap())
    {
        let top: Vec<&str> = step["top"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[0].as_str().unwrap())
            .collect();
        let shown: Vec<&str> = row
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .map(|c| c[0].as_str().unwrap())
            .collect();
        assert_eq!(top, shown);
        // Sampling draws among the writable words only (no <pad>, <s>,
        // <unk>), so at T = 1 each probability is exp(log p) renormalised:
        // the ratio of two is exp of the difference of their log p.
        let c: Vec<(f64, f64)> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c[1].as_f64().unwrap(), c[2].as_f64().unwrap()))
            .collect();
        for &(p, lp) in &c[1..] {
            assert!(
                (p / c[0].0 - (lp - c[0].1).exp()).abs() < 1e-12,
                "{p} / {} against exp({lp} - {})",
                c[0].0,
                c[0].1
            );
        }
    }
    for (t, k, top_p, seed) in [(1.5, 0, 1.0, 7u64), (0.8, 3, 0.9, 2)] {
        let page = p.call(&json!({"op": "explore", "text": FOX_EN, "mode": "sample", "temperature": t, "top_k": k, "top_p": top_p, "seed": seed})).unwrap();
        let sampling = Sampling::new(t, (k > 0).then_some(k), top_p).unwrap();
        let cli = translator(ModelKind::Transformer)
            .sample_text(FOX_EN, &sampling, &mut rng(seed), UnknownWords::AsUnk)
            .unwrap();
        assert_eq!(
            page["output"],
            json!(cli.text),
            "T={t} k={k} p={top_p} seed={seed}"
        );
    }
}

#[test]
fn a_bad_request_is_a_sentence_not_a_panic() {
    let mut empty = Playground::default();
    assert_eq!(
        empty.call(&json!({"op": "vocab"})).unwrap_err(),
        "no model is loaded yet"
    );
    assert!(
        empty
            .load(b"not a checkpoint")
            .unwrap_err()
            .contains("the page's model")
    );
    let mut p = loaded(ModelKind::Attention);
    let bad: [(Value, &str); 6] = [
        (json!({"op": "fly"}), "unknown request"),
        (json!({}), "no \"op\""),
        (json!({"op": "explore"}), "\"text\""),
        (json!({"op": "explore", "text": "   "}), "no words"),
        (
            json!({"op": "explore", "text": "dog", "mode": "sample", "temperature": 0}),
            "temperature",
        ),
        (json!({"op": "reshape"}), "nothing has been decoded yet"),
    ];
    for (request, says) in bad {
        let e = p.call(&request).unwrap_err();
        assert!(
            e.to_lowercase().contains(&says.to_lowercase()),
            "{request}: {e}"
        );
    }
}
