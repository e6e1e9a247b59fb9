import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createApiClient } from "../../src/api/client.ts";
import type { Session } from "../../src/auth/session.ts";
import { readCachedCatalog } from "../../src/catalog/cache.ts";
import { lastCheck, SYNC_INTERVAL_MS, syncCatalogIfDue } from "../../src/catalog/sync.ts";
import { createLogger } from "../../src/log.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const CATALOG_V2 = JSON.stringify({ version: "2.0.0", commands: [{ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET", mcp: ["read"] }] });

/** The catalog routes of an API serving version 2.0.0; every request is recorded. */
function api(options: { failing?: boolean } = {}) {
  const seen: string[] = [];
  const fetchStub = (input: RequestInfo | URL): Promise<Response> => {
    const path = new URL(String(input)).pathname;
    seen.push(path);
    if (options.failing === true) return Promise.reject(new TypeError("connect ECONNREFUSED"));
    if (path === "/acme/cli/manifest-version") return Promise.resolve(Response.json({ version: "2.0.0" }));
    if (path === "/acme/cli/manifest") return Promise.resolve(new Response(CATALOG_V2, { headers: { "content-type": "application/json" } }));
    return Promise.resolve(Response.json({ error: "not found", statusCode: 404 }, { status: 404 }));
  };
  return { seen, fetch: fetchStub as typeof fetch };
}

function session(fetchStub: typeof fetch, cacheDir: string, overrides: Partial<Session> = {}): Session {
  return {
    profile: "default",
    apiUrl: "https://api.example.test",
    accountId: "acme",
    authenticated: true,
    client: createApiClient({ baseUrl: "https://api.example.test", token: "runos_pat_x", fetch: fetchStub, retries: 0 }),
    sandbox: false,
    cacheDir,
    close: () => Promise.resolve(),
    ...overrides,
  };
}

describe("syncCatalogIfDue()", () => {
  it("downloads and caches a newer catalog, then checks no more than once per interval per profile, saying how each check ended", async () => {
    await withTempDir("sync", async (dir) => {
      const served = api();
      let clock = Date.parse("2026-12-01T10:00:00Z");
      const now = () => clock;
      const update = await syncCatalogIfDue(session(served.fetch, dir), { currentVersion: "1.0.0", now });
      assert.equal(update?.version, "2.0.0");
      const cached = await readCachedCatalog("default", dir);
      assert.equal(cached.kind === "ok" ? cached.catalog.version : cached.kind, "2.0.0");
      assert.equal(await lastCheck("default", dir), clock);
      assert.deepEqual(served.seen, ["/acme/cli/manifest-version", "/acme/cli/manifest"]);

      const lines: string[] = [];
      const logger = createLogger({ level: "debug", write: (line) => void lines.push(line) });
      clock += SYNC_INTERVAL_MS - 1;
      assert.equal(await syncCatalogIfDue(session(served.fetch, dir), { currentVersion: "2.0.0", now, logger }), undefined);
      assert.equal(served.seen.length, 2, "a second server of the same profile does not check again within the hour");
      assert.deepEqual(lines, ["runos debug: catalog check not due: last checked 2026-12-01T10:00:00.000Z\n"]);

      clock += 1;
      assert.equal(await syncCatalogIfDue(session(served.fetch, dir), { currentVersion: "2.0.0", now, logger }), undefined);
      assert.deepEqual(served.seen.slice(2), ["/acme/cli/manifest-version"], "same version: no download");
      assert.equal(lines[1], "runos debug: catalog check: version 2.0.0 is current\n");
    });
  });

  it("costs nothing but one debug line when the API cannot be reached, and keeps the catalog in use", async () => {
    await withTempDir("sync-offline", async (dir) => {
      const lines: string[] = [];
      const logger = createLogger({ level: "debug", write: (line) => void lines.push(line) });
      const update = await syncCatalogIfDue(session(api({ failing: true }).fetch, dir), { currentVersion: "1.0.0", logger });
      assert.equal(update, undefined);
      assert.equal((await readCachedCatalog("default", dir)).kind, "missing");
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /^runos debug: catalog sync skipped/);
    });
  });

  it("does nothing when not signed in or in the sandbox", async () => {
    await withTempDir("sync-none", async (dir) => {
      const served = api();
      assert.equal(await syncCatalogIfDue(session(served.fetch, dir, { authenticated: false }), { currentVersion: "1.0.0" }), undefined);
      assert.equal(await syncCatalogIfDue(session(served.fetch, dir, { sandbox: true }), { currentVersion: "1.0.0" }), undefined);
      assert.deepEqual(served.seen, []);
    });
  });
});
