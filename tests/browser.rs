//! The explorer page in a real browser: headless Chromium loads pages of
//! known models, uses every control once (`page.html#exercise`), and the
//! DOM it leaves must show every layer, head and decoding step, with no
//! JavaScript error. Needs Chromium, so it is ignored by `cargo test`;
//! `.ci/run` installs Debian's `chromium` when missing and runs it with
//! `cargo test --release --test browser -- --ignored`.

mod model_support;

use encdec::data::FOX_EN;
use encdec::explore::{Exploration, ExploreOptions};
use encdec::seq2seq::{Checkpoint, ModelKind, Task, build};
use encdec::tensor::rng;
use model_support::{fox_vocabs, tiny_config};
use std::collections::BTreeSet;
use std::process::Command;

/// The page's DOM after its scripts ran, and what Chromium printed on stderr.
fn load(page: &str, name: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("encdec-browser-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("page.html");
    std::fs::write(&file, page).unwrap();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    // The flags of a closed network (no background connections), as root.
    let out = Command::new("timeout")
        .args([
            "120",
            &chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args([
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}#exercise", file.display()))
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
#[ignore = "needs Chromium: .ci/run installs it and runs this test"]
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
        let c = Checkpoint::new(model, src.clone(), tgt.clone(), Task::Translation);
        let options = ExploreOptions {
            beam,
            ..ExploreOptions::default()
        };
        let e = Exploration::new(&c, FOX_EN, &options).unwrap();
        let name = format!("{kind}-{beam}");
        let (dom, stderr) = load(&e.to_html(), &name);
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
        // The head view drew each layer with all heads and with each alone.
        let views: usize = e.attention.iter().map(|m| m.heads() + 1).sum();
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
