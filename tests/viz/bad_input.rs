//! Bad input to `encdec::plot` gives an error that starts with the
//! function's name and says what is wrong; never a panic, never a file.

use crate::plot_support;

use encdec::tensor::Tensor;
use encdec::viz::{
    MAX_PNG_PIXELS, PlotError, attention_heads, attention_heatmap, heatmap_size, line_chart,
};
use plot_support::{TempFile, message, near_diagonal, tokens};

#[test]
fn wrong_extension_is_refused() {
    let w = near_diagonal(2, 2);
    let (src, tgt) = (tokens("a b"), tokens("c d"));
    for name in ["x.jpg", "x", "x.png.bak"] {
        let out = TempFile::new(name);
        let msg = message(attention_heatmap(&out.0, &w, &src, &tgt, ""));
        assert!(msg.starts_with("attention_heatmap: "), "{msg}");
        assert!(msg.contains("must end in .png or .svg"), "{msg}");
        assert!(!out.0.exists());
    }
    let out = TempFile::new("curves.pdf");
    let msg = message(line_chart(&out.0, "t", "y", &[("a", &[1.0])]));
    assert!(
        msg.starts_with("line_chart: ") && msg.contains(".png or .svg"),
        "{msg}"
    );
}

#[test]
fn token_counts_must_match_the_shape() {
    let out = TempFile::new("count.png");
    let w = near_diagonal(4, 5);
    let msg = message(attention_heatmap(
        &out.0,
        &w,
        &tokens("a b c"),
        &tokens("w x y z"),
        "",
    ));
    assert!(
        msg.contains("heatmap: 3 source tokens for weights of shape [4, 5]"),
        "{msg}"
    );
    let msg = message(attention_heatmap(
        &out.0,
        &w,
        &tokens("a b c d e"),
        &tokens("w x"),
        "",
    ));
    assert!(
        msg.contains("2 target tokens for weights of shape [4, 5]: expected 4"),
        "{msg}"
    );
    let heads = Tensor::zeros(&[2, 4, 5]);
    let msg = message(attention_heads(
        &out.0,
        &heads,
        &tokens("a"),
        &tokens("w x y z"),
        "",
    ));
    assert!(
        msg.contains("attention_heads: 1 source token for weights of shape [2, 4, 5]: expected 5"),
        "{msg}"
    );
    assert!(!out.0.exists());
}

#[test]
fn tensors_of_the_wrong_rank_are_refused() {
    let out = TempFile::new("rank.png");
    let (src, tgt) = (tokens("a b"), tokens("c d"));
    for shape in [&[2, 2, 2][..], &[4], &[]] {
        let w = Tensor::zeros(shape);
        let msg = message(attention_heatmap(&out.0, &w, &src, &tgt, ""));
        assert!(
            msg.contains("weights must be a 2-D tensor [target, source], got shape"),
            "{msg}"
        );
    }
    let msg = message(attention_heads(
        &out.0,
        &Tensor::zeros(&[2, 2]),
        &src,
        &tgt,
        "",
    ));
    assert!(
        msg.contains("must be a 3-D tensor [heads, target, source], got shape [2, 2]"),
        "{msg}"
    );
    assert!(!out.0.exists());
}

#[test]
fn empty_weights_are_refused() {
    let out = TempFile::new("empty.png");
    let msg = message(attention_heatmap(
        &out.0,
        &Tensor::zeros(&[0, 0]),
        &[],
        &[],
        "",
    ));
    assert!(
        msg.contains("weights of shape [0, 0] have no cells to draw"),
        "{msg}"
    );
    let msg = message(attention_heads(
        &out.0,
        &Tensor::zeros(&[0, 1, 1]),
        &tokens("a"),
        &tokens("b"),
        "",
    ));
    assert!(msg.contains("shape [0, 1, 1] have no cells"), "{msg}");
}

