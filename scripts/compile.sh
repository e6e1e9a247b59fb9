#!/bin/sh
# The one way runos (and the bench's floor server) is compiled into a single-file executable:
#   sh scripts/compile.sh ENTRY OUTFILE [TARGET]      TARGET: linux-x64, darwin-arm64, windows-x64, …
# `bun build --compile --minify --bytecode --format=esm --splitting`. Split, the modules a dynamic
# import() leaves out (the CLI's commands, the MCP SDK until the handshake is answered, msw) are
# chunks inside the executable that load only when imported, instead of one bundle every start pays
# for. RUNOS_COMPILE_SPLIT=0 leaves --splitting out: the bench compiles its floor (one module, no
# dynamic import) so, as it starts 4 MiB smaller unsplit. The commit and build date are injected into
# src/version.ts by --define, so the binary never runs git. Override them with RUNOS_BUILD_COMMIT and
# RUNOS_BUILD_DATE (or SOURCE_DATE_EPOCH for the date). A cross-compile fetches Bun's base binary for
# TARGET from the npm registry once (cached in ~/.bun/install/cache). runos itself (ENTRY mod.ts) has
# its bytecode laid out by the profiles of scripts/bytecode_order/ (`--bytecode-order`, Bun's
# profile-guided layout: what a server's start uses lies together, so the start touches fewer pages
# of the executable); `make bytecode-order` records them again.
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: sh scripts/compile.sh ENTRY OUTFILE [TARGET]" >&2
  exit 2
fi
entry=$1
outfile=$2
target=${3:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
bun="$root/node_modules/.bin/bun"

if [ -z "${RUNOS_BUILD_COMMIT:-}" ]; then
  RUNOS_BUILD_COMMIT=$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
  if [ "$RUNOS_BUILD_COMMIT" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    RUNOS_BUILD_COMMIT="$RUNOS_BUILD_COMMIT-dirty"
  fi
fi
if [ -z "${RUNOS_BUILD_DATE:-}" ]; then
  if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    RUNOS_BUILD_DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d 2>/dev/null || date -u -r "$SOURCE_DATE_EPOCH" +%Y-%m-%d)
  else
    RUNOS_BUILD_DATE=$(date -u +%Y-%m-%d)
  fi
fi
case "$RUNOS_BUILD_COMMIT$RUNOS_BUILD_DATE" in
  *[!A-Za-z0-9._-]*) echo "compile.sh: RUNOS_BUILD_COMMIT and RUNOS_BUILD_DATE may hold only letters, digits, '.', '_' and '-'" >&2; exit 2 ;;
esac

set -- --compile --minify --bytecode --format=esm
[ "${RUNOS_COMPILE_SPLIT:-1}" = 0 ] || set -- "$@" --splitting
[ -n "$target" ] && set -- "$@" "--target=bun-$target"
order="$root/scripts/bytecode_order"
if [ "$(basename "$entry")" = mod.ts ] && [ -f "$order/signed_in.txt" ] && [ -f "$order/embedded.txt" ] && [ -f "$order/signed_in_all.txt" ]; then
  set -- "$@" "--bytecode-order=$order/signed_in.txt,$order/embedded.txt,$order/signed_in_all.txt"
fi
exec "$bun" build "$@" \
  --define "RUNOS_BUILD_COMMIT=\"$RUNOS_BUILD_COMMIT\"" \
  --define "RUNOS_BUILD_DATE=\"$RUNOS_BUILD_DATE\"" \
  "$entry" --outfile "$outfile"
