//! The live playground (`encdec explore` with the WebAssembly module): each
//! test drives the page as a learner would and compares what it shows with
//! what the `encdec` command or the library computes natively.

use crate::cdp::Browser;
use crate::model_support::{fox_vocabs, sized};
use encdec::corpora::FOX_EN;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::{
    AttentionKind, AttentionRow, Exploration, ExploreOptions, Translator, attention_arithmetic,
};
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::tensor::rng;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the learner types: the fox sentence with its words shuffled and one
/// the model does not know.
const TYPED: &str = "the lazy fox jumps over the quick brown zebra";

/// An untrained model of `kind` on the fox sentence's words (2 layers, 2
/// heads), saved in a fresh folder.
pub fn checkpoint(kind: ModelKind, name: &str) -> (PathBuf, Translator) {
    let dir = std::env::temp_dir().join(format!("encdec-playground-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (src, tgt) = fox_vocabs();
    let config = sized(kind, (src.len(), tgt.len()), (8, 8), (2, 2), 0.0);
    let make = || {
        Translator::new(
            build(&config, &mut rng(5)).unwrap(),
            src.clone(),
            tgt.clone(),
            Task::Translation,
        )
    };
    let path = dir.join("model.ckpt");
    Checkpoint::new(make()).save(&path).unwrap();
    (path, make())
}

/// A small Transformer trained by the command (600 built-in pairs, 3
/// epochs: a few seconds), which writes words where an untrained one may
/// write none.
pub fn trained(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("encdec-playground-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.ckpt");
    let out = path.to_str().unwrap();
    encdec(&[
        "train",
        "--model",
        "transformer",
        "--pairs",
        "600",
        "--epochs",
        "3",
        "--out",
        out,
    ]);
    path
}

/// Runs `encdec` with `args`; fails the test on an error.
pub fn encdec(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "encdec {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The live page of `model` for the fox sentence, opened at `fragment`.
pub fn open(model: &Path, fragment: &str, size: (u32, u32)) -> Browser {
    let page = model.with_file_name("page.html");
    encdec(&[
        "explore",
        "--checkpoint",
        model.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
        FOX_EN,
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("id=\"encdec-module\""),
        "the page carries no module: was it built without the wasm32 target?"
    );
    let mut b = Browser::open(
        &html,
        page.parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap(),
        fragment,
        size,
    );
    b.wait_for(
        "document.documentElement.getAttribute('data-live') === '1'",
        30,
    );
    let page_ms = b.eval("Math.round(performance.now())");
    let module_ms = b.eval("document.documentElement.getAttribute('data-load-ms')");
    eprintln!(
        "{} bytes; interactive {page_ms} ms after the navigation began, of which the module and the model took {module_ms} ms",
        html.len()
    );
    b
}

/// Types `text` into the input box and waits until the page decoded it.
pub fn type_in(b: &mut Browser, text: &str) {
    let text = serde_json::to_string(text).unwrap();
    b.eval(&format!("(() => {{ const box = document.getElementById('encdec-input'); box.value = {text}; box.dispatchEvent(new Event('input')); }})()"));
    b.wait_for(&format!("window.encdec.data.input === {text}"), 10);
}

/// The largest difference between two arrays of numbers, nested alike.
fn max_diff(a: &Value, b: &Value) -> f64 {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "shapes differ");
            x.iter()
                .zip(y)
                .map(|(p, q)| max_diff(p, q))
                .fold(0.0, f64::max)
        }
        _ => (a.as_f64().unwrap() - b.as_f64().unwrap()).abs(),
    }
}

#[test]
fn a_typed_sentence_decodes_in_the_page_as_the_command_decodes_it() {
    for kind in [ModelKind::Transformer, ModelKind::Attention] {
        let (model, _) = checkpoint(kind, &format!("typed-{kind}"));
        let json = model.with_file_name("heatmap.json");
        let m = model.to_str().unwrap();
        encdec(&[
            "heatmap",
            "--checkpoint",
            m,
            "--allow-unknown",
            "--out",
            json.to_str().unwrap(),
            TYPED,
        ]);
        let cli: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let mut b = open(&model, "", (1000, 1400));
        type_in(&mut b, TYPED);
        let page = b.eval("window.encdec.data");
        assert_eq!(page["output"], cli["output"], "{kind}");
        assert_eq!(page["outputs"], cli["outputs"], "{kind}");
        assert_eq!(page["unknown"], serde_json::json!(["zebra"]), "{kind}");
        let shown = b.eval(
            "Array.from(document.querySelectorAll('.source-word.unk')).map(w => w.textContent)",
        );
        assert_eq!(shown, serde_json::json!(["<unk> (zebra)"]), "{kind}");
        // Every matrix of the command's JSON, in the page's maps.
        let mut worst: f64 = 0.0;
        for m in cli["attention"].as_array().unwrap() {
            let map = page["attention"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["kind"] == m["kind"] && p["layer"] == m["layer"])
                .unwrap();
            let head = m["head"].as_u64().unwrap() as usize - 1;
            assert_eq!(map["queries"], m["queries"]);
            assert_eq!(map["keys"], m["keys"]);
            worst = worst.max(max_diff(&map["heads"][head], &m["weights"]));
        }
        eprintln!(
            "{kind}: the page's attention differs from `heatmap --out x.json` by at most {worst:e}"
        );
        assert!(worst <= 1e-12, "{kind}: {worst:e}");
    }
}

#[test]
fn a_clicked_cell_opens_the_arithmetic_the_library_computes() {
    for (kind, attention) in [
        (ModelKind::Transformer, AttentionKind::Cross),
        (ModelKind::Transformer, AttentionKind::EncoderSelf),
        (ModelKind::Transformer, AttentionKind::DecoderSelf),
        (ModelKind::Attention, AttentionKind::Cross),
    ] {
        let (model, t) = checkpoint(kind, &format!("cell-{kind}-{}", attention.name().len()));
        let mut b = open(&model, "", (1000, 1400));
        let options = ExploreOptions {
            allow_unknown: true,
            ..ExploreOptions::default()
        };
        let e = Exploration::new(&t, FOX_EN, &options).unwrap();
        let layer = e.of_kind(attention).count();
        let (head, row) = (layer.min(2), 1);
        let want = attention_arithmetic(
            &t,
            &e,
            AttentionRow {
                kind: attention,
                layer,
                head,
                row,
            },
        )
        .unwrap();
        let j = 0;
        let selector = format!(
            "figure.matrix[data-kind=\"{}\"][data-layer=\"{layer}\"][data-head=\"{head}\"] rect.cell[data-i=\"{row}\"][data-j=\"{j}\"]",
            attention.name()
        );
        b.eval(&format!(
            "document.querySelector({}).dispatchEvent(new MouseEvent('click', {{bubbles: true}}))",
            serde_json::to_string(&selector).unwrap()
        ));
        b.wait_for("!!document.getElementById('arithmetic')", 5);
        let field = |b: &mut Browser, name: &str| {
            b.eval(&format!(
                "+document.querySelector('#arithmetic [data-field=\"{name}\"]').dataset.value"
            ))
            .as_f64()
            .unwrap()
        };
        let close = |a: f64, w: f64, what: &str| {
            assert!(
                (a - w).abs() <= 1e-12,
                "{kind} {}: {what} {a} against {w}",
                attention.name()
            )
        };
        close(field(&mut b, "score"), want.scores[j].unwrap(), "s_ij");
        close(
            field(&mut b, "scaled"),
            want.scaled[j].unwrap(),
            "s_ij / sqrt(d_k)",
        );
        close(field(&mut b, "weight"), want.weights[j], "a_ij");
        close(
            field(&mut b, "weight"),
            e.of_kind(attention).nth(layer - 1).unwrap().weights.data()[((head - 1)
                * e.of_kind(attention).nth(layer - 1).unwrap().queries.len()
                + row)
                * want.weights.len()
                + j],
            "a_ij (the matrix)",
        );
        let formulas = b
            .eval("document.querySelectorAll('#arithmetic .formula .katex').length")
            .as_u64()
            .unwrap();
        assert_eq!(formulas, 3, "{kind}: the three formulas typeset by KaTeX");
        let strips = b
            .eval("document.querySelectorAll('#arithmetic [data-field=\"value\"]').length")
            .as_u64()
            .unwrap();
        let unmasked = want.masked.iter().filter(|m| !**m).count() as u64;
        assert_eq!(
            strips, unmasked,
            "{kind}: one v_j strip per key the row sees"
        );
        if let (Ok(dir), AttentionKind::Cross) = (std::env::var("ENCDEC_SCREENSHOTS"), attention) {
            let name = format!("playground-arithmetic-{kind}.png");
            b.screenshot_of("#arithmetic", &Path::new(&dir).join(name));
        }
    }
}
