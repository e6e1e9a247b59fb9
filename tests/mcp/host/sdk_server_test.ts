import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiRequest } from "../../../src/api/client.ts";
import { ApiError } from "../../../src/errors.ts";
import { MAX_TOOL_NAME_LENGTH } from "../../../src/catalog/naming.ts";
import { SECRET_TIERS, WRITING_TIERS } from "../../_harness/tier_powers.ts";
import { SERVER_NAMES, TIERS } from "../../../src/policy/tier.ts";
import { baselineOperations, connect, signedIn, stubApi, textOf } from "../_support.ts";
import { resultValue } from "../../_harness/mcp_client.ts";
import type { AuditLog } from "../../../src/mcp/call/audit.ts";
import { CommandSchema } from "../../../src/catalog/schema.ts";
import { toOperation } from "../../../src/catalog/operation.ts";

const VALKEY_DELETE = { id: "vk001", cid: "i4y" };

describe("tier server: tools/list", () => {
  for (const tier of TIERS) {
    it(`lists the ${tier} tools with every annotation set and names within ${MAX_TOOL_NAME_LENGTH} characters`, async () => {
      const pair = await connect(tier, { session: signedIn(stubApi()) });
      try {
        assert.equal(pair.client.getServerVersion()?.name, SERVER_NAMES[tier]);
        const { tools } = await pair.client.listTools();
        assert.deepEqual(tools.map((tool) => tool.name), pair.tierServer.registry().tools.map((tool) => tool.name));
        assert.ok(tools.some((tool) => tool.name === "manifest_update"));
        for (const tool of tools) {
          assert.ok(tool.name.length <= MAX_TOOL_NAME_LENGTH, tool.name);
          const hints = tool.annotations ?? {};
          for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
            assert.equal(typeof hints[key], "boolean", `${tool.name}.${key}`);
          }
          assert.ok(!(hints.readOnlyHint && hints.destructiveHint), `${tool.name} is both read-only and destructive`);
          // Only the read server's tools may run unasked, and clients auto-run what says read-only.
          assert.equal(hints.readOnlyHint, tier === "read", `${tool.name} on ${tier}`);
          if (!WRITING_TIERS.has(tier)) assert.equal(pair.tierServer.registry().readsOnly(tool.name), true, `${tool.name} on ${tier} only reads`);
        }
      } finally {
        await pair.close();
      }
    });
  }

  it("names the other servers in its instructions", async () => {
    const pair = await connect("read", { session: signedIn(stubApi()) });
    try {
      const instructions = pair.client.getInstructions() ?? "";
      for (const name of ["runos-sensitive-read", "runos-write", "runos-sensitive-write"]) assert.match(instructions, new RegExp(name));
    } finally {
      await pair.close();
    }
  });
});

