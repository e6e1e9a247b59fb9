/**
 * The catalog fixtures that hold our code to RunOS's real catalog: runos_full.json (about a thousand
 * commands, 22 service types) and vllm_45_6_0.json (the vLLM family of manifest 45.6.0). They are
 * generated (`make catalog-fixture`); these tests prove the generator is deterministic, the committed
 * files are its output, and the catalogs have the shapes RunOS's has.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import runosFullJson from "../../fixtures/catalog/runos_full.json" with { type: "json" };
import vllmJson from "../../fixtures/catalog/vllm_45_6_0.json" with { type: "json" };
import { buildOperations } from "../../src/catalog/operation.ts";
import { MAX_TOOL_NAME_LENGTH } from "../../src/catalog/naming.ts";
import { type Catalog, type Command, parseCatalog } from "../../src/catalog/schema.ts";
import { CATALOG_FIXTURES, renderCatalog } from "../../scripts/gen_full_catalog.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";

const SERVICE_TYPES = [
  "cert-manager", "clickhouse", "grafana", "harbor", "kafka", "langfuse", "linstor", "litellm", "minio", "mysql", "netbird-client",
  "netbird-server", "ollama", "postgresql", "prometheus", "rabbitmq", "traefik", "umami", "valkey", "vector", "vllm", "wireguard",
];
const COMMON_VERBS = ["add", "list", "{id}/show", "{id}/status", "{id}/logs", "{id}/update", "{id}/delete", "{id}/credentials"];
/** Secrets tagged `read` before manifest 45.0.0, kept in the fixture on purpose. */
const LEGACY_READ_CREDENTIALS = ["grafana", "litellm", "langfuse", "vector", "clickhouse"];
/** Credentials commands that return addresses only and stay on `read`. */
const ADDRESS_ONLY_CREDENTIALS = ["prometheus", "traefik", "netbird-server"];

function parsed(value: unknown): Catalog {
  const result = parseCatalog(structuredClone(value));
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.catalog;
}

const full = parsed(runosFullJson);
const vllm = parsed(vllmJson);
const byPath = new Map(full.commands.map((command) => [command.command, command]));

function find(path: string): Command {
  const command = byPath.get(path);
  assert.ok(command !== undefined, `${path} is missing`);
  return command;
}

describe("the catalog fixture generator", () => {
  it("writes the same bytes on every run, and the committed fixtures are its output (run `make catalog-fixture`)", () => {
    for (const fixture of CATALOG_FIXTURES) {
      const first = renderCatalog(fixture.build());
      assert.equal(renderCatalog(fixture.build()), first, `${fixture.path} differs between two runs`);
      const committed = readFileSync(new URL(`../../${fixture.path}`, import.meta.url), "utf8");
      assert.ok(committed === first, `${fixture.path} is stale: run \`make catalog-fixture\``);
    }
  });
});

