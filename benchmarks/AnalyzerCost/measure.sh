#!/usr/bin/env bash
# Analyzer-cost measurement: builds the corpora with and without AgentGuard's analyzers and a peer pack.
# Usage: benchmarks/AnalyzerCost/measure.sh [--rounds N] [--files N] [--corpus library|agents|both]
#        [--peer meziantou|roslynator] [--with-both] [--no-build] [--work DIR] [--results DIR]
#    or: benchmarks/AnalyzerCost/measure.sh --corpus real --project PATH.csproj[:TFM] [--project ...]
#        [--add-package ID@VERSION] [--rounds N] [--no-build]
# See README.md beside this script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,7p' "$0"; exec python3 "$here/measure.py" --help ;;
    *) args+=("$a") ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ "$build" = 1 ]; then
  echo "building AgentGuard (Release): analyzers + generator, runtime (net8.0) ..." >&2
  dotnet build "$repo/src/AgentGuard.Analyzers/AgentGuard.Analyzers.csproj" -c Release -nologo -v:q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false >&2
  dotnet build "$repo/src/AgentGuard/AgentGuard.csproj" -c Release -f net8.0 -nologo -v:q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false >&2
fi
exec python3 "$here/measure.py" "${args[@]+"${args[@]}"}"
