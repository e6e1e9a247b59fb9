import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { requestFor as buildRequest } from "../_harness/requests.ts";
import { toOperation } from "../../src/catalog/operation.ts";
import { CommandSchema } from "../../src/catalog/schema.ts";
import { AuthError, UsageError } from "../../src/errors.ts";

/** A catalog command as RunOS serves it, parsed through the schema like the real catalog. */
function operation(command: Record<string, unknown>) {
  return toOperation(CommandSchema.parse(command));
}

const valkeyShow = operation({
  command: "services/valkey/{id}/show",
  endpoint: "/:aid/:cid/services/valkey/:id",
  method: "GET",
  input: { fields: [{ name: "id", type: "string", required: true, positional: true }, { name: "verbose", type: "boolean" }] },
});
const valkeyAdd = operation({
  command: "services/valkey/add",
  endpoint: "/:aid/:cid/services/valkey",
  method: "POST",
  input: {
    fields: [
      { name: "name", type: "string", required: true },
      { name: "replicas", type: "integer", required: true },
      { name: "tier", type: "string", enum: ["small", "large"] },
      { name: "providerConfig.location", type: "string" },
      { name: "providerConfig.zone", type: "string", pattern: "^[a-z]+-[0-9]$" },
    ],
    flags: [{ name: "persistence", default: false }],
  },
});
const execSql = operation({
  command: "services/postgresql/{id}/exec-sql",
  endpoint: "/:aid/:cid/services/postgresql/:id/exec-sql",
  method: "POST",
  input: { fields: [{ name: "id", type: "string", required: true }, { name: "sql", type: "string", required: true }, { name: "timeoutSeconds", type: "integer" }], flags: [{ name: "readWrite" }] },
});
const serviceDelete = operation({
  command: "services/minio/{id}/delete",
  endpoint: "/:aid/:cid/services/minio/:id",
  method: "DELETE",
  input: { fields: [{ name: "id", type: "string", required: true }], flags: [{ name: "force" }] },
});
const clustersList = operation({ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET" });

const ctx = { accountId: "acme", clusterId: "i4y" };

describe("buildRequest", () => {
  it("substitutes and path-escapes :aid, :cid and fields", () => {
    const request = buildRequest(valkeyShow, { id: "a/b c?" }, { accountId: "ac me", clusterId: "i4y" });
    assert.equal(request.method, "GET");
    assert.equal(request.path, "/ac%20me/i4y/services/valkey/a%2Fb%20c%3F");
  });

  it("puts GET inputs in the query string, never path fields, and marks GET idempotent", () => {
    const request = buildRequest(valkeyShow, { id: "vk1", verbose: "true" }, ctx);
    assert.deepEqual(request.query, { verbose: "true" });
    assert.equal(request.body, undefined);
    assert.equal(request.idempotent, true);
  });

  it("puts DELETE flags in the query string and does not mark DELETE idempotent", () => {
    const request = buildRequest(serviceDelete, { id: "mn1", force: true }, ctx);
    assert.equal(request.path, "/acme/i4y/services/minio/mn1");
    assert.deepEqual(request.query, { force: "true" });
    assert.equal(request.body, undefined);
    assert.notEqual(request.idempotent, true);
  });

  it("sends POST inputs as a JSON body: dotted keys nested, flags under flags, integers coerced", () => {
    const request = buildRequest(valkeyAdd, {
      name: "cache",
      replicas: "2",
      "providerConfig.location": "eu",
      "providerConfig.zone": "eu-1",
      persistence: true,
    }, ctx);
    assert.equal(request.path, "/acme/i4y/services/valkey");
    assert.deepEqual(request.body, {
      name: "cache",
      replicas: 2,
      providerConfig: { location: "eu", zone: "eu-1" },
      flags: { persistence: true },
    });
    assert.equal(request.query, undefined);
  });

  it("leaves path fields out of the body and accepts flags grouped under `flags`", () => {
    const request = buildRequest(execSql, { id: "pg1", sql: "select 1", flags: { readWrite: false } }, ctx);
    assert.equal(request.path, "/acme/i4y/services/postgresql/pg1/exec-sql");
    assert.deepEqual(request.body, { sql: "select 1", flags: { readWrite: false } });
  });

  it("gives exec-sql its timeoutSeconds plus a minute as deadline", () => {
    const request = buildRequest(execSql, { id: "pg1", sql: "select 1", timeoutSeconds: 120 }, ctx);
    assert.equal(request.timeoutMs, 180_000);
  });

  it("prefers args.cid over the default cluster and validates it", () => {
    assert.equal(buildRequest(valkeyShow, { id: "x", cid: "prod01" }, ctx).path, "/acme/prod01/services/valkey/x");
    assert.throws(() => buildRequest(valkeyShow, { id: "x", cid: "Bad_Cid" }, ctx), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /3–16/);
      return true;
    });
    assert.throws(() => buildRequest(valkeyShow, { id: "x", cid: "ab" }, ctx), UsageError);
  });

  it("refuses a cluster-scoped call without any cluster id, naming cid and RUNOS_CLUSTER_ID", () => {
    assert.throws(() => buildRequest(valkeyShow, { id: "x" }, { accountId: "acme" }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /missing required argument `cid` \(cluster ID required/);
      assert.match(error.message, /RUNOS_CLUSTER_ID/);
      return true;
    });
  });

  it("refuses cid on an account-scoped command, as an unknown argument", () => {
    assert.throws(() => buildRequest(clustersList, { cid: "i4y" }, ctx), /unknown argument `cid`/);
  });

  it("refuses unknown arguments and lists the valid ones", () => {
    assert.throws(() => buildRequest(valkeyAdd, { name: "c", replicas: 1, colour: "red" }, ctx), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /unknown argument `colour`/);
      assert.match(error.message, /valid: .*name.*replicas.*persistence.*cid/);
      return true;
    });
  });

  it("lists every missing required argument at once", () => {
    assert.throws(() => buildRequest(valkeyAdd, {}, ctx), /missing required argument `name`.*missing required argument `replicas`/);
  });

  it("names arguments the way the caller's face spells them, with the caller's next step", () => {
    const cli = { ...ctx, face: "cli" as const, label: (name: string) => `--${name}`, usageHint: "see `runos services valkey add --help`" };
    assert.throws(() => buildRequest(valkeyAdd, { replicas: "two", colour: "red" }, cli), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /unknown argument --colour/);
      assert.match(error.message, /missing required argument --name/);
      assert.match(error.message, /--replicas must be an integer/);
      assert.equal(error.hint, "see `runos services valkey add --help`");
      return true;
    });
  });

  it("validates integer, boolean, enum and pattern values", () => {
    assert.throws(() => buildRequest(valkeyAdd, { name: "c", replicas: "two" }, ctx), /argument `replicas` must be an integer/);
    assert.throws(() => buildRequest(valkeyAdd, { name: "c", replicas: 1.5 }, ctx), /argument `replicas` must be an integer/);
    assert.throws(() => buildRequest(valkeyAdd, { name: "c", replicas: 1, tier: "huge" }, ctx), /argument `tier` must be one of "small", "large"/);
    assert.throws(() => buildRequest(valkeyAdd, { name: "c", replicas: 1, "providerConfig.zone": "nowhere" }, ctx), /must be one or more lower-case letters, a hyphen, then a digit; got "nowhere"/);
    assert.throws(() => buildRequest(valkeyAdd, { name: "c", replicas: 1, persistence: "maybe" }, ctx), /argument `persistence` must be true or false/);
    assert.throws(() => buildRequest(valkeyShow, { id: "x", verbose: "yes" }, ctx), /argument `verbose` must be true or false/);
  });

  it("requires an account id for account-scoped endpoints", () => {
    assert.throws(() => buildRequest(clustersList, {}, { accountId: "" }), AuthError);
  });

  it("omits the query when there is nothing to send", () => {
    const request = buildRequest(clustersList, {}, ctx);
    assert.deepEqual(request, { method: "GET", path: "/acme/clusters", idempotent: true, operation: clustersList });
  });
});

