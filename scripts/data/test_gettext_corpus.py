"""Tests of gettext_corpus.py that need no system files: tiny .mo catalogs
are written in memory in both byte orders and parsed back.

    python3 -m unittest scripts/data/test_gettext_corpus.py
"""

import struct
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gettext_corpus as g  # noqa: E402

HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"


def write_mo(entries: dict[str, str], order: str) -> bytes:
    """A GNU .mo file (revision 0, no hash table) holding `entries`, sorted
    by msgid as msgfmt writes them, in byte order `order` ('<' or '>')."""
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    n = len(keys)
    orig, trans = 28, 28 + 8 * n
    offset = trans + 8 * n
    tables, blob = [[], []], b""
    for t, strings in enumerate((ids, strs)):
        for s in strings:
            tables[t].append((len(s), offset + len(blob)))
            blob += s + b"\0"
    head = struct.pack(order + "7I", g.MAGIC, 0, n, orig, trans, 0, 0)
    body = b"".join(struct.pack(order + "2I", *x) for x in tables[0] + tables[1])
    return head + body + blob


CATALOG = {
    "": HEADER,
    "Open the file": "Datei öffnen",
    "one file\0many files": "eine Datei\0viele Dateien",
    "menu\x04_Quit": "_Beenden",
    "Cannot set SO_BROADCAST": "Kann SO_BROADCAST nicht setzen",
    "Copied %s": "%s kopiert",
    "OK": "OK",
    "Untranslated": "",
}


class ParseMo(unittest.TestCase):
    def test_both_byte_orders_give_the_same_entries(self):
        little = g.parse_mo(write_mo(CATALOG, "<"))
        big = g.parse_mo(write_mo(CATALOG, ">"))
        self.assertEqual(little, big)
        self.assertEqual(len(little), len(CATALOG))

    def test_plural_and_context(self):
        entries = {tuple(i): (c, s) for c, i, s in g.parse_mo(write_mo(CATALOG, ">"))}
        self.assertEqual(entries[("one file", "many files")], (None, ["eine Datei", "viele Dateien"]))
        self.assertEqual(entries[("_Quit",)], ("menu", ["_Beenden"]))
        self.assertEqual(entries[("",)], (None, [HEADER]))

    def test_refuses_what_is_not_a_catalog(self):
        with self.assertRaises(g.MoError):
            g.parse_mo(b"\0" * 28)
        with self.assertRaises(g.MoError):
            g.parse_mo(write_mo(CATALOG, "<")[:40])


class Rules(unittest.TestCase):
    def test_rules(self):
        self.assertEqual(g.strip_accelerator("Save _As"), "Save As")
        self.assertEqual(g.strip_accelerator("&Open"), "Open")
        self.assertEqual(g.strip_accelerator("Ö_ffnen"), "Öffnen")
        self.assertEqual(g.normalise(" a\tb \x07 c\r "), "a b c")
        for text in ("%s", "%1$d", "{0}", "%(name)s", "%-5.2f files", "%B: bad",
                     "restart '$(unit)'"):
            self.assertTrue(g.format_specifier(text), text)
        self.assertFalse(g.format_specifier("100 % sure"))
        self.assertTrue(g.multi_line("a\nb"))
        self.assertFalse(g.multi_line("a\n"))
        self.assertTrue(g.code_like("\\dn [PATTERN] list schemas"))
        self.assertFalse(g.code_like("escape with '\\' for upper case"))

    def test_duplicates_keep_the_most_common_then_the_smallest(self):
        drops = g.collections.Counter()
        pairs = [("Open", "b"), ("Open", "a"), ("Open", "b"), ("Save", "z"), ("Save", "y")]
        self.assertEqual(g.resolve_duplicates(pairs, drops), {"Open": "b", "Save": "y"})
        self.assertEqual(drops["duplicate_source"], 3)


class Build(unittest.TestCase):
    def test_corpus_is_cleaned_and_byte_identical_on_a_second_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "de" / "LC_MESSAGES"
            folder.mkdir(parents=True)
            (folder / "a.mo").write_bytes(write_mo(CATALOG, "<"))
            (folder / "b.mo").write_bytes(write_mo(CATALOG, ">"))
            (folder / "iso_639.mo").write_bytes(write_mo({"Zulu": "Zulu-Sprache"}, "<"))
            outputs = []
            for run in ("x", "y"):
                stats = g.build(folder, Path(tmp) / run, 0, 30, ["iso_*"])
                outputs.append([(Path(tmp) / run / f"{s}.tsv").read_bytes() for s in g.SPLITS])
            self.assertEqual(outputs[0], outputs[1])
            rows = sorted(b"".join(outputs[0]).decode().splitlines())
            self.assertEqual(rows, ["Open the file\tDatei öffnen", "Quit\tBeenden", "one file\teine Datei"])
            self.assertEqual(stats["messages"], 2 * len(CATALOG))
            self.assertEqual((stats["catalogs_read"], stats["catalogs_excluded"]), (2, 1))
            dropped = stats["dropped"]
            self.assertEqual((dropped["header"], dropped["identical"], dropped["format_specifier"]), (2, 2, 2))
            self.assertEqual((dropped["empty_translation"], dropped["code_like"]), (2, 2))
            self.assertEqual(dropped["duplicate_source"], 3)


if __name__ == "__main__":
    unittest.main()
