#!/usr/bin/env python3
"""Check `encdec bleu` against sacreBLEU's default corpus BLEU.

sacreBLEU defaults that encdec re-implements: tokenizer `13a`, smoothing
`exp`, one reference per segment, case-sensitive unless `--lowercase`,
`effective_order=False`, scores on a 0-100 scale.

Two modes:

  python3 scripts/compare_sacrebleu.py --write-fixture
      Computes a small set of hand-written corpora with sacrebleu and writes
      them, with sacrebleu's statistics, to tests/fixtures/sacrebleu.json
      (path overridable with --fixture). The Rust tests read that file, so
      they need neither Python nor sacrebleu.

  python3 scripts/compare_sacrebleu.py [--n 200] [--seed 0] [--encdec PATH]
      (default mode) Generates N seeded random corpora of reference lines and
      noisy hypothesis copies drawn from a pool of words, ASCII punctuation,
      numbers, HTML entities, `<skipped>`, accented/CJK/Greek text and
      assorted Unicode whitespace, writes each to temporary files, runs
          PATH bleu --hypotheses H --references R --json
      (PATH defaults to target/release/encdec; build it first with
      `cargo build --release`) and compares with sacrebleu: counts, totals,
      sys_len and ref_len exactly, score, bp and precisions within 1e-9
      absolute. Every 4th corpus is also scored with --lowercase, and every
      corpus is also run without --json, whose output must equal sacrebleu's
      `BLEU = ...` line. Each failing run prints one line naming a directory
      that holds hyp.txt, ref.txt, the expected and actual output and the
      command to reproduce it.

Exit status: 0 when everything matches, 1 on any mismatch (or when encdec
fails on a corpus), 2 when something needed is missing (sacrebleu is not
installed, or the encdec binary does not exist).

Requires: `pip install sacrebleu`.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

try:
    import sacrebleu
    from sacrebleu.metrics import BLEU
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write(
        "compare_sacrebleu.py: sacrebleu is not installed; run: pip install sacrebleu\n"
    )
    sys.exit(2)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FIXTURE = os.path.join(REPO_ROOT, "tests", "fixtures", "sacrebleu.json")
DEFAULT_ENCDEC = os.path.join("target", "release", "encdec")
TOLERANCE = 1e-9


def sacrebleu_stats(hypotheses, references, lowercase):
    """Corpus BLEU with sacrebleu's defaults, as a plain dict plus the text line."""
    score = BLEU(lowercase=lowercase).corpus_score(list(hypotheses), [list(references)])
    stats = {
        "score": float(score.score),
        "counts": [int(c) for c in score.counts],
        "totals": [int(t) for t in score.totals],
        "precisions": [float(p) for p in score.precisions],
        "bp": float(score.bp),
        "sys_len": int(score.sys_len),
        "ref_len": int(score.ref_len),
    }
    return stats, str(score)


# ---------------------------------------------------------------------------
# Fixture mode
# ---------------------------------------------------------------------------

