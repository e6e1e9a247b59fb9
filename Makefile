# runos: every task a developer or CI runs. Deno and Bun come from npm into node_modules/.bin.
BIN      := node_modules/.bin
DENO     := $(BIN)/deno
BUN      := $(BIN)/bun
TARGETS  := linux-x64 linux-arm64 darwin-x64 darwin-arm64 windows-x64

.PHONY: demo install test check test-deno test-bun e2e fuzz conformance clients bench bytecode-order build build-host release snapshots readme catalog-fixture clean

## demo: install what is missing, then run an MCP client against `runos mcp serve read --sandbox`
demo: install
	$(DENO) run -A scripts/demo.ts

## install: dependencies, Deno and Bun from the npm registry, pinned by package-lock.json. npm only
## installs here (runos runs on Deno and Bun), so its EBADENGINE warnings about packages that want a newer
## Node (commander, content-type) are dropped; which install scripts may run is package.json's allowScripts.
install: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	bash -o pipefail -c 'npm ci --no-audit --no-fund 2>&1 | { grep -v "EBADENGINE" || true; }'
	touch $@

## test: type-check, then the whole suite under Deno and under Bun, with one summary line
test: install
	bash scripts/test.sh

check: install
	$(DENO) check mod.ts tests/ scripts/

test-deno: install
	$(DENO) test -A tests/

test-bun: install
	$(BUN) test

## e2e: the end-to-end tests (tier servers and config writers as real processes) under both runtimes
e2e: install
	$(DENO) test -A tests/e2e/
	$(BUN) test tests/e2e

## conformance: the MCP conformance suite (pinned in package.json) against `mcp serve <tier> --http`
## for every tier, through a loopback proxy adding the token; Node 24 comes from npm when PATH's node
## is older than 22. Not part of `make test`: its first run downloads Node (see README).
conformance: install
	$(BUN) scripts/conformance.ts

## clients: real assistants (pinned, from npm into ~/.cache/runos-clients) configured by `runos mcp configure
## <client> --sandbox`, each driven by a scripted stand-in for its model API: what the model is shown, and
## that only the read server runs unasked. CLIENTS=opencode,claude for fewer. Writes tests/clients/results.md.
## Not part of `make test`.
clients: install build-host
	$(BUN) scripts/clients.ts

## bench: cold start, memory and per-call overhead against the SDK floor and the Go anchor, written to
## bench/results.md (BENCH_RUNS=11 rounds, BENCH_CALLS=200 calls; BENCH_COMPARE="rev rev …" also builds and
## measures those commits: "What each change bought"); tools/list bytes per tier into bench/tool_bytes.md;
## redaction of a 100 KB result. Benchmarks, never tests.
bench: install build-host
	RUNOS_COMPILE_SPLIT=0 sh scripts/compile.sh tests/bench/floor_server.ts dist/bench/floor_server
	$(BUN) tests/bench/startup_bench.ts
	$(BUN) tests/bench/tool_bytes.ts
	$(BUN) tests/bench/redact_bench.ts

## bytecode-order: record the bytecode a compiled server's start uses (signed in on a RunOS-sized cache,
## not signed in, --tools all) into scripts/bytecode_order/, which scripts/compile.sh lays runos out by;
## run it again when the start's code has changed much, then rebuild. See scripts/bytecode_order.ts.
bytecode-order: install build-host
	$(BUN) scripts/bytecode_order.ts

## fuzz: the seeded fuzz suite at full size (make test runs 2,000 messages per part; FUZZ_SEED=n replays a run)
fuzz: install
	FUZZ_MESSAGES=12000 $(DENO) test -A tests/fuzz/
	FUZZ_MESSAGES=12000 $(BUN) test tests/fuzz

## build: standalone single-file executables for every platform into dist/ (see scripts/compile.sh)
build: install
	@for target in $(TARGETS); do \
	  ext=; case $$target in windows-*) ext=.exe;; esac; \
	  echo "building dist/runos-$$target$$ext"; \
	  sh scripts/compile.sh mod.ts dist/runos-$$target$$ext $$target || exit 1; \
	done

## build-host: just this machine's executable, as dist/runos
build-host: install
	sh scripts/compile.sh mod.ts dist/runos

## release: an archive per platform (runos + README.md) and SHA256SUMS into dist/release/;
## `make release TARGETS=linux-x64` for fewer (see scripts/release.ts)
release: install
	$(BUN) scripts/release.ts $(TARGETS)

## snapshots: rewrite fixtures/snapshots/tools_list.<tier>.json from the current catalog, and the help
## snapshots in fixtures/snapshots/help/
snapshots: install
	UPDATE_SNAPSHOTS=1 $(DENO) test -A tests/mcp/ tests/cli/for_people_test.ts

## readme: regenerate README.md's tool table from the embedded catalog (a test checks it is current)
readme: install
	$(DENO) run -A scripts/readme_tools.ts

## catalog-fixture: regenerate fixtures/catalog/runos_full.json and vllm_45_6_0.json (a test checks they are current)
catalog-fixture: install
	$(DENO) run -A scripts/gen_full_catalog.ts

clean:
	rm -rf dist
