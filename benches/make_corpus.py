#!/usr/bin/env python3
"""Builds a large, varied benchmark corpus (JSONL) from the project's own datasets.

Deterministic: the same --size-mb gives the same bytes. Every record is a new combination,
not a repeat: it takes the text of one ad from datasets/{train,dev,test}.jsonl, the title
of another, shuffles its lines, rewrites its numbers, and sometimes appends a paragraph of a
third ad of the same language, so the corpus keeps the five languages' mix and the scam /
non-scam ratio of the datasets while never repeating a record.

Usage: python3 benches/make_corpus.py --size-mb 100 --out /tmp/lure-corpus.jsonl
"""

import argparse
import json
import pathlib
import random
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rows = []
    for split in ("train", "dev", "test"):
        with open(ROOT / "datasets" / f"{split}.jsonl", encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    by_lang = {}
    for row in rows:
        by_lang.setdefault(row["lang"], []).append(row)
    rng = random.Random(20261130)
    target = int(args.size_mb * 1_000_000)
    written = 0
    n = 0
    digits = re.compile(r"\d+")
    with open(args.out, "w", encoding="utf-8") as out:
        while written < target:
            base = rows[rng.randrange(len(rows))]
            same = by_lang[base["lang"]]
            lines = base["text"].split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
            text = digits.sub(lambda m: str(rng.randrange(1, 10 ** min(len(m.group()), 6))), text)
            if rng.random() < 0.3:
                text += "\n" + same[rng.randrange(len(same))]["text"].split("\n")[0]
            record = {"id": f"bench-{n}", "text": text}
            other = same[rng.randrange(len(same))]
            if "title" in other and rng.random() < 0.5:
                record["title"] = other["title"]
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print(f"{args.out}: {n} records, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
