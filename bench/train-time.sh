#!/usr/bin/env bash
# Whole-process time of a default `converge train` on a generated table (issue 17's "≤ 30 s for 50,000 rows").
# Usage: bench/train-time.sh [ROWS]   (default 50000; 16 Gaussian numeric columns, a 30-level and a 3-level
# category, a noisy label with an interaction; seed 17). Prints rows, wall time, peak RSS, members and AUC.
set -euo pipefail
rows=${1:-50000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$rows" "$work/t.csv" <<'PY'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(17)
cities = [f"c{i}" for i in range(30)]
with open(path, "w") as f:
    f.write(",".join(f"x{i}" for i in range(16)) + ",city,plan,label\n")
    for _ in range(rows):
        xs = [r.gauss(0, 1) for _ in range(16)]
        c, p = r.choice(cities), r.choice("abc")
        z = xs[0] + 0.5 * xs[1] * xs[2] - 0.7 * xs[3] + (0.8 if c in cities[:5] else 0) + (0.5 if p == "a" else 0) + r.gauss(0, 1)
        f.write(",".join(f"{v:.4f}" for v in xs) + f",{c},{p},{1 if z > 0.3 else 0}\n")
PY
dotnet build "$here/src/Converge.Cli" -c Release -o "$work/cli" -v q > /dev/null
load=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -v dotnet "$work/cli/converge.dll" train "$work/t.csv" --label label --out "$work/m.safetensors" --no-plot --json \
    > "$work/out.json" 2> "$work/time.txt"
python3 - "$work/out.json" "$work/time.txt" "$rows" "$load" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t = open(sys.argv[2]).read().splitlines()
get = lambda key: next(l.split(": ")[-1].strip() for l in t if key in l)
print(f"rows={sys.argv[3]} wall={get('Elapsed (wall')} peak_rss_mb={int(get('Maximum resident')) // 1024} members={d['members']} "
      f"epochs={d['epochs_run']} roc_auc={d['validation']['roc_auc']:.4f} load_before=\"{sys.argv[4]}\"")
PY
