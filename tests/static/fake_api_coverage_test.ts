import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import baselineJson from "../../src/catalog/baseline.json" with { type: "json" };
import manifestJson from "../../fixtures/catalog/manifest.json" with { type: "json" };
import { buildOperations } from "../../src/catalog/operation.ts";
import { type Catalog, parseCatalog } from "../../src/catalog/schema.ts";
import { MAX_TOOL_NAME_LENGTH } from "../../src/catalog/naming.ts";
import { FIXTURE_FILES, loadCatalogFixture, SERVABLE_CATALOGS } from "../../src/fake_api/mod.ts";
import { COMMAND_HANDLERS, handlerFor } from "../../src/fake_api/resources/registry.ts";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { SAMPLE_ARGS } from "../_harness/sample_args.ts";
import { requestFor } from "../_harness/catalog_sample_args.ts";

function catalog(value: unknown): Catalog {
  const parsed = parseCatalog(value);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.catalog;
}

const baseline = catalog(baselineJson);
const manifest = catalog(manifestJson);
const root = fileURLToPath(new URL("../../", import.meta.url));

describe("fake API coverage of the catalogs and fixtures", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("baseline and served catalogs give unique tool names within the length limit", () => {
    for (const source of [baseline, manifest]) {
      const names = buildOperations(source).map((operation) => operation.toolName);
      assert.equal(new Set(names).size, names.length);
      assert.ok(names.every((name) => name.length <= MAX_TOOL_NAME_LENGTH));
    }
  });

  it("the served catalog holds every baseline command unchanged plus at least one new one", () => {
    const served = new Map(manifest.commands.map((command) => [command.command, command]));
    for (const command of baseline.commands) assert.deepEqual(served.get(command.command), command, command.command);
    assert.ok(manifest.commands.length > baseline.commands.length);
    assert.notEqual(manifest.version, baseline.version);
  });

  it("every command of both catalogs has a fake API handler", () => {
    for (const command of [...baseline.commands, ...manifest.commands]) {
      assert.equal(typeof COMMAND_HANDLERS[command.command], "function", `no handler for ${command.command}`);
    }
  });

  it("every command of the RunOS-shaped catalogs has a handler, the generic one counting for them only", async () => {
    for (const name of ["runos_full", "vllm_45_6_0"] as const) {
      for (const command of (await loadCatalogFixture(name)).commands) assert.ok(handlerFor(command.command, true) !== undefined, `${name}: ${command.command}`);
    }
    for (const command of [...baseline.commands, ...manifest.commands]) assert.equal(handlerFor(command.command, false)?.kind, "deep", command.command);
  });

  it("every command of the served catalog answers 2xx to a well-formed call", async () => {
    for (const operation of buildOperations(manifest)) {
      h.api.reset();
      const args = SAMPLE_ARGS[operation.command];
      assert.ok(args !== undefined, `no sample arguments for ${operation.command}`);
      const request = requestFor(operation, { ...args });
      const answer = await call(h, operation.method, request.path, { query: request.query, body: request.body });
      const blockedDelete = answer.status === 409 && Array.isArray(answer.body?.dependents);
      assert.ok((answer.status >= 200 && answer.status < 300) || blockedDelete, `${operation.command} → ${answer.status} ${JSON.stringify(answer.body)}`);
      if (operation.returnsJob && !blockedDelete) assert.match(String(answer.body.jobId), /^[0-9a-f-]{36}$/, operation.command);
    }
  });

  it("every state fixture and the served catalog are read by the seed; every other catalog fixture is servable or read by a test, by name", () => {
    const state = readdirSync(`${root}fixtures/state`).filter((name) => name.endsWith(".json")).map((name) => `fixtures/state/${name}`);
    const catalogs = readdirSync(`${root}fixtures/catalog`).filter((name) => name.endsWith(".json")).map((name) => `fixtures/catalog/${name}`);
    const seeded = catalogs.filter((path) => FIXTURE_FILES.includes(path));
    assert.deepEqual([...state, ...seeded].sort(), [...FIXTURE_FILES].sort());
    const servable = new Set<string>(Object.values(SERVABLE_CATALOGS));
    const testSources = testFiles(`${root}tests`).map((path) => readFileSync(path, "utf8")).join("\n");
    for (const path of catalogs.filter((candidate) => !FIXTURE_FILES.includes(candidate) && !servable.has(candidate))) {
      const name = path.slice("fixtures/catalog/".length, -".json".length);
      assert.ok(testSources.includes(`"${name}"`), `${path} is read by no test (loadCatalogFixture("${name}"))`);
    }
  });
});

/** Every .ts file under `dir`. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(`${dir}/${entry.name}`) : entry.name.endsWith(".ts") ? [`${dir}/${entry.name}`] : []
  );
}
