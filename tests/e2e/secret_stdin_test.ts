import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN, realClock } from "../../src/fake_api/mod.ts";
import { startFakeApi } from "../_harness/fake_api.ts";
import { hasBinary, runosEnv, runRunos, type ServerRuntime } from "../_harness/mcp_client.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const RUNTIME: ServerRuntime = hasBinary() ? "binary" : "bun";

describe(`secret values from standard input (${RUNTIME})`, () => {
  it("`--value -` sends what stdin holds, never the dash, and keeps the secret off the command line", { timeout: 60_000 }, async () => {
    const api = await startFakeApi({ mode: "http", clock: realClock() });
    try {
      await withTempDir("secret-stdin", async (dir) => {
        const env = runosEnv({ configDir: dir, apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID });
        const secret = "postgres://app:s3cr3t-from-stdin@db.internal:5432/app";
        const result = await runRunos(RUNTIME, ["-o", "json", "apps", "secrets", "set", "web", "--name", "DATABASE_URL", "--value", "-", "--cid", "i4y"], env, { input: `${secret}\n` });
        assert.equal(result.code, 0, result.stderr);
        const sent = api.api.log.find((entry) => entry.method === "POST" && entry.path.endsWith("/secrets"));
        assert.deepEqual((sent?.body as { value?: string } | undefined)?.value, secret, "one trailing newline is dropped, the rest sent as is");
        const empty = await runRunos(RUNTIME, ["apps", "secrets", "set", "web", "--name", "X", "--value", "-", "--cid", "i4y"], env, { input: "" });
        assert.equal(empty.code, 2);
        assert.match(empty.stderr, /--value - read nothing from standard input/);
      });
    } finally {
      await api.close();
    }
  });
});
