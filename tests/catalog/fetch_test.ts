import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createApiClient } from "../../src/api/client.ts";
import type { Session } from "../../src/auth/session.ts";
import { catalogCachePath, catalogMetaPath, readCachedCatalog } from "../../src/catalog/cache.ts";
import { fetchCatalogVersion, updateCatalog } from "../../src/catalog/fetch.ts";
import { ApiError, AuthError } from "../../src/errors.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const catalogV1 = JSON.stringify({ version: "1.0.0", commands: [{ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET", mcp: ["read"] }] });
const catalogV2 = JSON.stringify({ version: "2.0.0", commands: [{ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET", mcp: ["read"] }, { command: "jobs/list", endpoint: "/:aid/jobs", method: "GET", mcp: ["read"] }] });

type Route = (request: { path: string; headers: Headers }) => Response;

/** A tiny fake of the catalog routes: answers by path, records every request. */
function fakeCatalogApi(routes: Record<string, Route>) {
  const seen: { path: string; headers: Headers }[] = [];
  const fetchStub = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const request = { path: url.pathname, headers: new Headers(init?.headers) };
    seen.push(request);
    const route = routes[url.pathname];
    return Promise.resolve(route === undefined ? Response.json({ error: "not found", statusCode: 404 }, { status: 404 }) : route(request));
  };
  return { seen, fetch: fetchStub as typeof fetch };
}

/** An ETag-aware manifest route serving `text`. */
function manifestRoute(text: () => string, etag: () => string): Route {
  return ({ headers }) => headers.get("if-none-match") === etag() ? new Response(null, { status: 304, headers: { etag: etag() } }) : new Response(text(), { status: 200, headers: { etag: etag(), "content-type": "application/json" } });
}

function session(fetchStub: typeof fetch, cacheDir: string | undefined, overrides: Partial<Session> = {}): Session {
  return {
    profile: "default",
    apiUrl: "https://api.example.test",
    accountId: "acme",
    authenticated: true,
    client: createApiClient({ baseUrl: "https://api.example.test", token: "runos_pat_x", fetch: fetchStub, sleep: () => Promise.resolve() }),
    sandbox: false,
    tokenSource: "file",
    ...(cacheDir === undefined ? {} : { cacheDir }),
    warnings: [],
    close: () => Promise.resolve(),
    ...overrides,
  };
}

describe("updateCatalog", () => {
  it("downloads /:aid/cli/manifest, caches it byte for byte with its ETag, then gets a 304 with If-None-Match", async () => {
    await withTempDir("fetch", async (dir) => {
      const api = fakeCatalogApi({ "/acme/cli/manifest": manifestRoute(() => catalogV1, () => '"v1"') });
      const first = await updateCatalog(session(api.fetch, dir));
      assert.equal(first.changed, true);
      assert.equal(first.version, "1.0.0");
      assert.equal(first.path, catalogCachePath("default", dir));
      assert.equal(await readFile(catalogCachePath("default", dir), "utf8"), catalogV1);
      const meta = JSON.parse(await readFile(catalogMetaPath("default", dir), "utf8"));
      assert.equal(meta.etag, '"v1"');
      assert.equal(meta.accountId, "acme");

      const second = await updateCatalog(session(api.fetch, dir));
      assert.equal(second.changed, false);
      assert.equal(second.version, "1.0.0");
      assert.equal(api.seen[1]!.headers.get("if-none-match"), '"v1"');
    });
  });

  it("reports a new version as changed and replaces the cache", async () => {
    await withTempDir("fetch", async (dir) => {
      let current = catalogV1;
      const api = fakeCatalogApi({ "/acme/cli/manifest": manifestRoute(() => current, () => (current === catalogV1 ? '"v1"' : '"v2"')) });
      await updateCatalog(session(api.fetch, dir));
      current = catalogV2;
      const result = await updateCatalog(session(api.fetch, dir));
      assert.equal(result.changed, true);
      assert.equal(result.version, "2.0.0");
      assert.equal(result.operations.length, 2);
    });
  });

  it("refuses an invalid downloaded catalog and keeps the last good cache byte for byte", async () => {
    await withTempDir("fetch", async (dir) => {
      let current = catalogV1;
      const api = fakeCatalogApi({ "/acme/cli/manifest": manifestRoute(() => current, () => `"${current.length}"`) });
      await updateCatalog(session(api.fetch, dir));
      current = JSON.stringify({ version: "3.0.0", schemaVersion: 7, commands: [] });
      await assert.rejects(updateCatalog(session(api.fetch, dir)), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.match(error.message, /cannot use/);
        assert.match(error.message, /kept the cached version 1\.0\.0/);
        return true;
      });
      assert.equal(await readFile(catalogCachePath("default", dir), "utf8"), catalogV1);
      const cached = await readCachedCatalog("default", dir);
      assert.equal(cached.kind === "ok" ? cached.meta?.version : undefined, "1.0.0");
    });
  });

  it("falls back to the bare /cli/manifest only on a 404", async () => {
    await withTempDir("fetch", async (dir) => {
      const api = fakeCatalogApi({ "/cli/manifest": manifestRoute(() => catalogV1, () => '"bare"') });
      const result = await updateCatalog(session(api.fetch, dir));
      assert.equal(result.version, "1.0.0");
      assert.deepEqual(api.seen.map((r) => r.path), ["/acme/cli/manifest", "/cli/manifest"]);
    });
  });

  it("does not fall back on a server error", async () => {
    await withTempDir("fetch", async (dir) => {
      const api = fakeCatalogApi({
        "/acme/cli/manifest": () => Response.json({ error: "boom", statusCode: 500 }, { status: 500 }),
        "/cli/manifest": manifestRoute(() => catalogV1, () => '"bare"'),
      });
      await assert.rejects(updateCatalog(session(api.fetch, dir)), ApiError);
      assert.ok(api.seen.every((r) => r.path === "/acme/cli/manifest"));
    });
  });

  it("writes nothing in the sandbox (no cache directory)", async () => {
    const api = fakeCatalogApi({ "/acme/cli/manifest": manifestRoute(() => catalogV1, () => '"v1"') });
    const result = await updateCatalog(session(api.fetch, undefined, { sandbox: true }));
    assert.equal(result.path, undefined);
    assert.equal(result.version, "1.0.0");
  });

  it("needs a signed-in session", async () => {
    const api = fakeCatalogApi({});
    await assert.rejects(updateCatalog(session(api.fetch, undefined, { authenticated: false })), AuthError);
    assert.equal(api.seen.length, 0);
  });
});

describe("fetchCatalogVersion", () => {
  it("reads {version} from /:aid/cli/manifest-version, bare route on 404", async () => {
    const api = fakeCatalogApi({ "/cli/manifest-version": () => Response.json({ version: "45.3.0+virt" }) });
    assert.equal(await fetchCatalogVersion(session(api.fetch, undefined).client, "acme"), "45.3.0+virt");
    assert.deepEqual(api.seen.map((r) => r.path), ["/acme/cli/manifest-version", "/cli/manifest-version"]);
  });
});