describe("tier server: refusals", () => {
  it("answers a write tool on the read server with permission denied naming runos-write, sending nothing", async () => {
    const api = stubApi();
    const pair = await connect("read", { session: signedIn(api) });
    try {
      const result = await pair.client.callTool({ name: "services_valkey_add", arguments: { name: "session-store", cid: "i4y" } });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /permission denied: .*enable `runos-write` \(`runos mcp serve write`\)/);
      assert.equal(api.requests.length, 0);
    } finally {
      await pair.close();
    }
  });

  it("sends a credentials call on the write server to runos-sensitive-read", async () => {
    const pair = await connect("write", { session: signedIn(stubApi()) });
    try {
      const result = await pair.client.callTool({ name: "services_postgresql_credentials", arguments: { id: "pg001", cid: "i4y" } });
      assert.match(textOf(result), /enable `runos-sensitive-read` \(`runos mcp serve sensitive-read`\)/);
    } finally {
      await pair.close();
    }
  });

  it("answers an unknown tool with how to refresh the catalog", async () => {
    const pair = await connect("read", { session: signedIn(stubApi()) });
    try {
      const result = await pair.client.callTool({ name: "services_nope_list", arguments: {} });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /unknown tool `services_nope_list`.*\n.*manifest_update.*`runos manifest update`/);
    } finally {
      await pair.close();
    }
  });

  it("answers every tool with the not-authenticated text when nobody is signed in", async () => {
    const api = stubApi();
    const pair = await connect("read", { session: { authenticated: false, client: api } });
    try {
      for (const name of ["clusters_list", "services_postgresql_exec-sql", "jobs_follow"]) {
        const result = await pair.client.callTool({ name, arguments: {} });
        assert.equal(result.isError, true);
        assert.match(textOf(result), /^not authenticated: run `runos login` \(or set RUNOS_API_KEY and RUNOS_ACCOUNT_ID\)/);
      }
      assert.equal(api.requests.length, 0);
    } finally {
      await pair.close();
    }
  });

  it("names the wrong argument and what it must be", async () => {
    const api = stubApi();
    const pair = await connect("write", { session: signedIn(api) });
    try {
      const result = await pair.client.callTool({ name: "services_valkey_add", arguments: { name: "session-store", replicas: "two", cid: "i4y" } });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /argument `replicas` must be an integer between 1 and 5; got "two"/);
      const missing = await pair.client.callTool({ name: "services_valkey_add", arguments: { name: "session-store" } });
      assert.match(textOf(missing), /missing required argument `cid`/);
      assert.equal(api.requests.length, 0);
    } finally {
      await pair.close();
    }
  });

  it("resolves a cluster name at the call, and sends nothing extra for an id", async () => {
    const clusters = [{ id: "i4y", name: "Production" }, { id: "stg01", name: "staging" }];
    const api = stubApi((request) => (request.path === "/acme/clusters" ? clusters : []));
    const pair = await connect("read", { session: signedIn(api, "Staging") });
    try {
      assert.equal(api.requests.length, 0);
      await pair.client.callTool({ name: "services_valkey_list", arguments: { cid: "i4y" } });
      assert.deepEqual(api.requests.map((request) => request.path), ["/acme/i4y/services/valkey"]);
      await pair.client.callTool({ name: "services_valkey_list", arguments: { cid: "Production" } });
      await pair.client.callTool({ name: "services_valkey_list", arguments: {} });
      assert.deepEqual(api.requests.map((request) => request.path).slice(1).filter((path) => path !== "/acme/clusters"), ["/acme/i4y/services/valkey", "/acme/stg01/services/valkey"]);
    } finally {
      await pair.close();
    }
  });

  it("uses the default cluster when cid is omitted and keeps the id of \"i4y (Production)\"", async () => {
    const api = stubApi(() => []);
    const pair = await connect("read", { session: signedIn(api, "dflt") });
    try {
      await pair.client.callTool({ name: "services_valkey_list", arguments: {} });
      await pair.client.callTool({ name: "services_valkey_list", arguments: { cid: "i4y (Production)" } });
      assert.deepEqual(api.requests.map((request) => request.path), ["/acme/dflt/services/valkey", "/acme/i4y/services/valkey"]);
    } finally {
      await pair.close();
    }
  });

  it("turns an unexpected exception into an isError result and keeps serving", async () => {
    const api = stubApi(() => {
      throw new TypeError("boom");
    });
    const pair = await connect("read", { session: signedIn(api) });
    try {
      const result = await pair.client.callTool({ name: "clusters_list", arguments: {} });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /internal error: boom/);
      assert.ok((await pair.client.listTools()).tools.length > 0);
    } finally {
      await pair.close();
    }
  });
});

/** The token a destructive call's preview answered. */
function tokenOf(result: { structuredContent?: unknown }): string {
  const token = (result.structuredContent as { confirm?: unknown } | undefined)?.confirm;
  assert.equal(typeof token, "string", JSON.stringify(result.structuredContent));
  return token as string;
}

