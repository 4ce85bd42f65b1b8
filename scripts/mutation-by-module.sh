#!/usr/bin/env bash
# Runs Stryker (stryker.config.js) one module at a time, each with its own report and incremental
# file, so that a module's score is known as soon as its run ends: reports/mutation/<module>.*
# Usage: bash scripts/mutation-by-module.sh [module...]  (default: all, in the order below)
set -uo pipefail
cd "$(dirname "$0")/.."
src=libs/redis-config/src
declare -A files=(
  [rollout-state]="$src/wire/rollout-state.ts"
  [config-group-record]="$src/wire/config-group-record.ts"
  [effective-config]="$src/node/effective-config.ts"
  [env]="$src/utils/env.ts"
  [glob]="$src/utils/glob.ts"
  [secrets]="$src/secrets/*.ts"
  [options]="$src/options/*.ts"
  [placement]="libs/redis-config/test/placement-oracle/decide-placement.ts"
)
# RCC_MUTATION_OWN_SPECS=1: each module is judged by its own specs only (beside it), not by every unit
# spec that happens to reach it: several times faster (a mutant no longer loads the specs of the
# modules built on it), and a score that says what the module's own tests prove.
own_specs() { # the spec files beside a module's sources, as a regular expression
  local path=${1#"$src"/}
  path=${path//./\\.}
  path=${path//\*/[^/]*}
  printf '%s' "${path%\\.ts}(\\.[a-z]+)?\\.spec\\.ts\$"
}
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(rollout-state config-group-record effective-config env glob secrets options placement)
mkdir -p reports/mutation
for module in "${modules[@]}"; do
  started=$(date +%s)
  if [ "${RCC_MUTATION_OWN_SPECS:-}" = 1 ]; then
    RCC_MUTATION_SPECS=$(own_specs "${files[$module]}")
    export RCC_MUTATION_SPECS
  fi
  npx stryker run --mutate "${files[$module]},!$src/**/*.spec.ts" \
    --incremental --incrementalFile "reports/mutation/$module.incremental.json" \
    --reporters clear-text,json,progress-append-only >"reports/mutation/$module.log" 2>&1
  status=$?
  cp reports/mutation/mutation.json "reports/mutation/$module.json" 2>/dev/null
  echo "$module: exit $status in $(($(date +%s) - started)) s"
done
