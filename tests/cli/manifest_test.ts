import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeConfig } from "../../src/auth/config.ts";
import { saveApiKey } from "../../src/auth/credentials.ts";
import { writeCachedCatalog } from "../../src/catalog/cache.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { MAX_LISTED_CHANGES, type ManifestDeps, registerManifestCommands } from "../../src/cli/commands/manifest.ts";
import type { GlobalOptions } from "../../src/cli/context.ts";
import { AuthError, NotFoundError, UsageError } from "../../src/errors.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/mod.ts";
import { readAuditRecords, readToolsChanges } from "../../src/mcp/call/audit.ts";
import { nextRelease } from "../_harness/catalog_release.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { withTempDir } from "../_harness/temp_project.ts";
import { captureCli } from "../_harness/cli.ts";

const TOKEN = "runos_pat_manifest_0123456789abcdef";
const catalog = {
  version: "7.1.0",
  commands: [
    { command: "clusters/list", description: "List clusters", endpoint: "/:aid/clusters", method: "GET", mcp: ["read", "sensitive_read"] },
    { command: "services/valkey/{id}/show", description: "Show", endpoint: "/:aid/:cid/services/valkey/:id", method: "GET", mcp: ["read", "sensitive_read"] },
    { command: "services/valkey/add", description: "Add", endpoint: "/:aid/:cid/services/valkey", method: "POST", mcp: ["write", "sensitive_write"], input: { fields: [{ name: "name", type: "string", required: true }] } },
  ],
};

/** The catalog route of a tiny fake API, ETag-aware. */
function catalogApi() {
  const paths: string[] = [];
  const fetchStub = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    paths.push(url.pathname);
    if (new Headers(init?.headers).get("authorization") !== `Bearer ${TOKEN}`) {
      return Promise.resolve(Response.json({ error: "Invalid token", statusCode: 401 }, { status: 401 }));
    }
    if (url.pathname !== "/acme/cli/manifest") return Promise.resolve(Response.json({ error: "not found", statusCode: 404 }, { status: 404 }));
    if (new Headers(init?.headers).get("if-none-match") === '"7.1.0"') return Promise.resolve(new Response(null, { status: 304 }));
    return Promise.resolve(new Response(JSON.stringify(catalog), { headers: { etag: '"7.1.0"', "content-type": "application/json" } }));
  };
  return { paths, fetch: fetchStub as typeof fetch };
}

async function runos(argv: string[], options: { dir: string; globals?: Partial<GlobalOptions>; deps?: ManifestDeps }) {
  const cli = captureCli(options.globals);
  registerManifestCommands(cli.program, cli.context, {
    env: {},
    configDir: options.dir,
    cacheDir: join(options.dir, "cache"),
    stateDir: join(options.dir, "state"),
    fetch: catalogApi().fetch,
    ...options.deps,
  });
  await cli.run(argv);
  return { out: cli.out.join("\n"), err: cli.err.join("\n") };
}

async function signIn(dir: string): Promise<void> {
  await writeConfig(dir, { current_profile: "default", profiles: { default: { account_id: "acme", api_url: "https://api.example.test" } } });
  await saveApiKey(dir, "default", TOKEN);
}

async function cacheCatalog(dir: string): Promise<void> {
  await writeCachedCatalog("default", JSON.stringify(catalog), { version: catalog.version, fetchedAt: new Date(0).toISOString(), accountId: "acme" }, join(dir, "cache"));
}

describe("runos manifest update", () => {
  it("downloads and saves the catalog, then reports it up to date", async () => {
    await withTempDir("manifest", async (dir) => {
      await signIn(dir);
      const first = await runos(["manifest", "update"], { dir });
      // The three commands are the baseline's own, with the same routes: the rest of the baseline went.
      assert.match(first.out, /^Manifest updated from version 1\.0\.0 to 7\.1\.0; commands: 54 removed$/m);
      const saved = join(dir, "cache", "default", "manifest.json");
      assert.match(first.out, new RegExp(`Saved to: ${saved.replace(/[\\.]/g, "\\$&")}`));
      assert.equal(await readFile(saved, "utf8"), JSON.stringify(catalog));
      const second = await runos(["manifest", "update"], { dir });
      assert.match(second.out, /^Manifest is up to date \(version 7\.1\.0\)$/m);
      const json = JSON.parse((await runos(["manifest", "update"], { dir, globals: { json: true } })).out);
      assert.deepEqual({ changed: json.changed, version: json.version, count: json.count }, { changed: false, version: "7.1.0", count: 3 });
    });
  });

  it("needs a login", async () => {
    await withTempDir("manifest", async (dir) => {
      await assert.rejects(runos(["manifest", "update"], { dir }), AuthError);
    });
  });
});

