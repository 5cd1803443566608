//! The playground's controls: ▶ play, the knobs against `translate
//! --sample`, the fragment link, the Chinese labels and a phone's screen.

use crate::playground::{checkpoint, encdec, open, trained, type_in};
use encdec::seq2seq::config::ModelKind;
use serde_json::{Value, json};

#[test]
fn play_walks_the_steps_and_lights_each_ones_cross_attention_row() {
    let (model, _) = checkpoint(ModelKind::Transformer, "play");
    let mut b = open(&model, "", (1000, 1400));
    let steps = b.eval("window.encdec.data.steps.length").as_u64().unwrap();
    b.eval("document.getElementById('encdec-play').click()");
    let mut seen = vec![];
    let begun = std::time::Instant::now();
    while (seen.len() as u64) < steps && begun.elapsed().as_secs() < 30 {
        let on: Value = b.eval("(() => { const li = document.querySelector('.steps li.on'); if (!li) return null; const rows = Array.from(document.querySelectorAll('figure.matrix[data-kind=\"cross-attention\"] .rowmark.on')).map(r => +r.dataset.i); const read = Array.from(document.querySelectorAll('.source-word')).map(w => +w.dataset.weight); return [+li.dataset.step, rows, read]; })()");
        if let Some(step) = on[0].as_u64()
            && seen.last() != Some(&step)
        {
            let figures = b.eval(
                "document.querySelectorAll('figure.matrix[data-kind=\"cross-attention\"]').length",
            );
            let rows = on[1].as_array().unwrap();
            assert_eq!(
                json!(rows.len()),
                figures,
                "step {step}: one row lit per cross-attention matrix"
            );
            assert!(
                rows.iter().all(|r| r.as_u64() == Some(step - 1)),
                "step {step}: rows {rows:?}"
            );
            let read: f64 = on[2]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_f64().unwrap())
                .sum();
            assert!(
                (read - 1.0).abs() < 1e-9,
                "step {step}: the source words it read weigh {read}, not 1"
            );
            seen.push(step);
            if let (Ok(dir), 3) = (std::env::var("ENCDEC_SCREENSHOTS"), step) {
                let path = std::path::Path::new(&dir).join("playground-linked-step.png");
                b.screenshot_of(
                    ".source, #steps, .layer[data-kind=\"cross-attention\"][data-layer=\"2\"]",
                    &path,
                );
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        seen,
        (1..=steps).collect::<Vec<_>>(),
        "▶ shows every step in order"
    );
}

#[test]
fn the_knobs_sample_as_translate_sample_does_and_the_link_keeps_them() {
    let model = trained("knobs");
    let m = model.to_str().unwrap();
    let sentence = "the quick brown fox jumps over the lazy dog";
    for (temperature, top_k, top_p, seed) in [(1.5, 0, 1.0, 7), (0.7, 3, 0.9, 2), (2.0, 0, 0.5, 11)]
    {
        let mut args = vec![
            "translate".to_string(),
            "--checkpoint".into(),
            m.into(),
            "--sample".into(),
        ];
        args.extend([
            "--temperature".into(),
            temperature.to_string(),
            "--top-p".into(),
            top_p.to_string(),
            "--seed".into(),
            seed.to_string(),
        ]);
        if top_k > 0 {
            args.extend(["--top-k".into(), top_k.to_string()]);
        }
        args.push(sentence.into());
        let cli = encdec(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let fragment = format!(
            "#text={}&mode=sample&t={temperature}&k={top_k}&p={top_p}&seed={seed}",
            sentence.replace(' ', "+")
        );
        let mut b = open(&model, &fragment, (1000, 1400));
        let output = b.eval("window.encdec.data.output");
        assert_eq!(
            output.as_str().unwrap(),
            cli.lines().next().unwrap_or("").trim(),
            "T={temperature} k={top_k} p={top_p} seed={seed}"
        );
        // Moving the temperature slider redraws every step at once: each
        // card's probabilities are those of softmax(log p / T) (with no cut).
        b.eval("(() => { const s = document.querySelector('[data-knob=\"top_p\"]'); s.value = 1; s.dispatchEvent(new Event('input')); const k = document.querySelector('[data-knob=\"top_k\"]'); k.value = 0; k.dispatchEvent(new Event('input')); const t = document.querySelector('[data-knob=\"temperature\"]'); t.value = 2; t.dispatchEvent(new Event('input')); })()");
        let check = b.eval("(() => { const D = window.encdec.data; return D.reshaped.map((row, i) => row.map(([w, p, lp]) => [p, lp])); })()");
        for row in check.as_array().unwrap() {
            let pairs: Vec<(f64, f64)> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
                .collect();
            // p_a / p_b = exp((lp_a - lp_b) / T) for any two words of the step.
            let (a, b2) = (pairs[0], pairs[pairs.len() - 1]);
            let want = ((a.1 - b2.1) / 2.0).exp();
            assert!(
                ((a.0 / b2.0) / want - 1.0).abs() < 1e-9,
                "ratio {} against {want}",
                a.0 / b2.0
            );
        }
        let link = b.eval("document.getElementById('encdec-link').getAttribute('href')");
        assert!(
            link.as_str().unwrap().contains("t=2"),
            "the link carries the new temperature: {link}"
        );
    }
}

#[test]
fn in_chinese_no_english_label_is_left() {
    let (model, _) = checkpoint(ModelKind::Transformer, "zh");
    let mut b = open(&model, "", (1000, 1400));
    b.eval("document.getElementById('encdec-lang').click()");
    b.eval("document.querySelector('figure.matrix rect.cell').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
    b.wait_for("!!document.getElementById('arithmetic')", 5);
    // Every English label, cut at its {n} slots into pieces of 2 words or
    // more, must be nowhere in the text of the page (tokens and numbers aside).
    let left = b.eval(r#"(() => {
        const text = document.body.innerText;
        const pieces = Object.values(window.encdec.labels.en).flatMap((v) => v.split(/\{\d\}/)).map((s) => s.trim()).filter((s) => /[a-z]{3,} [a-z]{2,}/i.test(s));
        return pieces.filter((p) => text.includes(p));
    })()"#);
    assert_eq!(left, json!([]), "English left on the Chinese page");
    let lang = b.eval("document.documentElement.lang");
    assert_eq!(lang, json!("zh-CN"));
}

#[test]
fn on_a_390_pixel_phone_nothing_overflows() {
    let (model, _) = checkpoint(ModelKind::Transformer, "phone");
    let mut b = open(&model, "", (390, 844));
    type_in(&mut b, "the quick brown fox jumps over the lazy dog");
    b.eval("document.querySelector('figure.matrix rect.cell').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
    b.wait_for("!!document.getElementById('arithmetic')", 5);
    // Wide pictures scroll inside their own boxes; nothing else may reach
    // past the screen's edge.
    let over = b.eval(r#"(() => Array.from(document.querySelectorAll('body *'))
        .filter((e) => !e.closest('.scroll, .row, .headview, .formula, .strip, svg, table.softmax, .tip') && e.getClientRects().length)
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.tagName + '.' + e.className + ': ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8))()"#);
    assert_eq!(over, json!([]), "overflowing a 390-px screen");
    let width = b
        .eval("document.documentElement.scrollWidth")
        .as_f64()
        .unwrap();
    assert!(width <= 391.0, "the page scrolls sideways: {width} px");
    if let Ok(dir) = std::env::var("ENCDEC_SCREENSHOTS") {
        b.screenshot(&std::path::Path::new(&dir).join("playground-phone.png"));
    }
}
