/**
 * The background catalog sync as a user gets it: a signed-in server starts on the embedded baseline,
 * answers at once, then finds the API serving a newer catalog, caches it and announces the new tools;
 * a second server of the same profile started within the hour asks the API nothing.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createFakeApi, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { runosEnv, startServer } from "../_harness/mcp_client.ts";
import { until } from "../_harness/poll.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

describe("background catalog sync of a real server", () => {
  let http: Awaited<ReturnType<typeof serveFakeApiHttp>> | undefined;
  let home: TempDir | undefined;
  after(async () => {
    await http?.close();
    await home?.remove();
  });

  it("swaps in the API's newer catalog after the handshake and announces it; the next server does not ask again", { timeout: 60_000 }, async () => {
    const api = createFakeApi();
    http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
    home = await makeTempDir("sync-e2e");
    const env = runosEnv({ configDir: home.path, apiUrl: http.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" });
    const first = await startServer({ runtime: "bun", tier: "read", env });
    try {
      let announced = false;
      first.client.setNotificationHandler("notifications/tools/list_changed", () => void (announced = true));
      const deadline = Date.now() + 20_000;
      let listed = false;
      while (!listed && Date.now() < deadline) {
        listed = (await first.client.listTools()).tools.some((tool) => tool.name === "services_valkey_logs");
        if (!listed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(listed, "the served catalog's extra tool is listed");
      while (!announced && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(announced, "notifications/tools/list_changed was sent");
      assert.ok(existsSync(join(home.path, "cache", "default", "manifest.json")), "the new catalog is cached");
    } finally {
      await first.close();
    }
    const asked = () => api.log.filter((entry) => entry.path.endsWith("/cli/manifest-version")).length;
    const before = asked();
    const second = await startServer({ runtime: "bun", tier: "sensitive-read", env, extraArgs: ["--log-level", "debug"] });
    try {
      const { tools } = await second.client.listTools();
      assert.ok(tools.some((tool) => tool.name === "services_valkey_logs"), "the second server starts on the cached catalog");
      // The background check ends with a line saying how, whether it asked the API or not.
      await until("the second server's catalog check to end", () => Promise.resolve(/^runos (debug|info): catalog (check|sync)/m.test(second.stderr()) || undefined));
      assert.equal(asked(), before, "no second version check within the hour");
    } finally {
      await second.close();
    }
  });
});
