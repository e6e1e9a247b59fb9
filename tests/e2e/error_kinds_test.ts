/**
 * Error kinds survive the build: `--json` envelopes and MCP `structuredContent.error.type` name the
 * kind (`AuthError`, `UsageError`, …), also in the minified compiled binary, where class names are
 * mangled (`Gt`, `he`) and must never show.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hasBinary, runosEnv, runRunos, type ServerRuntime, startServer } from "../_harness/mcp_client.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

const RUNTIMES: ServerRuntime[] = hasBinary() ? ["binary", "bun"] : ["bun"];

for (const runtime of RUNTIMES) {
  describe(`error kinds on ${runtime}`, () => {
    it("a --json error names its kind: AuthError when not signed in, UsageError for a missing argument", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("kinds");
      try {
        const env = runosEnv({ configDir: home.path });
        const auth = await runRunos(runtime, ["--json", "clusters", "list"], env);
        assert.equal(auth.code, 1, auth.stderr);
        assert.equal(JSON.parse(auth.stdout).type, "AuthError");

        const usage = await runRunos(runtime, ["--json", "--sandbox", "services", "valkey", "add", "--cid", "i4y"], env);
        assert.equal(usage.code, 2, usage.stderr);
        assert.equal(JSON.parse(usage.stdout).type, "UsageError");
      } finally {
        await home.remove();
      }
    });

    it("an MCP tool error carries structuredContent.error.type = AuthError when not signed in", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("kinds-mcp");
      const server = await startServer({ runtime, tier: "read", env: runosEnv({ configDir: home.path }) });
      try {
        const result = await server.client.callTool({ name: "clusters_list", arguments: {} });
        assert.equal(result.isError, true);
        assert.equal((result.structuredContent as { error: { type: string } }).error.type, "AuthError");
      } finally {
        await server.close();
        await home.remove();
      }
    });
  });
}

if (hasBinary()) {
  describe("the compiled binary's version", () => {
    it("`runos --version` prints version, commit and build date; `services valkey add --version 7.2` is the field's", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("version");
      try {
        const env = runosEnv({ configDir: home.path });
        const version = await runRunos("binary", ["--version"], env);
        assert.equal(version.code, 0, version.stderr);
        assert.match(version.stdout.trim(), /^runos \d+\.\d+\.\d+\S* \(commit ([0-9a-f]{7}(-dirty)?|unknown), built \d{4}-\d{2}-\d{2}\)$/);
        const add = await runRunos("binary", ["--sandbox", "--json", "services", "valkey", "add", "--name", "x2", "--version", "7.2", "--cid", "i4y"], env);
        assert.equal(add.code, 0, add.stderr);
        assert.equal(JSON.parse(add.stdout).name, "x2");
      } finally {
        await home.remove();
      }
    });
  });
}
