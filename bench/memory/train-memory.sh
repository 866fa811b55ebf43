#!/usr/bin/env bash
# Peak memory of `converge train` on generated numeric CSVs (issue 13, item 10).
# Usage: bench/memory/train-memory.sh ROWS [COLS]   (writes the CSV to /tmp and deletes it after)
#   CONVERGE_MEM_CSV=/tmp/x.csv keeps the generated CSV there (and reuses it if it exists: the
#   generator is seeded, so the file is the same; 10 M rows take minutes to write).
# Prints rows, columns, CSV size, wall time and peak RSS (from /usr/bin/time -v) with the load
# average, the machine and the commit.
set -euo pipefail
rows=${1:-1000000}; cols=${2:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -n "${CONVERGE_MEM_CSV:-}" ]]; then
    csv=$CONVERGE_MEM_CSV
    trap 'rm -f "$csv.model" "$csv.time"' EXIT
else
    csv=$(mktemp /tmp/converge-mem-XXXXXX.csv)
    trap 'rm -f "$csv" "$csv.model" "$csv.time"' EXIT
fi
[[ -s "$csv" ]] || python3 - "$rows" "$cols" "$csv" <<'PY'
import random, sys
rows, cols, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
r = random.Random(13)
with open(path, "w") as f:
    f.write(",".join(f"x{i}" for i in range(cols)) + ",label\n")
    for _ in range(rows):
        xs = [r.gauss(0, 1) for _ in range(cols)]
        f.write(",".join(f"{v:.5f}" for v in xs) + ("," + ("1" if xs[0] + xs[1] > 0 else "0")) + "\n")
PY
dotnet build "$here/src/Converge.Cli" -c Release -v q >/dev/null
size=$(du -m "$csv" | cut -f1)
load=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -v dotnet "$here/artifacts/bin/Converge.Cli/release/converge.dll" train "$csv" --label label --epochs 1 \
    --out "$csv.model" --no-plot --no-diagnosis -q > /dev/null 2> "$csv.time" || { cat "$csv.time"; exit 1; }
peak=$(grep "Maximum resident" "$csv.time" | awk '{print $NF}')
wall=$(grep "Elapsed (wall" "$csv.time" | awk '{print $NF}')
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "rows=$rows cols=$cols csv_mb=$size wall=$wall peak_rss_mb=$((peak / 1024)) load_before=\"$load\" load_after=\"$(cut -d' ' -f1-3 /proc/loadavg)\" cpu=\"$cpu\" cores=$(nproc) commit=$commit"
