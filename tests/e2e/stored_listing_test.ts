/**
 * The compiled runos on a RunOS-sized cached catalog: the tools listing its first start stores beside
 * the cache is answered by the next start byte for byte as the SDK's server answers tools/list, and a
 * listing file or catalog cache changed in between is detected and never served.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { listingPath } from "../../src/mcp/tools/listing_cache.ts";
import { catalogFixturePath } from "../_harness/catalogs.ts";
import { hasBinary, markCatalogChecked, RawStdioServer, runosEnv } from "../_harness/mcp_client.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "stored-listing-e2e", version: "0.0.0" } },
};
const SERVE = ["mcp", "serve", "read", "--tools", "all"];

/** The tools/list answer line of one server started on `env` (after a ping, when `sdkFirst`: the SDK answers). */
async function listOnce(env: Record<string, string>, sdkFirst = false): Promise<string> {
  const server = new RawStdioServer("binary", SERVE, env);
  try {
    if (sdkFirst) {
      server.send(JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }));
      await server.response(0);
    }
    server.send(JSON.stringify(INITIALIZE));
    await server.response(1);
    server.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    server.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    await server.response(2);
    assert.equal(await server.end(30_000), 0);
    const line = server.lines.find((text) => (JSON.parse(text) as { id?: unknown }).id === 2);
    assert.ok(line !== undefined);
    return line;
  } finally {
    await server.kill().catch(() => {});
  }
}

describe("a stored tools listing, compiled", { skip: !hasBinary() && "dist/runos is not built" }, () => {
  it("is answered as the SDK answers, and a changed listing or catalog is never served", { timeout: 120_000 }, async () => {
    const home = await makeTempDir("stored-listing-e2e");
    try {
      const env = runosEnv({ configDir: home.path, apiUrl: "http://127.0.0.1:9", apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID });
      const cache = join(home.path, "cache", "default");
      await mkdir(cache, { recursive: true });
      const catalogText = await readFile(catalogFixturePath("runos_full"), "utf8");
      await writeFile(join(cache, "manifest.json"), catalogText);
      await markCatalogChecked(home.path);
      const stored = listingPath("default", join(home.path, "cache"), "read", "all");

      const derived = await listOnce(env);
      assert.ok(existsSync(stored), "the first start stored its listing");
      const fromStore = await listOnce(env);
      assert.equal(fromStore, derived, "the stored listing, byte for byte");
      assert.equal(await listOnce(env, true), derived, "the SDK's own answer");

      // A listing file with one tool renamed, its length kept: ignored, derived and stored again.
      const good = await readFile(stored);
      const tampered = Buffer.from(good.toString("utf8").replace('"clusters_list"', '"clusters_lost"'));
      assert.equal(tampered.length, good.length);
      await writeFile(stored, tampered);
      assert.equal(await listOnce(env), derived);
      assert.deepEqual(await readFile(stored), good);

      // A changed catalog: its own tools; the listing stored now is the changed catalog's.
      const otherCatalog = JSON.parse(catalogText) as { commands: Array<{ command: string }> };
      otherCatalog.commands = otherCatalog.commands.filter((command) => command.command !== "clusters/list");
      await writeFile(join(cache, "manifest.json"), JSON.stringify(otherCatalog));
      const changed = await listOnce(env);
      assert.ok(!changed.includes('"clusters_list"'), "the changed catalog's tools are listed");
      assert.notDeepEqual(await readFile(stored), good);
      // Back on the first catalog, that listing is foreign: ignored, and the first catalog's tools listed.
      await writeFile(join(cache, "manifest.json"), catalogText);
      assert.equal(await listOnce(env), derived);
    } finally {
      await home.remove();
    }
  });
});
