import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffCounts, type DiffedOperation, diffOperations, isEmptyDiff } from "../../src/catalog/diff.ts";

const op = (toolName: string, method: DiffedOperation["method"], endpoint: string, command = toolName.replaceAll("_", "/")): DiffedOperation => ({
  toolName,
  command,
  method,
  endpoint,
});

const before = [
  op("clusters_list", "GET", "/:aid/clusters"),
  op("services_valkey_show", "GET", "/:aid/:cid/services/valkey/:id", "services/valkey/{id}/show"),
  op("services_valkey_restart", "POST", "/:aid/:cid/services/valkey/:id/restart", "services/valkey/{id}/restart"),
  op("services_valkey_legacy", "GET", "/:aid/:cid/services/valkey/:id/legacy", "services/valkey/{id}/legacy"),
  op("apps_deploy", "POST", "/:aid/:cid/apps/:id/deploy", "apps/{id}/deploy"),
];

const after = [
  // kept as it was
  op("clusters_list", "GET", "/:aid/clusters"),
  // same name, same method, new path
  op("services_valkey_show", "GET", "/:aid/:cid/valkey/:id", "services/valkey/{id}/show"),
  // same name, same path, new method
  op("services_valkey_restart", "PUT", "/:aid/:cid/services/valkey/:id/restart", "services/valkey/{id}/restart"),
  // same name, both new
  op("apps_deploy", "PATCH", "/:aid/:cid/apps/:name/deploy", "apps/{name}/deploy"),
  // new
  op("services_valkey_logs", "GET", "/:aid/:cid/services/valkey/:id/logs", "services/valkey/{id}/logs"),
  op("account_show", "GET", "/:aid/account"),
];

describe("diffOperations", () => {
  it("names what came, what went and what changed its method or endpoint, each in name order", () => {
    assert.deepEqual(diffOperations(before, after), {
      added: [
        { name: "account_show", command: "account/show", method: "GET", endpoint: "/:aid/account" },
        { name: "services_valkey_logs", command: "services/valkey/{id}/logs", method: "GET", endpoint: "/:aid/:cid/services/valkey/:id/logs" },
      ],
      removed: [
        { name: "services_valkey_legacy", command: "services/valkey/{id}/legacy", method: "GET", endpoint: "/:aid/:cid/services/valkey/:id/legacy" },
      ],
      changed: [
        {
          name: "apps_deploy",
          command: "apps/{name}/deploy",
          before: { method: "POST", endpoint: "/:aid/:cid/apps/:id/deploy" },
          after: { method: "PATCH", endpoint: "/:aid/:cid/apps/:name/deploy" },
        },
        {
          name: "services_valkey_restart",
          command: "services/valkey/{id}/restart",
          before: { method: "POST", endpoint: "/:aid/:cid/services/valkey/:id/restart" },
          after: { method: "PUT", endpoint: "/:aid/:cid/services/valkey/:id/restart" },
        },
        {
          name: "services_valkey_show",
          command: "services/valkey/{id}/show",
          before: { method: "GET", endpoint: "/:aid/:cid/services/valkey/:id" },
          after: { method: "GET", endpoint: "/:aid/:cid/valkey/:id" },
        },
      ],
    });
  });

  it("finds nothing between a list and itself in another order, whatever else differs", () => {
    const reordered = [...before].reverse().map((operation) => ({ ...operation, description: "new words" }));
    const diff = diffOperations(before, reordered);
    assert.deepEqual(diff, { added: [], removed: [], changed: [] });
    assert.ok(isEmptyDiff(diff));
  });

  it("reports everything as added from nothing, and as removed to nothing", () => {
    assert.deepEqual(diffOperations([], before.slice(0, 1)).added, [{ name: "clusters_list", command: "clusters/list", method: "GET", endpoint: "/:aid/clusters" }]);
    assert.deepEqual(diffOperations(before.slice(0, 1), []).removed, [{ name: "clusters_list", command: "clusters/list", method: "GET", endpoint: "/:aid/clusters" }]);
  });
});

describe("diffCounts", () => {
  it("counts the lists that are not empty", () => {
    assert.equal(diffCounts(diffOperations(before, after)), "2 added, 1 removed, 3 changed");
    assert.equal(diffCounts({ added: [1], removed: [], changed: [] }), "1 added");
    assert.equal(diffCounts({ added: [], removed: [], changed: [] }), "nothing changed");
  });
});