# Each case: (name, hypotheses, references, lowercase, check) where `check`
# asserts that sacrebleu's result really exercises the rule the case is for.
FIXTURE_CASES = [
    (
        "perfect_match",
        ["The cat sat on the mat .", "It was a sunny day in Paris, wasn't it?"],
        ["The cat sat on the mat .", "It was a sunny day in Paris, wasn't it?"],
        False,
        lambda s: abs(s["score"] - 100.0) < 1e-9 and s["counts"] == s["totals"],
    ),
    (
        "no_4gram_match_exp_smoothing",
        ["the quick brown fox jumps over lazy dogs", "a b c d"],
        ["the quick brown cat jumps over the lazy dogs", "a b x d"],
        False,
        lambda s: s["counts"][3] == 0 < s["totals"][3] and s["counts"][1] > 0 and s["score"] > 0,
    ),
    (
        "exp_smoothing_two_zero_orders",
        ["one two alpha three four beta five six gamma seven"],
        ["one two three four five six seven eight nine ten"],
        False,
        lambda s: s["counts"][1] > 0 and s["counts"][2] == 0 and s["counts"][3] == 0
        and s["totals"][3] > 0 and s["score"] > 0,
    ),
    (
        "empty_hypothesis_and_reference_lines",
        ["", "the house is small and the garden is big", "   ", "extra words here"],
        ["a reference that the system left out", "the house is small and the garden is large",
         "whitespace only hypothesis above", ""],
        False,
        lambda s: s["score"] > 0 and s["bp"] < 1.0,
    ),
    (
        "all_hypotheses_empty",
        ["", "", " \t"],
        ["the first reference", "second one", "third"],
        False,
        lambda s: s["score"] == 0.0 and s["sys_len"] == 0 and s["bp"] == 0.0
        and s["totals"] == [0, 0, 0, 0],
    ),
    (
        "all_empty_both_sides",
        ["", ""],
        ["", ""],
        False,
        lambda s: s["score"] == 0.0 and s["sys_len"] == 0 and s["ref_len"] == 0 and s["bp"] == 1.0,
    ),
    (
        "short_hypotheses_total_zero",
        ["the cat", "sat down", "ok"],
        ["the cat", "sat down quickly", "ok"],
        False,
        lambda s: s["totals"][3] == 0 and s["counts"][0] > 0 and s["score"] == 0.0
        and s["precisions"][0] > 0,
    ),
    (
        "brevity_penalty",
        ["the president spoke", "markets fell sharply today"],
        ["the president spoke to reporters on tuesday morning",
         "markets fell sharply today after the announcement"],
        False,
        lambda s: 0.0 < s["bp"] < 1.0 and s["sys_len"] < s["ref_len"] and s["score"] > 0,
    ),
    (
        "hypothesis_longer_than_reference",
        ["the president spoke to reporters on tuesday morning in the garden of the house",
         "markets fell sharply today , analysts said"],
        ["the president spoke to reporters on tuesday morning", "markets fell sharply today"],
        False,
        lambda s: s["bp"] == 1.0 and s["sys_len"] > s["ref_len"] and s["score"] > 0,
    ),
    (
        "punctuation_13a",
        ["{a|b}~[c\\d]^e_f`g h!i\"j#k$l%m&n (o)p*q+r :s;t<u=v>w?x@y z/w",
         "It's the state-of-the-art model: pi is 3.14, not 3,14 ; 1,000 people a.b end.",
         "5-3 = 2 and -5 or x-5 ... wait.. e.g. U.S.A. 2. 7, ,8 .9 $5.50 (10%) 12:30"],
        ["{ a | b } ~ [ c \\ d ] ^ e _ f ` g h ! i \" j # k $ l % m & n ( o ) p * q + r : s ; t < u = v > w ? x @ y z / w",
         "It's the state-of-the-art model: pi is 3.14, not 3,14; 1,000 people a.b end.",
         "5 - 3 = 2 and -5 or x-5 ... wait . . e.g . U.S.A . 2 . 7 , , 8 . 9 $ 5.50 ( 10 % ) 12 : 30"],
        False,
        lambda s: s["score"] > 0 and s["counts"][0] > 0,
    ),
    (
        "period_comma_regex_quirks",
        # The references spell out what a simplified rule ("split . and , unless
        # between two ASCII digits") would produce; 13a's sequential regexes
        # keep ".1", ",1" and ".5" together here, so the score is below 100.
        ["..1 a,,1 1.,.5 x..a 1..5 1--2 x--y a.,b ,5 9, .5 5. ...5",
         "fullwidth ３.１４ arabic ٣.١٤ mixed 1.a a.1"],
        [". . 1 a , , 1 1 . , . 5 x . . a 1 . . 5 1 - -2 x--y a . , b , 5 9 , . 5 5 . . . . 5",
         "fullwidth ３ . １４ arabic ٣ . ١٤ mixed 1 . a a . 1"],
        False,
        lambda s: 0 < s["counts"][0] < s["totals"][0] and s["score"] < 100.0,
    ),
    (
        "entities_and_skipped",
        ["He said &quot;yes&quot; &amp; left &lt;b&gt; tag &amp;lt; &AMP; &apos; &#39; done",
         "before<skipped>after <skipped> gap <skip<skipped>ped> <SKIPPED> x&y"],
        ["He said \"yes\" & left <b> tag < &amp; ' ' done",
         "beforeafter gap <skipped> <SKIPPED> x & y"],
        False,
        lambda s: s["score"] > 0 and s["counts"][0] > 0,
    ),
    (
        "french_unicode_spaces",
        ["«\u00a0Bonjour\u00a0», dit-elle\u202f: «\u202fC'est déjà l'été…\u202f»",
         "Où est le garçon\u00a0? Ça va, naïve cœur\u2009!"],
        ["« Bonjour », dit-elle : « C'est déjà l'été … »",
         "Où est la garçonne ? Ça va, naïve cœur !"],
        False,
        lambda s: s["score"] > 0 and s["counts"][3] > 0,
    ),
    (
        "cjk_text",
        ["我们在北京。今天天气很好！ 日本語 の テキスト、です", "中文 English 混合 text 123"],
        ["我们在北京。今天天气很好！ 日本語 の テキスト、です", "中文 English 混合 text 124"],
        False,
        lambda s: s["score"] > 0 and s["counts"][0] < s["totals"][0],
    ),
    (
        "whitespace_and_control_chars",
        ["tab\tseparated\twords  and   runs of spaces   \t ",
         "unit\x1cseparators\x1dare\x1ewhite\x1fspace to python",
         "vertical\x0btab form\x0cfeed next\x85line line\u2028sep ideographic\u3000space trailing\u3000 \t"],
        ["tab separated words and runs of spaces",
         "unit separators are white space to python",
         "vertical tab form feed next line line sep ideographic space trailing"],
        False,
        lambda s: abs(s["score"] - 100.0) < 1e-9,
    ),
    (
        "lowercase_mixed_case",
        ["The Cat SAT on The MAT", "ΟΔΟΣ and İstanbul ÉCOLE Straße", "&QUOT;Hi&QUOT; <SKIPPED> Done"],
        ["the cat sat on the mat", "οδος AND i\u0307stanbul école straße", "\"hi\" done"],
        True,
        lambda s: abs(s["score"] - 100.0) < 1e-9,
    ),
    (
        "case_sensitive_default",
        ["The Cat SAT on The MAT", "ΟΔΟΣ and İstanbul ÉCOLE Straße", "&QUOT;Hi&QUOT; <SKIPPED> Done"],
        ["the cat sat on the mat", "οδος AND i\u0307stanbul école straße", "\"hi\" done"],
        False,
        lambda s: s["score"] < 50.0 and s["counts"][0] > 0,
    ),
]

