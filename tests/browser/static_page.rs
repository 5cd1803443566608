//! The static explorer page in a real browser: headless Chromium loads pages of
//! known models, uses every control once (an exercising script the test
//! adds), and the DOM it leaves must show every layer, head and decoding
//! step, with no JavaScript error (see `main.rs` for how it runs). The second test
//! gives the page long and odd words and measures every label once laid
//! out.

use crate::model_support::{self, fox_vocabs, tiny_config};
use encdec::corpora::FOX_EN;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::{Exploration, ExploreOptions, Translator};
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::tensor::rng;
use encdec::text::{SPECIALS, Tokenizer, Trigrams, Vocab};
use encdec::viz::explorer::{PageModel, to_html};
use std::collections::BTreeSet;
use std::process::Command;

/// The page's DOM after its scripts ran in a window `width` pixels wide,
/// and what Chromium printed on stderr.
fn load(page: &str, name: &str, width: usize) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("encdec-browser-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("page.html");
    std::fs::write(&file, page).unwrap();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let out = Command::new("timeout")
        .args(["120", &chromium])
        .args(crate::cdp::CLOSED)
        .args(["--virtual-time-budget=10000"])
        .arg(format!("--window-size={width},1600"))
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {chromium}: {e} (install Debian's chromium)"));
    let _ = std::fs::remove_dir_all(&dir);
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed: {err}");
    (dom, err)
}

/// The attributes of every element `<tag …>` in `dom` that has `attr`.
fn elements_with(dom: &str, tag: &str, attr: &str) -> Vec<Vec<(String, String)>> {
    let open = format!("<{tag} ");
    dom.match_indices(&open)
        .map(|(i, _)| attributes(&dom[i + open.len()..i + dom[i..].find('>').unwrap()]))
        .filter(|a| a.iter().any(|(k, _)| k == attr))
        .collect()
}

/// `k="v"` pairs of a start tag, entities decoded.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq].trim().to_string();
        let end = eq + 2 + rest[eq + 2..].find('"').unwrap();
        let value = rest[eq + 2..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        out.push((key, value));
        rest = &rest[end + 1..];
    }
    out
}

fn get<'a>(a: &'a [(String, String)], key: &str) -> &'a str {
    &a.iter().find(|(k, _)| k == key).unwrap().1
}

#[test]
fn every_layer_head_and_step_is_on_the_page_with_no_script_error() {
    let (src, tgt) = fox_vocabs();
    for (kind, beam) in [
        (ModelKind::Transformer, 1),
        (ModelKind::Transformer, 3),
        (ModelKind::Attention, 2),
        (ModelKind::Lstm, 1),
    ] {
        let config = tiny_config(kind, src.len(), tgt.len(), 2);
        let model = build(&config, &mut rng(11)).unwrap();
        let c = Translator::new(model, src.clone(), tgt.clone(), Task::Translation);
        let options = ExploreOptions {
            beam,
            ..ExploreOptions::default()
        };
        let e = Exploration::new(&c, FOX_EN, &options).unwrap();
        let name = format!("{kind}-{beam}");
        let page = to_html(&e, &PageModel::Static).replace("</body>", EXERCISE);
        let (dom, stderr) = load(&page, &name, 800);
        let html = attributes(&dom[dom.find("<html").unwrap() + 5..dom.find("<head").unwrap()]);
        assert!(
            !html.iter().any(|(k, _)| k == "data-errors"),
            "{name}: script errors: {html:?}"
        );
        assert!(!stderr.contains("Uncaught"), "{name}: {stderr}");
        let root = &elements_with(&dom, "div", "data-ready")[0];
        assert_eq!(
            get(root, "data-ready"),
            "1",
            "{name}: the script did not finish"
        );
        // Every kind, layer and head: one matrix each, no more.
        let want: BTreeSet<(String, String, String)> = e
            .attention
            .iter()
            .flat_map(|m| {
                (1..=m.heads()).map(|h| (m.kind.name().into(), m.layer.to_string(), h.to_string()))
            })
            .collect();
        let figures = elements_with(&dom, "figure", "data-head");
        let seen: BTreeSet<(String, String, String)> = figures
            .iter()
            .map(|a| {
                let g = |k| get(a, k).to_string();
                (g("data-kind"), g("data-layer"), g("data-head"))
            })
            .collect();
        assert_eq!(figures.len(), want.len(), "{name}");
        assert_eq!(seen, want, "{name}");
        // The head view drew each layer with each head's button pressed.
        let views: usize = e.attention.iter().map(|m| m.heads()).sum();
        assert_eq!(get(root, "data-exercised"), views.to_string(), "{name}");
        // Every decoding step, with the word it wrote.
        let steps: Vec<String> = elements_with(&dom, "li", "data-step")
            .iter()
            .map(|a| get(a, "data-chosen").to_string())
            .collect();
        assert_eq!(steps, e.outputs, "{name}");
        // The beam: every node of every step.
        let nodes = elements_with(&dom, "g", "data-beam-step").len();
        assert_eq!(
            nodes,
            e.beam_steps.iter().map(Vec::len).sum::<usize>(),
            "{name}"
        );
        assert_eq!(beam > 1, nodes > 0, "{name}");
    }
}