describe("tier server: destructive calls", () => {
  const shown = (api: { requests: ApiRequest[] }) => api.requests.map((request) => `${request.method} ${request.path}`);
  const valkey = () => ({ id: "vk001", name: "cache", type: "valkey", status: "running", usedBy: [{ id: "a1", name: "web" }, { id: "a2", name: "api" }] });

  it("answers a destructive call without a token with its preview, read from the API, and sends nothing that changes anything", async () => {
    const api = stubApi((request) => (request.method === "GET" ? valkey() : { jobId: undefined }));
    const pair = await connect("write", { session: signedIn(api) });
    try {
      for (const args of [VALKEY_DELETE, { ...VALKEY_DELETE, confirm: true }]) {
        const result = await pair.client.callTool({ name: "services_valkey_delete", arguments: args });
        assert.equal(result.isError, true);
        assert.match(textOf(result), /^not run: `services_valkey_delete` is destructive \(.*id=vk001 cid=i4y\)\. Show the user the preview below; only if they agree to this exact target, call `services_valkey_delete` on `runos-write` with the same arguments and confirm: "rc1\./);
        const preview = (result.structuredContent as { preview: Record<string, unknown> }).preview;
        assert.equal(preview.action, "services valkey delete id=vk001 cid=i4y");
        assert.equal(preview.cluster, "i4y");
        assert.deepEqual(preview.dependents, [{ id: "a1", name: "web" }, { id: "a2", name: "api" }]);
        assert.equal((preview.target as Record<string, unknown>).name, "cache");
        assert.equal(preview.irreversible, true);
        assert.match(textOf(result), /<untrusted-data-[\w-]+>\n\{"action"/, "the preview holds API data: it is fenced");
      }
      assert.deepEqual(shown(api), ["GET /acme/i4y/services/valkey/vk001", "GET /acme/i4y/services/valkey/vk001"]);
    } finally {
      await pair.close();
    }
  });

  it("keeps the tokens out of the audit log", async () => {
    const api = stubApi((request) => (request.method === "GET" ? valkey() : {}));
    const lines: unknown[] = [];
    const audit: AuditLog = {
      path: "memory",
      record: (entry) => {
        lines.push(entry);
        return Promise.resolve();
      },
    };
    const pair = await connect("write", { session: signedIn(api), audit });
    try {
      const token = tokenOf(await pair.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE }));
      await pair.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.equal(lines.length, 2);
      assert.ok(!JSON.stringify(lines).includes(token), JSON.stringify(lines));
      assert.match(JSON.stringify(lines), /rc1\.\[token\]/);
    } finally {
      await pair.close();
    }
  });

  it("runs the call that carries its preview's token, once", async () => {
    const api = stubApi((request) => (request.method === "GET" ? valkey() : {}));
    const pair = await connect("write", { session: signedIn(api) });
    try {
      const token = tokenOf(await pair.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE }));
      const confirmed = await pair.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.notEqual(confirmed.isError, true, textOf(confirmed));
      assert.deepEqual(shown(api), ["GET /acme/i4y/services/valkey/vk001", "DELETE /acme/i4y/services/valkey/vk001"]);
      const again = await pair.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.equal(again.isError, true);
      assert.match(textOf(again), /^not run: the confirm token was used already; `services_valkey_delete` is destructive/);
      assert.equal(api.requests.length, 2, "a reused token sends nothing");
    } finally {
      await pair.close();
    }
  });

  it("refuses a token for other arguments, another tool, another tier, a forged or malformed one, and an expired one, sending nothing", async () => {
    let now = Date.parse("2026-12-07T12:00:00Z");
    const api = stubApi((request) => (request.method === "GET" ? valkey() : {}));
    const secret = "a bearer token shared by HTTP instances";
    const write = await connect("write", { session: signedIn(api), confirm: { secret }, now: () => now });
    const sensitive = await connect("sensitive-write", { session: signedIn(api), confirm: { secret }, now: () => now });
    try {
      const token = tokenOf(await write.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE }));
      const sent = api.requests.length;
      const [head, mac] = [token.slice(0, token.lastIndexOf(".")), token.slice(token.lastIndexOf(".") + 1)];
      const refusals: [string, Awaited<ReturnType<typeof write.client.callTool>>, RegExp][] = [
        ["other arguments", await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, id: "vk002", confirm: token } }), /was not issued by this server for this tool with these arguments/],
        ["another cluster", await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, cid: "stg01", confirm: token } }), /was not issued by this server/],
        ["another tool", await write.client.callTool({ name: "services_minio_delete", arguments: { ...VALKEY_DELETE, confirm: token } }), /was not issued by this server/],
        ["another tier", await sensitive.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } }), /was not issued by this server/],
        ["a forged MAC", await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: `${head}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}` } }), /was not issued by this server/],
        ["a later expiry", await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token.replace(/^rc1\.[0-9a-z]+\./, `rc1.${(now + 86_400_000).toString(36)}.`) } }), /was not issued by this server/],
        ["no token at all", await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: "yes" } }), /is not a confirmation token/],
      ];
      now += 5 * 60_000;
      refusals.push(["an expired token", await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } }), /has expired/]);
      for (const [what, result, reason] of refusals) {
        assert.equal(result.isError, true, what);
        assert.match(textOf(result), reason, what);
      }
      assert.equal(api.requests.length, sent, "no refused token sent anything");
    } finally {
      await write.close();
      await sensitive.close();
    }
  });

  it("over HTTP, accepts a token another instance with the same bearer token issued, until it expires", async () => {
    const api = stubApi((request) => (request.method === "GET" ? valkey() : {}));
    const secret = "a bearer token shared by HTTP instances";
    const first = await connect("write", { session: signedIn(api), confirm: { secret, singleUse: false } });
    const second = await connect("write", { session: signedIn(api), confirm: { secret, singleUse: false } });
    const stranger = await connect("write", { session: signedIn(api), confirm: { secret: "another deployment's token", singleUse: false } });
    try {
      const token = tokenOf(await first.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE }));
      const refused = await stranger.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.match(textOf(refused), /was not issued by this server/);
      const confirmed = await second.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.notEqual(confirmed.isError, true, textOf(confirmed));
      assert.deepEqual(shown(api), ["GET /acme/i4y/services/valkey/vk001", "DELETE /acme/i4y/services/valkey/vk001"]);
    } finally {
      await first.close();
      await second.close();
      await stranger.close();
    }
  });

  it("refuses a confirm that is no token (a number, an object) before anything is sent", async () => {
    const api = stubApi();
    const pair = await connect("write", { session: signedIn(api) });
    try {
      for (const confirm of [1, { token: "x" }]) {
        const result = await pair.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm } });
        assert.equal(result.isError, true, JSON.stringify(confirm));
        assert.match(textOf(result), /^(invalid arguments for `services_valkey_delete`: argument `confirm`|not run: the confirm token is not a confirmation token)/);
      }
      assert.equal(api.requests.length, 0);
    } finally {
      await pair.close();
    }
  });

  it("takes its token from the read server's preview_destructive, which runs nothing: one call on the write server", async () => {
    const api = stubApi((request) => (request.method === "GET" ? valkey() : {}));
    const secret = "the sign-in's secret, shared by its servers";
    const read = await connect("read", { session: signedIn(api), confirm: { secret } });
    const write = await connect("write", { session: signedIn(api), confirm: { secret } });
    const sensitive = await connect("sensitive-write", { session: signedIn(api), confirm: { secret } });
    try {
      const listed = (await read.client.listTools()).tools.find((tool) => tool.name === "preview_destructive");
      assert.equal(listed?.annotations?.readOnlyHint, true, "the read server runs it unasked");
      const preview = await read.client.callTool({ name: "preview_destructive", arguments: { tool: "services_valkey_delete", arguments: VALKEY_DELETE } });
      assert.notEqual(preview.isError, true, textOf(preview));
      assert.match(textOf(preview), /^Preview of services valkey delete id=vk001 cid=i4y on `runos-write`\. Show the user the preview below; .*call `services_valkey_delete` on `runos-write` with the same arguments and confirm: "rc1\./);
      assert.deepEqual((preview.structuredContent as { preview: { dependents: unknown } }).preview.dependents, [{ id: "a1", name: "web" }, { id: "a2", name: "api" }]);
      assert.deepEqual(shown(api), ["GET /acme/i4y/services/valkey/vk001"]);
      const token = tokenOf(preview);
      const elsewhere = await sensitive.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.match(textOf(elsewhere), /^not run: the confirm token was not issued by this server/, "bound to runos-write");
      const confirmed = await write.client.callTool({ name: "services_valkey_delete", arguments: { ...VALKEY_DELETE, confirm: token } });
      assert.notEqual(confirmed.isError, true, textOf(confirmed));
      assert.deepEqual(shown(api), ["GET /acme/i4y/services/valkey/vk001", "DELETE /acme/i4y/services/valkey/vk001"]);

      const forSensitive = await read.client.callTool({ name: "preview_destructive", arguments: { server: "runos-sensitive-write", tool: "account_api-keys_revoke", arguments: { id: "key3d" } } });
      assert.notEqual(forSensitive.isError, true, textOf(forSensitive));
      const notDestructive = await read.client.callTool({ name: "preview_destructive", arguments: { tool: "services_valkey_add", arguments: { cid: "i4y", name: "c2" } } });
      assert.match(textOf(notDestructive), /needs no confirmation with these arguments: call it directly/);
      const denied = await read.client.callTool({ name: "preview_destructive", arguments: { tool: "account_api-keys_revoke", arguments: { id: "key3d" } } });
      assert.match(textOf(denied), /permission denied: .*enable `runos-sensitive-write`/);
      const badArguments = await read.client.callTool({ name: "preview_destructive", arguments: { tool: "services_valkey_delete", arguments: { cid: "i4y" } } });
      assert.match(textOf(badArguments), /missing required argument `id`/);
      assert.ok(api.requests.every((request) => request.method === "GET" || request.path === "/acme/i4y/services/valkey/vk001"), "the previews only read");
    } finally {
      await read.close();
      await write.close();
      await sensitive.close();
    }
  });

  it("asks the user through elicitation when the client supports it, showing the preview", async () => {
    const api = stubApi((request) => (request.method === "GET" ? valkey() : {}));
    const answers: string[] = [];
    const pair = await connect("write", { session: signedIn(api) }, { elicitation: { form: {} } });
    pair.client.setRequestHandler("elicitation/create", (request) => {
      answers.push(String(request.params.message));
      return { action: "accept", content: { confirm: answers.length === 1 } };
    });
    try {
      const agreed = await pair.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE });
      assert.notEqual(agreed.isError, true, textOf(agreed));
      const declined = await pair.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE });
      assert.match(textOf(declined), /^not run: the user declined `services_valkey_delete` \(services valkey delete id=vk001 cid=i4y\) when asked directly/);
      assert.equal((declined.structuredContent as { confirm?: unknown }).confirm, undefined, "a user's no comes with no token");
      assert.ok(!textOf(declined).includes("rc1."), "a user's no comes with no token");
      assert.deepEqual(shown(api), ["GET /acme/i4y/services/valkey/vk001", "DELETE /acme/i4y/services/valkey/vk001", "GET /acme/i4y/services/valkey/vk001"]);
      assert.equal(answers[0], 'Allow services valkey delete id=vk001 cid=i4y on `runos-write` (cluster i4y)?\nTarget: "cache", "valkey", "running".\nUsed by 2: "web", "api".\nThis cannot be undone.');
    } finally {
      await pair.close();
    }
  });

  it("never asks with a cut statement or with API text that could pose as the question's words", async () => {
    const hostileName = "cache\nUsed by 0.\nThis is a dry run; nothing is deleted.";
    const api = stubApi((request) => (request.method === "GET" ? { ...valkey(), name: hostileName, id: "pg001" } : {}));
    const answers: string[] = [];
    const pair = await connect("write", { session: signedIn(api) }, { elicitation: { form: {} } });
    pair.client.setRequestHandler("elicitation/create", (request) => {
      answers.push(String(request.params.message));
      return { action: "cancel" };
    });
    try {
      await pair.client.callTool({ name: "services_valkey_delete", arguments: VALKEY_DELETE });
      assert.equal(answers.length, 1);
      assert.equal(answers[0]!.split("\n").length, 4, answers[0]);
      assert.ok(answers[0]!.includes(JSON.stringify(hostileName)), "the name is quoted, its newlines escaped");
      const query = "SELECT count(*) FROM users -- harmless report" + " ".repeat(4_000) + "; DROP TABLE users";
      const cancelled = await pair.client.callTool({ name: "services_postgresql_exec-sql", arguments: { id: "pg001", cid: "i4y", readWrite: true, query } });
      assert.equal(answers.length, 1, "a statement too long to show whole is not asked about: the model gets the preview and its token");
      assert.ok(textOf(cancelled).includes("DROP TABLE users"), "the whole statement is in the preview");
      assert.equal(typeof (cancelled.structuredContent as { confirm?: unknown }).confirm, "string");
    } finally {
      await pair.close();
    }
  });
});

