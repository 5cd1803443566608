//! `encdec::viz::scatter_labels`: what the files contain (every label,
//! escaped as XML in an SVG; group colours and the legend; the PNG
//! signature and size) and the errors for bad input, which name the
//! function and write no file.

use crate::plot_support;

use encdec::viz::{PlotError, SCATTER_SIZE, scatter_labels};
use plot_support::{
    TempFile, circles, message, png_size, svg_texts, text_width, texts_at, tokens, xml_escaped,
};

/// Four groups of words, seven or eight each, in four overlapping clusters.
fn words() -> (Vec<(f64, f64)>, Vec<String>, Vec<String>) {
    let groups = [
        (
            "couleurs",
            (-0.6, 0.5),
            "rouge vert bleu jaune red green blue été",
        ),
        (
            "animaux",
            (0.5, 0.6),
            "chat chien cheval oiseau cat dog horse <unk>",
        ),
        (
            "nombres",
            (-0.5, -0.5),
            "un deux trois quatre one two three",
        ),
        (
            "fruits",
            (0.3, -0.2),
            "pomme poire fraise cerise apple pear l'orange",
        ),
    ];
    let (mut points, mut labels, mut names) = (Vec::new(), Vec::new(), Vec::new());
    for (name, (cx, cy), text) in groups {
        for (k, word) in tokens(text).into_iter().enumerate() {
            let a = k as f64 * 2.4;
            points.push((
                cx + 0.4 * a.cos() * (k as f64 / 8.0),
                cy + 0.4 * a.sin() * (k as f64 / 8.0),
            ));
            labels.push(word);
            names.push(name.to_string());
        }
    }
    (points, labels, names)
}

// ---- what the files contain -------------------------------------------------

#[test]
fn svg_has_every_label_escaped_and_a_legend_of_the_groups() {
    let (points, labels, groups) = words();
    let out = TempFile::new("scatter-labels.svg");
    scatter_labels(&out.0, "«mots» <PCA>", &points, &labels, Some(&groups)).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let texts = svg_texts(&svg);
    for word in &labels {
        let escaped = xml_escaped(word);
        assert!(texts.contains(&escaped), "no <text> holding {escaped:?}");
    }
    for want in [
        "vert",
        "été",
        "&lt;unk&gt;",
        "l&apos;orange",
        "«mots» &lt;PCA&gt;",
    ] {
        assert!(texts.contains(&want.to_string()), "no text {want:?}");
    }
    for name in ["couleurs", "animaux", "nombres", "fruits"] {
        assert_eq!(
            texts.iter().filter(|t| *t == name).count(),
            1,
            "legend {name}"
        );
    }
    // tick labels are numbers, and a tick at zero is never "-0.0"
    assert!(
        texts.iter().any(|t| t.parse::<f64>().is_ok()),
        "no tick labels"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.starts_with("-0") && t.parse::<f64>() == Ok(0.0))
    );
}

#[test]
fn groups_take_colours_in_order_of_first_appearance() {
    let points: Vec<(f64, f64)> = (0..10).map(|k| (k as f64, (k % 3) as f64)).collect();
    let labels: Vec<String> = (0..10).map(|k| format!("w{k}")).collect();
    // nine groups, "b" first: the ninth cycles back to the first colour
    let groups = tokens("b a b c d e f g h i");
    let out = TempFile::new("scatter-colours.svg");
    scatter_labels(&out.0, "", &points, &labels, Some(&groups)).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let all = circles(&svg);
    // legend dots have radius 5, point dots 4 (on a white disc of radius 5)
    let white = "#FFFFFF";
    let legend: Vec<&str> = (all.iter().filter(|c| c.2 == 5 && c.3 != white))
        .map(|c| c.3.as_str())
        .collect();
    let dots: Vec<&str> = all
        .iter()
        .filter(|c| c.2 == 4)
        .map(|c| c.3.as_str())
        .collect();
    let (blue, orange, green) = ("#1F77B4", "#FF7F0E", "#2CA02C");
    assert_eq!(legend.len(), 9);
    assert_eq!(&legend[..3], [blue, orange, green]);
    assert_eq!(legend[8], blue);
    assert_eq!(dots.len(), 10);
    assert_eq!(&dots[..4], [blue, orange, blue, green]);
    assert_eq!(dots[9], blue);
    assert_eq!(
        legend
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        8
    );

    // without groups: one colour, no legend
    scatter_labels(&out.0, "", &points, &labels, None).unwrap();
    let all = circles(&std::fs::read_to_string(&out.0).unwrap());
    assert!(
        all.iter().all(|c| c.2 == 4 || c.2 == 5 && c.3 == white),
        "{all:?}"
    );
    assert!(all.iter().filter(|c| c.2 == 4).all(|c| c.3 == blue));
}