/// Uses every control once, so that an error in an event handler shows up
/// too (each attention and layer, each head's button, hovering and clicking
/// every word and cell, each decoding step); counts the head views drawn
/// into the root's `data-exercised`.
const EXERCISE: &str = r##"<script>
(function () {
  const root = document.getElementById("encdec-explorer");
  const hover = (e) => ["mouseenter", "mousemove", "mouseleave", "click"].forEach((t) => e.dispatchEvent(new MouseEvent(t, { clientX: 5, clientY: 5, bubbles: true })));
  const select = root.querySelector("#attention select");
  let views = 0;
  if (select) {
    for (const option of Array.from(select.options)) {
      select.value = option.value;
      select.dispatchEvent(new Event("change"));
      const n = root.querySelectorAll(".buttons button").length;
      for (let i = 0; i < n; i++) {
        root.querySelectorAll(".buttons button")[i].click();
        root.querySelectorAll(".headview .word").forEach(hover);
        views++;
      }
    }
  }
  root.querySelectorAll("rect.cell, .node, .steps li").forEach(hover);
  root.setAttribute("data-exercised", views);
})();
</script>
</body>"##;

/// Words a user's own corpus may well hold.
const ODD: [&str; 8] = [
    "supercalifragilisticexpialidocious",
    "anticonstitutionnellement",
    "\"quoted\"",
    "a,b",
    "</script>",
    "<!--",
    "&amp;",
    "مرحبا",
];

/// Runs after the page: counts labels outside their `<svg>`, labels shrunk
/// below 10 px, and beam labels overlapping one another, into
/// `data-clipped`, `data-tiny` and `data-overlapping` of the root (with
/// the first few offenders named).
const PROBE: &str = r#"<script>
(function () {
  const root = document.getElementById("encdec-explorer");
  const clipped = [], overlapping = [], tiny = [];
  root.querySelectorAll("svg text").forEach((t) => {
    const r = t.getBoundingClientRect(), s = t.ownerSVGElement.getBoundingClientRect();
    if (r.width > 0 && (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1))
      clipped.push(t.textContent);
    // A picture shrunk to fit the window shrinks its 12 px words too.
    const box = t.ownerSVGElement.viewBox.baseVal;
    if (box && box.width > 0 && (12 * s.width) / box.width < 10) tiny.push(t.textContent);
  });
  const beam = Array.from(root.querySelectorAll(".beam text")).map((t) => [t.textContent, t.getBoundingClientRect()]);
  beam.forEach(([a, r], i) => beam.slice(i + 1).forEach(([b, q]) => {
    if (r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1) overlapping.push(a + " / " + b);
  }));
  root.setAttribute("data-clipped", clipped.length + ": " + clipped.slice(0, 5).join(" | "));
  root.setAttribute("data-overlapping", overlapping.length + ": " + overlapping.slice(0, 5).join(" | "));
  root.setAttribute("data-tiny", tiny.length + ": " + tiny.slice(0, 5).join(" | "));
})();
</script>
</body>"#;

