//! Showing a picture inline in a Jupyter notebook run by the evcxr kernel.

use super::PlotError;
use super::output::format_of;
use std::path::Path;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with `=` padding): every 3 bytes become 4
/// characters of 6 bits each.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The most of a picture file [`notebook_display`] reads: 256 MiB. The
/// pictures encdec draws are well under a megabyte, and a notebook cell
/// shows its picture as base64 text a third larger, which a browser must
/// still hold.
const PICTURE_CAP: crate::files::ReadCap = crate::files::ReadCap {
    bytes: 256 << 20,
    what: "a picture to show",
    remedy: "show a smaller picture",
};

/// The text that makes evcxr show a picture file: a PNG as base64, an SVG
/// as itself, framed by `EVCXR_BEGIN_CONTENT <mime>` and `EVCXR_END_CONTENT`.
///
/// # Errors
/// If the file is neither `.png` nor `.svg`, or cannot be read.
pub fn notebook_display(path: &Path) -> Result<String, PlotError> {
    let format = format_of("show", path)?;
    let bytes = crate::files::read_capped(path, PICTURE_CAP).map_err(|e| PlotError::Write {
        function: "show",
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let (mime, body) = match format {
        super::output::Format::Png => ("image/png", base64(&bytes)),
        super::output::Format::Svg => (
            "image/svg+xml",
            String::from_utf8_lossy(&bytes).into_owned(),
        ),
    };
    Ok(format!(
        "EVCXR_BEGIN_CONTENT {mime}\n{body}\nEVCXR_END_CONTENT"
    ))
}

/// Prints [`notebook_display`]: in an evcxr notebook cell the picture appears
/// below the cell (elsewhere the text is simply printed).
///
/// # Errors
/// As [`notebook_display`].
pub fn show(path: &Path) -> Result<(), PlotError> {
    println!("{}", notebook_display(path)?);
    Ok(())
}
