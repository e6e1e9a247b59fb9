#!/usr/bin/env bash
# The whole test suite: strict type-check, the compiled executable, then every test under Deno and Bun.
# Ends with one plain line "N passed, N failed" (CI's log reader knows it) and fails when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
status=0
# A log, not a terminal: no colour codes in it (NO_COLOR alone: Deno takes any FORCE_COLOR, even 0, as "on").
if [ ! -t 1 ]; then export NO_COLOR=1; fi

echo "== deno check"
if ! "$bin/deno" check --quiet mod.ts tests/ scripts/; then status=1; check_failed=1; fi

echo "== bun build --compile (this machine's executable, so the e2e tests also drive the binary)"
if ! sh scripts/compile.sh mod.ts dist/runos; then status=1; build_failed=1; fi

echo "== deno test"
# --quiet: no "Check <file>" line per test file before the tests run (the check above covered them).
"$bin/deno" test --quiet -A tests/ 2>&1 | tee "$log/deno.txt"
deno_rc=${PIPESTATUS[0]}

echo "== bun test"
"$bin/bun" test 2>&1 | tee "$log/bun.txt"
bun_rc=${PIPESTATUS[0]}

strip() { sed -e 's/\x1b\[[0-9;]*m//g' "$1"; }
# Deno's summary counts top-level tests ("ok | 116 passed (794 steps)"), Bun's counts leaf tests
# ("792 pass"). Count like with like: Deno's leaf tests are its "... ok" / "... FAILED" lines minus
# the closing lines of groups (each group also opens with a line ending in " ...").
deno_summary=$(strip "$log/deno.txt" | grep -E '^(ok|FAILED) \|' | tail -1)
deno_ok_lines=$(strip "$log/deno.txt" | grep -cE '\.\.\. ok( |$)' || true)
deno_failed_lines=$(strip "$log/deno.txt" | grep -cE '\.\.\. FAILED( |$)' || true)
deno_groups=$(strip "$log/deno.txt" | grep -cE ' \.\.\.$' || true)
deno_failed_groups=$(strip "$log/deno.txt" | grep -c 'FAILED (due to' || true)
deno_failed=$(( deno_failed_lines - deno_failed_groups ))
deno_passed=$(( deno_ok_lines - (deno_groups - deno_failed_groups) ))
[ -n "$deno_summary" ] || deno_passed=
# Bun: " 792 pass" / " 0 fail" lines.
bun_passed=$(strip "$log/bun.txt" | grep -E '^ *[0-9]+ pass$' | tail -1 | tr -dc '0-9')
bun_failed=$(strip "$log/bun.txt" | grep -E '^ *[0-9]+ fail$' | tail -1 | tr -dc '0-9')

passed=$(( ${deno_passed:-0} + ${bun_passed:-0} ))
failed=$(( ${deno_failed:-0} + ${bun_failed:-0} ))
echo "deno: ${deno_passed:-?} leaf tests passed, ${deno_failed:-?} failed (its own summary: ${deno_summary:-none}; exit $deno_rc)"
echo "bun: ${bun_passed:-?} leaf tests passed, ${bun_failed:-?} failed (exit $bun_rc)"
if [ "$deno_rc" -ne 0 ] || [ "$bun_rc" -ne 0 ] || [ -z "${deno_passed:-}" ] || [ -z "${bun_passed:-}" ]; then
  status=1
  [ "$failed" -gt 0 ] || failed=1
fi
[ "${check_failed:-0}" -eq 1 ] && failed=$(( failed + 1 )) && echo "deno check failed"
[ "${build_failed:-0}" -eq 1 ] && failed=$(( failed + 1 )) && echo "compiling the executable failed"
echo "$passed passed, $failed failed"
exit $status
