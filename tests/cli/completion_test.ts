import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import type { Command as PlainCommand } from "commander";
import { Command } from "@commander-js/extra-typings";
import { buildOperations } from "../../src/catalog/operation.ts";
import { main } from "../../src/cli/main.ts";
import { addGlobalOptions } from "../../src/cli/global_options.ts";
import { addVerbs } from "../../src/cli/verbs.ts";
import { completionScript } from "../../src/cli/completion/scripts.ts";
import { completionSpec } from "../../src/cli/completion/spec.ts";
import { captureCli } from "../_harness/cli.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { hasBinary, REPO_ROOT, runosCommand } from "../_harness/mcp_client.ts";
import { shellQuote } from "../_harness/pty.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";

/** Whether `shell` can be run here. */
function has(shell: string): boolean {
  return spawnSync(shell, ["-c", "exit 0"], { stdio: "ignore" }).status === 0;
}

/** `runos completion <shell>` run in-process, with an empty config directory. */
async function script(shell: string): Promise<string> {
  let out = "";
  const saved = process.env.RUNOS_CONFIG_DIR;
  process.env.RUNOS_CONFIG_DIR = join(temp.path, "config");
  try {
    const code = await main(["completion", shell], { stdout: (text) => void (out += text), stderr: () => {} });
    assert.equal(code, 0);
  } finally {
    if (saved === undefined) delete process.env.RUNOS_CONFIG_DIR;
    else process.env.RUNOS_CONFIG_DIR = saved;
  }
  return out;
}

let temp: TempDir;

/** Ask bash to complete `words` (the last one is being typed) with the script at `path`. */
function bashComplete(path: string, words: string[]): string[] {
  const quoted = words.map((word) => `'${word}'`).join(" ");
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", `source ${JSON.stringify(path)} || exit 3
COMP_WORDS=(runos ${quoted}); COMP_CWORD=${words.length}; _runos; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, "", "sourcing and completing print nothing on stderr");
  return result.stdout.split("\n").filter((line) => line !== "");
}

