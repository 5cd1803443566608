"""Build the tutorial's §5.1 encoder-decoder in Keras 3 (small sizes), give
it random weights, and write them, under Keras's own names, as a
safetensors file that `encdec import --keras` reads; also write Keras's
predictions (probabilities after the softmax) on a batch, for
tests/keras.rs to reproduce without Python.

    pip install keras torch safetensors
    python3 scripts/weights/keras_weights.py

(over)writes tests/fixtures/keras_lstm.safetensors and
tests/fixtures/keras_lstm_predictions.safetensors. Keras runs on its torch
backend in float64 (truly: see the note on BIT64_TO_BIT32_DTYPE below).

The model, layer for layer (layer names fix the tensor names):

    encoder_inputs    Input((None,), int32)
    encoder_embedding Embedding(src_vocab, EMB)            -> encoder_embedding/embeddings
    encoder_lstm      LSTM(HIDDEN, return_state=True)      -> encoder_lstm/lstm_cell/{kernel,recurrent_kernel,bias}
    decoder_inputs    Input((None,), int32)
    decoder_embedding Embedding(tgt_vocab, EMB)            -> decoder_embedding/embeddings
    decoder_lstm      LSTM(HIDDEN, return_sequences=True, return_state=True),
                      initial_state = the encoder's [h, c] -> decoder_lstm/lstm_cell/{kernel,recurrent_kernel,bias}
    decoder_dense     Dense(tgt_vocab, activation="softmax") -> decoder_dense/{kernel,bias}

The weights file's metadata: format "keras-lstm-1", src_vocab and
tgt_vocab (JSON lists of tokens in id order, encdec's four special tokens
first), task, and keras_version. No mask_zero (as in the tutorial): the
Keras encoder would read padding as words, so the batch's sources all have
the same length.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.backend.common import dtypes  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import from_keras  # noqa: E402

keras.config.set_floatx("float64")
# Keras 3 follows JAX and computes float64 as float32 on every backend but
# TensorFlow: keras.src.backend.common.dtypes.result_type maps float64 to
# float32 (BIT64_TO_BIT32_DTYPE), so ops.matmul of two float64 tensors runs
# in float32 and Keras's own LSTM loop is off by ~4e-8 (the predictions by
# 3.9e-9 from a float64 NumPy reference). Keep float64 float64, so the
# fixture holds the model's exact float64 predictions.
dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
SRC_VOCAB = SPECIALS + ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"]
TGT_VOCAB = SPECIALS + ["le", "renard", "brun", "rapide", "saute", "chien"]
EMB, HIDDEN = 5, 6


def save_atomically(tensors, path, metadata=None):
    """Written beside `path`, then renamed over it (from_keras.write)."""
    from_keras.write(tensors, metadata, path)


def build():
    enc_in = keras.Input((None,), dtype="int32", name="encoder_inputs")
    x = layers.Embedding(len(SRC_VOCAB), EMB, name="encoder_embedding")(enc_in)
    _, h, c = layers.LSTM(HIDDEN, return_state=True, name="encoder_lstm")(x)
    dec_in = keras.Input((None,), dtype="int32", name="decoder_inputs")
    y = layers.Embedding(len(TGT_VOCAB), EMB, name="decoder_embedding")(dec_in)
    y, _, _ = layers.LSTM(HIDDEN, return_sequences=True, return_state=True,
                          name="decoder_lstm")(y, initial_state=[h, c])
    probs = layers.Dense(len(TGT_VOCAB), activation="softmax", name="decoder_dense")(y)
    return keras.Model([enc_in, dec_in], probs)


def main():
    rng = np.random.default_rng(51)
    model = build()
    # Every weight 0.5 * N(0, 1), so no bias sits at Keras's 0 or 1.
    for w in model.weights:
        w.assign(0.5 * rng.standard_normal(tuple(w.shape)))
    tensors = {w.path: np.asarray(keras.ops.convert_to_numpy(w), dtype=np.float64)
               for w in model.weights}
    meta = {"format": "keras-lstm-1", "task": "translation",
            "src_vocab": json.dumps(SRC_VOCAB), "tgt_vocab": json.dumps(TGT_VOCAB),
            "keras_version": keras.__version__}
    save_atomically(tensors, OUT / "keras_lstm.safetensors", meta)

    batch, src_len, tgt_len = 3, 5, 4
    src = rng.integers(4, len(SRC_VOCAB), size=(batch, src_len))
    tgt_in = rng.integers(4, len(TGT_VOCAB), size=(batch, tgt_len))
    tgt_in[:, 0] = SPECIALS.index("<s>")
    probs = model.predict([src.astype(np.int32), tgt_in.astype(np.int32)], verbose=0)
    save_atomically({"src": src.astype(np.int64), "tgt_in": tgt_in.astype(np.int64),
                     "probabilities": np.asarray(probs, dtype=np.float64)},
                    OUT / "keras_lstm_predictions.safetensors")
    for name, t in tensors.items():
        print(f"{name} {list(t.shape)}")
    print(f"predictions {list(probs.shape)}, rows sum to 1: "
          f"{np.abs(probs.sum(-1) - 1).max():.1e}")


if __name__ == "__main__":
    main()