#[test]
fn nan_weights_are_refused_with_their_index() {
    let out = TempFile::new("nan.svg");
    let mut w = near_diagonal(2, 3);
    w.data_mut()[4] = f64::NAN;
    let msg = message(attention_heatmap(
        &out.0,
        &w,
        &tokens("a b c"),
        &tokens("x y"),
        "",
    ));
    assert!(msg.contains("weight at index [1, 1] is NaN"), "{msg}");
    let mut heads = Tensor::zeros(&[2, 2, 3]);
    heads.data_mut()[11] = f64::NAN;
    let msg = message(attention_heads(
        &out.0,
        &heads,
        &tokens("a b c"),
        &tokens("x y"),
        "",
    ));
    assert!(msg.contains("weight at index [1, 1, 2] is NaN"), "{msg}");
    assert!(!out.0.exists());
}

#[test]
fn an_unwritable_path_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("encdec-plot-missing-{}", std::process::id()));
    let w = near_diagonal(2, 2);
    for name in ["a.png", "a.svg"] {
        let path = dir.join(name);
        let msg = message(attention_heatmap(
            &path,
            &w,
            &tokens("a b"),
            &tokens("c d"),
            "",
        ));
        assert!(msg.starts_with("attention_heatmap: cannot write "), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        let msg = message(line_chart(&path, "t", "y", &[("a", &[1.0, 2.0])]));
        assert!(msg.starts_with("line_chart: cannot write "), "{msg}");
    }
    assert!(!dir.exists());
}

#[test]
fn line_chart_refuses_bad_series() {
    let out = TempFile::new("bad.png");
    let msg = message(line_chart(&out.0, "t", "y", &[]));
    assert_eq!(msg, "line_chart: no series to draw");
    let msg = message(line_chart(
        &out.0,
        "t",
        "y",
        &[("loss", &[1.0, 0.5, 0.2]), ("acc", &[0.1, 0.2])],
    ));
    assert!(
        msg.contains("series \"acc\" has 2 values but \"loss\" has 3"),
        "{msg}"
    );
    let msg = message(line_chart(&out.0, "t", "y", &[("loss", &[])]));
    assert!(msg.contains("series \"loss\" has no values"), "{msg}");
    let msg = message(line_chart(&out.0, "t", "y", &[("loss", &[1.0, f64::NAN])]));
    assert!(
        msg.contains("series \"loss\" has the value NaN at epoch 2"),
        "{msg}"
    );
    let msg = message(line_chart(&out.0, "t", "y", &[("loss", &[f64::INFINITY])]));
    assert!(msg.contains("value inf at epoch 1"), "{msg}");
    assert!(!out.0.exists());
}

#[test]
fn errors_are_std_errors_with_their_variant() {
    let out = TempFile::new("variant.gif");
    let err = attention_heatmap(&out.0, &near_diagonal(1, 1), &tokens("a"), &tokens("b"), "")
        .unwrap_err();
    assert!(matches!(
        err,
        PlotError::Format {
            function: "attention_heatmap",
            ..
        }
    ));
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("variant.gif"));
}

#[test]
fn a_png_larger_than_the_pixel_budget_is_refused_before_it_is_drawn() {
    // 600 × 600 cells of at least 20 pixels: over 144 megapixels.
    let n = 600;
    let w = near_diagonal(n, n);
    let words: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
    let (width, height) = heatmap_size(&words, &words, "");
    assert!(u64::from(width) * u64::from(height) > MAX_PNG_PIXELS);
    let out = TempFile::new("huge.png");
    let msg = message(attention_heatmap(&out.0, &w, &words, &words, ""));
    assert!(msg.starts_with("attention_heatmap: "), "{msg}");
    assert!(msg.contains(&format!("{width}×{height}")), "{msg}");
    assert!(msg.contains("megapixel"), "{msg}");
    assert!(msg.contains(".svg"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    assert!(!out.0.exists());
    // Every head of a layer in a grid: the same budget.
    let heads = Tensor::from_vec(w.data().repeat(2), &[2, n, n]);
    let msg = message(attention_heads(&out.0, &heads, &words, &words, ""));
    assert!(
        msg.starts_with("attention_heads: ") && msg.contains("megapixel"),
        "{msg}"
    );
    assert!(!out.0.exists());
}
