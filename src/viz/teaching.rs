//! The pictures of the docs that explain an idea rather than a trained model:
//! the causal and padding masks (§4.2), the positional encoding (§2.1.2) and
//! the gradient norm through time of an RNN and an LSTM (§4.1). Their data
//! ([`TeachingData`]) is computed by [`crate::pipeline::teaching_data`] (no
//! training), so a test recomputes it and checks the captions' claims.

use std::path::{Path, PathBuf};

use super::{PlotError, diverging_heatmap, log_line_chart, mask_grid};
use crate::tensor::{Mask, Tensor};

/// Everything the teaching pictures show.
#[derive(Clone, Debug)]
pub struct TeachingData {
    /// The fox sentence, tokenized: the queries and keys of the causal mask.
    pub sentence: Vec<String>,
    /// [`Mask::causal`] of the sentence, `[n, n]`.
    pub causal: Mask,
    /// The tokens of each sentence of the padding batch.
    pub batch: Vec<Vec<String>>,
    /// [`Mask::padding`] of the batch, `[3, 1, max_len]`.
    pub padding: Mask,
    /// The positional encoding, `[position, dimension]`.
    pub positional: Tensor,
    /// $\lVert \partial L/\partial h_t \rVert$ for $t = 1..T$, one series per
    /// model, named as the picture's legend names them.
    pub gradient_norms: Vec<(String, Vec<f64>)>,
    /// The hidden size $H$ of the layers of `gradient_norms`.
    pub hidden: usize,
}

/// Writes the four teaching pictures into `dir` as `extension` (`"png"` or
/// `"svg"`): `causal_mask`, `padding_mask`, `positional_encoding` and
/// `gradient_norms`. Returns the paths written.
///
/// # Errors
/// An extension other than `png` or `svg`, or a file that cannot be written.
///
/// Checked by `tests/viz/teaching.rs::the_picture_files_are_written_with_their_labels`;
/// the captions of the docs by `mask_captions_match_the_masks`,
/// `positional_encoding_captions_match_the_matrix` and `gradient_captions_match_the_norms`.
pub fn write_teaching_pictures(
    dir: &Path,
    data: &TeachingData,
    extension: &str,
) -> Result<Vec<PathBuf>, PlotError> {
    let file = |name: &str| dir.join(format!("{name}.{extension}"));
    let paths = [
        "causal_mask",
        "padding_mask",
        "positional_encoding",
        "gradient_norms",
    ]
    .map(file);
    let words = &data.sentence;
    mask_grid(
        &paths[0],
        &data.causal,
        words,
        words,
        None,
        "causal mask: query (row) i sees keys (columns) j ≤ i",
    )?;
    padding_picture(&paths[1], data)?;
    diverging_heatmap(
        &paths[2],
        &data.positional,
        "position",
        "dimension",
        &format!(
            "sinusoidal positional encoding PE[position, dimension], d_model = {}",
            data.positional.shape()[1]
        ),
    )?;
    let series: Vec<(&str, &[f64])> = (data.gradient_norms.iter())
        .map(|(name, v)| (name.as_str(), v.as_slice()))
        .collect();
    let (steps, hidden) = (
        data.gradient_norms.first().map_or(0, |(_, v)| v.len()),
        data.hidden,
    );
    log_line_chart(
        &paths[3],
        &format!("‖∂L/∂h_t‖, loss on the last hidden state only (T = {steps}, H = {hidden})"),
        "time step t",
        "gradient norm ‖∂L/∂h_t‖ (log scale)",
        &series,
    )?;
    Ok(paths.to_vec())
}

/// The padding mask of the batch: one row per sentence, one column per key,
/// each cell naming its token or `<pad>`.
fn padding_picture(path: &Path, data: &TeachingData) -> Result<(), PlotError> {
    let max_len = data.padding.shape()[2];
    let rows: Vec<String> = (data.batch.iter().enumerate())
        .map(|(b, s)| format!("sentence {} ({} tokens)", b + 1, s.len()))
        .collect();
    let cols: Vec<String> = (0..max_len).map(|j| format!("key {j}")).collect();
    let cells: Vec<String> = (data.batch.iter())
        .flat_map(|s| (0..max_len).map(|j| s.get(j).map_or("<pad>", String::as_str).to_string()))
        .collect();
    mask_grid(
        path,
        &data.padding,
        &rows,
        &cols,
        Some(&cells),
        "padding mask of a batch: <pad> keys are hidden from every query",
    )?;
    Ok(())
}
