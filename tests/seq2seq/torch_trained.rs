//! Models trained in PyTorch and converted by scripts/weights/from_torch.py
//! give PyTorch's logits and PyTorch's greedy translations here.

use crate::weights::torch_fixture_diff;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::UnknownWords;
use encdec::seq2seq::io::import;
use safetensors::SafeTensors;
use serde_json::Value;
use std::path::Path;

// The fixtures come from `python3 scripts/weights/torch_trained.py`, which for
// each family trains torch_weights.py's `Model` (lstm and gru: emb 6, hidden 8;
// attention: two layers, a bidirectional encoder and bridge project; transformer:
// d_model 8, d_ff 16, 2 heads, 2+2 layers, norm_first, final norms) in float64 on
// ten pairs ("the cat sleeps" -> "le chat dort", ...):
//     optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
//     for _ in range(100): loss = CrossEntropyLoss(ignore_index=0)(model(src, lengths, tgt_in), tgt_out); ...
//     torch.save(model.state_dict(), "target/torch-trained/{family}.pt")
// then converts it as a user would:
//     from_torch.py {family}.pt --family {family} --src-vocab src.txt --tgt-vocab tgt.txt --max-len 6 ...
// and saves PyTorch's logits on a padded batch and its greedy translations
// (argmax over every id but <pad>, <unk>, <s>, recomputing the prefix).
const FAMILIES: [(&str, ModelKind); 4] = [
    ("lstm", ModelKind::Lstm),
    ("gru", ModelKind::Gru),
    ("attention", ModelKind::Attention),
    ("transformer", ModelKind::Transformer),
];

#[test]
fn models_trained_in_pytorch_give_pytorchs_logits_once_converted() {
    for (family, kind) in FAMILIES {
        let (config, diff) = torch_fixture_diff(&format!("trained_{family}"));
        assert_eq!(config.kind(), kind);
        eprintln!("{family} trained in PyTorch: max |encdec - PyTorch| = {diff:.2e}");
        assert!(
            diff < 1e-12,
            "{family}: encdec differs from PyTorch by {diff:e}"
        );
    }
}

#[test]
fn models_trained_in_pytorch_translate_as_pytorch_does() {
    let dir = Path::new("tests/fixtures");
    for (family, _) in FAMILIES {
        let c = import(&dir.join(format!("torch_trained_{family}.safetensors"))).unwrap();
        let bytes =
            std::fs::read(dir.join(format!("torch_trained_{family}_logits.safetensors"))).unwrap();
        let (_, meta) = SafeTensors::read_metadata(&bytes).unwrap();
        let greedy: Value =
            serde_json::from_str(&meta.metadata().as_ref().unwrap()["greedy"]).unwrap();
        let tokens = |v: &Value| -> Vec<String> {
            let words = v.as_array().unwrap().iter();
            words.map(|w| w.as_str().unwrap().to_string()).collect()
        };
        for g in greedy.as_array().unwrap() {
            let source = tokens(&g["source"]).join(" ");
            let ours = c
                .translator
                .decode_text(&source, 1, UnknownWords::Refuse)
                .unwrap();
            assert_eq!(
                ours.tgt_tokens,
                tokens(&g["translation"]),
                "{family}: {source}"
            );
        }
    }
}
