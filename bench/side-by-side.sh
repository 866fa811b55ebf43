#!/usr/bin/env bash
# Converge and PyTorch on the same workloads in one run, then a table of times, ratios and final losses.
# usage: bench/side-by-side.sh [W1 W1-raw W2 W3 W4]   (default: all; output also in bench/results/side-by-side.latest.md)
# PyTorch is Debian's python3-torch with OpenBLAS (installed with apt-get when missing and permitted);
# when it cannot be had, its column is skipped with a notice.
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
for w in "${workloads[@]}"; do
  echo "running $w ..." >&2
  echo "converge $(bench/run.sh "$w")" >> "$out"
  echo "load $w converge $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  if [[ $torch_ok == 1 ]]; then
    echo "pytorch $("$python" bench/peers/pytorch_workloads.py "$w")" >> "$out"
    echo "load $w pytorch $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  fi
done

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
print("# Converge vs PyTorch, side by side\n")
for line in open(sys.argv[2]):
    print("- " + line.strip())
print("\n| workload | metric | Converge | PyTorch | PyTorch / Converge | final loss Converge | final loss PyTorch | accuracy C / P | 1-min load C / P |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
metrics = [("us_per_step", "µs per step (median of 7 runs of 1000 steps)", False), ("s_per_epoch", "s per epoch (mean of 3)", False),
           ("single_row_us", "single row, median µs (10,000 calls)", False), ("batch_rows_per_s", "batch rows/s (4,096 per call)", True)]
for w, peers in rows.items():
    c, p = peers.get("converge", {}), peers.get("pytorch", {})
    for key, label, higher_is_better in metrics:
        if key not in c:
            continue
        cv, pv = c[key], p.get(key)
        ratio = "" if pv is None else f"{(cv / pv if higher_is_better else pv / cv):.1f}×"
        fl = lambda d: f"{d['final_loss']:.7g}" if "final_loss" in d else ""
        acc = lambda d: f"{d['accuracy']:.4f}" if "accuracy" in d else ""
        print(f"| {w} | {label} | {cv:,} | {'' if pv is None else f'{pv:,}'} | {ratio} | {fl(c)} | {fl(p)} | {acc(c)} / {acc(p)} | {load.get((w, 'converge'), '')} / {load.get((w, 'pytorch'), '')} |")
print("\nRatios are PyTorch time / Converge time (batch: Converge rate / PyTorch rate): above 1 means Converge is faster.")
print("\nRaw JSON lines:\n")
for w, peers in rows.items():
    for who, data in peers.items():
        print(f"    {who}: {json.dumps(data)}")
PY
