/**
 * `make bench`: how long redaction of a typical tool result takes. Not a test (no assertions, not named
 * `_test.ts`). The result is about 100 KB of JSON built from the fake API's fixtures the way RunOS's
 * list commands answer: apps (with env vars, secrets and deployments), services (with credentials),
 * nodes, jobs, API keys and an exec-sql table, repeated with fresh ids until it reaches the size. Prints
 * the median and p90 of `redactSensitive` over that value, and of `redactText` over its JSON text.
 * Run: `node_modules/.bin/bun tests/bench/redact_bench.ts` or `node_modules/.bin/deno run -A tests/bench/redact_bench.ts`.
 * Env: BENCH_KB (default 100), BENCH_RUNS (default 200).
 */
import process from "node:process";
import apps from "../../fixtures/state/apps.json" with { type: "json" };
import services from "../../fixtures/state/services.json" with { type: "json" };
import nodes from "../../fixtures/state/nodes.json" with { type: "json" };
import jobs from "../../fixtures/state/jobs.json" with { type: "json" };
import apiKeys from "../../fixtures/state/api_keys.json" with { type: "json" };
import { redactSensitive, redactText } from "../../src/redact/redact.ts";

const TARGET_BYTES = Number(process.env.BENCH_KB ?? 100) * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

/** One page of a mixed listing, ids suffixed with `n` so no two pages share strings. */
function page(n: number): unknown {
  const suffix = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/"id":"([^"]+)"/g, `"id":"$1-${n}"`));
  return {
    apps: suffix(apps),
    services: suffix(services),
    nodes: suffix(nodes),
    jobs: suffix(jobs),
    apiKeys: suffix(apiKeys),
    query: {
      columns: ["id", "email", "password_hash", "created_at"],
      rows: Array.from({ length: 20 }, (_, i) => [i + n * 20, `user${i}@example.com`, `$2b$10$${"x".repeat(22)}${i}`, "2025-06-01T00:00:00Z"]),
      rowCount: 20,
    },
  };
}

function typicalResult(): { value: unknown; bytes: number } {
  const items: unknown[] = [];
  let bytes = 2;
  for (let n = 0; bytes < TARGET_BYTES; n++) {
    const next = page(n);
    items.push(next);
    bytes += JSON.stringify(next).length + 1;
  }
  return { value: { items }, bytes };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function measure(label: string, run: () => unknown): void {
  for (let i = 0; i < 20; i++) run(); // warm up the JIT and the key caches, as a long-running server is
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  console.log(`${label.padEnd(36)} median ${percentile(times, 0.5).toFixed(3)} ms   p90 ${percentile(times, 0.9).toFixed(3)} ms`);
}

const { value, bytes } = typicalResult();
const text = JSON.stringify(value);
console.log(`redaction of a typical result: ${(bytes / 1024).toFixed(1)} KB of JSON, ${RUNS} runs`);
measure("redactSensitive(value)", () => redactSensitive(value));
measure("redactText(JSON text)", () => redactText(text));
