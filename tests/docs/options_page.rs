//! `docs/options.md` says what each model option changed in a measured
//! table; each number of its prose is recomputed here from the table itself.

use std::collections::HashMap;

struct Row {
    params: usize,
    builtin: f64,
    file: f64,
}

/// The rows under `<!-- options-table -->`, by "model flags".
fn table(text: &str) -> HashMap<String, Row> {
    let start = text
        .find("<!-- options-table -->")
        .expect("the table marker");
    let mut rows = HashMap::new();
    for line in text[start..].lines().skip(3) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let key = format!("{} {}", cells[1], cells[2].trim_matches('`'));
        let row = Row {
            params: cells[4].parse().unwrap(),
            builtin: cells[5].parse().unwrap(),
            file: cells[7].parse().unwrap(),
        };
        rows.insert(key, row);
    }
    rows
}

#[test]
fn the_prose_of_the_options_page_agrees_with_its_table() {
    let text = std::fs::read_to_string("docs/options.md").unwrap();
    let rows = table(&text);
    assert_eq!(
        rows.len(),
        11,
        "rows: {:?}",
        rows.keys().collect::<Vec<_>>()
    );
    let r = |k: &str| rows.get(k).unwrap_or_else(|| panic!("no row {k}"));
    let says = |s: String| assert!(text.contains(&s), "docs/options.md should say {s:?}");
    let (att, att2) = (r("attention (none)"), r("attention --seed 2"));
    let (tf, tf2) = (r("transformer (none)"), r("transformer --seed 2"));
    // Seeds first.
    let seed = |a: f64, b: f64, digits: usize| format!("{:.*}", digits, (a - b).abs());
    says(format!(
        "attention model's score by\n  {} and the Transformer's by {}; on the corpus file by {} and {}.",
        seed(att.builtin, att2.builtin, 1),
        seed(tf.builtin, tf2.builtin, 1),
        seed(att.file, att2.file, 2),
        seed(tf.file, tf2.file, 2)
    ));
    // Reading both ways: the best file score of all rows.
    let bi = r("attention --bidirectional");
    assert!(rows.values().all(|x| x.file <= bi.file));
    says(format!("the best file score of all rows, {:.2}", bi.file));
    says(format!("against the attention baseline's {:.2}", att.file));
    says(format!("{} parameters against {}", bi.params, att.params));
    let proj = r("attention --bidirectional --bridge project");
    says(format!("({} parameters)", proj.params));
    says(format!("and on the file ({:.2})", proj.file));
    let spread = (att.builtin - att2.builtin).abs();
    assert!(
        proj.builtin - att.builtin.max(att2.builtin) > 0.0 && proj.builtin - att.builtin > spread
    );
    assert!(proj.file - att.file.max(att2.file) > 0.0);
    // Stacking: lowest of the attention rows on both corpora.
    let stacked = r("attention --layers 2");
    let attention: Vec<&Row> = rows
        .iter()
        .filter(|(k, _)| k.starts_with("attention"))
        .map(|(_, v)| v)
        .collect();
    assert!(
        attention
            .iter()
            .all(|x| x.builtin >= stacked.builtin && x.file >= stacked.file)
    );
    says(format!(
        "corpora ({:.1} and {:.2})",
        stacked.builtin, stacked.file
    ));
    // Pre-norm and GELU: gains larger than the seed's reach on both corpora.
    let (tf_seed_b, tf_seed_f) = ((tf.builtin - tf2.builtin).abs(), (tf.file - tf2.file).abs());
    let pre = r("transformer --norm-first --final-norm");
    let gelu = r("transformer --gelu");
    for x in [pre, gelu] {
        assert!(x.builtin - tf.builtin > tf_seed_b && x.file - tf.file > tf_seed_f);
    }
    says(format!(
        "gains {:.1} on the built-in corpus and {:.2} on the file, GELU {:.1} and {:.2}.",
        pre.builtin - tf.builtin,
        pre.file - tf.file,
        gelu.builtin - tf.builtin,
        gelu.file - tf.file
    ));
    // Label smoothing and AdamW: within the seed's reach.
    for k in ["transformer --label-smoothing 0.1", "transformer --adamw"] {
        let x = r(k);
        assert!((x.builtin - tf.builtin).abs() <= tf_seed_b, "{k}");
        assert!((x.file - tf.file).abs() <= tf_seed_f, "{k}");
    }
}

#[test]
fn the_table_is_what_the_script_prints() {
    // The script's rows, flags and columns are the page's: a row added to
    // one and not the other fails here.
    let text = std::fs::read_to_string("docs/options.md").unwrap();
    let script = std::fs::read_to_string("scripts/docs/options_table.py").unwrap();
    let rows = table(&text);
    let in_script = script.matches("\n    (\"attention\"").count()
        + script.matches("\n    (\"transformer\"").count();
    assert_eq!(rows.len(), in_script);
    assert!(script.contains("| model | flags | what | parameters (built-in) | built-in BLEU-4 | s/epoch | file BLEU | s/epoch |"));
    assert!(text.contains("| model | flags | what | parameters (built-in) | built-in BLEU-4 | s/epoch | file BLEU | s/epoch |"));
}
