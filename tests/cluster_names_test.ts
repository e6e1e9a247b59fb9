import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ClusterLookup, findClustersList, resolveClusterId } from "../src/cluster_names.ts";
import { baselineCatalog } from "../src/catalog/load.ts";
import { buildOperations } from "../src/catalog/operation.ts";
import { UsageError } from "../src/errors.ts";

const clustersList = findClustersList(buildOperations(baselineCatalog()));
const lookup: ClusterLookup = {
  accountId: "acme",
  client: { send: () => Promise.resolve([{ id: "i4y", name: "production" }, { id: "dev7", name: "dev" }]) },
};

describe("cluster names", () => {
  it("an unknown cluster lists the clusters, and says where to list them in the asker's words", async () => {
    const hintFor = async (face?: "cli" | "mcp") => {
      const error = await resolveClusterId("nope", lookup, clustersList, face === undefined ? {} : { face }).then(() => assert.fail("resolved"), (error: unknown) => error);
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /the clusters are: i4y \(production\), dev7 \(dev\)/);
      return error.hint;
    };
    assert.equal(await hintFor("cli"), "pass a cluster id or name (see `runos clusters list`)");
    // Over MCP the words stay as they were, the tool named too.
    assert.equal(await hintFor("mcp"), "pass a cluster id or name (see `runos clusters list`, or clusters_list over MCP)");
    assert.equal(await hintFor(), await hintFor("mcp"));
  });

  it("resolves a name to its id, case-insensitively", async () => {
    assert.equal(await resolveClusterId("Production", lookup, clustersList, { face: "cli" }), "i4y");
  });
});
