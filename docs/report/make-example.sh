#!/usr/bin/env bash
# Regenerates docs/report/example.html (a default `train --report` on the breast-cancer sample) and
# example.png (the top of the page in headless Chromium, 1280 px wide). Needs Debian's chromium.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/samples/breast-cancer.csv" "$work/"
dotnet build "$here/src/Converge.Cli" -c Release -o "$work/cli" -v q > /dev/null
cd "$work"
dotnet cli/converge.dll train breast-cancer.csv --label diagnosis --out cancer.safetensors --no-plot --quiet --report example.html > /dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1500 \
    --screenshot="$work/example.png" "file://$work/example.html" > /dev/null 2>&1
mv "$work/example.html" "$here/docs/report/example.html"
mv "$work/example.png" "$here/docs/report/example.png"
echo "wrote docs/report/example.html and docs/report/example.png"
