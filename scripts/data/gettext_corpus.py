# Long file: a standalone script (standard library only): the .mo parser, each
# cleaning rule as its own function, and the writer, in one place.
"""Build an English->German or English->Spanish parallel corpus from the
machine's gettext message catalogs (/usr/share/locale/LANG/LC_MESSAGES/*.mo).

    python3 scripts/data/gettext_corpus.py --lang de --out target/gettext-de

writes train.tsv, valid.tsv, test.tsv (`English<TAB>German`, one pair a line,
the layout `encdec train --corpus` reads: no tab, newline, carriage return or
NUL inside a side, so no escaping is needed), stats.json and README.txt, and
prints the counts. Standard library only; the .mo files are parsed here with
`struct`. The same catalogs in give byte-identical files out: catalogs and
entries are read in sorted order, and a pair's split is a hash of its source
sentence (with --seed), so a sentence keeps its split whatever else is
installed. Each cleaning rule is a function below; the counts name them.
"""

import argparse
import collections
import fnmatch
import hashlib
import json
import os
import re
import struct
import sys
import unicodedata
from pathlib import Path

MAGIC = 0x950412DE
SPLITS = ("train", "valid", "test")


class MoError(ValueError):
    """A file that is not a well-formed GNU .mo catalog."""


def parse_mo(data: bytes) -> list[tuple[str | None, list[str], list[str]]]:
    """The entries of a GNU .mo file as (context, msgid forms, msgstr forms).

    The header is 7 unsigned 32-bit words: magic 0x950412de (its byte order
    gives the file's), revision (major 0 or 1), N, the offsets of the
    original and translation tables, then the hash table (unused here).
    Each table holds N (length, offset) pairs; a string is NUL-terminated
    after `length` bytes. A msgid "ctx\\x04id" has a context; plural forms
    are joined by NUL. Strings are decoded with the header's charset
    (UTF-8 when it names none).
    """
    if len(data) < 28:
        raise MoError("shorter than a .mo header")
    for order in "<>":
        if struct.unpack(order + "I", data[:4])[0] == MAGIC:
            break
    else:
        raise MoError("bad magic number: not a GNU .mo file")
    revision, n, orig, trans = struct.unpack(order + "4I", data[4:20])
    if revision >> 16 > 1:
        raise MoError(f"unknown major revision {revision >> 16}")

    def string(table: int, i: int) -> bytes:
        at = table + 8 * i
        if at + 8 > len(data):
            raise MoError("string table runs past the end of the file")
        length, offset = struct.unpack(order + "2I", data[at : at + 8])
        if offset + length > len(data):
            raise MoError("a string runs past the end of the file")
        return data[offset : offset + length]

    raw = [(string(orig, i), string(trans, i)) for i in range(n)]
    charset = "utf-8"
    for msgid, msgstr in raw:
        if msgid == b"":
            found = re.search(rb"charset=([A-Za-z0-9_.:-]+)", msgstr)
            if found and found.group(1).upper() != b"CHARSET":
                charset = found.group(1).decode("ascii")
    entries = []
    for msgid, msgstr in raw:
        try:
            key, value = msgid.decode(charset), msgstr.decode(charset)
        except (UnicodeDecodeError, LookupError) as e:
            raise MoError(f"cannot decode with charset {charset}: {e}") from e
        context, _, key = key.rpartition("\x04") if "\x04" in key else (None, "", key)
        entries.append((context, key.split("\0"), value.split("\0")))
    return entries


# ---- cleaning rules: each returns the cleaned text, or None to drop ----

FORMAT = re.compile(
    r"%(\d+\$)?[-+#0']*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|L|q|j|z|t|I64|I32)?[A-Za-z%]"
    r"|%\([A-Za-z_][A-Za-z0-9_]*\)[-+ #0]*\d*(\.\d+)?[a-zA-Z]"
    r"|\{[A-Za-z0-9_]*(:[^{}]*)?\}"
    r"|%[A-Za-z0-9_]+%|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([A-Za-z_][A-Za-z0-9_]*\)"
)
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|&[A-Za-z]+;|&#\d+;")
ACCEL = re.compile(r"[_&](?=\w)")
CODE = re.compile(r"_|(^|\s)--?[A-Za-z]|(^|\s)\\[a-z]|[\\/][\w.-]+[\\/]|\w\.\w+\(|=")


def header(msgid: str) -> bool:
    """The catalog's header entry has an empty msgid: metadata, not text."""
    return msgid == ""


def empty_translation(msgstr: str) -> bool:
    """An empty msgstr means untranslated (msgfmt leaves fuzzy entries out
    of .mo files, so a fuzzy entry shows up here as missing or empty)."""
    return msgstr.strip() == ""


def multi_line(text: str) -> bool:
    """A newline inside the text (not at its ends): usage screens, lists,
    paragraphs, which are not sentences and cannot sit on one TSV line."""
    return "\n" in text.strip()


