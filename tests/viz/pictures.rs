//! The pictures of `encdec::plot`: what the files contain (every label,
//! escaped as XML in an SVG; the PNG signature and size) and what the
//! bundled font covers. Bad input is tested in `plot_input.rs`.

use crate::plot_support;

use std::path::Path;

use encdec::tensor::Tensor;
use encdec::viz::{
    LINE_CHART_SIZE, attention_heads, attention_heatmap, heads_size, heatmap_size, line_chart,
};
use plot_support::{TempFile, near_diagonal, png_size, svg_texts, tokens, xml_escaped};

// ---- what the files contain -------------------------------------------------

#[test]
fn heatmap_svg_has_every_label_escaped_including_accents() {
    let src = tokens("<s> le garçon était déjà là , très <unk> <pad> </s>");
    let tgt = tokens("<s> the boy was already there , very <unk> </s>");
    let out = TempFile::new("labels.svg");
    let w = near_diagonal(tgt.len(), src.len());
    attention_heatmap(&out.0, &w, &src, &tgt, "«café» attention").unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let texts = svg_texts(&svg);
    for token in src.iter().chain(&tgt) {
        let escaped = xml_escaped(token);
        assert!(texts.contains(&escaped), "no <text> holding {escaped:?}");
    }
    assert!(texts.contains(&"&lt;s&gt;".to_string()));
    assert!(texts.contains(&"&lt;/s&gt;".to_string()));
    assert!(texts.contains(&"«café» attention".to_string()));
    // the colour bar is labelled with values
    for tick in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
        assert!(texts.contains(&tick.to_string()), "tick {tick}");
    }
}

#[test]
fn heads_svg_has_a_title_per_head_and_every_label() {
    let src = tokens("il a mangé une pomme </s>");
    let tgt = tokens("he ate an apple </s>");
    let (t, s) = (tgt.len(), src.len());
    let one = near_diagonal(t, s).into_data();
    let data: Vec<f64> = (0..4).flat_map(|_| one.clone()).collect();
    let w = Tensor::from_vec(data, &[4, t, s]);
    let out = TempFile::new("heads.svg");
    attention_heads(&out.0, &w, &src, &tgt, "layer 2").unwrap();
    let texts = svg_texts(&std::fs::read_to_string(&out.0).unwrap());
    for k in 1..=4 {
        assert!(texts.contains(&format!("head {k}")), "head {k}");
    }
    assert!(!texts.contains(&"head 5".to_string()));
    for token in src.iter().chain(&tgt) {
        // four panels, each labelled
        let n = texts.iter().filter(|t| **t == xml_escaped(token)).count();
        assert!(n >= 4, "{token:?} appears {n} times");
    }
}

#[test]
fn heatmap_png_is_written_with_the_announced_size() {
    let src = tokens("the quick brown fox jumps over the lazy dog </s>");
    let tgt = tokens("le renard brun rapide saute par-dessus le chien paresseux </s>");
    let out = TempFile::new("heatmap.png");
    let w = near_diagonal(tgt.len(), src.len());
    attention_heatmap(&out.0, &w, &src, &tgt, "attention").unwrap();
    let bytes = std::fs::read(&out.0).unwrap();
    assert!(bytes.len() > 1000, "only {} bytes", bytes.len());
    let size = png_size(&bytes);
    assert_eq!(size, heatmap_size(&src, &tgt, "attention"));
    // ten columns of cells and their labels fit
    assert!(size.0 >= 400 && size.1 >= 400, "{size:?}");
}

#[test]
fn heads_png_is_written_with_the_announced_size() {
    let src = tokens("a b c");
    let tgt = tokens("x y");
    let data: Vec<f64> = (0..6 * 2 * 3).map(|k| (k % 3) as f64 / 3.0).collect();
    let w = Tensor::from_vec(data, &[6, 2, 3]);
    let out = TempFile::new("heads.png");
    attention_heads(&out.0, &w, &src, &tgt, "").unwrap();
    let size = png_size(&std::fs::read(&out.0).unwrap());
    assert_eq!(size, heads_size(6, &src, &tgt, ""));
    // six heads lie in three columns and two rows: wider than tall
    assert!(size.0 > size.1, "{size:?}");
}

#[test]
fn more_tokens_make_a_bigger_heatmap() {
    let few = heatmap_size(&tokens("a b"), &tokens("c d"), "t");
    let many = heatmap_size(&tokens("a b c d e f g"), &tokens("c d e f g h i"), "t");
    assert!(many.0 > few.0 && many.1 > few.1, "{few:?} vs {many:?}");
}

#[test]
fn line_chart_png_and_svg() {
    let loss = [2.3, 1.7, 1.2, 0.9, 0.8];
    let acc = [0.2, 0.4, 0.55, 0.61, 0.64];
    let series: &[(&str, &[f64])] = &[("loss", &loss), ("accuracy", &acc)];
    let png = TempFile::new("curves.png");
    line_chart(&png.0, "training", "value", series).unwrap();
    let bytes = std::fs::read(&png.0).unwrap();
    assert!(bytes.len() > 1000);
    assert_eq!(png_size(&bytes), LINE_CHART_SIZE);

    let svg = TempFile::new("curves.svg");
    line_chart(&svg.0, "entraînement <v2>", "valeur", series).unwrap();
    let texts = svg_texts(&std::fs::read_to_string(&svg.0).unwrap());
    for want in [
        "loss",
        "accuracy",
        "entraînement &lt;v2&gt;",
        "valeur",
        "epoch",
        "1",
        "5",
    ] {
        assert!(texts.contains(&want.to_string()), "no text {want:?}");
    }
}

#[test]
fn a_single_epoch_and_a_flat_series_still_draw() {
    let out = TempFile::new("flat.png");
    line_chart(&out.0, "t", "y", &[("a", &[1.0])]).unwrap();
    line_chart(&out.0, "t", "y", &[("a", &[0.5, 0.5, 0.5])]).unwrap();
    assert_eq!(png_size(&std::fs::read(&out.0).unwrap()), LINE_CHART_SIZE);
}

#[test]
fn out_of_range_weights_are_clamped_not_refused() {
    let out = TempFile::new("clamp.svg");
    let w = Tensor::from_vec(vec![-0.5, 1.5, f64::INFINITY, f64::NEG_INFINITY], &[2, 2]);
    attention_heatmap(&out.0, &w, &tokens("a b"), &tokens("c d"), "").unwrap();
    let texts = svg_texts(&std::fs::read_to_string(&out.0).unwrap());
    // each cell shows its clamped value
    assert_eq!(texts.iter().filter(|t| *t == "0.00").count(), 2);
    assert_eq!(texts.iter().filter(|t| *t == "1.00").count(), 2);
}

// ---- the font ---------------------------------------------------------------

#[test]
fn the_bundled_font_covers_accents_and_special_tokens() {
    use ab_glyph::{Font, FontRef};
    let bytes = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
    let font = FontRef::try_from_slice(bytes).unwrap();
    let text = "éèàçêëîïôûùüœæÉÈÀÇ«»–→ <s></s><pad><unk> abcxyzABCXYZ0123456789.,;:!?'-";
    for c in text.chars() {
        assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?}");
    }
    let licence = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/DejaVuSans-LICENSE.txt");
    assert!(licence.exists(), "the font ships without its licence");
}
