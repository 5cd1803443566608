//! The bitmap canvas: plotters' in-memory bitmap with our own text drawing.
//!
//! plotters 0.3.7 draws `ab_glyph` text without each glyph's left side
//! bearing, which makes letter spacing uneven ("vali dati on"). This wrapper
//! passes every shape through to [`BitMapBackend`] unchanged and sets text
//! itself: glyphs are placed at fractional pen positions with kerning, and
//! anti-aliased by their coverage. The same layout measures text for the
//! figures, so what is measured is what is drawn.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters::prelude::{BitMapBackend, DrawingBackend};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use super::text::FONT_BYTES;

/// The bundled font, parsed (parsing only reads the table directory).
pub(crate) fn font() -> Option<FontRef<'static>> {
    FontRef::try_from_slice(FONT_BYTES).ok()
}

/// A line of text set at `size` pixels: each glyph with its pen position,
/// the total advance width, and the ascent and descent (descent is negative)
/// measured from the baseline, y up.
pub(crate) struct Line {
    glyphs: Vec<(GlyphId, f32)>,
    /// Advance width in pixels.
    pub width: f32,
    ascent: f32,
    descent: f32,
}

/// Lays out `text` on one line. `size` is the distance from the font's
/// ascent line to its descent line, in pixels.
pub(crate) fn set_line(font: &FontRef<'static>, size: f64, text: &str) -> Line {
    let scaled = font.as_scaled(PxScale::from(size as f32));
    let mut glyphs = Vec::with_capacity(text.len());
    let mut pen = 0.0f32;
    let mut previous: Option<GlyphId> = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
    Line {
        glyphs,
        width: pen,
        ascent: scaled.ascent(),
        descent: scaled.descent(),
    }
}

/// [`BitMapBackend`] with correctly spaced text.
pub(crate) struct Canvas<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> Canvas<'a> {
    /// A canvas drawing into `rgb` (3 bytes a pixel, rows from the top), or
    /// `None` if the bundled font cannot be read.
    pub(crate) fn new(rgb: &'a mut [u8], size: (u32, u32)) -> Option<Canvas<'a>> {
        Some(Canvas {
            inner: BitMapBackend::with_buffer(rgb, size),
            font: font()?,
        })
    }
}

type Error<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Canvas<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<'a>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<'a>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<'a>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), Error<'a>> {
        self.inner.blit_bitmap(pos, (iw, ih), src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error<'a>> {
        let line = set_line(&self.font, style.size(), text);
        let height = line.ascent - line.descent;
        Ok((line.width.ceil() as u32, height.ceil() as u32))
    }

    /// Sets `text` so that the anchor point of its box (left/centre/right
    /// along the text, top/centre/bottom across it, the box running from the
    /// ascent line to the descent line) lands on `pos`, then turns it about
    /// `pos` as the style asks.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let line = set_line(&self.font, style.size(), text);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        // y grows downwards here; the baseline's distance below the anchor.
        let baseline = match anchor.v_pos {
            VPos::Top => line.ascent,
            VPos::Center => (line.ascent + line.descent) / 2.0,
            VPos::Bottom => line.descent,
        };
        let transform = style.transform();
        let scale = PxScale::from(style.size() as f32);
        let scaled = self.font.as_scaled(scale);
        let mut pixels = Vec::new();
        for &(id, x) in &line.glyphs {
            let glyph = id.with_scale_and_position(scale, point(x + dx, baseline));
            let Some(outline) = scaled.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|gx, gy, coverage| {
                if coverage > 0.0 {
                    let (tx, ty) = transform.transform(left + gx as i32, top + gy as i32);
                    pixels.push(((pos.0 + tx, pos.1 + ty), coverage.min(1.0)));
                }
            });
        }
        for (at, coverage) in pixels {
            let ink = BackendColor {
                alpha: color.alpha * coverage as f64,
                rgb: color.rgb,
            };
            self.inner.draw_pixel(at, ink)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_as_wide_as_its_advances() {
        let font = font().expect("bundled font");
        let one = set_line(&font, 20.0, "e");
        let three = set_line(&font, 20.0, "eee");
        assert!((three.width - 3.0 * one.width).abs() < 1e-3);
        assert!(one.ascent > 0.0 && one.descent < 0.0);
        assert!((one.ascent - one.descent - 20.0).abs() < 0.5);
        assert_eq!(set_line(&font, 20.0, "").width, 0.0);
    }
}
