//! The byte layout of a checkpoint file around its JSON header: the magic,
//! the header's length, the values, the checksum — written and checked.

use super::header::HEADER_CAP;
use crate::tensor::Tensor;
use serde_json::Value;

/// The first eight bytes of every checkpoint.
pub(super) const MAGIC: &[u8; 8] = b"ENCDEC01";

/// The header format this version writes; it reads this one and format 1.
pub(super) const FORMAT: u64 = 2;

/// FNV-1a, 64 bits: a small hash that detects damaged bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A whole file: magic, header length, header, `values` as little-endian
/// `f64`, checksum.
pub(super) fn frame<'a>(header: &[u8], values: impl Iterator<Item = &'a Tensor>) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend((header.len() as u64).to_le_bytes());
    bytes.extend(header);
    for t in values {
        for v in t.data() {
            bytes.extend(v.to_le_bytes());
        }
    }
    bytes.extend(fnv1a(&bytes).to_le_bytes());
    bytes
}

/// Why the framing of a file is wrong.
pub(super) enum FrameError {
    /// No magic.
    NotACheckpoint,
    /// Fewer bytes than the framing promises.
    Truncated(usize),
    /// Anything else, said in words.
    Corrupt(String),
}

/// The header of a framed file and where its values start.
///
/// # Errors
/// No magic, a header length past the end or above
/// [`super::header::HEADER_CAP`], a header that is not JSON.
pub(super) fn header(bytes: &[u8]) -> Result<(Value, usize), FrameError> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(FrameError::NotACheckpoint);
    }
    if bytes.len() < 16 {
        return Err(FrameError::Truncated(16));
    }
    let header_len = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes"));
    let end = usize::try_from(header_len)
        .ok()
        .and_then(|l| l.checked_add(16))
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| {
            FrameError::Corrupt(format!(
                "its header length field says {header_len} bytes but the whole file has {}: the file is damaged or was not written completely",
                bytes.len()
            ))
        })?;
    if end - 16 > HEADER_CAP {
        return Err(FrameError::Corrupt(format!(
            "its header is {} bytes, more than the {HEADER_CAP} a checkpoint's header may hold",
            end - 16
        )));
    }
    let header = serde_json::from_slice(&bytes[16..end])
        .map_err(|e| FrameError::Corrupt(format!("unreadable header ({e})")))?;
    Ok((header, end))
}

/// Checks that the file holds exactly `values` numbers after the header
/// and that its checksum holds.
///
/// # Errors
/// Too few or too many bytes (checked arithmetic: a damaged header cannot
/// overflow), a checksum mismatch.
pub(super) fn check_body(bytes: &[u8], header_end: usize, values: usize) -> Result<(), FrameError> {
    let expected = values
        .checked_mul(8)
        .and_then(|b| b.checked_add(header_end + 8))
        .ok_or_else(|| {
            FrameError::Corrupt("the parameter shapes in the header are impossibly large".into())
        })?;
    if bytes.len() < expected {
        return Err(FrameError::Truncated(expected));
    }
    if bytes.len() > expected {
        return Err(FrameError::Corrupt(format!(
            "{} unexpected bytes after the end",
            bytes.len() - expected
        )));
    }
    let stored = u64::from_le_bytes(bytes[expected - 8..].try_into().expect("8 bytes"));
    if fnv1a(&bytes[..expected - 8]) != stored {
        return Err(FrameError::Corrupt(
            "checksum mismatch: the file was damaged or edited".into(),
        ));
    }
    Ok(())
}

/// Reads `shape`'s values at `*offset` (which must be in range: see
/// [`check_body`]) and moves the offset past them.
pub(super) fn read_tensor(bytes: &[u8], offset: &mut usize, shape: &[usize]) -> Tensor {
    let n: usize = shape.iter().product();
    let values = bytes[*offset..*offset + 8 * n]
        .chunks(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect();
    *offset += 8 * n;
    Tensor::from_vec(values, shape)
}

/// The header fields this version writes and reads (the counts and the
/// trigrams only for a model trained since they were kept, the merge
/// tables only for a model of subword pieces).
const HEADER_FIELDS: [&str; 13] = [
    "format",
    "task",
    "config",
    "src_vocab",
    "tgt_vocab",
    "src_counts",
    "tgt_counts",
    "src_trigrams",
    "subwords",
    "text",
    "training",
    "optimizer",
    "params",
];

/// Refuses a header of another format version or with fields this version
/// does not know (it would ignore what they say).
pub(super) fn check_header_fields(header: &Value) -> Result<(), String> {
    let fields = header
        .as_object()
        .ok_or("the header is not a JSON object")?;
    match fields.get("format").and_then(Value::as_u64) {
        Some(1 | FORMAT) => {}
        Some(v) => {
            return Err(format!(
                "format {v}: this encdec reads formats 1 and {FORMAT}; use the encdec version that wrote the file"
            ));
        }
        None => return Err("the header has no format number".into()),
    }
    if let Some(k) = fields.keys().find(|k| !HEADER_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown header field \"{k}\": written by another encdec version, or edited"
        ));
    }
    Ok(())
}
