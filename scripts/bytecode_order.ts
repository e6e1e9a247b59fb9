/**
 * `make bytecode-order`: record which of its bytecode a compiled runos uses while a server starts, into
 * scripts/bytecode_order/, for scripts/compile.sh's `--bytecode-order` (Bun's profile-guided layout:
 * what a start uses is laid out together, so a start touches fewer of the executable's pages).
 *
 * Each profile is one cold start of `dist/runos mcp serve read` (initialize, initialized, tools/list,
 * then stdin closed) run with BUN_BYTECODE_ORDER_OUT, most common first: signed in on the
 * RunOS-sized cache (tests/bench/cached_catalog.ts) with `--tools auto`, not signed in (the embedded
 * catalog), then signed in with `--tools all`. The signed-in servers are started once unrecorded
 * first, so that the profiles are of a start that answers from its stored listing, as every start
 * after the first does. A profile recorded on an older build still applies to the functions that did
 * not change; run this again when the start's code has changed much, then rebuild.
 *
 * Run: `make bytecode-order` (it builds dist/runos first).
 */
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { cacheRunosSizedCatalog } from "../tests/bench/cached_catalog.ts";
import { coldStart } from "../tests/bench/cold_start.ts";
import { BINARY_PATH, REPO_ROOT, runosEnv } from "../tests/_harness/mcp_client.ts";
import { makeTempDir } from "../tests/_harness/temp_project.ts";

/** Where the profiles are kept; scripts/compile.sh reads them in this order. */
const ORDER_DIR = join(REPO_ROOT, "scripts", "bytecode_order");

/** One recorded start. */
interface Scenario {
  readonly file: string;
  readonly env: Record<string, string>;
  readonly args: readonly string[];
}

async function main(): Promise<void> {
  const embeddedHome = await makeTempDir("order-embedded");
  const signedInHome = await makeTempDir("order-signed-in");
  try {
    const embedded = runosEnv({ configDir: embeddedHome.path });
    embedded.XDG_CACHE_HOME = join(embeddedHome.path, "cache");
    const signedIn = await cacheRunosSizedCatalog(BINARY_PATH, signedInHome.path);
    const serve = ["mcp", "serve", "read"];
    const scenarios: Scenario[] = [
      { file: "signed_in.txt", env: signedIn, args: serve },
      { file: "embedded.txt", env: embedded, args: serve },
      { file: "signed_in_all.txt", env: signedIn, args: [...serve, "--tools", "all"] },
    ];
    // The first start on a cache derives and stores its listing: not the start to record.
    for (const scenario of scenarios) await coldStart({ command: BINARY_PATH, args: scenario.args, env: scenario.env, cwd: REPO_ROOT });
    await mkdir(ORDER_DIR, { recursive: true });
    for (const scenario of scenarios) {
      const target = join(ORDER_DIR, scenario.file);
      const recording = `${target}.recording`;
      const start = await coldStart({ command: BINARY_PATH, args: scenario.args, env: { ...scenario.env, BUN_BYTECODE_ORDER_OUT: recording }, cwd: REPO_ROOT });
      await rename(recording, target);
      console.error(`bytecode order: ${scenario.file} (${start.tools} tools listed, ${start.ms.toFixed(0)} ms)`);
    }
    console.error("bytecode order: written to scripts/bytecode_order/; rebuild (make build-host) to use it");
  } finally {
    await embeddedHome.remove();
    await signedInHome.remove();
  }
}

await main();
process.exit(0);
