//! Small models and vocabularies shared by the checkpoint and parameter tests.
#![allow(dead_code)]

use encdec::autograd::{Tape, Var};
use encdec::seq2seq::batch::{Batch, Example};
use encdec::seq2seq::config::{Arch, ModelConfig, ModelKind};
use encdec::seq2seq::models::Seq2Seq;
use encdec::text::{PAD_ID, Tokenizer, Vocab};

/// The vocabularies of the fox sentence and its translation.
pub fn fox_vocabs() -> (Vocab, Vocab) {
    let t = Tokenizer::new(true);
    let en = t.tokenize("the quick brown fox jumps over the lazy dog");
    let fr = t.tokenize("le renard brun rapide saute par-dessus le chien paresseux");
    (
        Vocab::build([en.as_slice()], 1),
        Vocab::build([fr.as_slice()], 1),
    )
}

/// A model of `kind` with these sizes: `width` is the LSTM models' $E$ and
/// the Transformer's $d_{model}$, `inner` their $H$ and $d_{ff}$; `layers` and
/// `heads` size the Transformer (the LSTM models keep one layer).
pub fn sized(
    kind: ModelKind,
    (src, tgt): (usize, usize),
    (width, inner): (usize, usize),
    (layers, heads): (usize, usize),
    dropout: f64,
) -> ModelConfig {
    let mut c = ModelConfig::new(kind, src, tgt);
    c.dropout = dropout;
    match &mut c.arch {
        Arch::Lstm(r) | Arch::Attention(r) => {
            r.emb = width;
            r.hidden = inner;
        }
        Arch::Transformer(t) => {
            t.d_model = width;
            t.d_ff = inner;
            t.layers = layers;
            t.heads = heads;
        }
    }
    c
}

/// A model of size 8 with `layers` Transformer layers per stack.
pub fn tiny_config(kind: ModelKind, src: usize, tgt: usize, layers: usize) -> ModelConfig {
    sized(kind, (src, tgt), (8, 8), (layers, 2), 0.1)
}

/// Two short pairs of different lengths (source vocabulary 9, target 8):
/// padding on both sides.
pub fn tiny_batch() -> Batch {
    let a = Example {
        src: vec![4, 5, 6],
        tgt: vec![7, 4],
    };
    let b = Example {
        src: vec![8],
        tgt: vec![5, 6, 7],
    };
    Batch::new(&[&a, &b])
}

/// The cross-entropy of `m` on [`tiny_batch`], padding ignored: the loss
/// that whole-model gradient checks differentiate.
pub fn tiny_batch_loss<'t, M: Seq2Seq>(m: &M, tape: &'t Tape, _: &[Var<'t>]) -> Var<'t> {
    let b = tiny_batch();
    let logits = m.forward(tape, &b, None).logits;
    logits
        .reshape(&[b.size * b.tgt_len, m.config().tgt_vocab])
        .cross_entropy(&b.tgt_out, Some(PAD_ID))
}

/// A tensor of a safetensors file: name, type, shape, bytes.
pub type RawTensor = (String, safetensors::tensor::Dtype, Vec<usize>, Vec<u8>);

/// The safetensors file `bytes` rebuilt after `edit` changes its tensors
/// (the metadata kept), for tests of bad files.
pub fn rewrite_tensors(bytes: &[u8], edit: impl Fn(&mut Vec<RawTensor>)) -> Vec<u8> {
    use safetensors::tensor::{SafeTensors, TensorView};
    let (_, meta) = SafeTensors::read_metadata(bytes).unwrap();
    let st = SafeTensors::deserialize(bytes).unwrap();
    let mut tensors: Vec<RawTensor> = st
        .tensors()
        .into_iter()
        .map(|(n, v)| (n, v.dtype(), v.shape().to_vec(), v.data().to_vec()))
        .collect();
    edit(&mut tensors);
    let views = tensors
        .iter()
        .map(|(n, d, s, b)| (n.clone(), TensorView::new(*d, s.clone(), b).unwrap()));
    safetensors::serialize(views, meta.metadata().clone()).unwrap()
}

/// Training settings for hand-run steps: a constant rate `lr`, clipping at
/// `clip`, Adam, one shard on one thread.
pub fn step_config(lr: f64, clip: Option<f64>) -> encdec::seq2seq::train::TrainConfig {
    let mut c = encdec::seq2seq::train::TrainConfig::new(ModelKind::Lstm);
    c.schedule = encdec::optim::Schedule::Constant(lr);
    c.clip = clip;
    c.shards = 1;
    c.threads = 1;
    c
}

/// Raises the output bias of target id `id` by `by` (the last bias of the
/// target vocabulary's size), so that the decoder favours that token
/// everywhere: `</s>` for a model that ends its output at once, a hostile
/// token for a model that writes it.
pub fn raise_output_bias(model: &mut dyn Seq2Seq, id: usize, by: f64) {
    let v = model.config().tgt_vocab;
    let bias = model
        .params_mut()
        .into_iter()
        .rfind(|p| p.name.ends_with("bias") && p.shape() == [v])
        .expect("an output bias");
    let mut b = bias.value.data().to_vec();
    b[id] += by;
    bias.value = encdec::tensor::Tensor::from_vec(b, &[v]);
}