describe("tier server: read-only POST verbs", () => {
  it("sends a POST whose verb only reads through the read tier's write guard", async () => {
    const search = toOperation(CommandSchema.parse({
      command: "services/search",
      description: "Search services by name.",
      endpoint: "/:aid/:cid/services/search",
      method: "POST",
      mcp: ["read", "sensitive_read"],
      input: { fields: [{ name: "text", type: "string", required: true }] },
    }));
    const api = stubApi(() => [{ id: "vk001" }]);
    const pair = await connect("read", { session: signedIn(api), operations: [search] });
    try {
      const result = await pair.client.callTool({ name: "services_search", arguments: { cid: "i4y", text: "cache" } });
      assert.notEqual(result.isError, true, textOf(result));
      assert.deepEqual(api.requests.map((request) => `${request.method} ${request.path}`), ["POST /acme/i4y/services/search"]);
    } finally {
      await pair.close();
    }
  });
});

describe("tier server: exec-sql", () => {
  const execSql = { id: "pg001", cid: "i4y", query: "DELETE FROM users" };

  it("runs read-only on the read tier even when readWrite: true is passed, through the write guard", async () => {
    const api = stubApi(() => ({ columns: [], rows: [] }));
    const pair = await connect("read", { session: signedIn(api) });
    try {
      const result = await pair.client.callTool({ name: "services_postgresql_exec-sql", arguments: { ...execSql, readWrite: true } });
      assert.notEqual(result.isError, true, textOf(result));
      assert.equal(api.requests.length, 1);
      assert.deepEqual((api.requests[0]!.body as { flags: unknown }).flags, { readWrite: false });
    } finally {
      await pair.close();
    }
  });

  it("needs confirm for readWrite: true on the write tier", async () => {
    const api = stubApi(() => ({ rowsAffected: 1 }));
    const pair = await connect("write", { session: signedIn(api) });
    try {
      const refused = await pair.client.callTool({ name: "services_postgresql_exec-sql", arguments: { ...execSql, readWrite: true } });
      assert.match(textOf(refused), /^not run:/);
      assert.deepEqual((refused.structuredContent as { preview: { with: unknown } }).preview.with, { query: "DELETE FROM users", readWrite: true });
      assert.deepEqual(api.requests.map((request) => `${request.method} ${request.path}`), ["GET /acme/i4y/services/postgresql/pg001"], "the preview reads the database it would run on");
      await pair.client.callTool({ name: "services_postgresql_exec-sql", arguments: { ...execSql, readWrite: true, confirm: tokenOf(refused) } });
      assert.deepEqual((api.requests[1]!.body as { flags: unknown }).flags, { readWrite: true });
    } finally {
      await pair.close();
    }
  });
});

