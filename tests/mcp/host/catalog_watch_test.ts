import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchCatalogFile } from "../../../src/mcp/host/catalog_watch.ts";
import { buildOperations, toOperation } from "../../../src/catalog/operation.ts";
import { CommandSchema, parseCatalog } from "../../../src/catalog/schema.ts";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { baselineOperations, connect, signedIn, stubApi } from "../_support.ts";

async function withTempFile(run: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "runos-watch-"));
  try {
    const path = join(dir, "manifest.json");
    await writeFile(path, "{}");
    await utimes(path, new Date(1_000_000), new Date(1_000_000));
    await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("watchCatalogFile()", () => {
  it("calls onChange once per new mtime, not for writes it was told about", async () => {
    await withTempFile(async (path) => {
      let changes = 0;
      const watch = await watchCatalogFile({ path, intervalMs: 0, onChange: () => Promise.resolve(void changes++) });
      try {
        assert.equal(await watch.check(), false);
        await utimes(path, new Date(2_000_000), new Date(2_000_000));
        assert.equal(await watch.check(), true);
        assert.equal(await watch.check(), false);
        await utimes(path, new Date(3_000_000), new Date(3_000_000));
        await watch.sync();
        assert.equal(await watch.check(), false);
        assert.equal(changes, 1);
      } finally {
        watch.close();
      }
    });
  });
});

describe("tier server: catalog file changed under it", () => {
  it("reloads on the next tools/list and announces tools/list_changed", async () => {
    await withTempFile(async (path) => {
      const extra = toOperation(CommandSchema.parse({ command: "regions/list", endpoint: "/:aid/regions", method: "GET", mcp: ["read"] }));
      const pair = await connect("read", {
        session: signedIn(stubApi()),
        source: {
          update: () => Promise.reject(new Error("not used")),
          reload: () => Promise.resolve({ version: "1.1.0", operations: [...baselineOperations(), extra] }),
          watchPath: path,
        },
      });
      const notified = new Promise<void>((resolve) => pair.client.setNotificationHandler("notifications/tools/list_changed", () => resolve()));
      try {
        assert.ok(!(await pair.client.listTools()).tools.some((tool) => tool.name === "regions_list"));
        await utimes(path, new Date(5_000_000), new Date(5_000_000));
        const { tools } = await pair.client.listTools();
        assert.ok(tools.some((tool) => tool.name === "regions_list"));
        await notified;
        assert.equal(pair.tierServer.registry().catalogVersion, "1.1.0");
      } finally {
        await pair.close();
      }
    });
  });
});

describe("background catalog sync", () => {
  it("checks only after the client's initialized, then swaps in the new tools and announces tools/list_changed", async () => {
    let checkedWith: string | undefined;
    const fresh = buildOperations(parseCatalogOrThrow({
      version: "2.0.0",
      commands: [{ command: "clusters/list", description: "List clusters.", endpoint: "/:aid/clusters", method: "GET", mcp: ["read"] }, { command: "widgets/list", description: "List widgets.", endpoint: "/:aid/widgets", method: "GET", mcp: ["read"] }],
    }));
    const pair = await connect("read", {
      session: signedIn(stubApi()),
      sync: (currentVersion) => {
        checkedWith = currentVersion;
        return Promise.resolve({ version: "2.0.0", operations: fresh });
      },
    });
    try {
      const changed = new Promise<void>((resolve) => pair.client.setNotificationHandler("notifications/tools/list_changed", () => resolve()));
      await changed;
      assert.equal(checkedWith, baselineCatalog().version);
      const { tools } = await pair.client.listTools();
      assert.ok(tools.some((tool) => tool.name === "widgets_list"));
      assert.equal(pair.tierServer.registry().catalogVersion, "2.0.0");
    } finally {
      await pair.close();
    }
  });
});

function parseCatalogOrThrow(value: unknown) {
  const parsed = parseCatalog(value);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.catalog;
}

describe("toolsets", () => {
  it("scopes the listing from the day's toolsets at start, and again when a refresh after initialized brings others", async () => {
    let release: (value: { scoped: boolean; serviceTypes: string[] }) => void = () => {};
    const refreshed = new Promise<{ scoped: boolean; serviceTypes: string[] }>((resolve) => (release = resolve));
    const pair = await connect("read", {
      session: signedIn(stubApi(), "i4y"),
      toolsets: { initial: { scoped: true, serviceTypes: ["postgresql"] }, refresh: () => refreshed },
    });
    try {
      const before = (await pair.client.listTools()).tools.map((tool) => tool.name);
      assert.ok(before.includes("services_postgresql_list"));
      assert.ok(!before.includes("services_valkey_list"), "valkey is not run by this account");
      const changed = new Promise<void>((resolve) => pair.client.setNotificationHandler("notifications/tools/list_changed", () => resolve()));
      release({ scoped: true, serviceTypes: ["valkey"] });
      await changed;
      const after = (await pair.client.listTools()).tools.map((tool) => tool.name);
      assert.ok(after.includes("services_valkey_list"));
      assert.ok(!after.includes("services_postgresql_list"));
    } finally {
      await pair.close();
    }
  });
});
