import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { type LoginDeps, registerLoginCommands } from "../../src/cli/commands/login.ts";
import type { GlobalOptions } from "../../src/cli/context.ts";
import { AuthError, NotFoundError, UsageError } from "../../src/errors.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/mod.ts";
import { startFakeApi } from "../_harness/fake_api.ts";
import { withTempDir } from "../_harness/temp_project.ts";
import { captureCli } from "../_harness/cli.ts";

const GOOD = "runos_pat_good_0123456789abcdef";
const OLD = "runos_pat_old_fedcba9876543210";

/** The account endpoint of a tiny fake API: accepts GOOD and OLD, refuses anything else as revoked. */
function accountApi() {
  const seen: { path: string; authorization: string | null }[] = [];
  const fetchStub = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const authorization = new Headers(init?.headers).get("authorization");
    seen.push({ path: url.pathname, authorization });
    if (authorization !== `Bearer ${GOOD}` && authorization !== `Bearer ${OLD}`) {
      return Promise.resolve(Response.json({ error: "Invalid token", statusCode: 401, reason: "revoked" }, { status: 401 }));
    }
    if (url.pathname !== "/acme/account") return Promise.resolve(Response.json({ error: "no such account", statusCode: 404 }, { status: 404 }));
    return Promise.resolve(Response.json({ id: "acme", name: "Acme", plan: "team", user: { email: "dev@example.com", name: "Dev" } }));
  };
  return { seen, fetch: fetchStub as typeof fetch };
}

/** Run `runos <argv>` with only the login commands registered, capturing output. */
async function runos(argv: string[], options: { configDir: string; globals?: Partial<GlobalOptions>; deps?: LoginDeps }) {
  const cli = captureCli(options.globals);
  registerLoginCommands(cli.program, cli.context, { env: {}, configDir: options.configDir, fetch: accountApi().fetch, stdinIsTTY: () => false, ...options.deps });
  await cli.run(argv);
  return { out: cli.out.join("\n"), err: cli.err.join("\n") };
}

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

