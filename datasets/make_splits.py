#!/usr/bin/env python3
"""Builds datasets/train.jsonl, dev.jsonl and test.jsonl from datasets/corpus/*/*.jsonl.

Deterministic (no randomness): near-duplicates are grouped first, so that no group is split
across train / dev / test; then each group goes to a split by a hash of its smallest id
(70 % train, 15 % dev, 15 % test).

Near-duplicates: two texts of the same language whose sets of character 5-gram shingles
(lower case, white space removed) have Jaccard similarity >= 0.5, or that are identical
after that normalisation. Groups are the connected components.

Usage: python3 datasets/make_splits.py   (from the repository root)
"""

import hashlib
import json
import pathlib
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
JACCARD = 0.5
SHINGLE = 5


def shingles(text):
    t = "".join(text.lower().split())
    if len(t) < SHINGLE:
        return {t}
    return {t[i : i + SHINGLE] for i in range(len(t) - SHINGLE + 1)}


def main():
    rows = []
    for path in sorted(CORPUS.glob("*/*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            for field in ("id", "lang", "label", "kind", "text"):
                if field not in row:
                    sys.exit(f"{path}:{n}: missing field {field}")
            rows.append(row)
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate ids in the corpus")

    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_lang = defaultdict(list)
    for i, r in enumerate(rows):
        by_lang[r["lang"]].append(i)
    sets = [shingles(r["text"] + " " + r.get("title", "")) for r in rows]
    pairs = 0
    for lang, members in sorted(by_lang.items()):
        # Index shingles to compare only texts that share at least one.
        index = defaultdict(list)
        for i in members:
            for s in sets[i]:
                index[s].append(i)
        candidates = set()
        for bucket in index.values():
            if len(bucket) > 200:  # very common shingles say little
                continue
            for a in range(len(bucket)):
                for b in range(a + 1, len(bucket)):
                    candidates.add((bucket[a], bucket[b]))
        for i, j in candidates:
            inter = len(sets[i] & sets[j])
            if inter and inter / len(sets[i] | sets[j]) >= JACCARD:
                union(i, j)
                pairs += 1

    groups = defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)
    splits = {"train": [], "dev": [], "test": []}
    for members in groups.values():
        key = min(rows[i]["id"] for i in members)
        bucket = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 100
        split = "train" if bucket < 70 else "dev" if bucket < 85 else "test"
        splits[split].extend(members)
    for name, members in splits.items():
        members.sort(key=lambda i: rows[i]["id"])
        with open(ROOT / f"{name}.jsonl", "w", encoding="utf-8") as out:
            for i in members:
                out.write(json.dumps(rows[i], ensure_ascii=False) + "\n")
    print(f"{len(rows)} texts, {pairs} near-duplicate pairs, {len(groups)} groups")
    for name, members in splits.items():
        counts = defaultdict(int)
        for i in members:
            counts[(rows[i]["lang"], rows[i]["label"])] += 1
        detail = ", ".join(f"{l}:{'scam' if lab else 'not'} {c}" for (l, lab), c in sorted(counts.items()))
        print(f"{name}: {len(members)} ({detail})")


if __name__ == "__main__":
    main()
