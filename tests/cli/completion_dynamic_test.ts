/**
 * `runos __complete`: cluster and service ids for the shells, from a cache that lives a minute, never
 * an error on the screen. Timing is proved on a clock the test drives.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { main } from "../../src/cli/main.ts";
import { COMPLETION_TTL_MS, completionCandidates, parseCompletionQuery } from "../../src/cli/completion/dynamic.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";

/** Run the CLI in-process and capture what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

describe("runos __complete: ids and names for the shells", () => {
  isolateRunosEnv("runos-complete-");
  let harness: FakeApiHarness;
  let cacheDir: string;
  const signedIn = () => ({ ...process.env, RUNOS_API_URL: harness.url, RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID });
  /** The requests the fake API got for a list, not counting the catalog's. */
  const listCalls = (path: string) => harness.api.log.filter((entry) => entry.method === "GET" && entry.path === path).length;

  before(async () => {
    harness = await startFakeApi();
    cacheDir = await mkdtemp(join(tmpdir(), "runos-complete-cache-"));
  });
  after(async () => {
    await harness.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("reads the list command, the global options and the --cid typed so far; the word being typed counts for nothing", () => {
    const query = parseCompletionQuery(["__complete", "services valkey list", "--", "--profile", "work", "services", "valkey", "show", "--cid=production", "--sandbox", "ca"], {});
    assert.deepEqual(query, { source: ["services", "valkey", "list"], profile: "work", sandbox: true, cid: "production" });
    assert.equal(parseCompletionQuery(["clusters", "list"], {}), undefined);
    assert.equal(parseCompletionQuery(["__complete", "clusters list", "--", "clusters", "show", "--cid"], {})?.cid, undefined, "a --cid still being typed");
  });

  it("offers each cluster's id and name, each with the other beside it", async () => {
    const candidates = await completionCandidates({ source: ["clusters", "list"], sandbox: false }, { env: signedIn(), cacheDir });
    for (const line of ["i4y\tproduction", "production\ti4y", "stg01\tstaging", "dev7\tdev"]) assert.ok(candidates.includes(line), candidates.join(" | "));
  });

  it("offers a service type's ids and names on the cluster typed (by name), else the default cluster", async () => {
    const env = signedIn();
    const typed = await completionCandidates({ source: ["services", "valkey", "list"], sandbox: false, cid: "production" }, { env, cacheDir });
    assert.deepEqual(typed.sort(), ["cache\tv4n8x", "v4n8x\tcache"]);
    const byDefault = await completionCandidates({ source: ["services", "postgresql", "list"], sandbox: false }, { env: { ...env, RUNOS_CLUSTER_ID: "stg01" }, cacheDir });
    assert.deepEqual(byDefault.sort(), ["s2pg1\tusers-db", "users-db\ts2pg1"]);
    const none = await completionCandidates({ source: ["services", "postgresql", "list"], sandbox: false }, { env, cacheDir });
    assert.deepEqual(none, [], "no cluster typed and no default: nothing to offer");
  });

  it("answers again from its cache for a minute, with no request, and asks the API once that minute has passed", async () => {
    let now = 1_000_000;
    const deps = { env: signedIn(), cacheDir, now: () => now };
    const query = { source: ["nodes", "list"], sandbox: false, cid: "i4y" } as const;
    const path = `/${DEMO_ACCOUNT_ID}/i4y/nodes`;
    const before = listCalls(path);
    const first = await completionCandidates(query, deps);
    assert.ok(first.includes("i4y-wk-1\tn2wka"), first.join(" | "));
    assert.equal(listCalls(path), before + 1);
    now += COMPLETION_TTL_MS - 1;
    assert.deepEqual(await completionCandidates(query, deps), first);
    assert.equal(listCalls(path), before + 1, "answered from the cache");
    now += 2;
    await completionCandidates(query, deps);
    assert.equal(listCalls(path), before + 2, "past the minute: asked again");
    const cached = JSON.parse(await readFile(join(cacheDir, "default", "completion.json"), "utf8"));
    assert.ok(Object.keys(cached).some((key) => key.includes("nodes/list")), "kept in the user's cache dir, per profile");
  });

  it("prints nothing but candidates, and nothing at all when it cannot: not signed in, an unknown list, an API that does not answer", async () => {
    const signedOut = await run("__complete", "clusters list", "--", "clusters", "show", "");
    assert.deepEqual(signedOut, { code: 0, stdout: "", stderr: "" });
    const unknown = await run("__complete", "nothing list", "--", "--sandbox", "");
    assert.deepEqual(unknown, { code: 0, stdout: "", stderr: "" });
    const sandbox = await run("__complete", "clusters list", "--", "--sandbox", "clusters", "show", "");
    assert.equal(sandbox.stderr, "");
    assert.match(sandbox.stdout, /^i4y\tproduction$/m);

    const silent: Server = createServer(() => {}); // takes the request and never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as { port: number };
      const started = Date.now();
      const candidates = await completionCandidates({ source: ["clusters", "list"], sandbox: false }, { env: { ...signedIn(), RUNOS_API_URL: `http://127.0.0.1:${port}` }, cacheDir, deadlineMs: 300 });
      assert.deepEqual(candidates, []);
      assert.ok(Date.now() - started < 5_000, "gave up at the deadline");
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
