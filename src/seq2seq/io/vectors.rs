//! Starting a model from pre-trained word vectors (Word2Vec, GloVe).

use crate::nn::Embedding;
use crate::text::Vocab;
use crate::wordvec::WordVectors;

/// Copies `vectors` into the rows of `table` for every word of `vocab` that
/// has a vector; other rows keep their initial values. With
/// `trainable == false` the whole table is frozen: it enters the tape as a
/// constant, gets no gradient, and training leaves it unchanged. Returns the
/// number of rows copied.
///
/// # Errors
/// If the vector size differs from the table's, or `vocab` does not match the table.
pub fn load_vectors(
    table: &mut Embedding,
    vocab: &Vocab,
    vectors: &WordVectors,
    trainable: bool,
) -> Result<usize, String> {
    let (rows, dim) = (table.weight.shape()[0], table.weight.shape()[1]);
    if vectors.dim() != dim {
        return Err(format!(
            "the word vectors have {} dimensions but the model's embeddings have {dim}; train vectors with --dim {dim}",
            vectors.dim()
        ));
    }
    if vocab.len() != rows {
        return Err(format!(
            "a vocabulary of {} words for an embedding table of {rows} rows",
            vocab.len()
        ));
    }
    let mut copied = 0;
    let data = table.weight.value.data_mut();
    for (id, word) in vocab.tokens().iter().enumerate() {
        if let Some(v) = vectors.get(word) {
            data[id * dim..(id + 1) * dim].copy_from_slice(v);
            copied += 1;
        }
    }
    table.weight.trainable = trainable;
    Ok(copied)
}
