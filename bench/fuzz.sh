#!/usr/bin/env bash
# A longer run of the fuzz suite (docs/reliability.md): bench/fuzz.sh [SCALE]; CONVERGE_FUZZ_SEED varies the cases.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export CONVERGE_FUZZ_SCALE=${1:-100}
dotnet test "$here/tests/Converge.Tests" -c Release --filter "FullyQualifiedName~Converge.Tests.Fuzz"
