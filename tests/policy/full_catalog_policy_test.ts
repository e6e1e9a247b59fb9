/**
 * The tiers, both floors and request building held on catalogs in RunOS's own shape, not only on
 * ours: `runos_full` (about a thousand commands, read commands tagged `read` only, pre-45.0.0
 * credentials hazards tagged `read`) and `vllm_45_6_0` (the vLLM family of RunOS's manifest 45.6.0).
 * The oracles here are independent of policy/: the floors as plain predicates on method and path,
 * and the wire contract as tests/_harness/catalog_sample_args.ts spells it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildRequest } from "../../src/api/request.ts";
import { isAllowedByGuard } from "../../src/api/write_guard.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { CLI_ALLOWED, planCall } from "../../src/policy/call_plan.ts";
import { decide } from "../../src/policy/decide.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../../src/policy/tier.ts";
import { buildRegistry } from "../../src/mcp/tools/registry.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";
import { catalogSampleArgs, requestFor } from "../_harness/catalog_sample_args.ts";

/** A segment that names or hands out secrets, as the README states the secrets floor. */
const SECRET_SHAPE = /(^|[/_.-])(credentials?|secrets?|passwords?|tokens?|passphrase|reveal|get-object|kubeconfig|join-command|connection-strings?)([/_.-]|$)|(^|[/_.-])(api|private|access|signing|ssh)-keys?([/_.-]|$)/i;

function secretShaped(operation: Operation): boolean {
  return SECRET_SHAPE.test(operation.command) || SECRET_SHAPE.test(operation.endpoint);
}

/** Whether a read tier may run it at all: GET, or exec-sql with its read-write flag (run read-only). */
function readableOnReadTier(operation: Operation): boolean {
  if (operation.method === "GET") return true;
  const verb = operation.command.split("/").pop();
  return operation.method === "POST" && verb === "exec-sql" && operation.endpoint.endsWith("/exec-sql") && operation.flags.some((flag) => flag.name === "readWrite");
}

const TAG: Record<Tier, string> = { "read": "read", "sensitive-read": "sensitive_read", "write": "write", "sensitive-write": "sensitive_write" };

for (const name of ["runos_full", "vllm_45_6_0"] as const) {
  const operations = buildOperations(loadCatalogFixture(name));
  const listed = new Map(TIERS.map((tier) => [tier, new Set(buildRegistry(tier, operations, { hasDefaultCluster: true, mode: "all" }).tools.map((tool) => tool.name))]));
  const on = (tier: Tier, operation: Operation) => listed.get(tier)!.has(operation.toolName);

  describe(`tiers on ${name} (${operations.length} commands)`, () => {
    it("lists on sensitive-read everything read lists, and every read-tagged command its floors allow", () => {
      for (const operation of operations) {
        if (on("read", operation)) assert.ok(on("sensitive-read", operation), `${operation.command} is on read but not on sensitive-read`);
        if (operation.tags.has("read") && readableOnReadTier(operation)) assert.ok(on("sensitive-read", operation), `${operation.command} is tagged read but not on sensitive-read`);
      }
      assert.ok(listed.get("sensitive-read")!.size > listed.get("read")!.size);
    });

    it("the mutation floor: read and sensitive-read list nothing that writes, whatever the tags", () => {
      for (const tier of ["read", "sensitive-read"] as const) {
        for (const operation of operations) if (on(tier, operation)) assert.ok(readableOnReadTier(operation), `${operation.method} ${operation.command} is listed on ${tier}`);
      }
    });

    it("the secrets floor: read and write list no secret-shaped command, whatever the tags; refusals name the sensitive server", () => {
      for (const tier of ["read", "write"] as const) {
        for (const operation of operations) {
          if (!secretShaped(operation)) continue;
          assert.equal(on(tier, operation), false, `${operation.command} is listed on ${tier}`);
          const decision = decide(tier, operation);
          if (decision.kind === "deny" && decision.alternative !== undefined) {
            assert.ok(decision.alternative === "sensitive-read" || decision.alternative === "sensitive-write", `${operation.command} on ${tier} names ${SERVER_NAMES[decision.alternative]}`);
          }
        }
      }
    });

    it("honours every tag the floors allow: nothing tagged for a tier goes missing without a reason", () => {
      for (const tier of TIERS) {
        for (const operation of operations) {
          if (!operation.tags.has(TAG[tier] as never)) continue;
          const secretsForbid = (tier === "read" || tier === "write") && secretShaped(operation);
          const mutationForbids = (tier === "read" || tier === "sensitive-read") && !readableOnReadTier(operation);
          assert.equal(on(tier, operation), !secretsForbid && !mutationForbids, `${operation.command} tagged ${TAG[tier]} on ${tier}`);
        }
      }
    });

    it("builds every command's request as the wire contract says, and the read tiers' guard passes exactly what they may send", () => {
      let built = 0;
      for (const operation of operations) {
        const args = catalogSampleArgs(operation);
        const plan = planCall(operation, CLI_ALLOWED, { ...args }, { face: "mcp", defaultClusterId: "i4y" });
        const request = buildRequest(plan, { accountId: "acme" });
        const expected = requestFor(operation, args, "acme");
        assert.equal(request.method, operation.method, operation.command);
        assert.equal(request.path, expected.path, operation.command);
        if (operation.method === "GET" || operation.method === "DELETE") {
          assert.deepEqual(request.query ?? {}, expected.query, operation.command);
          assert.equal(request.body, undefined, operation.command);
        } else {
          assert.deepEqual(request.body, nestDotted(expected.body ?? {}), operation.command);
        }
        // Sample arguments never set readWrite: exec-sql's request is then read-only too.
        assert.equal(isAllowedByGuard(request), readableOnReadTier(operation), `guard on ${operation.method} ${operation.command}`);
        if (operation.flags.some((flag) => flag.name === "readWrite")) {
          const writing = buildRequest(planCall(operation, CLI_ALLOWED, { ...args, readWrite: true }, { face: "mcp", defaultClusterId: "i4y" }), { accountId: "acme" });
          assert.equal(isAllowedByGuard(writing), false, `guard on ${operation.command} with readWrite: true`);
        }
        const readTier = decide("read", operation);
        if (readTier.kind === "allow-read-only") {
          const readOnly = buildRequest(planCall(operation, readTier, { ...args, readWrite: true }, { face: "mcp", defaultClusterId: "i4y" }), { accountId: "acme" });
          assert.equal(isAllowedByGuard(readOnly), true, `read-only ${operation.command}`);
        }
        built++;
      }
      assert.equal(built, operations.length);
    });
  });
}

describe("the pre-45.0.0 hazard in runos_full", () => {
  const operations = buildOperations(loadCatalogFixture("runos_full"));
  it("keeps credentials tagged read off the read server, on sensitive-read, naming it when called on read", () => {
    for (const type of ["grafana", "litellm", "langfuse", "vector", "clickhouse"]) {
      const operation = operations.find((candidate) => candidate.command === `services/${type}/{id}/credentials`);
      assert.ok(operation !== undefined && operation.tags.has("read"), `${type} credentials tagged read`);
      assert.deepEqual(decide("read", operation), { kind: "deny", alternative: "sensitive-read" });
      assert.deepEqual(decide("sensitive-read", operation), { kind: "allow" });
    }
  });
});

/** The contract's dotted keys (`providerConfig.location`) as the nested objects the body carries. */
function nestDotted(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const keys = name.split(".");
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
  }
  return out;
}