describe("runos login", () => {
  it("checks the token against the API, then saves it with mode 0600 and prints who we are", async () => {
    await withTempDir("login", async (dir) => {
      const api = accountApi();
      const { out } = await runos(["login", "--api-key", GOOD, "--account-id", "acme", "--cluster", "i4y"], { configDir: dir, deps: { fetch: api.fetch } });
      assert.equal(out, "Logged in to account acme as dev@example.com (profile default)");
      assert.deepEqual(api.seen[0], { path: "/acme/account", authorization: `Bearer ${GOOD}` });
      // Then, once saved, the catalog is downloaded right away (this stub API serves none).
      assert.deepEqual(api.seen.slice(1).map((request) => request.path), ["/acme/cli/manifest", "/cli/manifest"]);
      assert.deepEqual(await readJson(join(dir, "credentials.json")), { profiles: { default: { api_key: GOOD } } });
      const config = await readJson(join(dir, "config.json"));
      assert.equal(config.current_profile, "default");
      assert.deepEqual(config.profiles.default, { account_id: "acme", default_cluster_id: "i4y" });
      if (process.platform !== "win32") {
        assert.equal((await stat(join(dir, "credentials.json"))).mode & 0o777, 0o600);
        assert.equal((await stat(dir)).mode & 0o777 & 0o077, 0, "config dir readable by others");
      }
      assert.ok(!(await readdir(dir)).some((name) => name.endsWith(".tmp")));
    });
  });

  it("remembers the API URL from RUNOS_API_URL the token was checked against", async () => {
    await withTempDir("login", async (dir) => {
      const api = accountApi();
      await runos(["login", "--api-key", GOOD, "--account-id", "acme"], { configDir: dir, deps: { fetch: api.fetch, env: { RUNOS_API_URL: "https://api.staging.example" } } });
      const config = await readJson(join(dir, "config.json"));
      assert.equal(config.profiles.default.api_url, "https://api.staging.example");
    });
  });

  it("prints JSON with --json, without the token", async () => {
    await withTempDir("login", async (dir) => {
      const { out } = await runos(["login", "--api-key", GOOD, "--account-id", "acme"], { configDir: dir, globals: { json: true, profile: "work" } });
      const result = JSON.parse(out);
      assert.equal(result.profile, "work");
      assert.equal(result.accountId, "acme");
      assert.equal(result.user, "dev@example.com");
      assert.ok(!out.includes(GOOD));
    });
  });

  it("leaves the previous credentials byte-identical when the API refuses the new token", async () => {
    await withTempDir("login", async (dir) => {
      await runos(["login", "--api-key", OLD, "--account-id", "acme"], { configDir: dir });
      const credentialsBefore = await readFile(join(dir, "credentials.json"));
      const configBefore = await readFile(join(dir, "config.json"));
      const bad = "runos_pat_revoked_aaaaaaaaaaaaaaaa";
      await assert.rejects(runos(["login", "--api-key", bad, "--account-id", "acme", "--cluster", "x9z"], { configDir: dir }), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.match(error.message, /refused this token \(revoked\)/);
        assert.match(error.message, /nothing was saved/);
        assert.match(error.hint ?? "", /runos login/);
        assert.ok(!error.message.includes(bad));
        return true;
      });
      assert.deepEqual(await readFile(join(dir, "credentials.json")), credentialsBefore);
      assert.deepEqual(await readFile(join(dir, "config.json")), configBefore);
    });
  });

  it("takes --token as another spelling of --api-key", async () => {
    await withTempDir("login", async (dir) => {
      const { out } = await runos(["login", "--token", GOOD, "--account-id", "acme"], { configDir: dir });
      assert.match(out, /Logged in to account acme/);
      assert.deepEqual(await readJson(join(dir, "credentials.json")), { profiles: { default: { api_key: GOOD } } });
    });
  });

  it("reads the token from stdin with --with-token", async () => {
    await withTempDir("login", async (dir) => {
      await runos(["login", "--with-token", "--account-id", "acme"], { configDir: dir, deps: { readStdin: () => Promise.resolve(`${GOOD}\n`) } });
      assert.equal((await readJson(join(dir, "credentials.json"))).profiles.default.api_key, GOOD);
    });
  });

  it("prompts for the token, hidden, on a terminal", async () => {
    await withTempDir("login", async (dir) => {
      const questions: string[] = [];
      await runos(["login", "--account-id", "acme"], {
        configDir: dir,
        deps: { stdinIsTTY: () => true, askSecret: (question) => { questions.push(question); return Promise.resolve(GOOD); } },
      });
      assert.equal(questions.length, 1);
      assert.equal((await readJson(join(dir, "credentials.json"))).profiles.default.api_key, GOOD);
    });
  });

  it("refuses to guess: no token without a terminal, no account id anywhere", async () => {
    await withTempDir("login", async (dir) => {
      await assert.rejects(runos(["login", "--account-id", "acme"], { configDir: dir }), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.hint ?? "", /--with-token/);
        return true;
      });
      await assert.rejects(runos(["login", "--api-key", GOOD], { configDir: dir }), /account id required/);
      await assert.rejects(runos(["login", "--api-key", GOOD, "--account-id", "acme", "--cluster", "NO\tPE"], { configDir: dir }), UsageError);
    });
  });

  it("takes the account id from RUNOS_ACCOUNT_ID or the stored profile", async () => {
    await withTempDir("login", async (dir) => {
      await runos(["login", "--api-key", GOOD], { configDir: dir, deps: { env: { RUNOS_ACCOUNT_ID: "acme" } } });
      await runos(["login", "--api-key", OLD], { configDir: dir });
      assert.equal((await readJson(join(dir, "config.json"))).profiles.default.account_id, "acme");
      assert.equal((await readJson(join(dir, "credentials.json"))).profiles.default.api_key, OLD);
    });
  });

  it("warns when the API URL is plain http to another machine", async () => {
    await withTempDir("login", async (dir) => {
      const { err } = await runos(["login", "--api-key", GOOD, "--account-id", "acme"], { configDir: dir, globals: { apiUrl: "http://api.example.test" } });
      assert.match(err, /not HTTPS/);
      assert.equal((await readJson(join(dir, "config.json"))).profiles.default.api_url, "http://api.example.test");
    });
  });
});