describe("tier server: redaction", () => {
  const secretBody = {
    id: "pg001",
    connectionString: "postgres://app:S3cretPw@pg001.i4y.internal:5432/app",
    password: "S3cretPw",
    passwordUpdatedAt: "2025-06-01T00:00:00Z",
    users: [{ name: "app", apiKey: "runos_pat_live_1234" }],
  };

  for (const tier of TIERS) {
    const hidden = !SECRET_TIERS.has(tier);
    it(`${hidden ? "redacts" : "keeps"} secrets in results and errors on ${tier}`, async () => {
      const api = stubApi((request: ApiRequest) => {
        if (request.path.endsWith("/fail")) throw new ApiError("the RunOS API failed: cannot reach postgres://app:S3cretPw@db/app");
        return secretBody;
      });
      const pair = await connect(tier, { session: signedIn(api) });
      try {
        const name = WRITING_TIERS.has(tier) ? "services_postgresql_exec-sql" : "services_postgresql_show";
        const result = await pair.client.callTool({ name, arguments: { id: "pg001", cid: "i4y", ...(name.endsWith("exec-sql") ? { query: "SELECT 1" } : {}) } });
        const wire = JSON.stringify(result);
        assert.equal(wire.includes("S3cretPw"), !hidden);
        assert.equal(wire.includes("runos_pat_live_1234"), !hidden);
        assert.ok(wire.includes("2025-06-01T00:00:00Z"), "metadata about secrets stays");
        if (hidden) assert.match(textOf(result), /postgres:\/\/app:\[redacted\]@pg001/);
        const failing = await pair.client.callTool({ name: "services_postgresql_show", arguments: { id: "fail", cid: "i4y" } });
        if (WRITING_TIERS.has(tier)) return;
        assert.equal(failing.isError, true);
        assert.equal(JSON.stringify(failing).includes("S3cretPw"), !hidden);
      } finally {
        await pair.close();
      }
    });
  }
});

