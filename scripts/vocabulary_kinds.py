"""Write data/reference/vocabulary/kinds_en.csv: the kinds of the category words in kinds.csv.

Usage: python scripts/vocabulary_kinds.py [WORDNET_DIR]

A programme description names what it provides or protects in everyday words
("tilapia", "yoga", "ballots") that no hand-written term list enumerates.
WordNet 3.0 knows that tilapia is a kind of fish. For each category word in
``kinds.csv`` (a WordNet noun and its sense number), this script lists every
kind below it (hyponyms, at any depth) and writes them as vocabulary rows with
the category's goal, target and weight, and a note that names the category.

A kind is kept only when

- its most frequent meaning (WordNet's first sense) is under the category:
  "sole" is a fish, but first of all the underside of a foot, so it is left out;
- it is written in lower case, without digits, in one to three words of at
  least four letters in all;
- a single word is not also a verb, adjective or adverb in WordNet ("train",
  "local", "clean" and "cheat" are kinds of transport, exercise and grass, but
  in a programme description they are something else);
- it is not excluded in kinds.csv and not already a term of en.csv (the hand
  list wins: a term there keeps its own goal and weight).

A kind under several categories gets the nearest one (then the first listed).
WordNet comes from Debian's ``wordnet-base`` package (``/usr/share/wordnet``,
listed in scripts/setup). The output is committed, so mapping never needs
WordNet at run time; run this script again after editing kinds.csv.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "data" / "reference" / "vocabulary"
HEADS = VOCABULARY / "kinds.csv"
OUTPUT = VOCABULARY / "kinds_en.csv"
WORDNET = Path("/usr/share/wordnet")
_WORD = re.compile(r"^[a-z][a-z' -]*[a-z]$")


def read_index(wordnet: Path) -> dict[str, list[int]]:
    """Noun lemma -> its synset offsets, most frequent sense first."""
    senses: dict[str, list[int]] = {}
    with (wordnet / "index.noun").open(encoding="latin-1") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            parts = line.split()
            pointers = int(parts[3])
            senses[parts[0]] = [int(o) for o in parts[4 + pointers + 2 :]]
    return senses


def other_parts_of_speech(wordnet: Path) -> set[str]:
    """Lemmas that WordNet also lists as a verb, adjective or adverb."""
    words: set[str] = set()
    for pos in ("verb", "adj", "adv"):
        with (wordnet / f"index.{pos}").open(encoding="latin-1") as fh:
            words.update(line.split(" ", 1)[0] for line in fh if not line.startswith(" "))
    return words


def _known(kind: str, known: set[str], prefixes: tuple[str, ...]) -> bool:
    """True if en.csv already finds ``kind``: the same term, its singular, or a prefix term."""
    return kind in known or kind.rstrip("s") in known or kind.startswith(prefixes)


def _other_word(word: str, not_only_nouns: set[str]) -> bool:
    """True if ``word`` or the word it is formed from is also a verb or adjective."""
    if word in not_only_nouns:
        return True
    stems = []
    if word.endswith("ing"):
        stems += [word[:-3], word[:-3] + "e"]
    if word.endswith("s"):
        stems.append(word[:-1])
    return any(stem in not_only_nouns for stem in stems)


def read_synsets(wordnet: Path) -> dict[int, tuple[list[str], list[int]]]:
    """Synset offset -> (its words as written, the offsets of its hyponyms)."""
    synsets: dict[int, tuple[list[str], list[int]]] = {}
    with (wordnet / "data.noun").open(encoding="latin-1") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            parts = line.split(" | ")[0].split()
            offset = int(parts[0])
            count = int(parts[3], 16)
            words = [parts[4 + 2 * i] for i in range(count)]
            at = 4 + 2 * count
            pointers = int(parts[at])
            hyponyms = []
            for i in range(pointers):
                symbol, target, pos = parts[at + 1 + 4 * i : at + 4 + 4 * i]
                if symbol in ("~", "~i") and pos == "n":
                    hyponyms.append(int(target))
            synsets[offset] = (words, hyponyms)
    return synsets


def read_heads(path: Path) -> list[dict[str, str]]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def known_terms() -> set[str]:
    sys.path.insert(0, str(ROOT))
    from vlr_tools.vocabulary import read_vocabulary_file

    return {t.key for t in read_vocabulary_file(VOCABULARY / "en.csv")}


def below(start: int, synsets: dict[int, tuple[list[str], list[int]]]) -> dict[int, int]:
    """Every synset under ``start`` (itself included) -> its depth."""
    depth = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in synsets[node][1]:
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    return depth


def build(wordnet: Path = WORDNET) -> list[tuple[str, dict[str, str], int]]:
    """(kind, head row, depth) for every kind kept, in the order of the heads."""
    senses = read_index(wordnet)
    synsets = read_synsets(wordnet)
    known = known_terms()
    prefixes = tuple(k[:-1] for k in known if k.endswith("*"))
    not_only_nouns = other_parts_of_speech(wordnet)
    best: dict[str, tuple[int, int, dict[str, str]]] = {}
    for order, head in enumerate(read_heads(HEADS)):
        lemma = head["head"].strip().replace(" ", "_")
        offsets = senses.get(lemma, [])
        sense = int(head["sense"])
        if not 0 < sense <= len(offsets):
            raise SystemExit(f"kinds.csv: {head['head']!r} has no noun sense {sense} in WordNet")
        tree = below(offsets[sense - 1], synsets)
        for name in filter(None, (x.strip() for x in head.get("exclude", "").split(";"))):
            first = senses.get(name.replace(" ", "_"), [])
            if not first:
                raise SystemExit(f"kinds.csv: cannot exclude {name!r}: not a WordNet noun")
            for offset in below(first[0], synsets):
                tree.pop(offset, None)
        excluded = {x.strip() for x in head.get("exclude", "").split(";")}
        for offset, depth in tree.items():
            for written in synsets[offset][0]:
                word = re.sub(r"\(.*\)$", "", written)
                kind = word.replace("_", " ")
                if not _WORD.match(kind) or len(kind.replace(" ", "")) < 4:
                    continue
                if len(kind.split()) > 3 or kind in excluded or _known(kind, known, prefixes):
                    continue
                if " " not in kind and _other_word(word.lower(), not_only_nouns):
                    continue
                first = senses.get(word.lower(), [])
                if not first or first[0] not in tree:
                    continue  # its most frequent meaning is something else
                if kind not in best or (depth, order) < best[kind][:2]:
                    best[kind] = (depth, order, head)
    rows = sorted(best.items(), key=lambda kv: (kv[1][1], kv[0]))
    return [(kind, head, depth) for kind, (depth, _order, head) in rows]


def write(rows: list[tuple[str, dict[str, str], int]], path: Path = OUTPUT) -> None:
    out = io.StringIO()
    out.write(
        "# GENERATED by scripts/vocabulary_kinds.py from kinds.csv and WordNet 3.0 (Princeton\n"
        "# University, WordNet licence). Do not edit: edit kinds.csv (or add the word to en.csv,\n"
        "# which wins) and run the script again. Each row is a kind of a category word in\n"
        "# kinds.csv and carries that category's goal, target and weight.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["term", "goal", "target", "weight", "note"])
    for kind, head, _depth in rows:
        writer.writerow(
            [kind, head["goal"], head["target"], head["weight"], f"a kind of {head['head']}"]
        )
    path.write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str]) -> int:
    wordnet = Path(argv[0]) if argv else WORDNET
    if not (wordnet / "data.noun").is_file():
        print(
            f"WordNet not found in {wordnet}: install Debian's wordnet-base (scripts/setup)",
            file=sys.stderr,
        )
        return 1
    rows = build(wordnet)
    write(rows)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} kinds of {len(read_heads(HEADS))} categories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
