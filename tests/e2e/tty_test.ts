import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { hasBinary, REPO_ROOT, runosCommand, runosEnv, runRunos, type ServerRuntime } from "../_harness/mcp_client.ts";
import { hasScript, plainText, runInPty, shellQuote } from "../_harness/pty.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { realClock } from "../../src/fake_api/mod.ts";

const RUNTIME: ServerRuntime = hasBinary() ? "binary" : "bun";
const skip = hasScript() ? false : "util-linux `script` is not installed: no pseudo-terminal to test with";
const hasBash = spawnSync("bash", ["-c", "exit 0"], { stdio: "ignore" }).status === 0;

/** The shell command line that runs runos with `args`, from the repository root. */
function runosLine(args: readonly string[], redirect = ""): string {
  const { command, args: argv } = runosCommand(RUNTIME, args);
  return `cd ${shellQuote(REPO_ROOT)} && ${[command, ...argv].map(shellQuote).join(" ")}${redirect}`;
}

describe(`runos on a terminal (${RUNTIME}, under script(1))`, { skip }, () => {
  let home: TempDir;
  let env: Record<string, string>;
  before(async () => {
    home = await makeTempDir("tty");
    env = { ...runosEnv({ configDir: home.path }) };
    delete env.NO_COLOR;
  });
  after(async () => {
    await home.remove();
  });

  it("Ctrl-C while following a sandbox job says it goes on in the shared sandbox, how to follow it there, and exits 130", async () => {
    const line = runosLine(["--sandbox", "services", "valkey", "add", "--cid", "i4y", "--name", "tty-cache", "--follow"]);
    const result = await runInPty(line, env, [{ waitFor: /job [0-9a-f-]{36}/, type: "\x03" }]);
    const text = plainText(result.output);
    assert.equal(result.code, 130, text);
    assert.match(text, /interrupted: stopped waiting for job ([0-9a-f-]{36}), which goes on in the sandbox your --sandbox commands share/);
    assert.doesNotMatch(text, /RunOS side/);
    assert.match(text, /runos follow [0-9a-f-]{36} --sandbox/);
  });

  it("shows a live progress line with the elapsed time while following a job", async () => {
    const result = await runInPty(runosLine(["--sandbox", "services", "valkey", "add", "--cid", "i4y", "--name", "tty-live", "--follow"]), env);
    assert.equal(result.code, 0, plainText(result.output));
    assert.match(result.output, /\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] job [0-9a-f-]{36}: /, "a spinner rewritten in place");
    assert.match(plainText(result.output), /job [0-9a-f-]{36}: completed 100% .*\(\d+s\)/);
  });

  it("login asks for the account id and the token, then signs in", async () => {
    const api = await startFakeApi({ mode: "http", clock: realClock() });
    try {
      const dir = join(home.path, "login");
      const result = await runInPty(runosLine(["login"]), { ...env, RUNOS_CONFIG_DIR: dir, RUNOS_API_URL: api.url }, [
        { waitFor: /RunOS account id: /, type: `${DEMO_ACCOUNT_ID}\r` },
        { waitFor: /personal access token: /, type: `${DEMO_TOKEN}\r` },
      ]);
      const text = plainText(result.output);
      assert.equal(result.code, 0, text);
      assert.match(text, /Logged in to account acme/);
      assert.ok(!text.includes(DEMO_TOKEN), "the token is not echoed");
      assert.match(await readFile(join(dir, "credentials.json"), "utf8"), /runos_pat_sandbox/);
    } finally {
      await api.close();
    }
  });

  it("Ctrl-C at login's prompt exits 130 and saves nothing", async () => {
    const dir = join(home.path, "login-cancel");
    const result = await runInPty(runosLine(["login", "--account-id", "acme"]), { ...env, RUNOS_CONFIG_DIR: dir }, [{ waitFor: /personal access token: /, type: "\x03" }]);
    assert.equal(result.code, 130, plainText(result.output));
    assert.match(plainText(result.output), /cancelled at the prompt: nothing was changed/);
    await assert.rejects(readFile(join(dir, "credentials.json"), "utf8"));
  });

  it("a destructive verb's [y/N] names the cluster it would hit, by name as well as id; n changes nothing", async () => {
    const line = runosLine(["--sandbox", "services", "valkey", "delete", "cache", "--cid", "i4y"]);
    const result = await runInPty(line, env, [{ waitFor: /\[y\/N\] /, type: "n\r" }]);
    const text = plainText(result.output);
    assert.equal(result.code, 1, text);
    assert.match(text, /This will run `runos services valkey delete cache` on cluster i4y \(production\), which cannot be undone\. Continue\? \[y\/N\]/);
    assert.match(text, /aborted: nothing was changed/);
    const listed = await runRunos(RUNTIME, ["--sandbox", "-o", "json", "services", "valkey", "list", "--cid", "production"], env);
    assert.ok((JSON.parse(listed.stdout) as { name: string }[]).some((service) => service.name === "cache"), listed.stdout);
  });

  it("Tab in an interactive bash offers cluster ids and names from the API; a unique prefix completes in place", { skip: hasBash ? false : "bash is not installed" }, async () => {
    // `runos` on PATH, as installed; the completion script as the README says to load it.
    const bin = join(home.path, "bin");
    await mkdir(bin, { recursive: true });
    const { command, args } = runosCommand(RUNTIME, []);
    await writeFile(join(bin, "runos"), `#!/bin/sh\ncd ${shellQuote(REPO_ROOT)} && exec ${[command, ...args].map(shellQuote).join(" ")} "$@"\n`);
    await chmod(join(bin, "runos"), 0o755);
    const script = join(home.path, "runos.bash");
    const generated = await runRunos(RUNTIME, ["completion", "bash"], env);
    await writeFile(script, generated.stdout);
    const shellEnv = { ...env, PATH: `${bin}:${env.PATH}`, PS1: "ready$ " };
    const result = await runInPty("bash --norc --noprofile -i", shellEnv, [
      { waitFor: /ready\$ $/, type: `source ${shellQuote(script)}\r` },
      { waitFor: /ready\$ [^]*ready\$ $/, type: "runos --sandbox clusters show \t\t" },
      { waitFor: /production/, type: "\x15runos --sandbox clusters show prod\t" },
      { waitFor: /clusters show production /, type: "\x15exit\r" },
    ]);
    const text = plainText(result.output);
    assert.equal(result.code, 0, text);
    for (const name of ["i4y", "production", "stg01", "staging", "dev7"]) assert.match(text, new RegExp(`\\b${name}\\b`), text);
    assert.match(text, /runos --sandbox clusters show production /, "a unique prefix completes in place");
    assert.doesNotMatch(text, /error|warning/i, "nothing but candidates on the terminal");
  });

  it("mcp serve on a terminal says what it is on stderr and keeps stdout empty", async () => {
    const out = join(home.path, "serve-stdout.txt");
    const result = await runInPty(runosLine(["mcp", "serve", "read", "--sandbox"], ` > ${shellQuote(out)}`), env, [{ waitFor: /meant to be started by an AI assistant/, type: "\x04" }]);
    const text = plainText(result.output);
    assert.equal(result.code, 0, text);
    assert.match(text, /speaking JSON-RPC on standard input and output/);
    assert.match(text, /runos mcp tools read/);
    assert.match(text, /runos mcp configure claude/);
    assert.equal(await readFile(out, "utf8"), "", "stdout stays clean");
  });

  it("a table with colour on a terminal; no colour with NO_COLOR or --no-color; TSV without colour when piped", async () => {
    const coloured = await runInPty(runosLine(["--sandbox", "clusters", "list"]), env);
    assert.equal(coloured.code, 0);
    assert.match(coloured.output, /\x1b\[1mID/, "bold headers");
    assert.match(coloured.output, /\x1b\[32mrunning\x1b\[39m/, "a green status");
    assert.match(plainText(coloured.output), /KUBERNETES VERSION/);
    for (const [extra, args] of [[{ NO_COLOR: "1" }, []], [{}, ["--no-color"]]] as const) {
      const plain = await runInPty(runosLine(["--sandbox", ...args, "clusters", "list"]), { ...env, ...extra });
      assert.ok(!/\x1b\[[0-9;]*m/.test(plain.output), `no colour with ${JSON.stringify(extra)} ${args.join(" ")}`);
      assert.match(plain.output, /KUBERNETES VERSION/);
    }
    const piped = await runRunos(RUNTIME, ["--sandbox", "clusters", "list"], env);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout.split("\n")[0], "id\tname\tregion\tstatus\tkubernetesVersion\thealth.status\thealth.nodesReady\thealth.nodesTotal");
    assert.ok(!piped.stdout.includes("\x1b["));
  });
});
