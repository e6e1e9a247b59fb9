import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  apiUrlWarning,
  cacheDir,
  configDir,
  DEFAULT_API_URL,
  readConfig,
  resolveProfileName,
  resolveSettings,
  writeConfig,
} from "../../src/auth/config.ts";
import { ConfigFileError, UsageError } from "../../src/errors.ts";
import { withTempDir } from "../_harness/temp_project.ts";

describe("config directories", () => {
  it("prefer RUNOS_CONFIG_DIR, then XDG, then the home directory", () => {
    assert.equal(configDir({ RUNOS_CONFIG_DIR: "/c", XDG_CONFIG_HOME: "/x", HOME: "/h" }), "/c");
    assert.equal(configDir({ XDG_CONFIG_HOME: "/x", HOME: "/h" }), join("/x", "runos"));
    assert.equal(configDir({ HOME: "/h" }), join("/h", ".config", "runos"));
    assert.equal(cacheDir({ RUNOS_CONFIG_DIR: "/c" }), join("/c", "cache"));
    assert.equal(cacheDir({ XDG_CACHE_HOME: "/xc", HOME: "/h" }), join("/xc", "runos"));
    assert.equal(cacheDir({ HOME: "/h" }), join("/h", ".cache", "runos"));
  });
});

describe("resolveSettings", () => {
  it("ignores an invalid default cluster with a warning naming where it came from", () => {
    const settings = resolveSettings({ profiles: { default: { default_cluster_id: "dev7" } } }, { env: { RUNOS_CLUSTER_ID: "BAD\u0007" } });
    assert.equal(settings.defaultClusterId, "dev7");
    assert.ok(settings.warnings.some((warning) => /ignoring RUNOS_CLUSTER_ID="BAD\\u0007"/.test(warning)), settings.warnings.join("\n"));
    assert.equal(resolveSettings({ profiles: {} }, { env: { RUNOS_CLUSTER_ID: "i4y" } }).defaultClusterId, "i4y");
    assert.equal(resolveSettings({ profiles: {} }, { env: { RUNOS_CLUSTER_ID: "My Production" } }).defaultClusterId, "My Production");
  });

  const config = {
    current_profile: "work",
    profiles: { work: { api_url: "https://api.work.test", account_id: "acme", default_cluster_id: "i4y" }, other: { account_id: "beta" } },
  };

  it("reads the current profile from the file", () => {
    const settings = resolveSettings(config, { env: {} });
    assert.deepEqual(settings, { profile: "work", apiUrl: "https://api.work.test", apiUrlOrigin: "profile", accountId: "acme", defaultClusterId: "i4y", warnings: [] });
  });

  it("says which setting gave the API URL, so an error names the one to fix", () => {
    const env = { RUNOS_API_URL: "https://env.test" };
    assert.equal(resolveSettings(config, { env, apiUrl: "https://flag.test" }).apiUrlOrigin, "flag");
    assert.equal(resolveSettings(config, { env }).apiUrlOrigin, "env");
    assert.equal(resolveSettings(config, { env: {} }).apiUrlOrigin, "profile");
    assert.equal(resolveSettings({ profiles: {} }, { env: { RUNOS_API_URL: " " } }).apiUrlOrigin, "default");
  });

  it("lets flags beat the environment and the environment beat the file", () => {
    const env = { RUNOS_API_URL: "https://env.test", RUNOS_ACCOUNT_ID: "envacct", RUNOS_CLUSTER_ID: "c2c", RUNOS_PROFILE: "other" };
    const settings = resolveSettings(config, { env, apiUrl: "https://flag.test/" });
    assert.equal(settings.profile, "other");
    assert.equal(settings.apiUrl, "https://flag.test");
    assert.equal(settings.accountId, "envacct");
    assert.equal(settings.defaultClusterId, "c2c");
    assert.equal(resolveSettings(config, { env, profile: "work" }).profile, "work");
  });

  it("defaults to https://api.runos.com and the profile named default", () => {
    const settings = resolveSettings({ profiles: {} }, { env: {} });
    assert.equal(settings.apiUrl, DEFAULT_API_URL);
    assert.equal(settings.apiUrl, "https://api.runos.com");
    assert.equal(settings.profile, "default");
  });

  it("warns about a plain-http API URL except on this machine", () => {
    assert.match(apiUrlWarning("http://api.example.test") ?? "", /not HTTPS/);
    assert.equal(apiUrlWarning("http://localhost:8787"), undefined);
    assert.equal(apiUrlWarning("http://127.0.0.1:8787"), undefined);
    assert.equal(apiUrlWarning("https://api.runos.com"), undefined);
    assert.equal(resolveSettings({ profiles: {} }, { env: { RUNOS_API_URL: "http://api.example.test" } }).warnings.length, 1);
    assert.throws(() => apiUrlWarning("ftp://x"), UsageError);
    assert.throws(() => apiUrlWarning("not a url"), UsageError);
  });

  it("refuses a malformed profile name", () => {
    assert.throws(() => resolveProfileName("../etc", {}, { profiles: {} }), UsageError);
  });
});

describe("readConfig and writeConfig", () => {
  it("round-trip profiles and keep unknown keys", async () => {
    await withTempDir("config", async (dir) => {
      assert.deepEqual(await readConfig(dir), { profiles: {} });
      await writeConfig(dir, { current_profile: "default", profiles: { default: { account_id: "acme", extra: 1 } } });
      const again = await readConfig(dir);
      assert.equal(again.profiles.default?.account_id, "acme");
      assert.equal((again.profiles.default as Record<string, unknown>).extra, 1);
    });
  });

  it("reports an unparsable config.json and leaves it as it was", async () => {
    await withTempDir("config", async (dir) => {
      const path = join(dir, "config.json");
      await writeFile(path, "{ not json");
      await assert.rejects(readConfig(dir), (error: unknown) => {
        assert.ok(error instanceof ConfigFileError);
        assert.equal(error.path, path);
        return true;
      });
      assert.equal(await readFile(path, "utf8"), "{ not json");
    });
  });
});
