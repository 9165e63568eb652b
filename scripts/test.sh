#!/usr/bin/env bash
# The full check: provision, codegen drift, types, lint, then jest. Extra arguments go to jest.
# Ends with one line "N passed, N failed[, N skipped]" and jest's exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/provision.sh --quiet --browser
if [[ -f codegen.yml ]]; then npx graphql-codegen --config codegen.yml --check; fi
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p web/tsconfig.json
# The browser tests (test/web) drive the built apps.
npx tsx scripts/build-web.ts
if compgen -G 'eslint.config.*' >/dev/null || compgen -G '.eslintrc*' >/dev/null; then npx eslint .; fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?

# A failed run that died before reporting (e.g. global setup failed) counts as one failure.
node -e '
  const fs = require("fs");
  let r;
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { r = undefined; }
  if (!r) { console.log(`0 passed, ${process.argv[2] === "0" ? 0 : 1} failed`); process.exit(0); }
  // A suite that fails to load reports no failed test; count it so "0 failed" means green.
  const brokenSuites = r.testResults.filter((s) => s.status === "failed" && !s.assertionResults.some((a) => a.status === "failed")).length;
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" "$status"
exit "$status"
