import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { cliLingerMs, DEFAULT_CLI_LINGER_MS, joinSharedSandbox, MAX_LINGER_MS, readParticipants, resetSharedSandbox, sharedSandboxFiles } from "../../src/auth/shared_sandbox.ts";
import { withTempDir } from "../_harness/temp_project.ts";

/** Above Linux's largest pid_max: never a live process. */
const DEAD_PID = 4_194_305;

describe("the shared sandbox's leases", () => {
  it("a CLI command's lease keeps the host for its linger after the command ended, then is dropped", async () => {
    await withTempDir("leases", async (dir) => {
      const { clients } = sharedSandboxFiles(dir);
      await mkdir(clients, { recursive: true });
      const lease = join(clients, String(DEAD_PID));
      await writeFile(lease, `${JSON.stringify({ lingerMs: 60_000 })}\n`);
      const written = (await stat(lease)).mtimeMs;

      const during = await readParticipants(dir, written + 59_000);
      assert.deepEqual(during.alive, []);
      assert.equal(during.leasedUntil, written + 60_000);

      const after = await readParticipants(dir, written + 60_001);
      assert.equal(after.leasedUntil, 0);
      assert.deepEqual(await readdir(clients), [], "a run-out lease is removed");
    });
  });

  it("a dead server's registration (no lease) is dropped at once; a live process keeps the host", async () => {
    await withTempDir("leases", async (dir) => {
      const { clients } = sharedSandboxFiles(dir);
      await mkdir(clients, { recursive: true });
      await writeFile(join(clients, String(DEAD_PID)), `${new Date().toISOString()}\n`);
      await writeFile(join(clients, String(process.pid)), `${JSON.stringify({ lingerMs: 1_000 })}\n`);
      const now = await readParticipants(dir);
      assert.deepEqual(now.alive, [process.pid]);
      assert.equal(now.leasedUntil, 0);
      assert.deepEqual(await readdir(clients), [String(process.pid)]);
    });
  });

  it("a lease is bounded, however long it asks", async () => {
    await withTempDir("leases", async (dir) => {
      const { clients } = sharedSandboxFiles(dir);
      await mkdir(clients, { recursive: true });
      const lease = join(clients, String(DEAD_PID));
      await writeFile(lease, `${JSON.stringify({ lingerMs: 10 * MAX_LINGER_MS })}\n`);
      const written = (await stat(lease)).mtimeMs;
      assert.equal((await readParticipants(dir, written)).leasedUntil, written + MAX_LINGER_MS);
      assert.equal(cliLingerMs({ RUNOS_SANDBOX_LINGER_MS: String(10 * MAX_LINGER_MS) }), MAX_LINGER_MS);
      assert.equal(cliLingerMs({}), DEFAULT_CLI_LINGER_MS);
      assert.equal(cliLingerMs({ RUNOS_SANDBOX_LINGER_MS: "soon" }), DEFAULT_CLI_LINGER_MS);
    });
  });

  it("closing a command's session renews its lease instead of removing it", async () => {
    await withTempDir("leases", async (dir) => {
      const joined = await joinSharedSandbox(dir, { lingerMs: 30_000, startHost: () => assert.fail("no host before the first request") });
      await joined.close();
      assert.deepEqual(await readdir(sharedSandboxFiles(dir).clients), [String(process.pid)]);
    });
  });

  it("--reset drops the leases of ended commands (none running: it says so)", async () => {
    await withTempDir("leases", async (dir) => {
      const { clients } = sharedSandboxFiles(dir);
      await mkdir(clients, { recursive: true });
      await writeFile(join(clients, String(DEAD_PID)), `${JSON.stringify({ lingerMs: 60_000 })}\n`);
      assert.equal(await resetSharedSandbox(dir), false, "no host was running");
      assert.deepEqual(await readdir(clients), []);
    });
  });
});
