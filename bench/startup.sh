#!/usr/bin/env bash
# Whole-process start-up of the converge tool: `--help` and `predict` of a 1,000-row CSV, for the
# JIT build, a ReadyToRun publish and a Native AOT publish (docs/performance.md, "Start-up").
# usage: bench/startup.sh [runs]     (default 9; SKIP_BUILD=1 reuses artifacts/startup/*)
# Prints, per variant and command, the median and range of wall seconds and the median CPU seconds.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
out=artifacts/startup
export MSBUILDDISABLENODEREUSE=1
if [[ -z "${SKIP_BUILD:-}" ]]; then
  dotnet build -c Release src/Converge.Cli -v q -nologo -o "$out/jit" >&2 || exit 1
  dotnet publish -c Release src/Converge.Cli -r linux-x64 --self-contained false -v q -nologo -o "$out/r2r" >&2 || exit 1
  dotnet publish -c Release src/Converge.Cli -r linux-x64 -p:PublishAot=true -v q -nologo -o "$out/aot" >&2 \
    || echo "notice: the Native AOT publish failed here; its rows are skipped." >&2
fi
[[ -f artifacts/bin/Converge.Benchmarks/release/Converge.Benchmarks.dll ]] || dotnet build -c Release bench/Converge.Benchmarks -v q -nologo >&2 || exit 1
dotnet artifacts/bin/Converge.Benchmarks/release/Converge.Benchmarks.dll predict-fixture "$out/fixture" >/dev/null || exit 1
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each"
echo "| variant | command | median wall s | range | median CPU s (user+sys) |"
echo "|---|---|---:|---:|---:|"
for variant in jit r2r aot; do
  exe="$out/$variant/converge"
  [[ -x $exe ]] || continue
  for command in help predict; do
    args=(--help)
    [[ $command == predict ]] && args=(predict "$out/fixture/circles.model" "$out/fixture/rows-1000.csv")
    walls=(); cpus=()
    for ((i = 0; i < runs; i++)); do
      /usr/bin/time -o "$out/time.txt" -f "%e %U %S" "$exe" "${args[@]}" >/dev/null 2>&1
      read -r wall user sys < "$out/time.txt"
      walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)")
    done
    sorted=($(printf '%s\n' "${walls[@]}" | sort -n)); csorted=($(printf '%s\n' "${cpus[@]}" | sort -n))
    echo "| $variant | ${command} | ${sorted[$((runs / 2))]} | ${sorted[0]}–${sorted[$((runs - 1))]} | ${csorted[$((runs / 2))]} |"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
