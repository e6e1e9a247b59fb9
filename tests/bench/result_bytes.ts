/**
 * `make bench`, the other half of context cost: the bytes a model reads back from a few representative
 * successful calls per tier. Each call is planned and sent as a tool call is (policy/call_plan.ts,
 * api/request.ts) to the in-process fake API over its seed data (fixtures/state/), and its answer is
 * built by result.ts's `successResult` as API data (`untrusted: true`), redaction included. Calls that
 * start a job are left out: their answer is the followed job's, which only the call path builds.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { createApiClient } from "../../src/api/client.ts";
import { buildRequest } from "../../src/api/request.ts";
import type { Operation } from "../../src/catalog/operation.ts";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, manualClock, startFakeApiInProcess } from "../../src/fake_api/mod.ts";
import { successResult } from "../../src/mcp/call/result.ts";
import { planCall } from "../../src/policy/call_plan.ts";
import { decide } from "../../src/policy/decide.ts";
import type { Tier } from "../../src/policy/tier.ts";
import { utf8Bytes } from "../_harness/model_bytes.ts";

/** One representative call: a tool of the tier and its arguments, on the seed data's ids. */
export interface TypicalCall {
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
}

const CLUSTER = "i4y";
const USERS_DB = "k7m2p";
const ASSETS_STORE = "m3b9z";
const WEB_APP = "a1web";

/** What each tier is typically called for: listing and showing, reading secrets, changing things. */
export const TYPICAL_CALLS: Readonly<Record<Tier, readonly TypicalCall[]>> = {
  "read": [
    { tool: "clusters_list", args: {} },
    { tool: "services_list", args: { cid: CLUSTER } },
    { tool: "apps_show", args: { cid: CLUSTER, id: WEB_APP } },
    { tool: "services_postgresql_exec-sql", args: { cid: CLUSTER, id: USERS_DB, query: "SELECT id, email, name FROM users LIMIT 5" } },
  ],
  "sensitive-read": [
    { tool: "services_list", args: { cid: CLUSTER } },
    { tool: "apps_show", args: { cid: CLUSTER, id: WEB_APP } },
    { tool: "services_postgresql_credentials", args: { cid: CLUSTER, id: USERS_DB } },
    { tool: "apps_secrets_reveal", args: { cid: CLUSTER, id: WEB_APP } },
  ],
  "write": [
    { tool: "apps_env-vars_set", args: { cid: CLUSTER, id: WEB_APP, vars: { LOG_LEVEL: "debug" } } },
    { tool: "services_postgresql_create-database", args: { cid: CLUSTER, id: USERS_DB, name: "reports" } },
    { tool: "services_minio_create-bucket", args: { cid: CLUSTER, id: ASSETS_STORE, name: "exports" } },
  ],
  "sensitive-write": [
    { tool: "account_api-keys_add", args: { name: "nightly-backup" } },
    { tool: "apps_secrets_set", args: { cid: CLUSTER, id: WEB_APP, name: "API_TOKEN", value: "tok_live_5b0c2e" } },
    { tool: "services_postgresql_create-user", args: { cid: CLUSTER, id: USERS_DB, username: "reporter", database: "postgres" } },
  ],
};

/** The text a model reads back from one call. */
export interface ResultBytes {
  readonly tool: string;
  /** UTF-8 bytes of the result's text content, as a tool call answers it (fenced as API data). */
  readonly bytes: number;
  /** The same answer unfenced: what the fence and its note add is `bytes - unfenced`. */
  readonly unfenced: number;
}

const textOf = (result: CallToolResult) => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

/** Run `tier`'s typical calls against a fresh fake API and measure each answer's text. */
export async function typicalResultBytes(tier: Tier, operations: readonly Operation[]): Promise<ResultBytes[]> {
  const api = createFakeApi({ clock: manualClock() });
  const intercept = await startFakeApiInProcess(api);
  const client = createApiClient({ baseUrl: api.baseUrl, token: DEMO_TOKEN, retries: 0 });
  try {
    const measured: ResultBytes[] = [];
    for (const call of TYPICAL_CALLS[tier]) {
      const operation = operations.find((candidate) => candidate.toolName === call.tool);
      if (operation === undefined) throw new Error(`${call.tool}: not in the catalog`);
      const decision = decide(tier, operation);
      if (decision.kind === "deny") throw new Error(`${call.tool}: not on the ${tier} tier`);
      const plan = planCall(operation, decision, call.args, { face: "mcp" });
      const value = await client.send(buildRequest(plan, { accountId: DEMO_ACCOUNT_ID }));
      const context = { tier, command: operation.command };
      measured.push({
        tool: call.tool,
        bytes: utf8Bytes(textOf(successResult(value, { ...context, untrusted: true }))),
        unfenced: utf8Bytes(textOf(successResult(value, context))),
      });
    }
    return measured;
  } finally {
    await intercept.close();
  }
}
