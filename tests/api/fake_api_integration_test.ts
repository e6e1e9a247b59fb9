import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createApiClient } from "../../src/api/client.ts";
import { followJob, type JobProgress } from "../../src/api/jobs.ts";
import { requestFor as buildRequest } from "../_harness/requests.ts";
import { guardWrites } from "../../src/api/write_guard.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { AuthError, PermissionDeniedError } from "../../src/errors.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/mod.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

const operations = buildOperations(baselineCatalog());
const op = (command: string) => {
  const found = operations.find((operation) => operation.command === command);
  assert.ok(found, `baseline has ${command}`);
  return found;
};

/** Plausible values for an operation's required inputs. */
function requiredArgs(operation: ReturnType<typeof op>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const param of operation.params.filter((p) => p.required)) {
    args[param.name] = param.enum?.[0] ?? (param.type === "integer" ? 1 : param.type === "boolean" ? false : "jobcache");
  }
  return args;
}

describe("API client against the fake RunOS API", () => {
  let harness: FakeApiHarness;
  before(async () => { harness = await startFakeApi(); });
  after(async () => { await harness.close(); });

  it("reads the account with the demo token", async () => {
    const client = createApiClient({ baseUrl: harness.url, token: DEMO_TOKEN });
    const account = await client.send(buildRequest(op("account/show"), {}, { accountId: DEMO_ACCOUNT_ID })) as { id: string };
    assert.equal(account.id, DEMO_ACCOUNT_ID);
  });

  it("maps the fake API's 401 to AuthError without echoing the token", async () => {
    const bad = "runos_pat_not_a_real_token_999999";
    const client = createApiClient({ baseUrl: harness.url, token: bad });
    await assert.rejects(client.send(buildRequest(op("clusters/list"), {}, { accountId: DEMO_ACCOUNT_ID })), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.ok(!error.message.includes(bad));
      return true;
    });
  });

  it("a read-only guard sends nothing mutating to the fake API", async () => {
    harness.api.log.length = 0;
    const client = guardWrites(createApiClient({ baseUrl: harness.url, token: DEMO_TOKEN }));
    const add = op("services/valkey/add");
    await assert.rejects(client.send(buildRequest(add, requiredArgs(add), { accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" })), PermissionDeniedError);
    assert.equal(harness.api.log.length, 0);
  });

  it("follows a job of the fake API to its end as the clock advances", async () => {
    const client = createApiClient({ baseUrl: harness.url, token: DEMO_TOKEN });
    const add = op("services/valkey/add");
    const started = await client.send(buildRequest(add, requiredArgs(add), { accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" })) as { jobId?: string };
    assert.equal(typeof started.jobId, "string");
    const seen: JobProgress[] = [];
    const job = await followJob(client, DEMO_ACCOUNT_ID, started.jobId!, {
      onProgress: (progress) => seen.push(progress),
      sleep: (ms) => { harness.api.clock.advance(ms); return Promise.resolve(); },
      now: () => harness.api.clock.now(),
      pollMs: 1000,
      timeoutMs: 3_600_000,
    });
    assert.equal(job.status, "completed");
    assert.equal(seen[seen.length - 1]!.status, "completed");
  });
});