/** Ask zsh (with compinit loaded, as in a real shell) for the candidates of `words`. */
function zshCandidates(path: string, words: string[]): { candidates: string[]; registered: string } {
  const quoted = words.map((word) => `'${word}'`).join(" ");
  const result = spawnSync("zsh", ["-f", "-c", `autoload -Uz compinit && compinit -u -d ${JSON.stringify(join(temp.path, "zcompdump"))}
source ${JSON.stringify(path)} || exit 3
print -r -- "registered:$_comps[runos]"
_runos_candidates ${quoted}`], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.split("\n");
  return { registered: lines[0]!.replace("registered:", ""), candidates: lines.slice(1).join(" ").split(/\s+/).filter(Boolean) };
}

describe("runos completion", () => {
  before(async () => {
    temp = await makeTempDir("completion");
  });
  after(async () => {
    await temp.remove();
  });

  it("refuses an unknown shell as a usage error", async () => {
    const code = await main(["completion", "tcsh"], { stdout: () => {}, stderr: () => {} });
    assert.equal(code, 2);
  });

  it("bash: completes commands, catalog verbs and their flags, tiers, clients and formats", { skip: has("bash") ? false : "bash is not installed" }, async () => {
    const path = join(temp.path, "runos.bash");
    await writeFile(path, await script("bash"));
    assert.ok(bashComplete(path, [""]).includes("services"));
    assert.ok(bashComplete(path, [""]).includes("doctor"));
    assert.deepEqual(bashComplete(path, ["ser"]), ["services"]);
    assert.ok(bashComplete(path, ["services", "valkey", ""]).includes("add"));
    const flags = bashComplete(path, ["services", "valkey", "add", "--"]);
    for (const flag of ["--name", "--replicas", "--max-memory-mb", "--cid", "--follow", "--json", "--output"]) assert.ok(flags.includes(flag), flag);
    assert.deepEqual(bashComplete(path, ["mcp", "serve", ""]), ["read", "sensitive-read", "write", "sensitive-write"]);
    assert.ok(bashComplete(path, ["mcp", "configure", ""]).includes("windsurf"));
    assert.deepEqual(bashComplete(path, ["mcp", "configure", "codex", "--tiers", ""]), ["read", "sensitive-read", "write", "sensitive-write"]);
    assert.deepEqual(bashComplete(path, ["clusters", "list", "-o", ""]), ["table", "wide", "json", "yaml", "tsv"]);
    assert.deepEqual(bashComplete(path, ["--profile", "work", "clusters", ""]), ["list", "show"], "a global option's value is skipped");
    assert.ok(bashComplete(path, ["mcp", "configure", "--token-env", "MY_TOKEN", ""]).includes("claude"), "the value of a command's last value flag is skipped too");
    assert.deepEqual(bashComplete(path, ["config", "set", ""]), ["cid", "api-url"]);
  });

  it("zsh: loads under compinit, registers _runos, and completes the same words", { skip: has("zsh") ? false : "zsh is not installed (apt-get install -y zsh); .ci/run installs it" }, async () => {
    const path = join(temp.path, "_runos");
    await writeFile(path, await script("zsh"));
    const clients = zshCandidates(path, ["mcp", "configure", ""]);
    assert.equal(clients.registered, "_runos");
    assert.ok(clients.candidates.includes("claude") && clients.candidates.includes("codex"));
    assert.deepEqual(zshCandidates(path, ["mcp", "tools", ""]).candidates, ["read", "sensitive-read", "write", "sensitive-write"]);
    assert.ok(zshCandidates(path, ["services", "valkey", "add", "--"]).candidates.includes("--max-memory-mb"));
    assert.ok(zshCandidates(path, ["services", "postgresql", ""]).candidates.includes("exec-sql"));
  });

  // Bun prints a skipped test's name but not its reason: the name says why.
  it(`fish: one script with the same tree${has("fish") ? "" : " (skipped: fish is not installed)"}`, { skip: has("fish") ? false : "fish is not installed" }, async () => {
    const path = join(temp.path, "runos.fish");
    await writeFile(path, await script("fish"));
    const result = spawnSync("fish", ["--no-config", "-c", `source ${JSON.stringify(path)}; and __runos_subs 'services valkey'`], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.split("\n").includes("add"));
  });

  it("covers RunOS's full-scale catalog, and bash loads that script too", { skip: has("bash") ? false : "bash is not installed" }, async () => {
    const catalog = loadCatalogFixture("runos_full");
    const program = addGlobalOptions(new Command("runos"));
    const operations = buildOperations(catalog);
    addVerbs(program, captureCli().context, operations);
    const spec = completionSpec(program as unknown as PlainCommand);
    const leaves = spec.nodes.filter((node) => node.subcommands.length === 0).length;
    assert.ok(leaves >= operations.length * 0.95, `${leaves} leaves for ${operations.length} operations`);
    const path = join(temp.path, "full.bash");
    await writeFile(path, completionScript("bash", spec, catalog.version));
    const sample = operations.find((operation) => operation.verbPath.length >= 3 && operation.params.some((param) => !param.positional))!;
    const words = [...sample.verbPath];
    const last = words.pop()!;
    assert.ok(bashComplete(path, [...words, ""]).includes(last), `${words.join(" ")} → ${last}`);
  });

  describe("ids and names from the API, as kubectl completes names", () => {
    let api: FakeApiHarness;
    let env: Record<string, string>;
    before(async () => {
      api = await startFakeApi({ mode: "http" });
      // The shells run `runos` as the user typed it: here a wrapper on PATH around the binary (or Bun).
      const bin = join(temp.path, "bin");
      await mkdir(bin, { recursive: true });
      const { command, args } = runosCommand(hasBinary() ? "binary" : "bun", []);
      await writeFile(join(bin, "runos"), `#!/bin/sh\ncd ${shellQuote(REPO_ROOT)} && exec ${[command, ...args].map(shellQuote).join(" ")} "$@"\n`);
      await chmod(join(bin, "runos"), 0o755);
      const configDir = join(temp.path, "dynamic-config");
      env = {
        ...process.env as Record<string, string>,
        PATH: `${bin}:${process.env.PATH}`,
        RUNOS_CONFIG_DIR: configDir,
        RUNOS_API_URL: api.url,
        RUNOS_API_KEY: DEMO_TOKEN,
        RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID,
      };
      delete env.RUNOS_CLUSTER_ID;
      delete env.RUNOS_PROFILE;
    });
    after(async () => {
      await api.close();
    });

    /** Run a shell without blocking: the fake API answers from this very process. */
    const shell = (command: string, args: readonly string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });

    /** bash's COMPREPLY for `words` (the last one being typed), in `env`. */
    const bashWith = async (path: string, words: string[]) => {
      const quoted = words.map((word) => `'${word}'`).join(" ");
      const result = await shell("bash", ["--norc", "--noprofile", "-c", `source ${JSON.stringify(path)} || exit 3
COMP_WORDS=(runos ${quoted}); COMP_CWORD=${words.length}; _runos; printf '%s\\n' "\${COMPREPLY[@]}"`]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, "", "nothing on the terminal but candidates");
      return result.stdout.split("\n").filter((line) => line !== "").sort();
    };

    it("bash: cluster ids and names for --cid and `clusters show`, a type's services on the cluster typed", { skip: has("bash") ? false : "bash is not installed", timeout: 60_000 }, async () => {
      const path = join(temp.path, "dynamic.bash");
      await writeFile(path, await script("bash"));
      assert.deepEqual(await bashWith(path, ["clusters", "show", ""]), ["dev", "dev7", "i4y", "production", "staging", "stg01"]);
      assert.deepEqual(await bashWith(path, ["services", "valkey", "add", "--cid", "prod"]), ["production"]);
      assert.deepEqual(await bashWith(path, ["services", "valkey", "show", "--cid", "production", ""]), ["cache", "v4n8x"]);
      assert.deepEqual(await bashWith(path, ["services", "postgresql", "exec-sql", "--cid", "staging", "u"]), ["users-db"]);
      assert.deepEqual((await bashWith(path, ["services", "valkey", "show", ""])).filter((word) => word === "cache"), [], "no cluster, no default: no services (files instead)");
    });

    it("zsh: the same candidates through the shared functions", { skip: has("zsh") ? false : "zsh is not installed (apt-get install -y zsh); .ci/run installs it", timeout: 60_000 }, async () => {
      const path = join(temp.path, "_runos_dynamic");
      await writeFile(path, await script("zsh"));
      const result = await shell("zsh", ["-f", "-c", `autoload -Uz compinit && compinit -u -d ${JSON.stringify(join(temp.path, "zcompdump-dynamic"))}
source ${JSON.stringify(path)} || exit 3
_runos_prog=runos _runos_candidates services minio buckets --cid production ''`]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, "");
      assert.deepEqual(result.stdout.split(/\s+/).filter(Boolean).sort(), ["assets", "m3b9z"]);
    });

    it("fish: ids with their names as descriptions", { skip: has("fish") ? false : "fish is not installed (apt-get install -y fish)", timeout: 60_000 }, async () => {
      const path = join(temp.path, "dynamic.fish");
      await writeFile(path, await script("fish"));
      const result = await shell("fish", ["--no-config", "-c", `source ${JSON.stringify(path)}; complete -C 'runos clusters show '`]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, "");
      const lines = result.stdout.split("\n").filter(Boolean).sort();
      assert.ok(lines.includes("i4y\tproduction") && lines.includes("production\ti4y"), lines.join(" | "));
      const services = await shell("fish", ["--no-config", "-c", `source ${JSON.stringify(path)}; complete -C 'runos services valkey show --cid production '`]);
      assert.deepEqual(services.stdout.split("\n").filter(Boolean).sort(), ["cache\tv4n8x", "v4n8x\tcache"]);
    });
  });
});