describe("runos manifest list", () => {
  it("prints one command path per line from the cached catalog, filtered case-insensitively", async () => {
    await withTempDir("manifest", async (dir) => {
      await cacheCatalog(dir);
      assert.equal((await runos(["manifest", "list"], { dir })).out, catalog.commands.map((c) => c.command).join("\n"));
      assert.equal((await runos(["manifest", "list", "VALKEY"], { dir })).out, "services/valkey/{id}/show\nservices/valkey/add");
      assert.equal((await runos(["manifest", "list", "nothing-like-this"], { dir, globals: { json: true } })).out, "[]");
    });
  });

  it("keeps only what a tier allows with --tier", async () => {
    await withTempDir("manifest", async (dir) => {
      await cacheCatalog(dir);
      assert.deepEqual(JSON.parse((await runos(["manifest", "list", "--tier", "read"], { dir, globals: { json: true } })).out), ["clusters/list", "services/valkey/{id}/show"]);
      assert.deepEqual(JSON.parse((await runos(["manifest", "list", "valkey", "--tier", "write"], { dir, globals: { json: true } })).out), ["services/valkey/add"]);
      await assert.rejects(runos(["manifest", "list", "--tier", "admin"], { dir }), UsageError);
    });
  });

  it("uses the embedded baseline when nothing is cached", async () => {
    await withTempDir("manifest", async (dir) => {
      const paths = JSON.parse((await runos(["manifest", "list"], { dir, globals: { json: true } })).out);
      assert.deepEqual(paths, baselineCatalog().commands.map((c) => c.command));
    });
  });
});

describe("runos manifest show", () => {
  it("shows version and count without a path", async () => {
    await withTempDir("manifest", async (dir) => {
      await cacheCatalog(dir);
      assert.equal((await runos(["manifest", "show"], { dir })).out, "Manifest version: 7.1.0\nCommands: 3");
      assert.deepEqual(JSON.parse((await runos(["manifest", "show"], { dir, globals: { json: true } })).out), { version: "7.1.0", count: 3 });
    });
  });

  it("prints a command's full JSON definition", async () => {
    await withTempDir("manifest", async (dir) => {
      await cacheCatalog(dir);
      const shown = JSON.parse((await runos(["manifest", "show", "services/valkey/add"], { dir })).out);
      assert.equal(shown.endpoint, "/:aid/:cid/services/valkey");
      assert.equal(shown.method, "POST");
      assert.deepEqual(shown.mcp, ["write", "sensitive_write"]);
    });
  });

  it("names the version and suggests `runos manifest list` for an unknown path", async () => {
    await withTempDir("manifest", async (dir) => {
      await cacheCatalog(dir);
      await assert.rejects(runos(["manifest", "show", "services/redis/add"], { dir }), (error: unknown) => {
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.message, 'no command "services/redis/add" in manifest version 7.1.0');
        assert.equal(error.hint, "runos manifest list services/redis/add");
        return true;
      });
    });
  });

  it("warns on stderr about a corrupt cache and still answers from the baseline", async () => {
    await withTempDir("manifest", async (dir) => {
      await writeCachedCatalog("default", "{broken", { version: "x", fetchedAt: new Date(0).toISOString() }, join(dir, "cache"));
      const { out, err } = await runos(["manifest", "show"], { dir });
      assert.match(err, /warning: ignoring the cached manifest/);
      assert.match(out, new RegExp(`Manifest version: ${baselineCatalog().version.replace(/\./g, "\\.")}`));
    });
  });
});