#[test]
fn a_label_sits_beside_its_dot_and_inside_the_picture() {
    let long = "un mot très long au bord droit".to_string();
    let points = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0)];
    let labels = vec!["près".to_string(), long.clone(), "x".to_string()];
    let out = TempFile::new("scatter-place.svg");
    scatter_labels(&out.0, "", &points, &labels, None).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let dots: Vec<_> = circles(&svg).into_iter().filter(|c| c.2 == 4).collect();
    let texts = texts_at(&svg);
    let at = |word: &str| {
        texts
            .iter()
            .find(|t| t.2 == xml_escaped(word))
            .unwrap()
            .clone()
    };
    // to the right of the dot, a few pixels off it, level with it
    let (x, y, _) = at("près");
    assert!(
        (dots[0].0 + 5..dots[0].0 + 12).contains(&x),
        "{x} vs {dots:?}"
    );
    assert!((y - dots[0].1).abs() <= 8, "{y} vs {dots:?}");
    // the long label at the right edge still ends inside the picture
    let (x, _, _) = at(&long);
    assert!(x > dots[1].0, "{x} vs {dots:?}");
    assert!(
        x + text_width(&long, 13.0) <= SCATTER_SIZE.0 as i32 - 16,
        "{x}"
    );
}

#[test]
fn png_is_written_with_the_announced_size() {
    let (points, labels, groups) = words();
    let out = TempFile::new("scatter.png");
    scatter_labels(&out.0, "word vectors", &points, &labels, Some(&groups)).unwrap();
    let bytes = std::fs::read(&out.0).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 5000, "only {} bytes", bytes.len());
    assert_eq!(png_size(&bytes), SCATTER_SIZE);
    // one point, or all points in one place, still draws
    let one = [(3.0, 4.0)];
    scatter_labels(&out.0, "", &one, &tokens("seul"), None).unwrap();
    let same = [(0.5, 0.5); 3];
    scatter_labels(&out.0, "", &same, &tokens("a b c"), None).unwrap();
    let far = [(-1e300, 1e300), (1e300, -1e300)];
    scatter_labels(&out.0, "", &far, &tokens("a b"), None).unwrap();
    assert_eq!(png_size(&std::fs::read(&out.0).unwrap()), SCATTER_SIZE);
}

// ---- bad input --------------------------------------------------------------

#[test]
fn wrong_extension_is_refused() {
    for name in ["s.jpg", "s", "s.svg.bak"] {
        let out = TempFile::new(name);
        let err = scatter_labels(&out.0, "", &[(0.0, 0.0)], &tokens("a"), None).unwrap_err();
        assert!(matches!(
            err,
            PlotError::Format {
                function: "scatter_labels",
                ..
            }
        ));
        let msg = err.to_string();
        assert!(
            msg.starts_with("scatter_labels: ") && msg.contains("must end in .png or .svg"),
            "{msg}"
        );
        assert!(!out.0.exists());
    }
}

#[test]
fn counts_must_match() {
    let out = TempFile::new("scatter-count.png");
    let points = [(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)];
    let msg = message(scatter_labels(&out.0, "", &points, &tokens("a b"), None));
    assert_eq!(
        msg,
        "scatter_labels: 3 points but 2 labels: every point needs one label"
    );
    let msg = message(scatter_labels(
        &out.0,
        "",
        &points[..1],
        &tokens("a b"),
        None,
    ));
    assert!(msg.contains("1 point but 2 labels"), "{msg}");
    let groups = tokens("g h");
    let msg = message(scatter_labels(
        &out.0,
        "",
        &points,
        &tokens("a b c"),
        Some(&groups),
    ));
    assert_eq!(
        msg,
        "scatter_labels: 3 points but 2 groups: give one group per point, or None"
    );
    assert!(!out.0.exists());
}

#[test]
fn no_points_is_refused() {
    let out = TempFile::new("scatter-empty.svg");
    let msg = message(scatter_labels(&out.0, "t", &[], &[], None));
    assert_eq!(msg, "scatter_labels: no points to draw");
    let msg = message(scatter_labels(&out.0, "t", &[], &[], Some(&[])));
    assert_eq!(msg, "scatter_labels: no points to draw");
    assert!(!out.0.exists());
}

#[test]
fn coordinates_must_be_finite_and_the_point_is_named() {
    let out = TempFile::new("scatter-nan.png");
    let labels = tokens("rouge vert été");
    let cases = [
        ((f64::NAN, 1.0), "point 1 (\"vert\") is (NaN, 1.0)"),
        ((0.5, f64::INFINITY), "point 1 (\"vert\") is (0.5, inf)"),
        (
            (f64::NEG_INFINITY, 0.0),
            "point 1 (\"vert\") is (-inf, 0.0)",
        ),
        ((2e300, 0.0), "point 1 (\"vert\") is (2e300, 0.0)"),
    ];
    for (bad, want) in cases {
        let points = [(0.0, 0.0), bad, (f64::NAN, 0.0)];
        let msg = message(scatter_labels(&out.0, "", &points, &labels, None));
        assert!(msg.starts_with("scatter_labels: "), "{msg}");
        assert!(msg.contains(want), "{msg}");
        assert!(msg.contains("must be a finite number"), "{msg}");
    }
    let points = [(0.0, 0.0), (1.0, 1.0), (f64::NAN, 0.0)];
    let msg = message(scatter_labels(&out.0, "", &points, &labels, None));
    assert!(msg.contains("point 2 (\"été\") is (NaN, 0.0)"), "{msg}");
    assert!(!out.0.exists());
}

#[test]
fn an_unwritable_path_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("encdec-scatter-missing-{}", std::process::id()));
    for name in ["a.png", "a.svg"] {
        let path = dir.join(name);
        let err = scatter_labels(&path, "", &[(0.0, 0.0)], &tokens("a"), None).unwrap_err();
        assert!(matches!(err, PlotError::Write { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with("scatter_labels: cannot write "), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
    }
    assert!(!dir.exists());
}
