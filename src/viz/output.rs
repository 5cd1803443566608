//! From a figure to a file: pick the format from the file name, draw on an
//! in-memory canvas, encode, and write the bytes in one go, atomically
//! ([`crate::files::write_atomic`]): an existing picture is replaced whole or
//! left as it was.
//!
//! Drawing into memory first means a failed drawing never leaves a
//! half-written file behind, and a bad path gives the operating system's own
//! message ("No such file or directory") rather than a backend's.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters::prelude::{IntoDrawingArea, SVGBackend};

use super::PlotError;
use super::canvas::Canvas;

/// The two image formats a picture can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// A bitmap, 8-bit RGB.
    Png,
    /// A vector drawing whose text stays searchable text.
    Svg,
}

/// The format named by the path's extension (case-insensitive), or an error.
pub(crate) fn format_of(function: &'static str, path: &Path) -> Result<Format, PlotError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        _ => Err(PlotError::Format {
            function,
            path: path.to_path_buf(),
        }),
    }
}

/// The most pixels a PNG encdec draws may have: 8192 × 8192 (67.1
/// megapixels), whose 8-bit RGB bitmap takes 192 MiB before encoding, so a
/// picture never asks for unbounded memory. Pictures from sane settings are
/// far smaller (a default checkpoint writes at most 30 tokens: 30 rows of
/// cells of 20 to 48 pixels, under 2000 pixels high), and
/// 8192 pixels a side is about as large as browsers and image viewers show;
/// a larger PNG means thousands of rows, e.g. a checkpoint allowing 5000
/// output words and a model that never writes `</s>`. An SVG holds such a
/// picture without a bitmap (and `encdec heatmap --out x.json` or `x.csv`
/// the weights themselves). Checked by
/// `tests/viz/bad_input.rs::a_png_larger_than_the_pixel_budget_is_refused_before_it_is_drawn`
/// and `tests/cli/outputs.rs::heatmap_png_of_a_long_output_is_refused_before_it_is_drawn`.
pub const MAX_PNG_PIXELS: u64 = 8192 * 8192;

/// Something that knows its size in pixels and can draw itself on any
/// plotters backend. The heatmaps and the line chart implement it.
pub(crate) trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws the whole picture on `root`, which is `size()` pixels large.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Turns a plotters error into a [`PlotError::Draw`].
fn draw_error<E: std::error::Error + Send + Sync>(
    function: &'static str,
) -> impl Fn(DrawingAreaErrorKind<E>) -> PlotError {
    move |e| PlotError::Draw {
        function,
        message: e.to_string(),
    }
}

/// Draws `figure` and writes it to `path` in `format`.
pub(crate) fn save(
    function: &'static str,
    path: &Path,
    format: Format,
    figure: &impl Figure,
) -> Result<(), PlotError> {
    super::text::ensure_font(function)?;
    let size = figure.size();
    let bytes = match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                figure.draw(&root).map_err(draw_error(function))?;
                root.present().map_err(draw_error(function))?;
            }
            xml_chars(svg).into_bytes()
        }
        Format::Png => {
            check_pixels(function, size)?;
            let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
            {
                let canvas = Canvas::new(&mut rgb, size).ok_or_else(|| PlotError::Draw {
                    function,
                    message: "the bundled font could not be read".into(),
                })?;
                let root = canvas.into_drawing_area();
                figure.draw(&root).map_err(draw_error(function))?;
                root.present().map_err(draw_error(function))?;
            }
            encode_png(&rgb, size).map_err(|e| PlotError::Write {
                function,
                path: path.to_path_buf(),
                message: format!("PNG encoding failed: {e}"),
            })?
        }
    };
    crate::files::write_atomic(path, &bytes).map_err(|e| PlotError::Write {
        function,
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Refuses a PNG of more than [`MAX_PNG_PIXELS`], before its bitmap is
/// allocated.
///
/// # Errors
/// [`PlotError::Input`], one line naming the size, the limit and what to
/// write instead.
fn check_pixels(function: &'static str, (width, height): (u32, u32)) -> Result<(), PlotError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels <= MAX_PNG_PIXELS {
        return Ok(());
    }
    let mega = |p: u64| p as f64 / 1e6;
    Err(PlotError::Input {
        function,
        message: format!(
            "a {width}×{height} PNG is {:.1} megapixels, more than the limit of {:.1} megapixels (8192 × 8192); write it as .svg instead (`encdec heatmap` also writes --out x.json or x.csv)",
            mega(pixels),
            mega(MAX_PNG_PIXELS),
        ),
    })
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production; a
/// surrogate cannot be a Rust `char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An SVG with every character XML 1.0 forbids written as [`printable`]'s
/// escape. Labels drawn by [`super::text::label`] are escaped already;
/// this catches text plotters draws itself (captions, legends), so that
/// every SVG encdec writes is well-formed XML (plotters escapes
/// `& < > " '` itself). Checked by
/// `tests/viz/hostile_labels.rs::any_label_gives_a_scatter_plot_and_a_line_chart_that_parse_as_xml`.
fn xml_chars(svg: String) -> String {
    if svg.chars().all(is_xml_char) {
        return svg;
    }
    let mut out = String::with_capacity(svg.len());
    for c in svg.chars() {
        match is_xml_char(c) {
            true => out.push(c),
            false => out.push_str(&crate::text::printable(&c.to_string())),
        }
    }
    out
}

/// Packs an 8-bit RGB buffer, row by row from the top, into PNG bytes.
fn encode_png(rgb: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_picks_the_format() {
        let f = |p: &str| format_of("t", Path::new(p));
        assert_eq!(f("a.png"), Ok(Format::Png));
        assert_eq!(f("dir/a.SVG"), Ok(Format::Svg));
        assert!(f("a.jpg").is_err());
        assert!(f("png").is_err());
        assert!(f("a.png.tmp").is_err());
    }

    #[test]
    fn characters_xml_forbids_are_escaped_and_the_rest_kept() {
        let svg = "<text>a\u{1}\u{fffe}\té</text>\n".to_string();
        assert_eq!(xml_chars(svg), "<text>a\\u{1}\\u{fffe}\té</text>\n");
    }

    #[test]
    fn png_bytes_start_with_the_signature() {
        let bytes = encode_png(&[255; 2 * 3 * 3], (2, 3)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}