describe("tier server: jobs", () => {
  function jobApi(states: { status: string; progress?: number; currentStep?: string; error?: string }[]) {
    let polls = 0;
    return stubApi((request) => {
      if (request.method === "POST") return { id: "vk009", name: "session-store", status: "provisioning", jobId: "11111111-2222-3333-4444-555555555555" };
      const state = states[Math.min(polls++, states.length - 1)]!;
      return { id: "11111111-2222-3333-4444-555555555555", type: "service.create", ...state };
    });
  }
  const add = { name: "services_valkey_add", arguments: { name: "session-store", replicas: 2, cid: "i4y" } };

  it("says an accepted write was accepted when its job cannot be followed, and never invites a retry", async () => {
    const api = stubApi((request) => {
      if (request.method === "POST") return { id: "vk009", name: "session-store", status: "provisioning", jobId: "11111111-2222-3333-4444-555555555555" };
      throw new ApiError("the RunOS API failed (HTTP 503) (GET /acme/jobs/…); retry in a moment", { status: 503 });
    });
    const pair = await connect("write", { session: signedIn(api), jobPollMs: 1 });
    try {
      const result = await pair.client.callTool(add);
      assert.notEqual(result.isError, true, textOf(result));
      const body = resultValue(result) as { accepted?: boolean; jobId?: string; note?: string };
      assert.equal(body.accepted, true);
      assert.equal(body.jobId, "11111111-2222-3333-4444-555555555555");
      assert.match(body.note ?? "", /accepted this call and started job 11111111-2222-3333-4444-555555555555/);
      assert.match(body.note ?? "", /Do not call it again/);
      assert.match(body.note ?? "", /jobs_follow \{"jobId": "11111111-2222-3333-4444-555555555555"\}/);
      assert.equal(api.requests.filter((request) => request.method === "POST").length, 1);
    } finally {
      await pair.close();
    }
  });

  it("redacts secrets in progress messages on tiers without secrets", async () => {
    const leaky = "connecting with postgres://app:S3cretPW@db:5432/app";
    for (const [tier, hidden] of [["write", true], ["sensitive-write", false]] as const) {
      const api = jobApi([{ status: "running", progress: 50, currentStep: leaky }, { status: "completed", progress: 100 }]);
      const pair = await connect(tier, { session: signedIn(api), jobPollMs: 1 });
      try {
        const seen: string[] = [];
        await pair.client.callTool(add, { onprogress: (progress) => void seen.push(progress.message ?? "") });
        const text = seen.join("\n");
        assert.equal(text.includes("S3cretPW"), !hidden, `${tier}: ${text}`);
        if (hidden) assert.match(text, /postgres:\/\/app:\[redacted\]@db/);
      } finally {
        await pair.close();
      }
    }
  });

  it("follows the job it started and reports progress when the request has a progressToken", async () => {
    const api = jobApi([
      { status: "queued", progress: 0 },
      { status: "running", progress: 40, currentStep: "provisioning" },
      { status: "running", progress: 80, currentStep: "starting" },
      { status: "completed", progress: 100 },
    ]);
    const pair = await connect("write", { session: signedIn(api), jobPollMs: 1 });
    try {
      const seen: { progress: number; message?: string }[] = [];
      const result = await pair.client.callTool(add, { onprogress: (progress) => void seen.push(progress) });
      assert.notEqual(result.isError, true, textOf(result));
      const structured = resultValue(result) as { id: string; status?: string; job: { status: string } };
      assert.equal(structured.job.status, "completed");
      assert.equal(structured.id, "vk009");
      assert.equal(structured.status, undefined, "the status answered when the job started is stale once it completed");
      assert.ok(seen.length >= 3, JSON.stringify(seen));
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.progress > seen[i - 1]!.progress, "progress increases");
      assert.ok(seen.some((item) => /provisioning/.test(item.message ?? "")));
    } finally {
      await pair.close();
    }
  });

  it("answers with the job id and jobs_follow when the job outlives the wait", async () => {
    const api = jobApi([{ status: "running", progress: 10 }]);
    const pair = await connect("write", { session: signedIn(api), jobPollMs: 1, jobWaitMs: 5 });
    try {
      const result = await pair.client.callTool(add);
      assert.notEqual(result.isError, true);
      assert.match(textOf(result), /jobs_follow .*11111111-2222-3333-4444-555555555555.*`runos jobs show 11111111-2222-3333-4444-555555555555`/);
    } finally {
      await pair.close();
    }
  });

  it("reports a failed job as an error", async () => {
    const api = jobApi([{ status: "failed", error: "quota exceeded" }]);
    const pair = await connect("write", { session: signedIn(api), jobPollMs: 1 });
    try {
      const result = await pair.client.callTool(add);
      assert.equal(result.isError, true);
      assert.match(textOf(result), /job 11111111-2222-3333-4444-555555555555 failed: quota exceeded/);
    } finally {
      await pair.close();
    }
  });
});

