import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toOperation } from "../../src/catalog/operation.ts";
import { CommandSchema } from "../../src/catalog/schema.ts";
import { UsageError } from "../../src/errors.ts";
import { CLI_ALLOWED, operationPolicy, planCall } from "../../src/policy/call_plan.ts";

function op(command: Record<string, unknown>) {
  return toOperation(CommandSchema.parse({ description: "", mcp: ["write"], ...command }));
}

const execSql = op({
  command: "services/postgresql/{id}/exec-sql",
  endpoint: "/:aid/:cid/services/postgresql/:id/exec-sql",
  method: "POST",
  mcp: ["read", "write"],
  input: { fields: [{ name: "id", type: "string", required: true }, { name: "query", type: "string", required: true }], flags: [{ name: "readWrite" }] },
});
const appAdd = op({
  command: "apps/add",
  endpoint: "/:aid/:cid/apps",
  method: "POST",
  input: {
    fields: [
      { name: "name", type: "string", required: true },
      { name: "replicas", type: "integer", minimum: 1, maximum: 5 },
      { name: "domains", type: "array", itemType: "string" },
      { name: "env", type: "object", valueType: "string" },
    ],
    flags: [{ name: "wait" }],
  },
});
const bucketDelete = op({
  command: "services/minio/{id}/delete-bucket",
  endpoint: "/:aid/:cid/services/minio/:id/buckets/:bucket",
  method: "DELETE",
  input: { fields: [{ name: "id", type: "string", required: true }, { name: "bucket", type: "string", required: true }] },
});
const clustersList = op({ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET", mcp: ["read"] });

const READ_ONLY = { kind: "allow-read-only" } as const;

describe("operationPolicy()", () => {
  it("derives the confirm rule and the four hints once, from the operation and the tier's verdict", () => {
    const writing = operationPolicy(execSql, CLI_ALLOWED);
    assert.equal(writing.confirm, "when-read-write");
    assert.deepEqual(writing.hints, { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false });
    const reading = operationPolicy(execSql, READ_ONLY);
    assert.equal(reading.confirm, "never");
    assert.equal(reading.hints.readOnlyHint, true);
    assert.ok(!reading.arguments.some((spec) => spec.name === "readWrite"), "read-only mode takes no readWrite");
    assert.equal(operationPolicy(bucketDelete, CLI_ALLOWED).confirm, "always");
    assert.equal(operationPolicy(clustersList, CLI_ALLOWED).hints.readOnlyHint, true);
    assert.equal(operationPolicy(execSql, CLI_ALLOWED), writing, "cached per operation and verdict");
  });
});

describe("planCall()", () => {
  it("types a model's values, keeps flags apart, and says the call writes", () => {
    const plan = planCall(appAdd, CLI_ALLOWED, { name: "web", replicas: "2", domains: ["a.example"], wait: "true", cid: "i4y (Production)" }, { face: "mcp" });
    assert.deepEqual(plan.values, { name: "web", replicas: 2, domains: ["a.example"] });
    assert.deepEqual(plan.flags, { wait: true });
    assert.equal(plan.clusterId, "i4y");
    assert.equal(plan.writes, true);
    assert.equal(plan.readOnly, false);
    assert.equal(plan.confirmation.needed, false);
  });

  it("reads a person's strings: CSV and JSON arrays, KEY=VALUE and JSON objects", () => {
    const plan = planCall(appAdd, CLI_ALLOWED, { name: "web", domains: "a.example, b.example", env: "A=1,B=x=y" }, { face: "cli", defaultClusterId: "i4y" });
    assert.deepEqual(plan.values.domains, ["a.example", "b.example"]);
    assert.deepEqual(plan.values.env, { A: "1", B: "x=y" });
    const json = planCall(appAdd, CLI_ALLOWED, { name: "web", domains: '["c"]', env: '{"K":"v"}' }, { face: "cli", defaultClusterId: "i4y" });
    assert.deepEqual(json.values.domains, ["c"]);
    assert.deepEqual(json.values.env, { K: "v" });
    assert.throws(() => planCall(appAdd, CLI_ALLOWED, { name: "web", domains: "a,b" }, { face: "mcp", defaultClusterId: "i4y" }), /argument `domains` must be an array/);
  });

  it("forces read-only on a read tier: readWrite dropped wherever it was sent, the flag sent false, nothing written", () => {
    for (const args of [{ readWrite: true }, { flags: { readWrite: true } }]) {
      const plan = planCall(execSql, READ_ONLY, { id: "pg1", query: "delete from t", cid: "i4y", ...args }, { face: "mcp" });
      assert.deepEqual(plan.flags, { readWrite: false });
      assert.equal(plan.readOnly, true);
      assert.equal(plan.writes, false);
      assert.equal(plan.confirmation.needed, false);
    }
  });

  it("asks for confirmation of a read-write exec-sql and of every destructive call, naming the exact target", () => {
    const sql = planCall(execSql, CLI_ALLOWED, { id: "pg1", query: "drop table t", readWrite: true, cid: "i4y" }, { face: "mcp" });
    assert.deepEqual(sql.confirmation, { needed: true, target: "services postgresql exec-sql id=pg1 cid=i4y readWrite=true" });
    assert.equal(sql.writes, true);
    const quiet = planCall(execSql, CLI_ALLOWED, { id: "pg1", query: "select 1", cid: "i4y" }, { face: "mcp" });
    assert.equal(quiet.confirmation.needed, false);
    assert.equal(quiet.writes, false);
    const confirmed = planCall(bucketDelete, CLI_ALLOWED, { id: "m1", bucket: "logs", confirm: "rc1.token" }, { face: "mcp", defaultClusterId: "i4y" });
    assert.deepEqual(confirmed.confirmation, { needed: true, token: "rc1.token", target: "services minio delete-bucket id=m1 bucket=logs cid=i4y" });
    const bare = planCall(bucketDelete, CLI_ALLOWED, { id: "m1", bucket: "logs", confirm: true }, { face: "mcp", defaultClusterId: "i4y" });
    assert.equal(bare.confirmation.token, undefined, "confirm: true is no token: the call asks for its preview");
  });

  it("takes no confirm argument from the CLI, which confirms with --yes", () => {
    assert.throws(() => planCall(bucketDelete, CLI_ALLOWED, { id: "m1", bucket: "logs", confirm: true }, { face: "cli", defaultClusterId: "i4y" }), /unknown argument `confirm`/);
  });

  it("refuses path values that would address another endpoint, and strings with unpaired surrogates at any depth", () => {
    for (const bucket of ["", ".", ".."]) {
      assert.throws(() => planCall(bucketDelete, CLI_ALLOWED, { id: "m1", bucket, confirm: true }, { face: "mcp", defaultClusterId: "i4y" }), /argument `bucket` cannot be/);
    }
    assert.throws(() => planCall(appAdd, CLI_ALLOWED, { name: "web", env: { K: "x\uD800" } }, { face: "mcp", defaultClusterId: "i4y" }), /argument `env` contains an invalid Unicode sequence/);
    assert.throws(() => planCall(appAdd, CLI_ALLOWED, { name: "web", env: { ["k\uDC00"]: "v" } }, { face: "mcp", defaultClusterId: "i4y" }), /invalid Unicode sequence/);
  });

  it("refuses a value nested deeper than the limit without overflowing the stack", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 50_000; i++) deep = [deep];
    assert.throws(() => planCall(appAdd, CLI_ALLOWED, { name: "web", domains: deep }, { face: "mcp", defaultClusterId: "i4y" }), /argument `domains` is nested too deeply/);
  });

  it("lists every problem at once, in the face's words, with the face's next step", () => {
    assert.throws(
      () => planCall(appAdd, CLI_ALLOWED, { replicas: "9", colour: "red" }, { face: "cli", label: (name) => `--${name}`, callName: "`runos apps add`", usageHint: "see `runos apps add --help`" }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /^invalid arguments for `runos apps add`: /);
        assert.match(error.message, /unknown argument --colour/);
        assert.match(error.message, /--replicas must be an integer between 1 and 5; got "9"/);
        assert.match(error.message, /missing required argument --name/);
        assert.match(error.message, /missing required argument --cid \(cluster ID required/);
        assert.equal(error.hint, "see `runos apps add --help`");
        return true;
      },
    );
  });

  it("says where cluster ids come from in the face's words: a person's command, a model's tool", () => {
    const problems = (face: "cli" | "mcp") => {
      try {
        planCall(appAdd, CLI_ALLOWED, { name: "web" }, { face });
      } catch (error) {
        return (error as UsageError).message;
      }
      return assert.fail("planned without a cluster");
    };
    const cli = problems("cli");
    assert.match(cli, /list them with `runos clusters list`, or set a default with `runos config set cid <cluster>` or RUNOS_CLUSTER_ID/);
    assert.doesNotMatch(cli, /clusters_list/);
    assert.match(problems("mcp"), /list them with clusters_list \(`runos clusters list`\), or set a default with RUNOS_CLUSTER_ID or `runos login --cluster <cid>`/);
  });
});
