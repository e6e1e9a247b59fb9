import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { REPO_ROOT, runosCommand, runosEnv, type ServerRuntime } from "../_harness/mcp_client.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

for (const runtime of ["deno", "bun"] as ServerRuntime[]) {
  describe(`runos sandbox on ${runtime}`, () => {
    it("serves the fake API on 127.0.0.1 with the demo token, and stops cleanly on SIGTERM", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("runos-sandbox");
      const { command, args } = runosCommand(runtime, ["--json", "sandbox", "--port", "0"]);
      const child = spawn(command, args, { cwd: REPO_ROOT, env: runosEnv({ configDir: home.path }), stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      try {
        const firstLine = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stdout }).once("line", resolve);
          child.once("exit", () => reject(new Error(`sandbox exited early: ${stderr}`)));
        });
        const announced = JSON.parse(firstLine) as { url: string; token: string; accountId: string };
        assert.match(announced.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.equal(announced.token, DEMO_TOKEN);
        assert.equal(announced.accountId, DEMO_ACCOUNT_ID);

        const ok = await fetch(`${announced.url}/${DEMO_ACCOUNT_ID}/clusters`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
        assert.equal(ok.status, 200);
        const clusters = await ok.json() as { id: string }[];
        assert.ok(clusters.some((cluster) => cluster.id === "i4y"));

        const refused = await fetch(`${announced.url}/${DEMO_ACCOUNT_ID}/clusters`, { headers: { authorization: "Bearer wrong" } });
        assert.equal(refused.status, 401);
        await refused.body?.cancel();
      } finally {
        child.kill("SIGTERM");
        await exited;
        await home.remove();
        // The handler ran and closed the server. (The exit status seen here depends on the parent
        // runtime: Deno's child_process reports the signal even when the child exited 0 by itself.)
        assert.match(stderr, /sandbox stopped/);
      }
    });
  });
}
