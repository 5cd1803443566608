//! The bundled font, measuring text, and drawing a label.
//!
//! plotters' `ab_glyph` feature finds fonts registered by name and never
//! looks for system fonts; the SVG backend and plotters' own layout use the
//! registered font, the PNG canvas ([`super::canvas`]) sets text with it
//! directly. The font file is compiled into the library, so no file is
//! needed at run time.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, TextStyle};

use super::PlotError;
use super::canvas::set_line;
use crate::text::printable;

/// DejaVu Sans 2.37 (Bitstream Vera licence, see `assets/fonts/DejaVuSans-LICENSE.txt`).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// None in the playground's WebAssembly module, which draws no picture (the
/// page draws its own views): 757 KB less for the page to carry.
#[cfg(target_arch = "wasm32")]
pub(crate) static FONT_BYTES: &[u8] = &[];

/// The name the font is registered under. plotters copies it verbatim into
/// the SVG `font-family` attribute, so it is written as a CSS font list:
/// viewers without DejaVu Sans fall back to their sans-serif face.
pub(crate) const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Registers the bundled font with plotters, once per process.
pub(crate) fn ensure_font(function: &'static str) -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    // plotters registers fonts only off the web: the playground's WebAssembly module draws no
    // plots (the page draws its own views), so there the font is reported unreadable.
    #[cfg(not(target_arch = "wasm32"))]
    let register = || plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_BYTES).is_ok();
    #[cfg(target_arch = "wasm32")]
    let register = || false;
    let ok = *REGISTERED.get_or_init(register);
    if ok {
        Ok(())
    } else {
        Err(PlotError::Draw {
            function,
            message: "the bundled font assets/fonts/DejaVuSans.ttf could not be read".into(),
        })
    }
}

/// The font at `size` pixels.
pub(crate) fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Normal)
}

/// Width in pixels of `text` set at `size` pixels, as the PNG canvas sets
/// it and as [`label`] draws it (escaped). If the font cannot be read (it
/// always can: it is compiled in) a rough estimate is returned.
pub(crate) fn width(text: &str, size: f64) -> i32 {
    static FONT: OnceLock<Option<ab_glyph::FontRef<'static>>> = OnceLock::new();
    let text = &printable(text);
    match FONT.get_or_init(super::canvas::font) {
        Some(font) => set_line(font, size, text).width.ceil() as i32,
        None => (text.chars().count() as f64 * size * 0.6).ceil() as i32,
    }
}

/// The widest of `texts` at `size` pixels (0 for none).
pub(crate) fn max_width<S: AsRef<str>>(texts: &[S], size: f64) -> i32 {
    texts
        .iter()
        .map(|t| width(t.as_ref(), size))
        .max()
        .unwrap_or(0)
}

/// How a label sits on its anchor point and whether it reads upwards.
#[derive(Clone, Copy)]
pub(crate) struct Place {
    /// Which part of the text sits at the anchor, along the text.
    pub h: HPos,
    /// Which part of the text sits at the anchor, across the text.
    pub v: VPos,
    /// Turned a quarter turn anticlockwise, reading from bottom to top.
    pub upwards: bool,
}

impl Place {
    /// Horizontal text anchored at the given point.
    pub(crate) const fn flat(h: HPos, v: VPos) -> Place {
        Place {
            h,
            v,
            upwards: false,
        }
    }

    /// Text reading upwards; `h` and `v` are taken along and across the text.
    pub(crate) const fn up(h: HPos, v: VPos) -> Place {
        Place {
            h,
            v,
            upwards: true,
        }
    }
}

/// Draws `text` at `(x, y)` in the bundled font, as [`printable`] writes
/// it: a control or bidirectional character in a token is shown as the
/// same `\u{..}` escape a terminal shows, in a PNG as in an SVG (where it
/// could also make the file something other than XML).
pub(crate) fn label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    size: f64,
    colour: RGBColor,
    place: Place,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut desc = font(size);
    if place.upwards {
        desc = desc.transform(FontTransform::Rotate270);
    }
    let style = TextStyle::from(desc)
        .color(&colour)
        .pos(Pos::new(place.h, place.v));
    root.draw_text(&printable(text), &style, (x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_loads_and_measures() {
        ensure_font("test").unwrap();
        let w = width("paresseux", 15.0);
        assert!(w > 40 && w < 100, "width {w}");
        assert!(width("paresseux paresseux", 15.0) > w);
        assert_eq!(max_width::<&str>(&[], 15.0), 0);
    }
}
