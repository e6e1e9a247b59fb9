import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toOperation } from "../../src/catalog/operation.ts";
import { decide, denialMessage, operationsForTier } from "../../src/policy/decide.ts";
import { isDestructive } from "../../src/policy/destructive.ts";
import { CLI_ALLOWED, planCall } from "../../src/policy/call_plan.ts";
import { parseTier } from "../../src/policy/tier.ts";
import type { Command } from "../../src/catalog/schema.ts";
import { CommandSchema } from "../../src/catalog/schema.ts";

function op(command: Partial<Command> & Pick<Command, "command" | "endpoint" | "method">) {
  return toOperation(CommandSchema.parse({ description: "", mcp: [], ...command }));
}

const clustersList = op({ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET", mcp: ["read", "sensitive_read"] });
const valkeyAdd = op({ command: "services/valkey/add", endpoint: "/:aid/:cid/services/valkey", method: "POST", mcp: ["write", "sensitive_write"] });
const valkeyDelete = op({ command: "services/valkey/{id}/delete", endpoint: "/:aid/:cid/services/valkey/:id", method: "DELETE", mcp: ["write", "sensitive_write"] });
const credentials = op({ command: "services/postgresql/{id}/credentials", endpoint: "/:aid/:cid/services/postgresql/:id/credentials", method: "GET", mcp: ["sensitive_read"] });
const execSql = op({
  command: "services/postgresql/{id}/exec-sql",
  endpoint: "/:aid/:cid/services/postgresql/:id/exec-sql",
  method: "POST",
  mcp: ["read", "sensitive_read", "write", "sensitive_write"],
  input: { fields: [{ name: "sql", type: "string", required: true }], flags: [{ name: "readWrite", default: false }] },
});

describe("decide()", () => {
  it("allows a tagged GET on the read tier", () => {
    assert.deepEqual(decide("read", clustersList), { kind: "allow" });
  });

  it("denies DELETE on the read tier whatever the tags say", () => {
    const mislabelled = op({ command: "services/valkey/{id}/delete", endpoint: "/:aid/:cid/services/valkey/:id", method: "DELETE", mcp: ["read", "write"] });
    assert.deepEqual(decide("read", mislabelled), { kind: "deny", alternative: "write" });
  });

  it("denies a mutating POST on sensitive-read even when tagged for it", () => {
    const mislabelled = op({ command: "services/valkey/add", endpoint: "/:aid/:cid/services/valkey", method: "POST", mcp: ["sensitive_read", "sensitive_write"] });
    assert.deepEqual(decide("sensitive-read", mislabelled), { kind: "deny", alternative: "sensitive-write" });
  });

  it("runs exec-sql read-only on read tiers and read-write on write tiers", () => {
    assert.equal(decide("read", execSql).kind, "allow-read-only");
    assert.equal(decide("sensitive-read", execSql).kind, "allow-read-only");
    assert.equal(decide("write", execSql).kind, "allow");
  });

  it("keeps a mutating verb off the read tiers even when the catalog gives it a readWrite flag", () => {
    const deploy = op({
      command: "apps/{id}/deploy",
      endpoint: "/:aid/:cid/apps/:id/deploy",
      method: "POST",
      mcp: ["read", "write"],
      input: { fields: [], flags: [{ name: "readWrite", default: false }] },
    });
    assert.deepEqual(decide("read", deploy), { kind: "deny", alternative: "write" });
  });

  it("names the safest server that allows a refused operation", () => {
    const decision = decide("read", valkeyAdd);
    assert.match(denialMessage("read", valkeyAdd, decision), /permission denied: .*enable `runos-write` \(`runos mcp serve write`\)/);
    const secret = decide("write", credentials);
    assert.match(denialMessage("write", credentials, secret), /enable `runos-sensitive-read`/);
  });

  it("says when no server offers an operation", () => {
    const untagged = op({ command: "internal/thing", endpoint: "/:aid/internal", method: "GET" });
    assert.match(denialMessage("read", untagged, decide("read", untagged)), /no RunOS MCP server offers it/);
  });

  it("lists per tier only what the tier allows", () => {
    const all = [clustersList, valkeyAdd, valkeyDelete, credentials, execSql];
    assert.deepEqual(operationsForTier("read", all).map((o) => o.toolName), ["clusters_list", "services_postgresql_exec-sql"]);
    assert.deepEqual(operationsForTier("sensitive-read", all).map((o) => o.toolName), ["clusters_list", "services_postgresql_credentials", "services_postgresql_exec-sql"]);
    assert.deepEqual(operationsForTier("write", all).map((o) => o.toolName), ["services_valkey_add", "services_valkey_delete", "services_postgresql_exec-sql"]);
  });
});

describe("isDestructive()", () => {
  it("treats DELETE and destructive verbs as destructive, never a GET", () => {
    assert.equal(isDestructive(valkeyDelete), true);
    assert.equal(isDestructive(valkeyAdd), false);
    assert.equal(isDestructive(op({ command: "account/api-keys/{id}/revoke", endpoint: "/:aid/api-keys/:id/revoke", method: "POST" })), true);
    assert.equal(isDestructive(op({ command: "things/{id}/delete-preflight", endpoint: "/:aid/things/:id/delete-preflight", method: "GET" })), false);
  });

  it("counts RunOS's clear-cache and set-data, and verbs that overwrite what is there, as destructive", () => {
    for (const verb of ["clear-cache", "set-data", "restore", "restore-to-time", "replace-manifest", "uninstall"]) {
      assert.equal(isDestructive(op({ command: `things/{id}/${verb}`, endpoint: `/:aid/things/:id/${verb}`, method: "POST" })), true, verb);
    }
    assert.equal(isDestructive(op({ command: "things/{id}/set-labels", endpoint: "/:aid/things/:id/set-labels", method: "POST" })), false);
  });

  it("matches whole words of the verb, so a preset is not a reset", () => {
    assert.equal(isDestructive(op({ command: "caches/{id}/force-flush", endpoint: "/:aid/caches/:id/flush", method: "POST" })), true);
    assert.equal(isDestructive(op({ command: "dashboards/{id}/preset", endpoint: "/:aid/dashboards/:id/preset", method: "POST" })), false);
  });

  it("treats exec-sql as destructive only in read-write mode", () => {
    const plan = (readWrite: boolean) => planCall(execSql, CLI_ALLOWED, { id: "pg1", sql: "select 1", readWrite, cid: "i4y" }, { face: "mcp" });
    assert.equal(plan(false).confirmation.needed, false);
    assert.equal(plan(true).confirmation.needed, true);
  });
});

describe("parseTier()", () => {
  it("accepts the four tiers, also in the catalog's underscore spelling, and nothing else", () => {
    assert.equal(parseTier("sensitive-read"), "sensitive-read");
    assert.equal(parseTier("sensitive_write"), "sensitive-write");
    assert.throws(() => parseTier("admin"), /unknown tier "admin"/);
  });
});

describe("decide(): the lattice and the two floors on a catalog tagged as RunOS tags", () => {
  const readOnly = (command: string, endpoint: string) => op({ command, endpoint, method: "GET", mcp: ["read"] });

  it("lists on sensitive-read every command tagged read only (\"Everything in Read\")", () => {
    const show = readOnly("services/vllm/{id}/show", "/:aid/:cid/services/vllm/:id");
    assert.deepEqual(decide("read", show), { kind: "allow" });
    assert.deepEqual(decide("sensitive-read", show), { kind: "allow" });
    assert.equal(decide("write", show).kind, "deny");
  });

  it("keeps secret-shaped commands off read and write whatever their tags, naming the sensitive server", () => {
    const shapes = [
      readOnly("services/grafana/{id}/credentials", "/:aid/:cid/services/grafana/:id/credentials"),
      readOnly("services/postgresql/{id}/user-credentials", "/:aid/:cid/services/postgresql/:id/user-credentials"),
      readOnly("apps/{id}/secrets/reveal", "/:aid/:cid/apps/:id/secrets/reveal"),
      readOnly("account/api-keys/list", "/:aid/api-keys"),
      readOnly("services/minio/{id}/get-object", "/:aid/:cid/services/minio/:id/get-object"),
      readOnly("clusters/{cid}/kubeconfig", "/:aid/clusters/:cid/kubeconfig"),
      // a harmless name on an endpoint that says otherwise
      readOnly("services/valkey/{id}/info", "/:aid/:cid/services/valkey/:id/credentials"),
    ];
    for (const operation of shapes) {
      assert.deepEqual(decide("read", operation), { kind: "deny", alternative: "sensitive-read" }, operation.command);
      assert.deepEqual(decide("sensitive-read", operation), { kind: "allow" }, operation.command);
    }
    const writing = op({ command: "services/vllm/{id}/set-api-key", endpoint: "/:aid/:cid/services/vllm/:id/set-api-key", method: "PATCH", mcp: ["write", "sensitive_write"] });
    assert.deepEqual(decide("write", writing), { kind: "deny", alternative: "sensitive-write" });
    assert.deepEqual(decide("sensitive-write", writing), { kind: "allow" });
  });

  it("never lets the lattice bring sensitive-read what its mutation floor forbids", () => {
    const restart = op({ command: "services/vllm/{id}/restart", endpoint: "/:aid/:cid/services/vllm/:id/restart", method: "PATCH", mcp: ["read"] });
    assert.equal(decide("read", restart).kind, "deny");
    assert.equal(decide("sensitive-read", restart).kind, "deny");
  });

  it("grants a read-only mode only where the verb and the endpoint agree", () => {
    const honest = op({
      command: "services/mysql/{id}/exec-sql",
      endpoint: "/:aid/:cid/services/mysql/:id/exec-sql",
      method: "POST",
      mcp: ["read"],
      input: { fields: [{ name: "query", type: "string", required: true }], flags: [{ name: "readWrite" }] },
    });
    const disguised = op({
      command: "services/postgresql/{id}/exec-sql",
      endpoint: "/:aid/:cid/services/postgresql/:id/run",
      method: "POST",
      mcp: ["read"],
      input: { fields: [{ name: "query", type: "string", required: true }], flags: [{ name: "readWrite" }] },
    });
    const search = op({ command: "services/search", endpoint: "/:aid/:cid/services/bulk-delete", method: "POST", mcp: ["read"] });
    assert.deepEqual(decide("read", honest), { kind: "allow-read-only" });
    assert.equal(decide("read", disguised).kind, "deny");
    assert.equal(decide("sensitive-read", disguised).kind, "deny");
    assert.equal(decide("read", search).kind, "deny");
  });
});
