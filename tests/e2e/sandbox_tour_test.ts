import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { processAlive, readHostRecord } from "../../src/auth/shared_sandbox.ts";
import { hasBinary, runosEnv, runRunos, type ServerRuntime } from "../_harness/mcp_client.ts";
import { until } from "../_harness/poll.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

const RUNTIMES: ServerRuntime[] = hasBinary() ? ["binary", "bun"] : ["bun"];

for (const runtime of RUNTIMES) {
  describe(`separate --sandbox commands share one sandbox (${runtime})`, () => {
    it("add → follow → list → create-database → create-user → delete, one process each; --reset starts fresh", { timeout: 120_000 }, async () => {
      const home = await makeTempDir("sandbox-tour");
      const env = runosEnv({ configDir: home.path });
      const dir = join(home.path, "state", "sandbox");
      const runos = async (...args: string[]) => {
        const result = await runRunos(runtime, ["--sandbox", "--json", ...args], env);
        assert.equal(result.code, 0, `runos ${args.join(" ")}: ${result.stderr}`);
        return JSON.parse(result.stdout) as Record<string, unknown> & Array<Record<string, unknown>>;
      };
      try {
        // Help touches no API: no host yet.
        assert.equal((await runRunos(runtime, ["--sandbox", "services", "valkey", "add", "--help"], env)).code, 0);
        assert.equal(await readHostRecord(dir), undefined, "no sandbox is started before the first API request");

        const added = await runos("services", "valkey", "add", "--name", "session-store", "--cid", "i4y");
        assert.match(String(added.jobId), /^[0-9a-f-]{36}$/);
        const followed = await runos("follow", String(added.jobId));
        assert.equal(followed.status, "completed");
        const listed = await runos("services", "valkey", "list", "--cid", "i4y");
        assert.ok(listed.some((service) => service.name === "session-store"), "the list shows the cache the first command added");

        await runos("services", "postgresql", "create-database", "users-db", "--name", "blog", "--cid", "i4y");
        const user = await runos("services", "postgresql", "create-user", "users-db", "--username", "blogger", "--database", "blog", "--cid", "i4y");
        assert.equal(user.username, "blogger");

        const deleted = await runos("services", "valkey", "delete", String(added.id), "--cid", "i4y", "--yes");
        assert.equal((await runos("follow", String(deleted.jobId))).status, "completed");
        const after = await runos("services", "valkey", "list", "--cid", "i4y");
        assert.ok(!after.some((service) => service.name === "session-store"), "the delete reached the same sandbox");

        const host = await readHostRecord(dir);
        assert.ok(host !== undefined && processAlive(host.pid), "the host lingers after the last command");

        const reset = await runRunos(runtime, ["sandbox", "--reset"], env);
        assert.equal(reset.code, 0, reset.stderr);
        assert.equal(await readHostRecord(dir), undefined, "--reset stops the host");
        await until("the host process to exit", () => Promise.resolve(processAlive(host.pid) ? undefined : true));
        const fresh = await runRunos(runtime, ["--sandbox", "--json", "services", "postgresql", "create-user", "users-db", "--username", "blogger2", "--database", "blog", "--cid", "i4y"], env);
        assert.equal(fresh.code, 1);
        assert.match(fresh.stdout, /database \\"blog\\" does not exist/, "after --reset the sandbox starts from the demo data");
      } finally {
        await runRunos(runtime, ["sandbox", "--reset"], env);
        await home.remove();
      }
    });

    it("the host stops once its grace after the last command has run out", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("sandbox-grace");
      const env = { ...runosEnv({ configDir: home.path }), RUNOS_SANDBOX_LINGER_MS: "300", RUNOS_SANDBOX_IDLE_MS: "300" };
      const dir = join(home.path, "state", "sandbox");
      try {
        const listed = await runRunos(runtime, ["--sandbox", "--json", "clusters", "list"], env);
        assert.equal(listed.code, 0, listed.stderr);
        const host = await readHostRecord(dir);
        assert.ok(host !== undefined, "the command's request started the shared host");
        await until("the host record to go", async () => ((await readHostRecord(dir)) === undefined ? true : undefined), 10_000);
        await until("the host process to exit", () => Promise.resolve(processAlive(host.pid) ? undefined : true), 5_000);
      } finally {
        await home.remove();
      }
    });
  });
}