describe("runos logout", () => {
  it("removes the token but keeps the API URL and default cluster", async () => {
    await withTempDir("logout", async (dir) => {
      await runos(["login", "--api-key", GOOD, "--account-id", "acme", "--cluster", "i4y"], { configDir: dir, globals: { apiUrl: "https://api.example.test" } });
      const { out } = await runos(["logout"], { configDir: dir });
      assert.match(out, /Logged out/);
      assert.deepEqual((await readJson(join(dir, "credentials.json"))).profiles, {});
      assert.deepEqual((await readJson(join(dir, "config.json"))).profiles.default, { account_id: "acme", api_url: "https://api.example.test", default_cluster_id: "i4y" });
      assert.match((await runos(["logout"], { configDir: dir })).out, /Not logged in/);
    });
  });
});

describe("runos whoami", () => {
  it("shows profile, API, account, user and where the token comes from, never the token", async () => {
    await withTempDir("whoami", async (dir) => {
      await runos(["login", "--api-key", GOOD, "--account-id", "acme", "--cluster", "i4y"], { configDir: dir, globals: { apiUrl: "https://api.example.test" } });
      const { out } = await runos(["whoami"], { configDir: dir });
      assert.match(out, /Profile: +default/);
      assert.match(out, /API: +https:\/\/api\.example\.test/);
      assert.match(out, /Account: +acme/);
      assert.match(out, /User: +dev@example\.com/);
      assert.match(out, /Token from: +.*credentials\.json/);
      assert.match(out, /Default cluster: +i4y/);
      assert.ok(!out.includes(GOOD));

      const fromEnv = await runos(["whoami"], { configDir: dir, globals: { json: true }, deps: { env: { RUNOS_API_KEY: OLD, RUNOS_ACCOUNT_ID: "acme" } } });
      const info = JSON.parse(fromEnv.out);
      assert.equal(info.tokenSource, "env");
      assert.ok(!fromEnv.out.includes(OLD));
    });
  });

  it("says not authenticated, with `runos login` as the next step, when no token exists", async () => {
    await withTempDir("whoami", async (dir) => {
      await assert.rejects(runos(["whoami"], { configDir: dir }), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.match(error.message, /not authenticated/);
        assert.match(error.hint ?? "", /runos login/);
        return true;
      });
    });
  });

  it("refuses RUNOS_API_KEY set but empty", async () => {
    await withTempDir("whoami", async (dir) => {
      await assert.rejects(runos(["whoami"], { configDir: dir, deps: { env: { RUNOS_API_KEY: "" } } }), /RUNOS_API_KEY is set but empty/);
    });
  });
});

describe("runos login against the fake RunOS API", () => {
  it("accepts the demo token and names the fixture's user; refuses another token", async () => {
    const harness = await startFakeApi();
    try {
      await withTempDir("login-fake", async (dir) => {
        const { out } = await runos(["login", "--api-key", DEMO_TOKEN, "--account-id", DEMO_ACCOUNT_ID], { configDir: dir, globals: { apiUrl: harness.url }, deps: { fetch: globalThis.fetch } });
        assert.match(out, new RegExp(`^Logged in to account ${DEMO_ACCOUNT_ID} as \\S+@\\S+ \\(profile default\\)$`));
        await assert.rejects(
          runos(["login", "--api-key", "runos_pat_wrong_000000000000", "--account-id", DEMO_ACCOUNT_ID], { configDir: dir, globals: { apiUrl: harness.url }, deps: { fetch: globalThis.fetch } }),
          AuthError,
        );
        assert.equal((await readJson(join(dir, "credentials.json"))).profiles.default.api_key, DEMO_TOKEN);
      });
    } finally {
      await harness.close();
    }
  });

  it("whoami --sandbox answers from the fake API and writes nothing", async () => {
    await withTempDir("whoami-sandbox", async (dir) => {
      const { out } = await runos(["whoami"], { configDir: dir, globals: { sandbox: true, json: true } });
      const info = JSON.parse(out);
      assert.equal(info.accountId, DEMO_ACCOUNT_ID);
      assert.equal(info.sandbox, true);
      assert.ok(!out.includes(DEMO_TOKEN));
      assert.deepEqual(await readdir(dir), []);
    });
  });
});

