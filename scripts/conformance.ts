/**
 * `make conformance`: the MCP conformance suite (`@modelcontextprotocol/conformance`, pinned in
 * package.json) against `runos mcp serve <tier> --http 127.0.0.1:0 --sandbox` for every tier, for the
 * scenarios that apply to a product server. The suite sends no token, so it talks to a loopback
 * proxy that adds one (scripts/token_proxy.ts); the server's auth is never relaxed. The suite needs
 * Node >= 22 (`fs.globSync`): the `node` on PATH when it is new enough, else Node 24 from npm
 * (`node-linux-<arch>`) into node_modules/.cache. Results: dist/conformance/<tier>/, and a summary
 * on stdout; exits 1 when a scenario fails.
 *
 *   bun scripts/conformance.ts [--binary] [--tiers read,write] [--scenarios ping,tools-list]
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { generateToken } from "../src/mcp/http/auth.ts";
import { parseTier, type Tier, TIERS } from "../src/policy/tier.ts";
import { startTokenProxy } from "./token_proxy.ts";

/** The scenarios of the suite that test a server's protocol and transport, not the suite's own sample tools. */
export const PRODUCT_SCENARIOS = ["server-initialize", "ping", "tools-list", "resources-list", "server-sse-multiple-streams", "dns-rebinding-protection"];

/** The Node the suite runs on when the one on PATH is older than 22. */
const NODE_VERSION = "24.22.3";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SUITE = join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");

/** A `node` of version 22 or later: PATH's, or Node 24 installed from npm once. */
function suiteNode(): string {
  try {
    const version = execFileSync("node", ["--version"], { encoding: "utf8" }).trim();
    if (Number(/^v(\d+)/.exec(version)?.[1] ?? 0) >= 22) return "node";
  } catch {
    // no node on PATH
  }
  const arch = process.arch === "x64" ? "x64" : process.arch === "arm64" ? "arm64" : undefined;
  if (process.platform !== "linux" || arch === undefined) {
    throw new Error(`the conformance suite needs Node >= 22 on PATH (npm has no node-${process.platform}-${process.arch} ${NODE_VERSION})`);
  }
  const prefix = join(ROOT, "node_modules/.cache", `node-${NODE_VERSION}`);
  const binary = join(prefix, `node_modules/node-linux-${arch}/bin/node`);
  if (!existsSync(binary)) {
    console.log(`installing Node ${NODE_VERSION} from npm (node-linux-${arch}) into ${prefix}`);
    execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `node-linux-${arch}@${NODE_VERSION}`], { stdio: "inherit" });
  }
  return binary;
}

/** `runos mcp serve <tier> --http 127.0.0.1:0 --sandbox` with `token`; resolves with its URL and a stop function. */
async function serveTier(tier: Tier, token: string, binary: boolean, home: string): Promise<{ url: string; stop(): Promise<void> }> {
  const bun = join(ROOT, "node_modules/.bin/bun");
  const [command, args] = binary ? [join(ROOT, "dist/runos"), [] as string[]] : [bun, ["mod.ts"]];
  const child = spawn(command, [...args, "mcp", "serve", tier, "--http", "127.0.0.1:0", "--sandbox"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: home, RUNOS_CONFIG_DIR: home, RUNOS_MCP_TOKEN: token, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runos mcp serve ${tier} printed no URL:\n${stderr}`)), 30_000);
    child.stderr.on("data", (chunk: Uint8Array) => {
      stderr += new TextDecoder().decode(chunk);
      const match = / at (http:\/\/\S+\/mcp)\s*$/m.exec(stderr);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => reject(new Error(`runos mcp serve ${tier} exited:\n${stderr}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** One scenario's outcome. */
interface Outcome {
  readonly tier: Tier;
  readonly scenario: string;
  readonly passed: boolean;
  readonly summary: string;
}

/** Run one scenario against `url`; the suite's exit code says whether it passed. */
function runScenario(node: string, url: string, scenario: string, outputDir: string): Promise<{ passed: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, [SUITE, "server", "--url", url, "--scenario", scenario, "--output-dir", outputDir], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Uint8Array) => void (output += new TextDecoder().decode(chunk)));
    child.stderr.on("data", (chunk: Uint8Array) => void (output += new TextDecoder().decode(chunk)));
    child.on("exit", (code) => resolve({ passed: code === 0, output: output.replace(/\x1b\[[0-9;]*m/g, "") }));
  });
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<number> {
  const tiers = (option("--tiers")?.split(",") ?? [...TIERS]).map(parseTier);
  const scenarios = option("--scenarios")?.split(",") ?? PRODUCT_SCENARIOS;
  const binary = process.argv.includes("--binary");
  if (!existsSync(SUITE)) throw new Error("@modelcontextprotocol/conformance is not installed: run `make install`");
  if (binary && !existsSync(join(ROOT, "dist/runos"))) throw new Error("--binary needs dist/runos: run `make build-host`");
  const node = suiteNode();
  const token = generateToken();
  const home = await mkdtemp(join(tmpdir(), "runos-conformance-"));
  const outcomes: Outcome[] = [];
  try {
    for (const tier of tiers) {
      const server = await serveTier(tier, token, binary, home);
      const proxy = await startTokenProxy({ target: new URL(server.url).origin, token });
      const outputDir = join(ROOT, "dist/conformance", tier);
      await rm(outputDir, { recursive: true, force: true });
      await mkdir(outputDir, { recursive: true });
      try {
        for (const scenario of scenarios) {
          const { passed, output } = await runScenario(node, `${proxy.origin}/mcp`, scenario, outputDir);
          const summary = /Passed: \d+\/\d+, \d+ failed, \d+ warnings/.exec(output)?.[0] ?? "no summary";
          outcomes.push({ tier, scenario, passed, summary });
          console.log(`${passed ? "pass" : "FAIL"}  ${tier.padEnd(15)} ${scenario.padEnd(28)} ${summary}`);
          if (!passed) console.log(output.split("\n").filter((line) => /FAILURE|WARNING|Error/.test(line)).join("\n"));
        }
      } finally {
        await proxy.close();
        await server.stop();
      }
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  const failed = outcomes.filter((outcome) => !outcome.passed).length;
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules/@modelcontextprotocol/conformance/package.json"), "utf8")) as { version: string };
  console.log(`@modelcontextprotocol/conformance ${version} on ${tiers.join(", ")}: ${outcomes.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) {
  main().then((code) => process.exit(code), (error) => {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
