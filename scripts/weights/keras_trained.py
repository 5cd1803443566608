"""The tutorial's §5.1 model, as the tutorial writes it (unnamed layers), trained a few steps in
Keras 3 and saved both ways Keras saves, then converted by from_keras.py: the fixtures with which
tests/seq2seq/keras_trained.rs checks, without Python, that encdec predicts as Keras does.

    pip install keras torch h5py safetensors
    python3 scripts/weights/keras_trained.py

keeps what Keras saved in target/keras-trained/ (model.keras, model.weights.h5, and the
vocabularies src.txt and tgt.txt, one token per line), and (over)writes, in tests/fixtures/:
    keras_trained_from_keras.safetensors   from_keras.py's output for the model's .keras file
    keras_trained_from_h5.safetensors      ... and for its .weights.h5 file (same tensors)
    keras_trained_predictions.safetensors  a batch (src, tgt_in) and Keras's probabilities on it
then runs scripts/weights/test_from_keras.py (files that are not the §5.1 model are refused).

Keras runs on its torch backend in float64, truly: keras.config.set_floatx("float64") makes the
weights float64, but Keras 3 computes a float64 matmul in float32 (its dtype rules follow JAX:
keras.src.backend.common.dtypes.BIT64_TO_BIT32_DTYPE maps float64 to float32), so the script
maps float64 to itself in that table before building the model (as keras_weights.py does).
"""

import os
import sys
import unittest
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.backend.common import dtypes  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import from_keras  # noqa: E402

keras.config.set_floatx("float64")
dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"  # float64 matmuls stay float64 (see above)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures"
SAVED = ROOT / "target" / "keras-trained"  # the files Keras saved, and the vocabularies
SPECIALS = from_keras.SPECIALS
# One vocabulary size for both sides, as in the tutorial: only the layers' order tells the two
# Embeddings apart (and the two LSTMs, whose shapes are equal too).
SRC_VOCAB = SPECIALS + ["i", "see", "a", "cat", "dog", "we", "run", "home"]
TGT_VOCAB = SPECIALS + ["je", "vois", "un", "chat", "chien", "nous", "courons", "maison"]
PAIRS = [("i see a cat", "je vois un chat"), ("i see a dog", "je vois un chien"),
         ("we run home", "nous courons maison"), ("i run", "je courons"),
         ("we see a dog", "nous vois un chien"), ("a cat", "un chat")]
max_len, vocab_size, embedding_dim, hidden_dim = 5, len(SRC_VOCAB), 4, 6


def build():
    """The §5.1 code, line for line, with keras for tf.keras."""
    encoder_inputs = keras.Input(shape=(max_len,))
    encoder_embedding = keras.layers.Embedding(vocab_size, embedding_dim)(encoder_inputs)
    encoder_lstm = keras.layers.LSTM(units=hidden_dim, return_state=True)
    encoder_outputs, state_h, state_c = encoder_lstm(encoder_embedding)
    encoder_states = [state_h, state_c]
    decoder_inputs = keras.Input(shape=(max_len,))
    decoder_embedding = keras.layers.Embedding(vocab_size, embedding_dim)(decoder_inputs)
    decoder_lstm = keras.layers.LSTM(units=hidden_dim, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_embedding, initial_state=encoder_states)
    decoder_dense = keras.layers.Dense(vocab_size, activation="softmax")
    decoder_outputs = decoder_dense(decoder_outputs)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


def ids(sentence, vocab, *, start=False, end=False):
    """Token ids padded with <pad> to max_len (the tutorial pads; Keras reads the padding)."""
    words = (["<s>"] if start else []) + sentence.split() + (["</s>"] if end else [])
    return [vocab.index(w) for w in words] + [0] * (max_len - len(words))


def train():
    keras.utils.set_random_seed(26)
    model = build()
    encoder_input_data = np.array([ids(s, SRC_VOCAB) for s, _ in PAIRS])
    decoder_input_data = np.array([ids(t, TGT_VOCAB, start=True) for _, t in PAIRS])
    decoder_target_data = np.array([ids(t, TGT_VOCAB, end=True) for _, t in PAIRS])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit([encoder_input_data, decoder_input_data], decoder_target_data, epochs=5,
              batch_size=len(PAIRS), shuffle=False, verbose=0)
    return model, encoder_input_data, decoder_input_data


def save_atomically(tensors, metadata, name):
    from_keras.write(tensors, metadata, OUT / name)


def main():
    model, src, tgt_in = train()
    SAVED.mkdir(parents=True, exist_ok=True)
    model.save(SAVED / "model.keras")
    model.save_weights(SAVED / "model.weights.h5")
    for vocab, name in ((SRC_VOCAB, "src.txt"), (TGT_VOCAB, "tgt.txt")):
        (SAVED / name).write_text("\n".join(vocab) + "\n", encoding="utf-8")
    for saved, fixture in (("model.keras", "keras_trained_from_keras.safetensors"),
                           ("model.weights.h5", "keras_trained_from_h5.safetensors")):
        tensors, meta, names = from_keras.convert(SAVED / saved, SAVED / "src.txt",
                                                  SAVED / "tgt.txt", "translation")
        save_atomically(tensors, meta, fixture)
        print(f"{saved} -> tests/fixtures/{fixture}: {names}")
    probs = np.asarray(model.predict([src, tgt_in], verbose=0), dtype=np.float64)
    save_atomically({"src": src.astype(np.int64), "tgt_in": tgt_in.astype(np.int64),
                     "probabilities": probs}, {}, "keras_trained_predictions.safetensors")
    print(f"predictions {list(probs.shape)}; Keras {keras.__version__}, weights "
          f"{model.weights[0].dtype}")
    import test_from_keras  # noqa: E402  (after the float64 setup above)

    result = unittest.main(module=test_from_keras, argv=["test_from_keras"], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