describe("login and profiles say what is wrong", () => {
  it("asks for the account id on a terminal when none is known, then for the token", async () => {
    await withTempDir("login-ask", async (dir) => {
      const asked: string[] = [];
      const { out } = await runos(["login"], {
        configDir: dir,
        deps: {
          stdinIsTTY: () => true,
          ask: (question) => { asked.push(question); return Promise.resolve("acme\n"); },
          askSecret: (question) => { asked.push(question); return Promise.resolve(GOOD); },
        },
      });
      assert.deepEqual(asked, ["RunOS account id: ", "RunOS personal access token: "]);
      assert.match(out, /Logged in to account acme/);
    });
  });

  it("without a terminal, the account id error says how to pass it and never suggests --api-key", async () => {
    await withTempDir("login-noid", async (dir) => {
      await assert.rejects(runos(["login", "--with-token"], { configDir: dir, deps: { readStdin: () => Promise.resolve(GOOD) } }), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /account id required: pass --account-id <id> \(or set RUNOS_ACCOUNT_ID\)/);
        assert.doesNotMatch(`${error.message} ${error.hint}`, /--api-key/);
        return true;
      });
    });
  });

  it("a corrupt credentials.json does not block login: it is kept as credentials.json.bak-<time> and replaced", async () => {
    await withTempDir("login-corrupt", async (dir) => {
      await writeFile(join(dir, "credentials.json"), "{ not json");
      const { err } = await runos(["login", "--api-key", GOOD, "--account-id", "acme"], { configDir: dir });
      assert.match(err, /credentials\.json is not valid JSON \(line 1, column 3: .*\); kept it as .*credentials\.json\.bak-\d{8}T\d{6}Z and started a new credentials\.json/);
      assert.equal((await readJson(join(dir, "credentials.json"))).profiles.default.api_key, GOOD);
      const backups = (await readdir(dir)).filter((name) => name.startsWith("credentials.json.bak-"));
      assert.equal(backups.length, 1);
      assert.equal(await readFile(join(dir, backups[0]!), "utf8"), "{ not json");
    });
  });

  it("a corrupt config.json does not block logout either", async () => {
    await withTempDir("logout-corrupt", async (dir) => {
      await writeFile(join(dir, "config.json"), "[1, 2");
      const { out, err } = await runos(["logout"], { configDir: dir });
      assert.match(err, /config\.json is not valid JSON .*kept it as/);
      assert.match(out, /Not logged in/);
      assert.ok((await readdir(dir)).some((name) => name.startsWith("config.json.bak-")));
    });
  });

  it("RUNOS_API_KEY without RUNOS_ACCOUNT_ID names the missing variable", async () => {
    await withTempDir("whoami-env", async (dir) => {
      await assert.rejects(runos(["whoami"], { configDir: dir, deps: { env: { RUNOS_API_KEY: GOOD } } }), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.match(error.message, /RUNOS_API_KEY is set but RUNOS_ACCOUNT_ID is not/);
        assert.match(error.hint ?? "", /export RUNOS_ACCOUNT_ID=/);
        return true;
      });
    });
  });

  it("--profile nope says there is no such profile and lists the profiles", async () => {
    await withTempDir("whoami-profile", async (dir) => {
      await runos(["login", "--api-key", GOOD, "--account-id", "acme"], { configDir: dir });
      await runos(["login", "--api-key", GOOD, "--account-id", "acme"], { configDir: dir, globals: { profile: "staging" } });
      await assert.rejects(runos(["whoami"], { configDir: dir, globals: { profile: "nope" } }), (error: unknown) => {
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.message, 'no such profile "nope"; the profiles are: default, staging');
        assert.match(error.hint ?? "", /runos --profile nope login/);
        return true;
      });
    });
  });

  it("the not-authenticated hint suggests `runos login` or --with-token, never --api-key <pat>", async () => {
    await withTempDir("whoami-hint", async (dir) => {
      await assert.rejects(runos(["whoami"], { configDir: dir }), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.match(error.hint ?? "", /`runos login`/);
        assert.match(error.hint ?? "", /--with-token/);
        assert.doesNotMatch(error.hint ?? "", /--api-key/);
        return true;
      });
    });
  });
});
