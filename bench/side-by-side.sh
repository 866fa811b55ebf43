#!/usr/bin/env bash
# Converge and its peers on the same workloads in one run, then a table of times, ratios and final losses.
# usage: bench/side-by-side.sh [W1 W1-raw W2 W3 W4]   (default: all)
# Peers: PyTorch 1.13 (Debian's python3-torch with OpenBLAS, installed with apt-get when missing and
# permitted) on every workload; ONNX Runtime (NuGet, in the benchmark project) on W4, on the W3 network
# written by Converge's ONNX export; TorchSharp-cpu 0.107 (bench/peers/torchsharp, libtorch 2.10 + MKL)
# on W3. A peer that cannot be had is skipped with a notice.
set -uo pipefail
cd "$(dirname "$0")/.."
workloads=("$@")
[[ ${#workloads[@]} -gt 0 ]] || workloads=(W1 W1-raw W2 W3 W4)
python=/usr/bin/python3
have_torch() { "$python" -c 'import torch' 2>/dev/null; }
if ! have_torch; then
  echo "PyTorch missing: trying apt-get install python3-torch libopenblas0-pthread" >&2
  if command -v apt-get >/dev/null && { [[ $(id -u) == 0 ]] || sudo -n true 2>/dev/null; }; then
    sudo_cmd=""; [[ $(id -u) == 0 ]] || sudo_cmd="sudo -n"
    $sudo_cmd apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-torch libopenblas0-pthread >&2
  fi
fi
torch_ok=0
if have_torch; then torch_ok=1; else echo "notice: PyTorch is not available; its column is skipped." >&2; fi

out=$(mktemp)
{
  echo "machine: $(lscpu | sed -n 's/^Model name:[ \t]*//p'), $(nproc) cores; $(grep -m1 '^flags' /proc/cpuinfo | grep -o 'avx2\|avx512f\|fma' | sort -u | tr '\n' ' ')"
  echo ".NET SDK $(dotnet --version); torch $([[ $torch_ok == 1 ]] && "$python" -c 'import torch; print(torch.__version__)' || echo n/a); BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out.head"

bench/run.sh >/dev/null 2>&1 || true   # build once
dll=artifacts/bin/Converge.Benchmarks/release/Converge.Benchmarks.dll
torchsharp_ok=0
if [[ " ${workloads[*]} " == *" W3 "* ]]; then
  if dotnet build -c Release bench/peers/torchsharp -v q -nologo >/dev/null 2>&1 \
     && dotnet artifacts/bin/TorchSharpW3/release/TorchSharpW3.dll --check >/dev/null 2>"$out.ts-err"; then
    torchsharp_ok=1
  else
    lib=$(ls artifacts/bin/TorchSharpW3/release/cpu/libLibTorchSharp.so 2>/dev/null | head -1)
    why=$([[ -n $lib ]] && LD_LIBRARY_PATH="$(dirname "$lib")" ldd "$lib" 2>&1 | grep -o "GLIBCXX_[0-9.]*' not found" | head -1)
    echo "notice: TorchSharp is not available here; its W3 column is skipped (${why:+libLibTorchSharp.so needs $why}${why:-build or load failed})." | tee -a "$out.head" >&2
  fi
fi
for w in "${workloads[@]}"; do
  echo "running $w ..." >&2
  echo "converge $(bench/run.sh "$w")" >> "$out"
  echo "load $w converge $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  if [[ $torch_ok == 1 ]]; then
    echo "pytorch $("$python" bench/peers/pytorch_workloads.py "$w")" >> "$out"
    echo "load $w pytorch $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  fi
  if [[ $w == W4 ]]; then
    if line=$(dotnet "$dll" peer-onnx W4 2>"$out.ort-err"); then
      echo "onnxruntime $line" >> "$out"
      echo "load $w onnxruntime $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
    else
      echo "notice: ONNX Runtime could not run here ($(head -c 200 "$out.ort-err")); its W4 column is skipped." | tee -a "$out.head" >&2
    fi
  fi
  if [[ $w == W3 && $torchsharp_ok == 1 ]]; then
    echo "torchsharp $(dotnet artifacts/bin/TorchSharpW3/release/TorchSharpW3.dll)" >> "$out"
    echo "load $w torchsharp $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  fi
done

gemm_rates=$(dotnet "$dll" gemm-rate 2>/dev/null)
echo "gemm-rate at load $(cut -d' ' -f1 /proc/loadavg): $(echo "$gemm_rates" | tr '\n' ' ')" >> "$out.head"

"$python" - "$out" "$out.head" <<'PY'
import json, sys
rows, load = {}, {}
for line in open(sys.argv[1]):
    who, _, rest = line.partition(" ")
    if who == "load":
        w, peer, value = rest.split()
        load[(w, peer)] = value
        continue
    try:
        data = json.loads(rest)
    except ValueError:
        continue
    rows.setdefault(data["workload"], {})[who] = data
print("# Converge and its peers, side by side\n")
for line in open(sys.argv[2]):
    print("- " + line.strip())
print("\n| workload | metric | Converge | peer | peer value | peer / Converge | final loss Converge | final loss peer | accuracy C / peer | 1-min load C / peer |")
print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
metrics = [("us_per_step", "µs per step (median of 7 runs of 1000 steps)", False), ("s_per_epoch", "s per epoch (mean of 3)", False),
           ("single_row_us", "single row, median µs (10,000 calls, each timed)", False),
           ("single_row_us_mean_of_block", "single row, mean µs (10,000 calls timed as one block)", False), ("batch_rows_per_s", "batch rows/s (4,096 per call)", True)]
names = {"pytorch": "PyTorch 1.13", "onnxruntime": "ONNX Runtime", "torchsharp": "TorchSharp 0.107"}
fl = lambda d: f"{d['final_loss']:.7g}" if "final_loss" in d else ""
acc = lambda d: f"{d['accuracy']:.4f}" if "accuracy" in d else ""
for w, peers in rows.items():
    c = peers.get("converge", {})
    for key, label, higher_is_better in metrics:
        if key not in c:
            continue
        cv = c[key]
        others = [(who, d) for who, d in peers.items() if who != "converge" and key in d] or [("", {})]
        for who, p in others:
            pv = p.get(key)
            ratio = "" if pv is None else f"{(cv / pv if higher_is_better else pv / cv):.2f}×"
            print(f"| {w} | {label} | {cv:,} | {names.get(who, who)} | {'' if pv is None else f'{pv:,}'} | {ratio} | {fl(c)} | {fl(p)} | {acc(c)} / {acc(p)} | {load.get((w, 'converge'), '')} / {load.get((w, who), '')} |")
    if "onnxruntime" in peers:
        print(f"| {w} | equal work: largest abs. difference of the 100,000 probabilities, ONNX Runtime vs Converge | | ONNX Runtime | {peers['onnxruntime'].get('max_abs_difference_vs_converge')} | | | | | |")
print("\nRatios are peer time / Converge time (batch: Converge rate / peer rate): above 1 means Converge is faster.")
print("\nRaw JSON lines:\n")
for w, peers in rows.items():
    for who, data in peers.items():
        print(f"    {who}: {json.dumps(data)}")
PY
