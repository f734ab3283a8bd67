#!/usr/bin/env bash
# End-to-end benchmark of `lure scan` against the cost of just finding the rules'
# keywords with ripgrep. Deterministic corpus; figures go to stdout.
#
#   benches/end_to_end.sh            # 100 MB corpus
#   SIZE_MB=1000 benches/end_to_end.sh
#
# Needs: python3, ripgrep (rg), hyperfine, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-100}
WORK=${WORK:-/tmp/lure-bench}
mkdir -p "$WORK"
CORPUS="$WORK/corpus-${SIZE_MB}mb.jsonl"
[ -f "$CORPUS" ] || python3 benches/make_corpus.py --size-mb "$SIZE_MB" --out "$CORPUS"
cargo build --release --quiet
LURE=target/release/lure
python3 - "$WORK/keywords.txt" <<'PY'
import glob, sys, tomllib
words = set()
for path in glob.glob("rules/*.toml"):
    for rule in tomllib.load(open(path, "rb")).get("rule", []):
        words.update(k.lower() for k in rule.get("keywords", []) if k.strip())
open(sys.argv[1], "w").write("\n".join(sorted(words)) + "\n")
print(f"{len(words)} literal keywords")
PY
BYTES=$(stat -c %s "$CORPUS")
RECORDS=$(wc -l < "$CORPUS")
echo "corpus: $CORPUS, $BYTES bytes, $RECORDS records; machine: $(nproc) cores, $(uname -m)"
hyperfine --warmup 1 --runs 3 --export-json "$WORK/times.json" \
  -n "rg -c -F -i -f keywords (1 thread)" "rg -j1 -c -F -i -f $WORK/keywords.txt $CORPUS > /dev/null" \
  -n "lure scan --no-model --jobs 1" "$LURE scan -q --no-model --jobs 1 $CORPUS > /dev/null" \
  -n "lure scan --jobs 1" "$LURE scan -q --jobs 1 $CORPUS > /dev/null" \
  -n "lure scan --jobs 2" "$LURE scan -q --jobs 2 $CORPUS > /dev/null" \
  -n "lure scan --low-memory --jobs 2" "$LURE scan -q --low-memory --jobs 2 $CORPUS > /dev/null"
python3 - "$WORK/times.json" "$BYTES" "$RECORDS" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
size, records = int(sys.argv[2]), int(sys.argv[3])
base = results[0]["mean"]
for r in results:
    t = r["mean"]
    print(f"{r['command']:<36} {t:8.2f} s  {size / t / 1e6:7.1f} MB/s  {records / t:9.0f} ads/s  {t / base:5.1f}x rg")
PY
for options in "--jobs 1" "--jobs 2" "--low-memory --jobs 1" "--low-memory --jobs 2"; do
  # shellcheck disable=SC2086 # the options are words
  /usr/bin/time -f "peak RSS, lure scan $options: %M KB" "$LURE" scan -q $options "$CORPUS" > /dev/null
done
echo '{"text":"x"}' > "$WORK/one.jsonl"
hyperfine --warmup 3 --runs 20 -N -n "start-up (one ad, embedded rules and model)" "$LURE scan -q $WORK/one.jsonl" | grep -E "Time|start-up"
