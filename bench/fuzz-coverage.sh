#!/usr/bin/env bash
# Coverage-guided fuzzing (issue 13) of the CSV readers and the model loader: AFL++ drives
# fuzz/Converge.Fuzz, whose Converge.Core.dll is instrumented by SharpFuzz. Longer than CI; run by hand.
#   bench/fuzz-coverage.sh csv|model|metadata [SECONDS]     (default 600; findings in artifacts/fuzz/TARGET/)
# csv: the table and streaming readers; model: whole model files (most mutations meet the checksums);
# metadata: the metadata JSON, resealed with a recomputed checksum, so every semantic check is reached.
# Installs afl++ (apt) and the SharpFuzz tool (NuGet) when missing. A crash is any exception other
# than the parser's user-facing one (DataError, ModelFileException), or the table and streaming
# readers disagreeing; each saved crash is replayed at the end with its message.
set -euo pipefail
target=${1:?usage: bench/fuzz-coverage.sh csv|model|metadata [SECONDS]}
seconds=${2:-600}
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/artifacts/fuzz/$target"
tools="$here/artifacts/fuzz/tools"

if ! command -v afl-fuzz > /dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ > /dev/null
fi
[ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" > /dev/null

rm -rf "$out/bin" "$out/seeds"
mkdir -p "$out/seeds"
dotnet publish "$here/fuzz/Converge.Fuzz" -c Release -o "$out/bin" -v q > /dev/null
"$tools/sharpfuzz" "$out/bin/Converge.Core.dll"

case "$target" in
csv)
    # Small real files (heads of the samples, the cp1252 export) and hand-made edge cases.
    head -c 1500 "$here/samples/breast-cancer.csv" > "$out/seeds/cancer.csv"
    head -c 600 "$here/samples/heart-rate.csv" > "$out/seeds/hr.csv"
    head -c 1500 "$here/tests/Converge.Tests/TestData/excel-export-cp1252.csv" > "$out/seeds/cp1252.csv"
    printf 'id,"na,me",v\r\n1,"a ""q"" b",2.5\r\n2,,\r\n' > "$out/seeds/quoted.csv"
    printf 'a;b;label\n1,5;x;yes\n2,25;y;no\n' > "$out/seeds/semicolon.csv"
    ;;
model|metadata)
    # A tiny model of the heart-rate sample (one feature, hidden 2), a cross-fitted one and a calibrated one.
    mkdir -p "$out/tensors"
    train() { dotnet run --project "$here/src/Converge.Cli" -c Release -- train "$here/samples/heart-rate.csv" --label high \
        --hidden 2 --epochs 3 --no-plot --no-diagnosis -q "$@" > /dev/null; }
    train --preset fast --out "$out/tensors/single.safetensors"
    train --preset best --out "$out/tensors/ensemble.safetensors"
    train --preset fast --calibration platt --out "$out/tensors/calibrated.safetensors"
    if [ "$target" = model ]; then
        cp "$out"/tensors/*.safetensors "$out/seeds/"
    else
        export CONVERGE_FUZZ_TENSORS="$out/tensors"
        for f in "$out"/tensors/*.safetensors; do
            python3 - "$f" "$out/seeds/$(basename "$f" .safetensors).json" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
json.dump(json.loads(data[8:8 + n])["__metadata__"], open(sys.argv[2], "w"))
PY
        done
    fi
    ;;
*) echo "error: unknown target '$target' (csv or model)" >&2; exit 2 ;;
esac

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
load=$(cut -d' ' -f1-3 /proc/loadavg)
afl-fuzz -i "$out/seeds" -o "$out/findings" -t 10000 -m none -V "$seconds" -- "$out/bin/converge-fuzz" "$target" > "$out/afl.log" 2>&1 || true

stats="$out/findings/default/fuzzer_stats"
[ -f "$stats" ] || { tail -30 "$out/afl.log"; exit 1; }
get() { grep "^$1 " "$stats" | awk -F': ' '{print $2}'; }
echo "target=$target seconds=$seconds execs=$(get execs_done) execs_per_sec=$(get execs_per_sec) corpus=$(get corpus_count) edges_found=$(get edges_found) bitmap=$(get bitmap_cvg) crashes=$(get saved_crashes) hangs=$(get saved_hangs) load_before=\"$load\""
for crash in "$out"/findings/default/crashes/id*; do
    [ -f "$crash" ] || continue
    echo "--- $crash"
    "$out/bin/converge-fuzz" "$target" "$crash" 2>&1 | head -5 || true
done