describe("fixtures/catalog/runos_full.json", () => {
  it("parses with our schema to exactly itself, so every default is spelled out as RunOS does", () => {
    assert.deepEqual(full, runosFullJson);
    assert.match(full.version, /^45\.\d+\.\d+\+virt$/);
  });

  it("builds between 950 and 1100 operations with unique tool names of at most 36 characters", () => {
    const operations = buildOperations(full);
    assert.ok(operations.length >= 950 && operations.length <= 1100, `${operations.length} operations`);
    const names = operations.map((operation) => operation.toolName);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.ok(name.length <= MAX_TOOL_NAME_LENGTH, name);
    assert.ok(names.some((name, index) => name !== operations[index]!.verbPath.join("_")), "no tool name needed shortening");
  });

  it("has the 22 service types, each with the common verbs", () => {
    const types = new Set(full.commands.filter((command) => /^services\/[^/]+\/add$/.test(command.command)).map((command) => command.command.split("/")[1]));
    assert.deepEqual([...types].sort(), SERVICE_TYPES);
    for (const type of SERVICE_TYPES) for (const verb of COMMON_VERBS) find(`services/${type}/${verb}`);
  });

  it("has the family verbs of RunOS's public record", () => {
    const pg = ["exec-sql", "create-database", "create-user", "grant-database", "revoke-database", "drop-user", "drop-database", "adopt-user", "users", "user-credentials", "admin-credentials", "schema"];
    for (const verb of pg) find(`services/postgresql/{id}/${verb}`);
    for (const path of [
      "services/mysql/{id}/exec-sql", "services/clickhouse/{id}/exec-sql", "services/valkey/{id}/clear-cache", "services/valkey/{id}/set-data",
      "services/minio/{id}/buckets", "services/minio/{id}/delete-bucket", "services/minio/{id}/delete-object", "services/minio/{id}/get-object",
      "services/litellm/{id}/api-keys", "services/wireguard/{id}/remove-peer", "services/vllm/{id}/chat", "services/vllm/{id}/set-api-key",
      "services/vllm/{id}/set-router-config", "services/vllm/{id}/set-advanced-configs", "services/vllm/{id}/restart", "services/vllm/{id}/rename",
      "apps/{id}/run", "apps/{id}/env-vars/set", "apps/{id}/secret-files/update", "apps/{id}/replace-manifest", "apps/{id}/builds",
      "nodes/join-command", "nodes/{id}/drain", "nodes/{id}/delete-preflight", "nodes/{id}/configure-gpu-shape", "clusters/{cid}/kubeconfig",
      "clusters/{cid}/is-app-deployment-ready", "clusters/{cid}/etcd-remove-member", "storage-groups/{id}/wipe-device", "jobs/{id}/action",
      "account/api-keys/{id}/update", "account/notify-keys/add", "account/mcp/update", "service-info/rrc", "service-info/versions",
      "cli/version-check", "tools/domain-check", "user/permissions",
    ]) find(path);
  });

  it("tags as RunOS does: a read command carries `read` only, and no command mixes read and write tiers", () => {
    for (const command of full.commands) {
      if (command.mcp.includes("read")) assert.deepEqual(command.mcp, ["read"], command.command);
      const reads = command.mcp.some((tag) => tag === "read" || tag === "sensitive_read");
      const writes = command.mcp.some((tag) => tag === "write" || tag === "sensitive_write");
      assert.ok(reads !== writes, `${command.command}: ${command.mcp.join(",")}`);
    }
  });

  it("keeps the pre-45.0.0 hazard: five credentials commands that return secrets are tagged read", () => {
    for (const type of SERVICE_TYPES) {
      const credentials = find(`services/${type}/{id}/credentials`);
      const expected = [...LEGACY_READ_CREDENTIALS, ...ADDRESS_ONLY_CREDENTIALS].includes(type) ? ["read"] : ["sensitive_read"];
      assert.deepEqual(credentials.mcp, expected, type);
    }
    for (const type of LEGACY_READ_CREDENTIALS) {
      const fields = (find(`services/${type}/{id}/credentials`).output?.fields ?? []).map((field) => (typeof field === "string" ? field : field.name));
      assert.ok(fields.some((name) => /password|secret|token|key/i.test(name)), `${type} credentials declare no secret`);
    }
  });

  it("tags secret readers sensitive_read and exec-sql sensitive_write", () => {
    for (const path of ["services/minio/{id}/get-object", "services/litellm/{id}/api-keys", "apps/{id}/secrets/reveal", "account/api-keys/list", "services/vllm/{id}/api-key-credentials"]) {
      assert.deepEqual(find(path).mcp, ["sensitive_read"], path);
    }
    for (const type of ["postgresql", "mysql", "clickhouse"]) assert.deepEqual(find(`services/${type}/{id}/exec-sql`).mcp, ["sensitive_write"], type);
    assert.ok(full.commands.some((command) => command.mcp.join() === "write,sensitive_write"));
  });

  it("has RunOS's field shapes: string arrays, allowEmpty, integers, flags with defaults, objects", () => {
    const fields = full.commands.flatMap((command) => command.input.fields);
    assert.ok(fields.some((field) => field.type === "array" && field.format === "string_array" && field.name === "nodeAffinityTags"));
    assert.ok(fields.some((field) => field.allowEmpty === true));
    assert.ok(fields.filter((field) => field.type === "integer").length > 200);
    assert.ok(fields.some((field) => field.type === "object"));
    assert.deepEqual(find("services/valkey/add").input.flags.find((flag) => flag.name === "secured")?.default, true);
    for (const type of SERVICE_TYPES) {
      const add = find(`services/${type}/add`).input.fields;
      assert.ok(add.length >= 8 && add.length <= 25, `${type} add has ${add.length} fields`);
      for (const name of ["name", "version", "resourceRequirementClassId", "replicas", "cpuRequestMc", "memoryLimitMb", "nodeAffinityTags"]) {
        assert.ok(add.some((field) => field.name === name), `${type} add lacks ${name}`);
      }
      assert.ok(add.find((field) => field.name === "version")?.default !== undefined, `${type} version has no default`);
    }
  });

  it("has PATCH verbs, an endpoint with no account, and slow writes that say they return a job", () => {
    for (const verb of ["chat", "restart", "rename", "set-api-key", "update"]) assert.equal(find(`services/vllm/{id}/${verb}`).method, "PATCH", verb);
    assert.equal(find("service-info/{type}/advanced-config-schema").endpoint, "/service-info/:type/advanced-config-schema");
    assert.equal(find("jobs/{id}/show").endpoint, "/:aid/jobs/:id");
    const slow = full.commands.filter((command) => /^services\/[^/]+\/(add|\{id\}\/(delete|update|restart))$/.test(command.command));
    assert.equal(slow.length, 22 * 4);
    for (const command of slow) {
      const jobField = (command.output?.fields ?? []).some((field) => (typeof field === "string" ? field : field.name) === "jobId");
      assert.ok(command.returnsJob === true && jobField, command.command);
    }
  });

  it("has RunOS's spread of description lengths: mostly 80–300 characters, some kilobytes, a few past 2,048", () => {
    const lengths = full.commands.map((command) => command.description.length);
    const share = (low: number, high: number) => lengths.filter((length) => length >= low && length <= high).length / lengths.length;
    assert.ok(lengths.every((length) => length >= 80), "a description under 80 characters");
    assert.ok(share(80, 300) > 0.55, `only ${share(80, 300)} are 80–300 characters`);
    assert.ok(share(1000, 3072) > 0.1, "too few 1–3 KB descriptions");
    const over = lengths.filter((length) => length > 2048).length;
    assert.ok(over >= 5 && over <= 60, `${over} descriptions past 2,048 characters`);
  });
});

