import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import process from "node:process";
import { checkAuthEnv, credentialsPath, readCredentials, removeApiKey, resolveCredentials, saveApiKey } from "../../src/auth/credentials.ts";
import { UsageError } from "../../src/errors.ts";
import { withTempDir } from "../_harness/temp_project.ts";

describe("credentials", () => {
  it("saves a token with mode 0600, keeping other profiles", async () => {
    await withTempDir("creds", async (dir) => {
      await saveApiKey(dir, "default", "runos_pat_one");
      await saveApiKey(dir, "work", "runos_pat_two");
      const credentials = await readCredentials(dir);
      assert.equal(credentials.profiles.default?.api_key, "runos_pat_one");
      assert.equal(credentials.profiles.work?.api_key, "runos_pat_two");
      if (process.platform !== "win32") assert.equal((await stat(credentialsPath(dir))).mode & 0o777, 0o600);
    });
  });

  it("prefers RUNOS_API_KEY over the stored token and says where the token came from", async () => {
    await withTempDir("creds", async (dir) => {
      await saveApiKey(dir, "default", "runos_pat_file");
      assert.deepEqual(await resolveCredentials(dir, "default", {}), { token: "runos_pat_file", source: "file" });
      assert.deepEqual(await resolveCredentials(dir, "default", { RUNOS_API_KEY: " runos_pat_env \n", RUNOS_ACCOUNT_ID: "acme" }), {
        token: "runos_pat_env",
        source: "env",
        envAccountId: "acme",
      });
      assert.deepEqual(await resolveCredentials(dir, "other", {}), { source: "none" });
    });
  });

  it("refuses RUNOS_API_KEY, RUNOS_ACCOUNT_ID or RUNOS_API_URL set but empty, naming the variable", async () => {
    for (const name of ["RUNOS_API_KEY", "RUNOS_ACCOUNT_ID", "RUNOS_API_URL"]) {
      assert.throws(() => checkAuthEnv({ [name]: "  " }), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, `${name} is set but empty; unset it to use the stored login, or set it to a real value`);
        return true;
      });
    }
    await withTempDir("creds", async (dir) => {
      await assert.rejects(resolveCredentials(dir, "default", { RUNOS_API_KEY: "" }), UsageError);
    });
  });

  it("removes only the profile's token on logout", async () => {
    await withTempDir("creds", async (dir) => {
      await saveApiKey(dir, "default", "runos_pat_one");
      await saveApiKey(dir, "work", "runos_pat_two");
      assert.equal(await removeApiKey(dir, "default"), true);
      assert.equal(await removeApiKey(dir, "default"), false);
      const text = await readFile(credentialsPath(dir), "utf8");
      assert.ok(!text.includes("runos_pat_one"));
      assert.ok(text.includes("runos_pat_two"));
    });
  });
});
