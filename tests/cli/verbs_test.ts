import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/mod.ts";
import { readToolsChanges } from "../../src/mcp/call/audit.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

describe("the CLI verbs' hourly catalog check", () => {
  isolateRunosEnv("runos-verb-sync-");
  let harness: FakeApiHarness;
  before(async () => {
    harness = await startFakeApi({ mode: "http" });
    Object.assign(process.env, { RUNOS_API_URL: harness.url, RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID });
  });
  after(() => harness.close());

  it("writes what the newer catalog it brought changes in each server's tools to the audit log", async () => {
    const io = { stdout: () => {}, stderr: () => {} };
    assert.equal(await main(["clusters", "list", "--json"], io), 0);
    const changes = await readToolsChanges(join(process.env.RUNOS_CONFIG_DIR!, "state", "audit.jsonl"), 10);
    assert.deepEqual(changes.map((entry) => [entry.server, entry.from, entry.to, entry.by, entry.added.map((tool) => tool.name)]), [
      ["runos", "1.0.0", "1.1.0", "sync", ["services_valkey_logs"]],
      ["runos-sensitive-read", "1.0.0", "1.1.0", "sync", ["services_valkey_logs"]],
    ]);
    assert.equal(await main(["clusters", "list", "--json"], io), 0);
    assert.equal((await readToolsChanges(join(process.env.RUNOS_CONFIG_DIR!, "state", "audit.jsonl"), 10)).length, 2, "the next verb, within the hour, asks nothing and writes nothing");
  });
});
