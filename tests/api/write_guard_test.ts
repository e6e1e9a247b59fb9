import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiClient, ApiRequest } from "../../src/api/client.ts";
import { guardWrites } from "../../src/api/write_guard.ts";
import { PermissionDeniedError } from "../../src/errors.ts";

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

  it("lets a POST through only when allowPost vouches for it", async () => {
    const { client, sent } = recordingClient();
    const guarded = guardWrites(client, {
      allowPost: (request) => request.path.endsWith("/exec-sql") && (request.body as { flags?: { readWrite?: boolean } }).flags?.readWrite !== true,
    });
    await guarded.send({ method: "POST", path: "/acme/i4y/services/postgresql/pg1/exec-sql", body: { sql: "select 1" } });
    await assert.rejects(guarded.send({ method: "POST", path: "/acme/i4y/services/postgresql/pg1/exec-sql", body: { sql: "drop table x", flags: { readWrite: true } } }), PermissionDeniedError);
    await assert.rejects(guarded.send({ method: "DELETE", path: "/acme/i4y/services/postgresql/pg1/exec-sql" }), PermissionDeniedError);
    assert.equal(sent.length, 1);
  });

  it("guards exchange as well as send", async () => {
    const { client } = recordingClient();
    const withExchange: ApiClient = { ...client, exchange: () => Promise.resolve({ status: 200, headers: new Headers(), value: null, text: "" }) };
    await assert.rejects(guardWrites(withExchange).exchange!({ method: "DELETE", path: "/acme/x" }), PermissionDeniedError);
  });
});