describe("runos manifest against the fake RunOS API", () => {
  it("update saves the served catalog, then a 304 on the ETag says up to date", async () => {
    const harness = await startFakeApi();
    try {
      await withTempDir("manifest-fake", async (dir) => {
        await writeConfig(dir, { current_profile: "default", profiles: { default: { account_id: DEMO_ACCOUNT_ID, api_url: harness.url } } });
        await saveApiKey(dir, "default", DEMO_TOKEN);
        const deps = { fetch: globalThis.fetch };
        const first = await runos(["manifest", "update"], { dir, deps });
        assert.match(first.out, /^Manifest updated from version 1\.0\.0 to 1\.1\.0; commands: 1 added\n  \+ services\/valkey\/\{id\}\/logs  GET \/:aid\/:cid\/services\/valkey\/:id\/logs$/m);
        harness.api.log.length = 0;
        const second = await runos(["manifest", "update"], { dir, deps });
        assert.match(second.out, /^Manifest is up to date \(version \S+\)$/m);
        assert.equal(harness.api.log.filter((entry) => entry.path.endsWith("/cli/manifest"))[0]?.status, 304);
        const listed = JSON.parse((await runos(["manifest", "list"], { dir, globals: { json: true } })).out);
        assert.ok(listed.includes("account/show"));
      });
    } finally {
      await harness.close();
    }
  });

  it("--sandbox lists and shows the sandbox's catalog without writing anything", async () => {
    await withTempDir("manifest-sandbox", async (dir) => {
      const listed = JSON.parse((await runos(["manifest", "list", "account"], { dir, globals: { sandbox: true, json: true } })).out);
      assert.ok(listed.includes("account/show"));
      const shown = JSON.parse((await runos(["manifest", "show", "account/show"], { dir, globals: { sandbox: true } })).out);
      assert.equal(shown.endpoint, "/:aid/account");
      const updated = await runos(["manifest", "update"], { dir, globals: { sandbox: true } });
      assert.match(updated.out, /Sandbox: nothing saved/);
      assert.deepEqual(await readdir(dir), []);
    });
  });
});

