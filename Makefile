# runos: every task a developer or CI runs. Deno and Bun come from npm into node_modules/.bin.
BIN      := node_modules/.bin
DENO     := $(BIN)/deno
BUN      := $(BIN)/bun
TARGETS  := linux-x64 linux-arm64 darwin-x64 darwin-arm64 windows-x64

.PHONY: demo install test check test-deno test-bun e2e bench build build-host snapshots readme clean

## demo: install what is missing, then run an MCP client against `runos mcp serve read --sandbox`
demo: install
	$(DENO) run -A scripts/demo.ts

## install: dependencies, Deno and Bun from the npm registry, pinned by package-lock.json
install: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
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

## bench: start-up, per-call overhead and tools/list size, and redaction of a 100 KB result (benchmarks, never tests)
bench: install build-host
	$(BUN) tests/bench/startup_bench.ts
	$(BUN) tests/bench/redact_bench.ts

## build: standalone single-file executables for every platform into dist/
build: install
	@for target in $(TARGETS); do \
	  ext=; case $$target in windows-*) ext=.exe;; esac; \
	  echo "building dist/runos-$$target$$ext"; \
	  $(BUN) build --compile --minify --bytecode --format=esm --target=bun-$$target mod.ts --outfile dist/runos-$$target$$ext || exit 1; \
	done

## build-host: just this machine's executable, as dist/runos
build-host: install
	$(BUN) build --compile --minify --bytecode --format=esm mod.ts --outfile dist/runos

## snapshots: rewrite fixtures/snapshots/tools_list.<tier>.json from the current catalog
snapshots: install
	UPDATE_SNAPSHOTS=1 $(DENO) test -A tests/mcp/

## readme: regenerate README.md's tool table from the embedded catalog (a test checks it is current)
readme: install
	$(DENO) run -A scripts/readme_tools.ts

clean:
	rm -rf dist
