//! Tick labels, axis names and point labels of the scatter plot and the
//! line chart, read back from the SVG: ticks are distinct and evenly
//! spaced numbers whatever step plotters picks, the axes carry the names
//! handed in, and labels in a crowded cluster never cover each other.

use crate::plot_support;

use encdec::viz::{line_chart, scatter_labels, scatter_with_axes};
use plot_support::{TempFile, text_width, texts_at, xml_escaped};

/// The numeric texts of an SVG as `(x, y, text)`.
fn numbers(svg: &str) -> Vec<(i32, i32, String)> {
    let all = texts_at(svg);
    all.into_iter()
        .filter(|t| t.2.parse::<f64>().is_ok())
        .collect()
}

/// The tick labels along the bottom axis (the lowest row of numbers) and
/// along the left axis (the other numbers), in drawing order.
fn axis_ticks(svg: &str) -> (Vec<String>, Vec<String>) {
    let nums = numbers(svg);
    let bottom = nums.iter().map(|t| t.1).max().expect("no tick labels");
    let (x, y): (Vec<_>, Vec<_>) = nums.into_iter().partition(|t| t.1 == bottom);
    let text = |v: Vec<(i32, i32, String)>| v.into_iter().map(|t| t.2).collect();
    (text(x), text(y))
}

/// Panics unless the labels are distinct numbers an equal step apart.
fn assert_exact_and_distinct(labels: &[String], what: &str) {
    assert!(labels.len() >= 3, "{what}: too few ticks {labels:?}");
    let mut values: Vec<f64> = labels.iter().map(|t| t.parse().unwrap()).collect();
    values.sort_by(f64::total_cmp);
    let step = values[1] - values[0];
    assert!(step > 0.0, "{what}: repeated tick labels {labels:?}");
    for w in values.windows(2) {
        let gap = w[1] - w[0];
        assert!(
            (gap - step).abs() < 1e-9 * step.max(1.0),
            "{what}: ticks not evenly spaced as written: {labels:?}"
        );
    }
}

#[test]
fn scatter_ticks_every_half_unit_are_written_with_a_decimal() {
    // A PCA-like spread: x from -2.3 to 2.4 asks plotters for ticks every 0.5.
    let points = [(-2.3, -1.1), (2.4, 1.3), (0.2, 0.1), (-1.0, 0.7)];
    let labels: Vec<String> = ["rouge", "vert", "chat", "chien"]
        .map(String::from)
        .to_vec();
    let out = TempFile::new("labels-ticks.svg");
    scatter_labels(&out.0, "", &points, &labels, None).unwrap();
    let (x, y) = axis_ticks(&std::fs::read_to_string(&out.0).unwrap());
    assert!(x.iter().any(|t| t == "0.5" || t == "-0.5"), "{x:?}");
    assert_exact_and_distinct(&x, "x axis");
    assert_exact_and_distinct(&y, "y axis");
}

#[test]
fn line_chart_ticks_of_a_small_loss_are_distinct() {
    let loss = [0.091, 0.052, 0.034, 0.027, 0.021];
    let out = TempFile::new("labels-line.svg");
    line_chart(&out.0, "", "loss", &[("loss", &loss)]).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let (_, y) = axis_ticks(&svg);
    assert_exact_and_distinct(&y, "loss axis");
}

#[test]
fn scatter_axes_carry_their_names() {
    let points = [(0.0, 0.0), (1.0, 2.0)];
    let labels: Vec<String> = ["a", "b"].map(String::from).to_vec();
    let out = TempFile::new("labels-axes.svg");
    let names = ["PC1 (41 % of the variance)", "PC2 (<17 %>)"];
    scatter_with_axes(&out.0, "t", names, &points, &labels, None).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let texts = plot_support::svg_texts(&svg);
    for name in names {
        assert!(texts.contains(&xml_escaped(name)), "no axis name {name:?}");
    }
    // without names every text is the title, a label or a number
    scatter_labels(&out.0, "t", &points, &labels, None).unwrap();
    let plain = plot_support::svg_texts(&std::fs::read_to_string(&out.0).unwrap());
    let known = |t: &String| t == "t" || labels.contains(t) || t.parse::<f64>().is_ok();
    assert!(plain.iter().all(known), "{plain:?}");
}

#[test]
fn labels_in_a_crowded_cluster_do_not_overlap() {
    // 60 words on a small spiral: at the picture's scale many dots are a
    // few pixels apart, so most labels cannot sit right beside their dot.
    let words = "rouge vert bleu jaune noir blanc gris rose brun violet chat chien cheval \
                 oiseau vache mouton lapin souris loup renard un deux trois quatre cinq six \
                 sept huit neuf dix pomme poire fraise cerise prune pêche raisin citron melon \
                 figue paris rome berlin madrid lisbonne vienne prague oslo dublin athènes \
                 court saute dort mange boit chante lit écrit parle marche";
    let labels: Vec<String> = words.split_whitespace().map(String::from).collect();
    let mut points: Vec<(f64, f64)> = (0..labels.len())
        .map(|k| {
            let (a, r) = (k as f64 * 2.4, (k as f64).sqrt() * 0.02);
            (r * a.cos(), r * a.sin())
        })
        .collect();
    // two far points stretch the axes, so the spiral is crowded
    points[0] = (-1.0, -1.0);
    points[1] = (1.0, 1.0);
    let out = TempFile::new("labels-crowded.svg");
    scatter_labels(&out.0, "", &points, &labels, None).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let texts = texts_at(&svg);
    let boxes: Vec<[i32; 4]> = labels
        .iter()
        .map(|word| {
            let escaped = xml_escaped(word);
            let t = texts.iter().find(|t| t.2 == escaped).expect(word);
            [t.0, t.1, t.0 + text_width(word, 13.0), t.1 + 13]
        })
        .collect();
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            let (a, b) = (boxes[i], boxes[j]);
            let apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
            let (u, v) = (&labels[i], &labels[j]);
            assert!(apart, "labels {u:?} {a:?} and {v:?} {b:?} overlap");
        }
    }
}