/// A checkpoint of an untrained model whose target words are all odd, so
/// that its output, its steps and its beam are full of them.
fn odd_checkpoint(kind: ModelKind, seed: u64) -> Translator {
    let tokens = SPECIALS.iter().chain(ODD.iter()).map(|w| w.to_string());
    let vocab = Vocab::from_tokens(tokens.collect()).unwrap();
    let config = model_support::sized(kind, (vocab.len(), vocab.len()), (8, 8), (1, 2), 0.0);
    let model = build(&config, &mut rng(seed)).unwrap();
    Translator::new(model, vocab.clone(), vocab, Task::Translation)
}

/// The value of `attr="…"` in `dom` (the probe's counts hold no quote).
fn attribute<'a>(dom: &'a str, attr: &str) -> &'a str {
    let key = format!("{attr}=\"");
    let start = dom
        .find(&key)
        .unwrap_or_else(|| panic!("{attr} missing: the probe did not run"))
        + key.len();
    &dom[start..start + dom[start..].find('"').unwrap()]
}

#[test]
fn long_and_odd_words_are_not_cut_off_shrunk_or_piled_up() {
    let input = ODD.join(" ");
    for (kind, beam) in [(ModelKind::Transformer, 3), (ModelKind::Attention, 2)] {
        let options = ExploreOptions {
            beam,
            allow_unknown: true,
            ..ExploreOptions::default()
        };
        // The first untrained model whose output holds a long word.
        let e = (0..50)
            .map(|seed| Exploration::new(&odd_checkpoint(kind, seed), &input, &options).unwrap())
            .find(|e| e.outputs.iter().any(|w| w.len() > 20))
            .expect("some seed writes a long word");
        for width in [400, 1400] {
            let page = to_html(&e, &PageModel::Static).replace("</body>", PROBE);
            let (dom, _) = load(&page, &format!("odd-{kind}-{width}"), width);
            if dom.contains("data-errors=\"") {
                panic!("{kind} {width}: {}", attribute(&dom, "data-errors"));
            }
            let clipped = attribute(&dom, "data-clipped");
            assert!(
                clipped.starts_with("0:"),
                "{kind} {width}: labels cut off: {clipped}"
            );
            let tiny = attribute(&dom, "data-tiny");
            assert!(
                tiny.starts_with("0:"),
                "{kind} {width}: labels too small to read: {tiny}"
            );
            let piled = attribute(&dom, "data-overlapping");
            assert!(
                piled.starts_with("0:"),
                "{kind} {width}: beam labels overlap: {piled}"
            );
        }
    }
}

/// The header says what the model knows of the input, next to it: a model
/// trained on the fox sentence alone reads "the lazy dog" as starting
/// where no training sentence starts, with rare words.
#[test]
fn the_header_marks_an_input_outside_the_training_sources() {
    let (src, tgt) = fox_vocabs();
    let config = tiny_config(ModelKind::Attention, src.len(), tgt.len(), 1);
    let mut t = Translator::new(
        build(&config, &mut rng(0)).unwrap(),
        src,
        tgt,
        Task::Translation,
    );
    let fox = Tokenizer::new(true).tokenize(FOX_EN);
    t.src_trigrams = Trigrams::of_sentences([fox.as_slice()]);
    let e = Exploration::new(&t, "the lazy dog.", &ExploreOptions::default()).unwrap();
    let (dom, _) = load(&to_html(&e, &PageModel::Static), "knows", 1000);
    let knows = &dom[dom.find("data-field=\"knows\"").expect("a knows field")..];
    let knows = &knows[..knows.find("</dd>").unwrap()];
    for said in [
        "the model was not trained with '.': it is set aside",
        "rare word: 'lazy' occurs 1 time in training (fewer than 5)",
        "outside what this model was trained on: no training sentence starts with 'the lazy'",
    ] {
        assert!(knows.contains(said), "{said:?} not in {knows}");
    }
}