# Characters and strings the fixture must contain somewhere (brief's checklist).
FIXTURE_MUST_CONTAIN = (
    list("{|}~[\\]^_` !\"#$%&()*+:;<=>?@/'-")
    + ["3.14", "1,000", "a.b", "end.", "5-3", "&quot;", "&amp;", "&lt;", "&gt;",
       "<skipped>", "é", "«", "»", "\u202f", "\u00a0", "…", "我", "\x1c", "\x1d",
       "\x1e", "\x1f", "\t"]
)


def _escape_invisible(text):
    """Escape control, format, separator and non-ASCII space characters as \\uXXXX.

    json.dumps(ensure_ascii=False) already escapes U+0000-U+001F; this also
    escapes U+0085, U+00A0, U+202F, U+2028, U+3000 and friends so that the
    fixture shows them explicitly. Only ever applied to json.dumps output,
    where such characters can only occur inside strings.
    """
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch not in "\n " and (cat in ("Cc", "Cf", "Zl", "Zp", "Zs")):
            cp = ord(ch)
            if cp > 0xFFFF:
                cp -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
            else:
                out.append("\\u%04x" % cp)
        else:
            out.append(ch)
    return "".join(out)


def write_fixture(path):
    cases = []
    names = set()
    for name, hyps, refs, lowercase, check in FIXTURE_CASES:
        assert name not in names, name
        names.add(name)
        assert len(hyps) == len(refs) > 0, name
        for line in hyps + refs:
            # Segments must survive a round trip through a '\n'-separated file.
            assert "\n" not in line and "\r" not in line, (name, line)
        stats, _line = sacrebleu_stats(hyps, refs, lowercase)
        if not check(stats):
            raise SystemExit(f"fixture case {name!r} no longer exercises its rule: {stats}")
        cases.append({
            "name": name,
            "hypotheses": hyps,
            "references": refs,
            "lowercase": lowercase,
            "score": stats["score"],
            "counts": stats["counts"],
            "totals": stats["totals"],
            "precisions": stats["precisions"],
            "bp": stats["bp"],
            "sys_len": stats["sys_len"],
            "ref_len": stats["ref_len"],
        })

    everything = "".join(line for c in FIXTURE_CASES for line in c[1] + c[2])
    missing = [s for s in FIXTURE_MUST_CONTAIN if s not in everything]
    if missing:
        raise SystemExit(f"fixture misses required characters/strings: {missing!r}")

    doc = {
        "generated_by": "scripts/compare_sacrebleu.py --write-fixture",
        "sacrebleu_version": sacrebleu.__version__,
        "settings": {
            "tokenize": "13a",
            "smooth_method": "exp",
            "effective_order": False,
            "references_per_segment": 1,
        },
        "cases": cases,
    }
    text = _escape_invisible(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    # Keep lists of numbers on one line.
    text = re.sub(r"\[\s*(-?[0-9][0-9.e+-]*(?:,\s*-?[0-9][0-9.e+-]*)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]",
                  text)
    assert json.loads(text) == doc
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    size = len(text.encode("utf-8"))
    print(f"wrote {len(cases)} cases ({size} bytes) to {path} with sacrebleu {sacrebleu.__version__}")


# ---------------------------------------------------------------------------
# Random comparison mode
# ---------------------------------------------------------------------------

WORDS = (
    "the a cat dog sat on mat house is big small and of to in it was were be "
    "president said today market fell rose New York Paris London model data "
    "it's don't wasn't l'homme aujourd'hui well-known state-of-the-art x-5 "
    "e.g. U.S.A. a.b end. etc. Mr. "
    "été déjà garçon Ça naïve cœur À Où élève "
    "Straße ΟΔΟΣ Σ İstanbul ÉCOLE THE Cat "
    "我们 北京。 今天 天气 很好！ 日本語 テキスト、 中文 "
    "😀 e\u0301 ﬁ"
).split()
NUMBERS = [
    "3.14", "1,000", "5-3", "-5", "2.", "10%", "$5.50", "1/2", "12:30", "2024-01-05",
    "0.5", ".5", "5.", "9,", ",5", "1.,.5", "..1", "a,,1", "1--2", "1..5", "３.１４", "٣.١٤",
    "7", "42", "1e-3",
]
PUNCT = list("{|}~[\\]^_`!\"#$%&()*+:;<=>?@/'-.,") + [
    "...", "…", "«", "»", "—", "–", "’", "“", "”", "¿", "¡", "、", "。", "--", "..", ",,",
]
SPECIAL = [
    "&quot;", "&amp;", "&lt;", "&gt;", "&amp;lt;", "&amp;amp;", "&QUOT;", "&apos;", "&#39;",
    "&", "<skipped>", "<SKIPPED>", "<skip", "ped>", "-",
]
# Separators between tokens. '' glues tokens together (e.g. "a" "." "1").
SEPARATORS = (
    [" "] * 30 + [""] * 8 + ["  ", "\t", " \t "]
    + ["\u00a0", "\u202f", "\u2009", "\u3000", "\x0b", "\x0c", "\x85", "\u2028", "\r"]
    + ["\x1c", "\x1d", "\x1e", "\x1f"]
)
TRAILING = ["", "", "", "", " ", "\t", "  \t", "\u00a0", "\u3000", "\x1f", "\x0c", "\r"]


def random_token(rng):
    r = rng.random()
    if r < 0.55:
        return rng.choice(WORDS)
    if r < 0.70:
        return rng.choice(NUMBERS)
    if r < 0.90:
        return rng.choice(PUNCT)
    return rng.choice(SPECIAL)


def join_tokens(rng, tokens):
    parts = []
    if rng.random() < 0.1:
        parts.append(rng.choice(SEPARATORS))
    for i, tok in enumerate(tokens):
        if i:
            parts.append(rng.choice(SEPARATORS))
        parts.append(tok)
    parts.append(rng.choice(TRAILING))
    return "".join(parts)


def noisy_copy(rng, tokens):
    out = []
    for tok in tokens:
        r = rng.random()
        if r < 0.70:
            out.append(tok)
        elif r < 0.80:
            pass  # dropped
        elif r < 0.90:
            out.append(random_token(rng))
        else:
            out.append(tok)
            out.append(random_token(rng))
        if out and rng.random() < 0.05:
            out[-1] = out[-1].upper() if rng.random() < 0.5 else out[-1].capitalize()
    if len(out) > 1 and rng.random() < 0.2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


def random_corpus(rng):
    style = rng.random()
    max_len = 2 if style < 0.10 else 30  # some corpora with (mostly) < 4 tokens per line
    n_lines = rng.randint(1, 10)
    hyps, refs = [], []
    for _ in range(n_lines):
        ref = [random_token(rng) for _ in range(rng.randint(0, max_len))]
        r = rng.random()
        if style > 0.96 or r < 0.05:
            hyp = []  # empty hypothesis (all of them in ~4% of corpora)
        elif r < 0.12:
            hyp = [random_token(rng) for _ in range(rng.randint(0, max_len))]
        else:
            hyp = noisy_copy(rng, ref)
        hyps.append(join_tokens(rng, hyp))
        refs.append(join_tokens(rng, ref))
    return hyps, refs


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8", newline="") as f:
        for line in lines:
            assert "\n" not in line
            f.write(line + "\n")


def run_encdec(encdec, hyp_path, ref_path, lowercase, as_json):
    cmd = [encdec, "bleu", "--hypotheses", hyp_path, "--references", ref_path]
    if lowercase:
        cmd.append("--lowercase")
    if as_json:
        cmd.append("--json")
    proc = subprocess.run(cmd, capture_output=True, timeout=60)
    return cmd, proc


def compare_stats(expected, actual):
    """List of human-readable differences between two stats dicts."""
    problems = []
    for key in ("counts", "totals", "sys_len", "ref_len"):
        if actual.get(key) != expected[key]:
            problems.append(f"{key} {actual.get(key)!r} != {expected[key]!r}")
    for key in ("score", "bp"):
        got = actual.get(key)
        if not isinstance(got, (int, float)) or not abs(got - expected[key]) <= TOLERANCE:
            problems.append(f"{key} {got!r} != {expected[key]!r}")
    got = actual.get("precisions")
    if (not isinstance(got, list) or len(got) != 4
            or not all(isinstance(g, (int, float)) and abs(g - e) <= TOLERANCE
                       for g, e in zip(got, expected["precisions"]))):
        problems.append(f"precisions {got!r} != {expected['precisions']!r}")
    return problems


def compare(args):
    encdec = args.encdec
    if not os.path.exists(encdec) and not os.path.isabs(encdec):
        candidate = os.path.join(REPO_ROOT, encdec)
        if os.path.exists(candidate):
            encdec = candidate
    if not os.path.isfile(encdec) or not os.access(encdec, os.X_OK):
        sys.stderr.write(
            f"compare_sacrebleu.py: no executable encdec at {args.encdec!r}; "
            "build it with `cargo build --release` or pass --encdec PATH\n"
        )
        return 2
    encdec = os.path.abspath(encdec)

    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="compare_sacrebleu_")
    failures = 0
    for index in range(args.n):
        hyps, refs = random_corpus(rng)
        case_dir = os.path.join(work, f"corpus_{index:04d}")
        os.makedirs(case_dir)
        hyp_path = os.path.join(case_dir, "hyp.txt")
        ref_path = os.path.join(case_dir, "ref.txt")
        write_lines(hyp_path, hyps)
        write_lines(ref_path, refs)
        runs = [False] + ([True] if index % 4 == 3 else [])
        case_failed = False
        for lowercase in runs:
            expected, expected_line = sacrebleu_stats(hyps, refs, lowercase)
            tag = f"corpus {index}{' --lowercase' if lowercase else ''}"
            suffix = "_lc" if lowercase else ""

            cmd, proc = run_encdec(encdec, hyp_path, ref_path, lowercase, as_json=True)
            out = proc.stdout.decode("utf-8", "replace")
            problems = []
            if proc.returncode != 0:
                problems.append(f"exit status {proc.returncode}: "
                                f"{proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
            else:
                try:
                    actual = json.loads(out)
                    if not isinstance(actual, dict):
                        raise ValueError("not a JSON object")
                    problems = compare_stats(expected, actual)
                except ValueError as err:
                    problems.append(f"bad JSON output ({err}): {out[:200]!r}")

            text_cmd, text_proc = run_encdec(encdec, hyp_path, ref_path, lowercase, as_json=False)
            text_out = text_proc.stdout.decode("utf-8", "replace").strip()
            if text_proc.returncode != 0:
                problems.append(f"text mode exit status {text_proc.returncode}")
            elif text_out != expected_line:
                problems.append(f"text line {text_out!r} != {expected_line!r}")

            if problems:
                failures += 1
                case_failed = True
                with open(os.path.join(case_dir, f"expected{suffix}.json"), "w", encoding="utf-8") as f:
                    json.dump({**expected, "line": expected_line}, f, ensure_ascii=False, indent=2)
                with open(os.path.join(case_dir, f"actual{suffix}.txt"), "w", encoding="utf-8") as f:
                    f.write(out + "\n---- text mode ----\n" + text_out + "\n")
                with open(os.path.join(case_dir, f"command{suffix}.sh"), "w", encoding="utf-8") as f:
                    f.write(" ".join(cmd) + "\n" + " ".join(text_cmd) + "\n")
                shown = "; ".join(problems[:3])
                if len(problems) > 3:
                    shown += f"; +{len(problems) - 3} more"
                print(f"MISMATCH {tag}: {shown} [saved in {case_dir}]")
        if not case_failed:
            shutil.rmtree(case_dir)

    if failures:
        print(f"{failures} mismatching run(s) over {args.n} corpora "
              f"(sacrebleu {sacrebleu.__version__}); cases kept in {work}")
        return 1
    shutil.rmtree(work)
    print(f"{args.n} corpora: all match sacrebleu {sacrebleu.__version__}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run with no arguments after `cargo build --release` to compare.",
    )
    parser.add_argument("--write-fixture", action="store_true",
                        help="write the parity fixture instead of comparing")
    parser.add_argument("--fixture", default=DEFAULT_FIXTURE,
                        help="fixture path for --write-fixture (default: %(default)s)")
    parser.add_argument("--n", type=int, default=200,
                        help="number of random corpora (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed (default: %(default)s)")
    parser.add_argument("--encdec", default=DEFAULT_ENCDEC,
                        help="encdec binary (default: %(default)s, relative to the "
                             "current directory or the repository root)")
    args = parser.parse_args(argv)
    if args.write_fixture:
        write_fixture(args.fixture)
        return 0
    if args.n < 1:
        parser.error("--n must be at least 1")
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