describe("buildRequest path safety", () => {
  const bucketDelete = toOperation(CommandSchema.parse({
    command: "services/minio/{id}/delete-bucket",
    endpoint: "/:aid/:cid/services/minio/:id/buckets/:bucket",
    method: "DELETE",
    mcp: ["write"],
    input: { fields: [{ name: "id", type: "string", required: true }, { name: "bucket", type: "string", required: true }] },
  }));
  const context = { accountId: "acme", clusterId: "i4y" };

  it("refuses `.`, `..` and empty path values, which would address another endpoint", () => {
    for (const bucket of ["..", ".", ""]) {
      assert.throws(() => buildRequest(bucketDelete, { id: "m3b9z", bucket }, context), UsageError, `bucket ${JSON.stringify(bucket)}`);
    }
  });

  it("escapes slashes and encoded dots inside a path value instead of following them", () => {
    const request = buildRequest(bucketDelete, { id: "m3b9z", bucket: "a/../b%2e" }, context);
    assert.equal(request.path, "/acme/i4y/services/minio/m3b9z/buckets/a%2F..%2Fb%252e");
  });

  it("refuses strings holding an unpaired surrogate with an argument error", () => {
    assert.throws(() => buildRequest(bucketDelete, { id: "m3b9z", bucket: "x\uD800y" }, context), /argument `bucket` contains an invalid Unicode sequence/);
  });
});
