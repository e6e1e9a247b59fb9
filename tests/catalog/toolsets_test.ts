import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiClient, ApiRequest } from "../../src/api/client.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { cachedToolsets, fetchToolsets, hiddenByToolsets, TOOLSETS_TTL_MS } from "../../src/catalog/toolsets.ts";
import { NotFoundError } from "../../src/errors.ts";
import { buildRegistry } from "../../src/mcp/tools/registry.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const operations = buildOperations(loadCatalogFixture("runos_full"));

function answering(respond: (request: ApiRequest) => unknown) {
  const seen: ApiRequest[] = [];
  const client: ApiClient = {
    send: (request) => {
      seen.push(request);
      try {
        return Promise.resolve(respond(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
  return { client, seen };
}

describe("toolsets", () => {
  it("hides the per-type service tools of types the account does not run, but keeps every type's add", () => {
    const hidden = hiddenByToolsets(operations, { scoped: true, serviceTypes: ["postgresql", "valkey"] });
    const names = new Set(buildRegistry("read", operations, { hasDefaultCluster: true, hidden, mode: "all" }).tools.map((tool) => tool.name));
    assert.ok(names.has("services_postgresql_list"));
    assert.ok(names.has("services_valkey_show"));
    assert.ok(names.has("services_list"), "generic service commands stay");
    assert.ok(!names.has("services_vllm_list"));
    assert.ok(!names.has("services_grafana_status"));
    const writer = new Set(buildRegistry("write", operations, { hasDefaultCluster: true, hidden, mode: "all" }).tools.map((tool) => tool.name));
    assert.ok(writer.has("services_vllm_add") && writer.has("services_grafana_add"), "a new service can still be made");
    assert.ok(!writer.has("services_vllm_restart"));
    const everything = buildRegistry("read", operations, { hasDefaultCluster: true, mode: "all" }).tools.length;
    assert.ok(names.size < everything / 2, `${names.size} of ${everything} read tools listed`);
  });

  it("keeps hidden tools callable: scoping trims the listing, it is not a gate", () => {
    const hidden = hiddenByToolsets(operations, { scoped: true, serviceTypes: [] });
    const registry = buildRegistry("read", operations, { hasDefaultCluster: true, hidden, mode: "all" });
    assert.equal(registry.resolve("services_vllm_list").kind, "listed");
  });

  it("changes nothing when unscoped or when the API has no toolsets route", () => {
    assert.equal(hiddenByToolsets(operations, { scoped: false, serviceTypes: [] }).size, 0);
    assert.equal(hiddenByToolsets(operations, null).size, 0);
    assert.equal(hiddenByToolsets(operations, undefined).size, 0);
  });

  it("asks GET /:aid/cli/toolsets, remembers the answer for a day, and remembers a missing route too", async () => {
    await withTempDir("toolsets", async (dir) => {
      const now = Date.parse("2026-12-01T10:00:00Z");
      const api = answering(() => ({ scoped: true, serviceTypes: ["minio"], virtInstalled: false }));
      assert.deepEqual(await fetchToolsets(api.client, "acme", "default", dir, now), { scoped: true, serviceTypes: ["minio"] });
      assert.equal(api.seen[0]!.path, "/acme/cli/toolsets");
      assert.deepEqual(await cachedToolsets("default", dir, now + TOOLSETS_TTL_MS - 1), { scoped: true, serviceTypes: ["minio"] });
      assert.equal(await cachedToolsets("default", dir, now + TOOLSETS_TTL_MS), undefined, "stale after a day");

      const missing = answering(() => {
        throw new NotFoundError("not found");
      });
      assert.equal(await fetchToolsets(missing.client, "acme", "default", dir, now), null);
      assert.equal(await cachedToolsets("default", dir, now + 1), null);
    });
  });
});