def format_specifier(text: str) -> bool:
    """printf (%s, %1$d, %-5.2f), Python (%(name)s, {0}, {name:>3}), shell
    (${VAR}), systemd and make ($(unit)), Windows (%VAR%) placeholders, and any '%' before a letter
    (glibc's %m, binutils' %B, %H, %v). Such messages are dropped,
    not kept with a placeholder token: the token would be a word no real
    input holds, the arguments may be reordered (%2$s ... %1$s), and what
    fills them decides the grammar around them (case, gender, plural)."""
    return FORMAT.search(text) is not None


def markup(text: str) -> bool:
    """Pango/HTML tags and entities (<b>, &amp;): not running text, and an
    entity would be mangled by the accelerator rule."""
    return MARKUP.search(text) is not None


def strip_accelerator(text: str) -> str:
    """Menu accelerators: '_File' -> 'File', '&Open' -> 'Open', 'Ö_ffnen'
    -> 'Öffnen'; a doubled '__' or '&&' is a literal character."""
    text = text.replace("__", "\0u").replace("&&", "\0a")
    text = ACCEL.sub("", text, count=1)
    return text.replace("\0u", "_").replace("\0a", "&")


def code_like(text: str) -> bool:
    """Identifiers, options and paths (a remaining '_', '--opt', psql's
    '\\dn' commands, '/a/b/', 'x.f(', '='): the message names code, which
    is not translated."""
    return CODE.search(text) is not None


def shared_identifier(source: str, target: str) -> bool:
    """A word holding '_' or '&' that both sides spell the same
    (SO_BROADCAST, max_depth): an identifier, not an accelerator, since
    translators move accelerators to their own words."""
    words = {w for w in source.split() if "_" in w or "&" in w}
    return any(w in words for w in target.split())