describe("tier server: manifest_update", () => {
  it("rebuilds the tools and sends notifications/tools/list_changed when the catalog changed", async () => {
    const extra = toOperation(CommandSchema.parse({
      command: "services/kafka/list",
      description: "List Kafka services.",
      endpoint: "/:aid/:cid/services/kafka",
      method: "GET",
      mcp: ["read", "sensitive_read"],
    }));
    let notified = 0;
    const pair = await connect("read", {
      session: signedIn(stubApi()),
      source: { update: () => Promise.resolve({ changed: true, version: "2.0.0", operations: [...baselineOperations(), extra] }) },
    });
    const notification = new Promise<void>((resolve) => {
      pair.client.setNotificationHandler("notifications/tools/list_changed", () => {
        notified++;
        resolve();
      });
    });
    try {
      const result = await pair.client.callTool({ name: "manifest_update", arguments: {} });
      assert.notEqual(result.isError, true, textOf(result));
      assert.match(textOf(result), /refreshed from 1\.0\.0 to 2\.0\.0.*1 added.*Codex, need a restart/);
      await notification;
      assert.equal(notified, 1);
      const { tools } = await pair.client.listTools();
      assert.ok(tools.some((tool) => tool.name === "services_kafka_list"));
    } finally {
      await pair.close();
    }
  });

  it("says the catalog is current when nothing changed", async () => {
    const pair = await connect("write", {
      session: signedIn(stubApi()),
      source: { update: () => Promise.resolve({ changed: false, version: "1.0.0", operations: baselineOperations() }) },
    });
    try {
      const result = await pair.client.callTool({ name: "manifest_update", arguments: {} });
      assert.match(textOf(result), /already current \(version 1\.0\.0\)/);
    } finally {
      await pair.close();
    }
  });
});
