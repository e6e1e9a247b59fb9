import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiClient, ApiRequest } from "../src/api/client.ts";
import { baselineCatalog } from "../src/catalog/load.ts";
import { buildOperations } from "../src/catalog/operation.ts";
import { type ClusterLookup, clusterLabel, findClustersList, resolveClusterId } from "../src/cluster_names.ts";
import { ApiError, UsageError } from "../src/errors.ts";

const clustersList = findClustersList(buildOperations(baselineCatalog()))!;
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
const CLUSTERS = [{ id: "i4y", name: "production" }, { id: "stg01", name: "staging" }, { id: "x1y", name: "twin" }, { id: "x2y", name: "twin" }];

/** A client answering clusters list with `CLUSTERS`, counting the requests it was sent. */
function listingClient(): ApiClient & { sent: ApiRequest[] } {
  const sent: ApiRequest[] = [];
  return { sent, send: (request) => (sent.push(request), Promise.resolve({ clusters: CLUSTERS })) };
}

describe("clusterLabel: how a question names a cluster", () => {
  it("says the id and the name, whichever was given, and remembers the list for the next question", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "runos-label-"));
    try {
      const client = listingClient();
      const session = { client, accountId: "acme", profile: "default", cacheDir };
      assert.equal(await clusterLabel("i4y", session, clustersList), "i4y (production)");
      assert.equal(await clusterLabel("Staging", session, clustersList), "stg01 (staging)");
      assert.equal(client.sent.length, 1, "the second answer came from the remembered list");
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it("falls back to the value as given, never failing: no such cluster, two of that name, or no answer", async () => {
    const session = { client: listingClient(), accountId: "acme" };
    assert.equal(await clusterLabel("nowhere", session, clustersList), "nowhere");
    assert.equal(await clusterLabel("twin", session, clustersList), "twin");
    const down = { accountId: "acme", client: { send: () => Promise.reject(new ApiError("cannot reach the RunOS API")) } };
    assert.equal(await clusterLabel("i4y", down, clustersList), "i4y");
  });
});
