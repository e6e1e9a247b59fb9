import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { writeConfig } from "../../src/auth/config.ts";
import { saveApiKey } from "../../src/auth/credentials.ts";
import { openSession } from "../../src/auth/session.ts";
import { AuthError, UsageError } from "../../src/errors.ts";
import { DEMO_ACCOUNT_ID, SANDBOX_API_URL } from "../../src/fake_api/mod.ts";
import { withTempDir } from "../_harness/temp_project.ts";

describe("openSession", () => {
  it("resolves profile, API URL, account, default cluster and token from the files", async () => {
    await withTempDir("session", async (dir) => {
      await writeConfig(dir, { current_profile: "work", profiles: { work: { api_url: "https://api.work.test", account_id: "acme", default_cluster_id: "i4y" } } });
      await saveApiKey(dir, "work", "runos_pat_work_1111");
      const session = await openSession({ env: {}, configDir: dir, cacheDir: dir });
      try {
        assert.equal(session.profile, "work");
        assert.equal(session.apiUrl, "https://api.work.test");
        assert.equal(session.accountId, "acme");
        assert.equal(session.defaultClusterId, "i4y");
        assert.equal(session.authenticated, true);
        assert.equal(session.tokenSource, "file");
        assert.equal(session.sandbox, false);
      } finally {
        await session.close();
      }
    });
  });

  it("lets RUNOS_API_KEY and RUNOS_ACCOUNT_ID override the stored login, writing nothing", async () => {
    await withTempDir("session", async (dir) => {
      const seen: string[] = [];
      const fetchStub = ((_input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(new Headers(init?.headers).get("authorization") ?? "");
        return Promise.resolve(Response.json([]));
      }) as typeof fetch;
      const session = await openSession({ env: { RUNOS_API_KEY: "runos_pat_env_2222", RUNOS_ACCOUNT_ID: "beta", RUNOS_CLUSTER_ID: "c9x" }, configDir: dir, fetch: fetchStub });
      assert.equal(session.tokenSource, "env");
      assert.equal(session.accountId, "beta");
      assert.equal(session.defaultClusterId, "c9x");
      await session.client.send({ method: "GET", path: "/beta/clusters" });
      assert.deepEqual(seen, ["Bearer runos_pat_env_2222"]);
    });
  });

  it("is unauthenticated without a token: every request says so, with `runos login` as the next step", async () => {
    await withTempDir("session", async (dir) => {
      const session = await openSession({ env: {}, configDir: dir });
      assert.equal(session.authenticated, false);
      assert.equal(session.tokenSource, "none");
      await assert.rejects(session.client.send({ method: "GET", path: "/x/clusters" }), (error: unknown) => {
        assert.match((error as AuthError).message, /^not authenticated: no stored login, and RUNOS_API_KEY is not set$/);
        assert.match((error as AuthError).hint ?? "", /^run `runos login`/);
        return true;
      });
      await assert.rejects(session.client.send({ method: "GET", path: "/x/clusters" }), AuthError);
    });
  });

  it("fails at once on a set-but-empty RUNOS_ACCOUNT_ID", async () => {
    await withTempDir("session", async (dir) => {
      await assert.rejects(openSession({ env: { RUNOS_ACCOUNT_ID: "" }, configDir: dir }), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /^RUNOS_ACCOUNT_ID is set but empty/);
        return true;
      });
    });
  });

  it("carries a warning for a plain-http API URL", async () => {
    await withTempDir("session", async (dir) => {
      const session = await openSession({ env: {}, configDir: dir, apiUrl: "http://api.example.test" });
      assert.match((session.warnings ?? []).join(" "), /not HTTPS/);
    });
  });
});

describe("openSession({ sandbox: true })", () => {
  it("serves the fake API in-process with the demo identity and ignores stored credentials", async () => {
    await withTempDir("session", async (dir) => {
      await writeConfig(dir, { current_profile: "default", profiles: { default: { account_id: "someone-else" } } });
      const session = await openSession({ sandbox: true, env: { RUNOS_CONFIG_DIR: dir }, configDir: dir });
      try {
        assert.equal(session.sandbox, true);
        assert.equal(session.apiUrl, SANDBOX_API_URL);
        assert.equal(session.accountId, DEMO_ACCOUNT_ID);
        assert.equal(session.authenticated, true);
        assert.equal(session.cacheDir, undefined);
        const account = await session.client.send({ method: "GET", path: `/${DEMO_ACCOUNT_ID}/account` }) as { id: string };
        assert.equal(account.id, DEMO_ACCOUNT_ID);
      } finally {
        await session.close();
      }
      assert.deepEqual((await readdir(dir)).sort(), ["config.json"]);
    });
  });
});