describe("runos manifest update says what changed", () => {
  /** Signed in to `harness` in a fresh directory; `run` gets the CLI against it. */
  async function against(harness: FakeApiHarness, body: (update: (json?: boolean) => Promise<{ out: string; err: string }>, dir: string) => Promise<void>) {
    await withTempDir("manifest-diff", async (dir) => {
      await writeConfig(dir, { current_profile: "default", profiles: { default: { account_id: DEMO_ACCOUNT_ID, api_url: harness.url } } });
      await saveApiKey(dir, "default", DEMO_TOKEN);
      await body((json = false) => runos(["manifest", "update"], { dir, deps: { fetch: globalThis.fetch }, globals: { json } }), dir);
    });
  }

  it("prints the commands a new release removed, moved and added, each with its method and endpoint", async () => {
    const harness = await startFakeApi();
    try {
      await against(harness, async (update, dir) => {
        await update();
        harness.api.state.manifest = nextRelease(harness.api.state.manifest);
        const { out } = await update();
        assert.equal(out, [
          "Manifest updated from version 1.1.0 to 2.0.0; commands: 2 added, 1 removed, 2 changed",
          "  - services/minio/{id}/buckets   GET /:aid/:cid/services/minio/:id/buckets",
          "  ~ apps/{id}/deploy              POST /:aid/:cid/apps/:id/deploy → PUT /:aid/:cid/apps/:id/deploy",
          "  ~ services/valkey/{id}/show     GET /:aid/:cid/services/valkey/:id → GET /:aid/:cid/valkey/:id",
          "  + regions/list                  GET /:aid/regions",
          "  + services/valkey/{id}/restart  POST /:aid/:cid/services/valkey/:id/restart",
          `Saved to: ${join(dir, "cache", "default", "manifest.json")}`,
        ].join("\n"));
      });
    } finally {
      await harness.close();
    }
  });

  it("writes each server's change to the audit log, for that server's tools only", async () => {
    const harness = await startFakeApi();
    try {
      await against(harness, async (update, dir) => {
        await update();
        harness.api.state.manifest = nextRelease(harness.api.state.manifest);
        await update();
        await update();
        const changes = await readToolsChanges(join(dir, "state", "audit.jsonl"), 20);
        const names = (list: readonly { name: string }[]) => list.map((entry) => entry.name).join(",");
        assert.deepEqual(changes.map((entry) => [entry.server, `${entry.from} → ${entry.to}`, entry.by, names(entry.added), names(entry.removed), names(entry.changed)]), [
          ["runos", "1.0.0 → 1.1.0", "runos manifest update", "services_valkey_logs", "", ""],
          ["runos-sensitive-read", "1.0.0 → 1.1.0", "runos manifest update", "services_valkey_logs", "", ""],
          ["runos", "1.1.0 → 2.0.0", "runos manifest update", "regions_list", "services_minio_buckets", "services_valkey_show"],
          ["runos-sensitive-read", "1.1.0 → 2.0.0", "runos manifest update", "regions_list", "services_minio_buckets", "services_valkey_show"],
          ["runos-write", "1.1.0 → 2.0.0", "runos manifest update", "services_valkey_restart", "", "apps_deploy"],
          ["runos-sensitive-write", "1.1.0 → 2.0.0", "runos manifest update", "services_valkey_restart", "", "apps_deploy"],
        ]);
        assert.equal((await readAuditRecords(join(dir, "state", "audit.jsonl"), 20)).length, 6, "an update that changed nothing writes nothing");
      });
    } finally {
      await harness.close();
    }
  });

  it("--json gives the versions and every command of the diff", async () => {
    const harness = await startFakeApi();
    try {
      await against(harness, async (update) => {
        const first = JSON.parse((await update(true)).out);
        assert.deepEqual({ from: first.from, version: first.version, diff: first.diff }, {
          from: "1.0.0",
          version: "1.1.0",
          diff: { added: [{ name: "services_valkey_logs", command: "services/valkey/{id}/logs", method: "GET", endpoint: "/:aid/:cid/services/valkey/:id/logs" }], removed: [], changed: [] },
        });
        harness.api.state.manifest = nextRelease(harness.api.state.manifest);
        const second = JSON.parse((await update(true)).out);
        assert.deepEqual(second.diff.changed, [
          { name: "apps_deploy", command: "apps/{id}/deploy", before: { method: "POST", endpoint: "/:aid/:cid/apps/:id/deploy" }, after: { method: "PUT", endpoint: "/:aid/:cid/apps/:id/deploy" } },
          { name: "services_valkey_show", command: "services/valkey/{id}/show", before: { method: "GET", endpoint: "/:aid/:cid/services/valkey/:id" }, after: { method: "GET", endpoint: "/:aid/:cid/valkey/:id" } },
        ]);
        const third = JSON.parse((await update(true)).out);
        assert.deepEqual({ changed: third.changed, from: third.from, diff: third.diff }, { changed: false, from: "2.0.0", diff: { added: [], removed: [], changed: [] } });
      });
    } finally {
      await harness.close();
    }
  });

  it("cuts a large diff to its first lines and says how many more there are", async () => {
    const harness = await startFakeApi({ catalog: "runos_full" });
    try {
      await against(harness, async (update) => {
        const lines = (await update()).out.split("\n");
        const counts = /^Manifest updated from version 1\.0\.0 to 45\.6\.0\+virt; commands: (\d+) added(?:, (\d+) removed)?(?:, (\d+) changed)?$/.exec(lines[0]!);
        assert.ok(counts, lines[0]);
        const total = counts.slice(1).reduce((sum, count) => sum + Number(count ?? 0), 0);
        assert.ok(total > 900, `RunOS's full catalog adds about a thousand commands (${total})`);
        assert.equal(lines.filter((line) => /^  [-~+] /.test(line)).length, MAX_LISTED_CHANGES);
        assert.equal(lines[MAX_LISTED_CHANGES + 1], `  … and ${total - MAX_LISTED_CHANGES} more (each server's tools, with methods and endpoints: runos audit --json)`);
      });
    } finally {
      await harness.close();
    }
  });
});
