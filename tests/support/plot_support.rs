//! Helpers shared by the `tests/plot*.rs` files; each uses a part of them.
#![allow(dead_code)]

use std::path::PathBuf;

use encdec::tensor::Tensor;
use encdec::viz::PlotError;

/// A file name in the temp directory that no other test (or test run) uses;
/// the file is removed when the guard is dropped.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str) -> TempFile {
        let file = format!("encdec-plot-{}-{name}", std::process::id());
        TempFile(std::env::temp_dir().join(file))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The whitespace-separated words of `s`.
pub fn tokens(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

/// Rows that sum to 1: 0.7 on the diagonal (wrapping when there are more
/// rows than columns), the rest spread evenly over the other columns.
pub fn near_diagonal(rows: usize, cols: usize) -> Tensor {
    let other = if cols > 1 {
        0.3 / (cols - 1) as f64
    } else {
        0.0
    };
    let diagonal = 1.0 - other * (cols - 1) as f64;
    let data = (0..rows * cols)
        .map(|k| {
            if k / cols % cols == k % cols {
                diagonal
            } else {
                other
            }
        })
        .collect();
    Tensor::from_vec(data, &[rows, cols])
}

/// The contents of every `<text>` element of an SVG, as written (escaped).
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let start = chunk.find('>')? + 1;
            let end = chunk.find("</text>")?;
            Some(chunk[start..end].trim().to_string())
        })
        .collect()
}

/// What the SVG writer turns a label into.
pub fn xml_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Width and height from a PNG's IHDR chunk.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |k: usize| u32::from_be_bytes(bytes[k..k + 4].try_into().unwrap());
    (be(16), be(20))
}

pub fn message(result: Result<(), PlotError>) -> String {
    result.expect_err("expected an error").to_string()
}

/// Every `<circle>` of an SVG as `(cx, cy, r, fill)`.
pub fn circles(svg: &str) -> Vec<(i32, i32, u32, String)> {
    svg.split("<circle")
        .skip(1)
        .map(|c| {
            let c = &c[..c.find("/>").unwrap()];
            (
                attr(c, "cx").parse().unwrap(),
                attr(c, "cy").parse().unwrap(),
                attr(c, "r").parse().unwrap(),
                attr(c, "fill"),
            )
        })
        .collect()
}

/// Every `<text>` of an SVG as `(x, y, contents)`, contents as written.
pub fn texts_at(svg: &str) -> Vec<(i32, i32, String)> {
    let texts = svg_texts(svg);
    let tags = svg
        .split("<text")
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap()]);
    tags.zip(texts)
        .map(|(t, s)| {
            (
                attr(t, "x").parse().unwrap(),
                attr(t, "y").parse().unwrap(),
                s,
            )
        })
        .collect()
}

/// The value of attribute `name` in a tag's text.
pub fn attr(tag: &str, name: &str) -> String {
    let start = tag.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
    tag[start..].split('"').next().unwrap().to_string()
}

/// Width of `text` in DejaVu Sans at `size` pixels.
pub fn text_width(text: &str, size: f32) -> i32 {
    use ab_glyph::{Font, FontRef, ScaleFont};
    let font =
        FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf")).unwrap();
    let scaled = font.as_scaled(size);
    text.chars()
        .map(|c| scaled.h_advance(font.glyph_id(c)))
        .sum::<f32>()
        .ceil() as i32
}