describe("fixtures/catalog/vllm_45_6_0.json", () => {
  it("parses to exactly itself and builds 20 operations with unique tool names", () => {
    assert.deepEqual(vllm, vllmJson);
    assert.equal(vllm.version, "45.6.0");
    const names = buildOperations(vllm).map((operation) => operation.toolName);
    assert.equal(names.length, 20);
    assert.equal(new Set(names).size, 20);
    for (const name of names) assert.ok(name.length <= MAX_TOOL_NAME_LENGTH, name);
  });

  it("has the published snapshot's shape: read-only tags, PATCH verbs, no-account endpoint, sensitive credentials", () => {
    const commands = new Map(vllm.commands.map((command) => [command.command, command]));
    const get = (path: string) => {
      const command = commands.get(path);
      assert.ok(command !== undefined, path);
      return command;
    };
    for (const command of vllm.commands) if (command.method === "GET") assert.ok(["read", "sensitive_read"].includes(command.mcp.join()), command.command);
    for (const verb of ["update", "chat", "restart", "rename", "convert-to-custom", "set-api-key"]) assert.equal(get(`services/vllm/{id}/${verb}`).method, "PATCH", verb);
    for (const verb of ["set-router-config", "set-advanced-configs"]) assert.equal(get(`services/vllm/{id}/${verb}`).method, "POST", verb);
    assert.equal(get("services/vllm/add").method, "POST");
    assert.equal(get("services/vllm/{id}/delete").method, "DELETE");
    assert.deepEqual(get("services/vllm/{id}/delete").mcp, ["write"]);
    assert.deepEqual(get("services/vllm/{id}/credentials").mcp, ["sensitive_read"]);
    assert.deepEqual(get("services/vllm/{id}/api-key-credentials").mcp, ["sensitive_read"]);
    assert.deepEqual(get("services/vllm/{id}/set-api-key").mcp, ["sensitive_write"]);
    assert.equal(get("service-info/{type}/advanced-config-schema").endpoint, "/service-info/:type/advanced-config-schema");
    assert.equal(get("services/vllm/add").input.fields.length, 25);
    for (const verb of ["set-router-config", "set-advanced-configs"]) {
      const count = get(`services/vllm/{id}/${verb}`).input.fields.length;
      assert.ok(count >= 26 && count <= 44, `${verb} has ${count} fields`);
    }
    const fields = vllm.commands.flatMap((command) => command.input.fields);
    assert.ok(fields.some((field) => field.type === "array" && field.format === "string_array"));
    assert.ok(fields.some((field) => field.type === "integer"));
    assert.ok(get("services/vllm/{id}/update").input.fields.some((field) => field.allowEmpty === true));
  });

  it("carries one very large object field, as the published snapshot does", () => {
    const advanced = vllm.commands.find((command) => command.command === "services/vllm/{id}/set-advanced-configs")!;
    const field = advanced.input.fields.find((candidate) => candidate.type === "object" && (candidate.description ?? "").length > 12_000);
    assert.ok(field !== undefined, "no object field with a description over 12 KB");
    assert.ok(JSON.stringify(advanced).length > 15_000);
  });

  it("is the vLLM family of the full catalog, command for command", () => {
    for (const command of vllm.commands) assert.deepEqual(byPath.get(command.command), command, command.command);
  });
});

describe("operations of the full-scale catalog", () => {
  it("treats a read that lists jobIds as a read, not as starting a job", () => {
    const operations = buildOperations(loadCatalogFixture("runos_full"));
    for (const operation of operations) if (operation.method === "GET") assert.equal(operation.returnsJob, false, operation.command);
    assert.ok(operations.some((operation) => operation.method !== "GET" && operation.returnsJob));
  });
});
