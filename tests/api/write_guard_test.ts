import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiClient, ApiRequest } from "../../src/api/client.ts";
import { guardWrites } from "../../src/api/write_guard.ts";
import { toOperation } from "../../src/catalog/operation.ts";
import { CommandSchema } from "../../src/catalog/schema.ts";
import { PermissionDeniedError } from "../../src/errors.ts";

function op(command: Record<string, unknown>) {
  return toOperation(CommandSchema.parse({ description: "", mcp: ["read"], ...command }));
}

const execSql = op({
  command: "services/postgresql/{id}/exec-sql",
  endpoint: "/:aid/:cid/services/postgresql/:id/exec-sql",
  method: "POST",
  input: { fields: [{ name: "sql", type: "string", required: true }], flags: [{ name: "readWrite" }] },
});
const search = op({ command: "services/search", endpoint: "/:aid/:cid/services/search", method: "POST" });
const misnamed = op({ command: "services/postgresql/{id}/exec-sql", endpoint: "/:aid/:cid/services/postgresql/:id/rotate-credentials", method: "POST", input: { flags: [{ name: "readWrite" }] } });
const valkeyAdd = op({ command: "services/valkey/add", endpoint: "/:aid/:cid/services/valkey", method: "POST" });

function recordingClient() {
  const sent: ApiRequest[] = [];
  const client: ApiClient = { send: (request) => { sent.push(request); return Promise.resolve({ ok: true }); } };
  return { client, sent };
}

describe("guardWrites", () => {
  it("lets GET through", async () => {
    const { client, sent } = recordingClient();
    await guardWrites(client).send({ method: "GET", path: "/acme/clusters" });
    assert.equal(sent.length, 1);
  });

  it("refuses PUT, PATCH, DELETE and POST before the network", async () => {
    const { client, sent } = recordingClient();
    const guarded = guardWrites(client);
    for (const method of ["PUT", "PATCH", "DELETE", "POST"] as const) {
      await assert.rejects(guarded.send({ method, path: "/acme/i4y/services/valkey/vk1", body: {} }), (error: unknown) => {
        assert.ok(error instanceof PermissionDeniedError);
        assert.match(error.message, new RegExp(`never sends ${method}`));
        assert.match(error.hint ?? "", /runos-write/);
        return true;
      });
    }
    assert.equal(sent.length, 0);
  });

  it("lets a POST through only when its own operation may run on a read tier, and its read-write flag is off", async () => {
    const { client, sent } = recordingClient();
    const guarded = guardWrites(client);
    const path = "/acme/i4y/services/postgresql/pg1/exec-sql";
    await guarded.send({ method: "POST", path, operation: execSql, body: { sql: "select 1", flags: { readWrite: false } } });
    await guarded.send({ method: "POST", path: "/acme/i4y/services/search", operation: search, body: { text: "cache" } });
    for (const body of [{ sql: "drop table x", flags: { readWrite: true } }, { sql: "x", readWrite: true }, { sql: "x", flags: { readWrite: "yes" } }]) {
      await assert.rejects(guarded.send({ method: "POST", path, operation: execSql, body }), PermissionDeniedError, JSON.stringify(body));
    }
    await assert.rejects(guarded.send({ method: "POST", path, operation: execSql, query: { readWrite: "true" }, body: { sql: "x" } }), PermissionDeniedError);
    assert.equal(sent.length, 2);
  });

  it("refuses a POST that names no operation, a mutating one, or a path its operation does not have", async () => {
    const { client, sent } = recordingClient();
    const guarded = guardWrites(client);
    await assert.rejects(guarded.send({ method: "POST", path: "/acme/i4y/services/postgresql/pg1/exec-sql", body: { sql: "select 1" } }), PermissionDeniedError);
    await assert.rejects(guarded.send({ method: "POST", path: "/acme/i4y/services/valkey", operation: valkeyAdd, body: {} }), PermissionDeniedError);
    await assert.rejects(guarded.send({ method: "POST", path: "/acme/i4y/services/postgresql/pg1/rotate-credentials", operation: execSql, body: { sql: "x" } }), PermissionDeniedError);
    await assert.rejects(guarded.send({ method: "POST", path: "/acme/i4y/services/postgresql/pg1/rotate-credentials", operation: misnamed, body: {} }), PermissionDeniedError);
    await assert.rejects(guarded.send({ method: "DELETE", path: "/acme/i4y/services/postgresql/pg1/exec-sql", operation: execSql }), PermissionDeniedError);
    assert.equal(sent.length, 0);
  });

  it("guards exchange as well as send", async () => {
    const { client } = recordingClient();
    const withExchange: ApiClient = { ...client, exchange: () => Promise.resolve({ status: 200, headers: new Headers(), value: null, text: "" }) };
    await assert.rejects(guardWrites(withExchange).exchange!({ method: "DELETE", path: "/acme/x" }), PermissionDeniedError);
  });
});
