/**
 * The read tiers are mutation-free whatever a model tries: every tool the `read` and `sensitive-read`
 * servers list is called (destructive ones with `confirm: true`), every write tool of the catalog is
 * tried by name, and `exec-sql` is handed `DELETE FROM users` with and without `readWrite: true`.
 * Afterwards the fake API's request log holds no PUT, PATCH or DELETE and no mutating POST, and the
 * users table still has all its rows.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import baseline from "../../src/catalog/baseline.json" with { type: "json" };
import manifest from "../../fixtures/catalog/manifest.json" with { type: "json" };
import { parseCatalog } from "../../src/catalog/schema.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { createFakeApi, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { resultText, resultValue, type RunningServer, runosEnv, startServer } from "../_harness/mcp_client.ts";
import { callCapturing, CLUSTER, fastClock, IDS, isMutatingRequest, readWriteFlag, sampleArgs, type SweepCall, sweepListedTools } from "../_harness/sample_args.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

function operationsOf(value: unknown): Operation[] {
  const parsed = parseCatalog(value);
  if (!parsed.ok) throw new Error(`catalog does not parse: ${parsed.problems.join("; ")}`);
  return buildOperations(parsed.catalog);
}
/** Baseline plus what `manifest_update` brings in from the fake API's newer catalog. */
const OPERATIONS: readonly Operation[] = [
  ...operationsOf(baseline),
  ...operationsOf(manifest).filter((operation) => !operationsOf(baseline).some((known) => known.command === operation.command)),
];
const EXEC_SQL = "services_postgresql_exec-sql";

for (const tier of ["read", "sensitive-read"] as const) {
  describe(`mcp serve ${tier} never mutates, whatever it is asked`, () => {
    let api: ReturnType<typeof createFakeApi>;
    let http: Awaited<ReturnType<typeof serveFakeApiHttp>>;
    let home: TempDir;
    let server: RunningServer;
    let listedSweep: SweepCall[] = [];
    let byNameSweep: SweepCall[] = [];
    let sqlWithReadWrite: SweepCall;
    let sqlWithoutReadWrite: SweepCall;
    let countAfter: SweepCall;

    let pending: Promise<void> | undefined;
    /** Start the server and run the whole sweep once, in the first test (Bun gives hooks only 5 s). */
    const ready = () => (pending ??= sweep());
    async function sweep(): Promise<void> {
      api = createFakeApi({ clock: fastClock() });
      http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
      home = await makeTempDir(`no-mutation-${tier}`);
      server = await startServer({
        runtime: "deno",
        tier,
        env: runosEnv({ configDir: home.path, apiUrl: http.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: CLUSTER }),
      });
      listedSweep = await sweepListedTools(server.client, OPERATIONS);
      const listed = new Set(listedSweep.map((call) => call.name));
      byNameSweep = [];
      for (const operation of OPERATIONS) {
        if (listed.has(operation.toolName)) continue;
        byNameSweep.push(await callCapturing(server.client, operation.toolName, { ...sampleArgs(operation), confirm: true }));
      }
      const target = { cid: CLUSTER, id: IDS.usersDb };
      sqlWithReadWrite = await callCapturing(server.client, EXEC_SQL, { ...target, query: "DELETE FROM users", readWrite: true, confirm: true });
      sqlWithoutReadWrite = await callCapturing(server.client, EXEC_SQL, { ...target, query: "DELETE FROM users" });
      countAfter = await callCapturing(server.client, EXEC_SQL, { ...target, query: "SELECT count(*) AS n FROM users" });
    }

    after(async () => {
      await pending?.catch(() => {});
      await server?.close();
      await http?.close();
      await home?.remove();
    });

    it("called every listed tool, and the sweep reached the fake API", { timeout: 120_000 }, async () => {
      await ready();
      assert.ok(listedSweep.length >= 20, `only ${listedSweep.length} tools were listed`);
      assert.ok(listedSweep.some((call) => call.name === "manifest_update"));
      assert.ok(api.log.length >= listedSweep.length / 2, `only ${api.log.length} requests reached the fake API`);
    });

    it("the listed read tools answered without protocol errors", async () => {
      await ready();
      const thrown = listedSweep.filter((call) => call.thrown !== undefined);
      assert.deepEqual(thrown.map((call) => `${call.name}: ${call.thrown}`), []);
    });

    it("every write tool called by name was refused", async () => {
      await ready();
      assert.ok(byNameSweep.length > 0);
      for (const call of byNameSweep) {
        assert.ok(call.thrown !== undefined || call.result?.isError === true, `${call.name} was not refused: ${call.result ? resultText(call.result) : ""}`);
      }
    });

    it("the fake API log holds no PUT, PATCH, DELETE or mutating POST", async () => {
      await ready();
      const mutations = api.log.filter((entry) => isMutatingRequest(entry));
      assert.deepEqual(mutations.map((entry) => `${entry.method} ${entry.path} ${JSON.stringify(entry.body ?? null)}`), []);
    });

    it("refused exec-sql DELETE FROM users with readWrite: true, and never sent readWrite: true", async () => {
      await ready();
      assert.ok(sqlWithReadWrite.thrown !== undefined || sqlWithReadWrite.result?.isError === true, `not refused: ${sqlWithReadWrite.result ? resultText(sqlWithReadWrite.result) : ""}`);
      const sent = api.log.filter((entry) => entry.path.endsWith("/exec-sql"));
      assert.ok(sent.length > 0, "no exec-sql request reached the fake API at all");
      assert.ok(sent.every((entry) => readWriteFlag(entry.body) !== true));
    });

    it("ran exec-sql DELETE FROM users read-only, so the API refused the write", async () => {
      await ready();
      assert.equal(sqlWithoutReadWrite.result?.isError, true, `not refused: ${sqlWithoutReadWrite.result ? resultText(sqlWithoutReadWrite.result) : sqlWithoutReadWrite.thrown}`);
      assert.match(resultText(sqlWithoutReadWrite.result!), /read[- ]only/i);
    });

    it("left all six fixture users in place", async () => {
      await ready();
      assert.notEqual(countAfter.result?.isError, true, countAfter.thrown ?? resultText(countAfter.result!));
      const answer = (countAfter.result === undefined ? undefined : resultValue(countAfter.result)) as { rows?: { n?: unknown }[] } | undefined;
      assert.equal(Number(answer?.rows?.[0]?.n), 6, resultText(countAfter.result!));
    });
  });
}