def normalise(text: str) -> str:
    """Control characters (tabs and C0/C1, also CR) become spaces, then
    every run of whitespace becomes one space and the ends are trimmed."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(text.split())


def invisible(text: str) -> bool:
    """Nothing left that shows (only marks, format characters or none at
    all): encdec refuses such a side."""
    return not any(unicodedata.category(c)[0] not in "ZCM" for c in text)


def too_long(text: str, max_words: int) -> bool:
    """More than max_words whitespace-separated words."""
    return len(text.split()) > max_words


def identical(source: str, target: str) -> bool:
    """Source and target equal after cleaning: names, units, untranslated
    copies; nothing to learn."""
    return source == target


def clean_side(text: str, drops: collections.Counter, side: str, max_words: int) -> str | None:
    """Runs the per-side rules in order, counting the first that drops."""
    for name, test in (("multi_line", multi_line), ("format_specifier", format_specifier),
                       ("markup", markup)):
        if test(text):
            drops[f"{name}"] += 1
            return None
    stripped = strip_accelerator(text)
    drops[f"accelerator_removed_{side} (kept)"] += stripped != text
    text = normalise(stripped)
    for name, test in (("code_like", code_like), ("invisible", invisible),
                       ("too_long", lambda t: too_long(t, max_words))):
        if test(text):
            drops[name] += 1
            return None
    return text


def clean_entry(msgids: list[str], msgstrs: list[str], drops, max_words: int):
    """A pair from one entry, or None. A plural entry gives its singular
    (msgid and msgstr[0]); the context is not part of the text."""
    source, target = msgids[0], msgstrs[0]
    if header(source):
        drops["header"] += 1
        return None
    if empty_translation(target):
        drops["empty_translation"] += 1
        return None
    if shared_identifier(source, target):
        drops["code_like"] += 1
        return None
    source = clean_side(source, drops, "source", max_words)
    target = None if source is None else clean_side(target, drops, "target", max_words)
    if target is None:
        return None
    if identical(source, target):
        drops["identical"] += 1
        return None
    return source, target


def resolve_duplicates(pairs: list[tuple[str, str]], drops) -> dict[str, str]:
    """One translation per source sentence: the most common one among the
    catalogs, ties broken by the smallest string (sort order)."""
    seen: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for source, target in pairs:
        seen[source][target] += 1
    chosen = {}
    for source, counts in seen.items():
        chosen[source] = min(counts, key=lambda t: (-counts[t], t))
        drops["duplicate_source"] += sum(counts.values()) - 1
        drops["sources_with_conflicting_translations (kept one)"] += len(counts) > 1
    return chosen


def split_of(source: str, seed: int) -> str:
    """train / valid / test, about 90 / 5 / 5, from SHA-256 of the seed and
    the source sentence: independent of which other catalogs exist."""
    digest = hashlib.sha256(f"{seed}\t{source}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    return "train" if bucket < 90 else "valid" if bucket < 95 else "test"


def order_key(source: str, seed: int) -> bytes:
    """A deterministic shuffle: pairs are written in the order of this hash."""
    return hashlib.sha256(f"order\t{seed}\t{source}".encode()).digest()


def side_stats(texts: list[str]) -> dict:
    """Mean whitespace words per sentence, and vocabulary sizes (distinct
    whitespace tokens; and lowercased words and punctuation, closer to what
    encdec's tokenizer makes)."""
    words = [t.split() for t in texts]
    low = collections.Counter(w for t in texts for w in re.findall(r"\w+|[^\w\s]", t.lower()))
    return {
        "mean_words": round(sum(map(len, words)) / max(1, len(words)), 3),
        "vocab_whitespace": len({w for ws in words for w in ws}),
        "vocab_lowercase_tokens": len(low),
    }


def excluded(name: str, patterns: list[str]) -> bool:
    """A catalog left out whole. By default the iso-codes ones (iso_*):
    lists of language, region and currency names, mostly transliterated
    (Àhàn -> Ahán), which are names rather than sentences to translate."""
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def read_catalogs(folder: Path, drops, max_words: int, exclude: list[str]):
    """All pairs of the sorted *.mo files in `folder`, and the catalog names
    read and refused (a broken file is reported and skipped)."""
    pairs, read, refused, messages = [], [], {}, 0
    for path in sorted(folder.glob("*.mo")):
        if excluded(path.name, exclude):
            drops["excluded_catalogs"] += 1
            continue
        try:
            entries = parse_mo(path.read_bytes())
        except (OSError, MoError) as e:
            refused[path.name] = str(e)
            print(f"skipped {path}: {e}", file=sys.stderr)
            continue
        read.append(path.name)
        for _context, msgids, msgstrs in sorted(entries, key=lambda e: (e[1], e[0] or "")):
            messages += 1
            pair = clean_entry(msgids, msgstrs, drops, max_words)
            if pair is not None:
                pairs.append(pair)
    return pairs, read, refused, messages


def write_atomic(path: Path, text: str) -> None:
    """Writes through a temporary file renamed into place."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def build(folder: Path, out: Path, seed: int, max_words: int, exclude: list[str]) -> dict:
    """Reads, cleans, splits and writes; returns the statistics."""
    drops: collections.Counter = collections.Counter()
    pairs, read, refused, messages = read_catalogs(folder, drops, max_words, exclude)
    chosen = resolve_duplicates(pairs, drops)
    split: dict[str, list[tuple[str, str]]] = {s: [] for s in SPLITS}
    for source in sorted(chosen, key=lambda s: order_key(s, seed)):
        split[split_of(source, seed)].append((source, chosen[source]))
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in split.items():
        write_atomic(out / f"{name}.tsv", "".join(f"{s}\t{t}\n" for s, t in rows))
    every = [p for rows in split.values() for p in rows]
    return {
        "catalog_folder": str(folder),
        "catalogs_read": len(read),
        "catalogs_excluded": drops.pop("excluded_catalogs", 0),
        "exclude": exclude,
        "catalogs_refused": refused,
        "catalogs": read,
        "seed": seed,
        "max_words": max_words,
        "messages": messages,
        "kept": len(every),
        "dropped": {k: v for k, v in sorted(drops.items()) if "(kept" not in k},
        "changed_but_kept": {k: v for k, v in sorted(drops.items()) if "(kept" in k},
        "splits": {name: len(rows) for name, rows in split.items()},
        "source": side_stats([s for s, _ in every]),
        "target": side_stats([t for _, t in every]),
    }


def readme(stats: dict, lang: str) -> str:
    """A short human-readable account of where the files came from."""
    lines = [
        f"English->{lang} pairs from gettext catalogs in {stats['catalog_folder']}",
        "made by scripts/data/gettext_corpus.py (see its docstrings for each rule).",
        "train.tsv / valid.tsv / test.tsv: English<TAB>translation, one pair a line.",
        f"catalogs read: {stats['catalogs_read']}, refused: {len(stats['catalogs_refused'])}, "
        f"excluded: {stats['catalogs_excluded']} ({' '.join(stats['exclude']) or 'none'})",
        f"messages: {stats['messages']}, kept: {stats['kept']}",
        "dropped, by the first rule that applied:",
        *(f"  {k}: {v}" for k, v in stats["dropped"].items()),
        "changed but kept:",
        *(f"  {k}: {v}" for k, v in stats["changed_but_kept"].items()),
        "splits: " + ", ".join(f"{k} {v}" for k, v in stats["splits"].items()),
        f"English: {json.dumps(stats['source'], sort_keys=True)}",
        f"{lang}: {json.dumps(stats['target'], sort_keys=True)}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=["de", "es"])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--locale-dir", type=Path, default=Path("/usr/share/locale"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-words", type=int, default=30)
    parser.add_argument("--exclude", nargs="*", default=["iso_*"], metavar="GLOB",
                        help="catalogs to leave out (default: iso_*; --exclude alone: none)")
    args = parser.parse_args(argv)
    if args.max_words < 1:
        parser.error("--max-words must be at least 1")
    folder = args.locale_dir / args.lang / "LC_MESSAGES"
    if not folder.is_dir():
        parser.error(f"{folder} is not a folder")
    stats = build(folder, args.out, args.seed, args.max_words, args.exclude)
    if stats["kept"] == 0:
        print(f"no pair kept from {folder}", file=sys.stderr)
        return 1
    write_atomic(args.out / "stats.json", json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    text = readme(stats, {"de": "German", "es": "Spanish"}[args.lang])
    write_atomic(args.out / "README.txt", text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
