"""from_keras.py against files that are the §5.1 model and files that are not: each wrong file is
one line on stderr naming what was found and what was expected, never a traceback.

    python3 scripts/weights/test_from_keras.py        # also run by keras_trained.py

Builds small Keras 3 models (torch backend) in a temporary folder; a few seconds.
"""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import from_keras  # noqa: E402

SRC_SIZE, TGT_SIZE, EMB, HIDDEN = 9, 7, 3, 4


def model(encoder="lstm", dense=TGT_SIZE, names=None, extra_lstm=False, bias=True):
    """The §5.1 model (sizes above, source and target vocabularies of different sizes), or a
    variant: `encoder` "gru" or "bidirectional", a Dense of `dense` units or without a bias, a third LSTM, or the
    layers named `names` (encoder embedding, encoder LSTM, decoder embedding, decoder LSTM, Dense)."""
    n = names or [None] * 5
    enc_in, dec_in = keras.Input(shape=(5,)), keras.Input(shape=(5,))
    x = layers.Embedding(SRC_SIZE, EMB, name=n[0])(enc_in)
    if encoder == "gru":
        _, h = layers.GRU(HIDDEN, return_state=True)(x)
        state = [h, h]
    elif encoder == "bidirectional":
        _, h, c, _, _ = layers.Bidirectional(layers.LSTM(HIDDEN, return_state=True))(x)
        state = [h, c]  # the forward direction's state
    else:
        _, h, c = layers.LSTM(HIDDEN, return_state=True, name=n[1])(x)
        state = [h, c]
    y = layers.Embedding(TGT_SIZE, EMB, name=n[2])(dec_in)
    y, _, _ = layers.LSTM(HIDDEN, return_sequences=True, return_state=True, name=n[3])(
        y, initial_state=state)
    if extra_lstm:
        y = layers.LSTM(HIDDEN, return_sequences=True)(y)
    out = layers.Dense(dense, activation="softmax", use_bias=bias, name=n[4])(y)
    return keras.Model([enc_in, dec_in], out)


class FromKeras(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name)
        for name, size in (("src.txt", SRC_SIZE), ("tgt.txt", TGT_SIZE)):
            tokens = from_keras.SPECIALS + [f"w{i}" for i in range(size - 4)]
            (cls.dir / name).write_text("\n".join(tokens) + "\n", encoding="utf-8")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def saved(self, m, name):
        path = self.dir / name
        m.save(path) if name.endswith(".keras") else m.save_weights(path)
        return path

    def convert(self, path, src="src.txt", tgt="tgt.txt"):
        return from_keras.convert(path, self.dir / src, self.dir / tgt, "translation")

    def refused(self, path, *words, **vocabs):
        with self.assertRaises(from_keras.NotTheModel) as e:
            self.convert(path, **vocabs)
        message = str(e.exception)
        self.assertNotIn("\n", message)
        for w in words:
            self.assertIn(w, message)
        return message

    def test_both_files_give_the_same_tensors_under_keras_names(self):
        m = model()
        a, _, names = self.convert(self.saved(m, "m.keras"))
        b, _, _ = self.convert(self.saved(m, "m.weights.h5"))
        self.assertEqual(a.keys(), b.keys())
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
        self.assertEqual(a["decoder_dense/kernel"].shape, (HIDDEN, TGT_SIZE))
        self.assertEqual(a["encoder_lstm/lstm_cell/kernel"].dtype, np.float64)

    def test_names_do_not_decide(self):
        # Named so that alphabetical order would put the decoder's layers first: the model's
        # layer order (config.json; the weights' groups, numbered by class) still decides.
        m = model(names=["z_enc_emb", "z_enc_lstm", "a_dec_emb", "a_dec_lstm", "out"])
        a, _, names = self.convert(self.saved(m, "named.keras"))
        self.assertEqual((names["encoder_embedding"], names["decoder_lstm"]),
                         ("z_enc_emb", "a_dec_lstm"))
        b, _, names = self.convert(self.saved(m, "named.weights.h5"))
        self.assertEqual((names["encoder_embedding"], names["decoder_lstm"]),
                         ("embedding", "lstm_1"))
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
        np.testing.assert_array_equal(a["encoder_lstm/lstm_cell/kernel"],
                                      m.get_layer("z_enc_lstm").weights[0].numpy())

    def test_a_gru_is_refused(self):
        self.refused(self.saved(model(encoder="gru"), "gru.keras"), "GRU", "expected")
        self.refused(self.saved(model(encoder="gru"), "gru.weights.h5"), "GRU", "expected")

    def test_a_bidirectional_encoder_is_refused(self):
        m = model(encoder="bidirectional")
        self.refused(self.saved(m, "bi.keras"), "Bidirectional", "expected")
        self.refused(self.saved(m, "bi.weights.h5"), "Bidirectional", "expected")

    def test_a_layer_more_is_refused(self):
        self.refused(self.saved(model(extra_lstm=True), "three.keras"), "found 6 layers",
                     "LSTM, LSTM, LSTM")

    def test_shapes_that_do_not_fit_are_refused(self):
        self.refused(self.saved(model(dense=TGT_SIZE + 1), "dense.keras"), "Dense kernel",
                     f"[{HIDDEN}, {TGT_SIZE}]")
        self.refused(self.saved(model(), "vocab.keras"), "Embedding", "[7, 3]", "[9, 3]",
                     src="tgt.txt")
        self.refused(self.saved(model(bias=False), "nobias.keras"), "Dense layer",
                     "kernel and bias")

    def test_a_vocabulary_without_encdec_specials_is_refused(self):
        (self.dir / "bad.txt").write_text("\n".join(["", "[UNK]"] + ["w"] * 7), encoding="utf-8")
        self.refused(self.saved(model(), "v.keras"), "--src-vocab", "<pad>", src="bad.txt")

    def test_damaged_files_are_one_line_without_a_traceback(self):
        whole = self.saved(model(), "whole.keras").read_bytes()
        h5 = self.saved(model(), "whole.weights.h5").read_bytes()
        cases = {"cut.keras": whole[: len(whole) // 2], "cut.weights.h5": h5[: len(h5) // 2],
                 "empty.keras": b"", "text.keras": b"not a model\x1b[31m\n"}
        for name, raw in cases.items():
            (self.dir / name).write_bytes(raw)
            p = subprocess.run([sys.executable, str(HERE / "from_keras.py"), str(self.dir / name),
                                "--src-vocab", str(self.dir / "src.txt"), "--tgt-vocab",
                                str(self.dir / "tgt.txt"), "--out", str(self.dir / "o.st")],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, name)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertNotIn("Traceback", p.stderr)
            self.assertNotIn("\x1b", p.stderr)
            self.assertIn("expected", p.stderr)
        self.assertFalse((self.dir / "o.st").exists())


if __name__ == "__main__":
    unittest.main()
