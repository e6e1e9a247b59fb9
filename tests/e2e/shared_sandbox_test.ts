import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readHostRecord, processAlive } from "../../src/auth/shared_sandbox.ts";
import { hasBinary, resultText, runosEnv, type ServerRuntime, startServer } from "../_harness/mcp_client.ts";
import { until } from "../_harness/poll.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

const RUNTIMES: ServerRuntime[] = hasBinary() ? ["binary", "bun"] : ["bun"];

for (const runtime of RUNTIMES) {
  describe(`the --sandbox servers share one sandbox (${runtime})`, () => {
    it("what runos-write creates, runos lists; the host stops once both servers are gone", { timeout: 90_000 }, async () => {
      const home = await makeTempDir("shared-sandbox");
      const env = { ...runosEnv({ configDir: home.path }), RUNOS_SANDBOX_IDLE_MS: "400" };
      const dir = join(home.path, "state", "sandbox");
      const write = await startServer({ runtime, tier: "write", env, extraArgs: ["--sandbox"] });
      const read = await startServer({ runtime, tier: "read", env, extraArgs: ["--sandbox"] });
      let hostPid: number | undefined;
      try {
        // Listing tools touches no API: no host yet.
        await read.client.listTools();
        assert.equal(await readHostRecord(dir), undefined, "no sandbox is started before the first API call");

        const created = await write.client.callTool({ name: "services_valkey_add", arguments: { cid: "i4y", name: "shared-cache", replicas: 2 } });
        assert.ok(!created.isError, resultText(created as never));
        const listed = await read.client.callTool({ name: "services_valkey_list", arguments: { cid: "i4y" } });
        assert.ok(!listed.isError, resultText(listed as never));
        assert.match(resultText(listed as never), /shared-cache/, "the read server sees what the write server created");

        const host = await readHostRecord(dir);
        assert.ok(host !== undefined && processAlive(host.pid), "one host serves both");
        assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        hostPid = host.pid;
      } finally {
        await write.close();
        await read.close();
      }
      try {
        await until("the host record to go", async () => ((await readHostRecord(dir)) === undefined ? true : undefined));
        if (hostPid !== undefined) await until("the host process to exit", () => Promise.resolve(processAlive(hostPid!) ? undefined : true));
      } finally {
        await home.remove();
      }
    });
  });
}
