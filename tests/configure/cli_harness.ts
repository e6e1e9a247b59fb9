/**
 * Configure runs for the tests: a request as `runConfigure` takes it (a case directory with its own
 * project and home, the golden self command, the small test catalog), and `runos mcp configure …` as
 * the command line runs it, in-process, its output captured.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Env } from "../../src/auth/config.ts";
import { type ConfigureDeps, registerConfigureCommand } from "../../src/cli/commands/configure.ts";
import { findClient } from "../../src/configure/clients.ts";
import type { ConfigureRequest } from "../../src/configure/run.ts";
import { TIERS } from "../../src/policy/tier.ts";
import { captureCli } from "../_harness/cli.ts";
import { GOLDEN_SELF, testOperations } from "./golden_tree.ts";

/**
 * A request to configure `clientId` for all four tiers in `root` (files in `<root>/project` and
 * `<root>/home`, both made here), writing without asking; `overrides` change any of it.
 */
export async function configureRequest(root: string, clientId: string, overrides: Partial<ConfigureRequest> = {}): Promise<ConfigureRequest & { root: string }> {
  await mkdir(join(root, "project"), { recursive: true });
  await mkdir(join(root, "home"), { recursive: true });
  return {
    root,
    client: findClient(clientId)!,
    self: GOLDEN_SELF,
    tiers: [...TIERS],
    operations: testOperations(),
    projectDir: join(root, "project"),
    env: { home: join(root, "home"), platform: "linux" },
    remove: false,
    trust: false,
    yes: true,
    mode: "write",
    ...overrides,
  };
}

/** How a command-line run is set up besides its arguments. */
export interface ConfigureCliOptions {
  /** Replaces any default seam (signedIn, probeUrl, …). */
  readonly deps?: ConfigureDeps;
  /** The process environment; HOME is `<root>/home` unless given. */
  readonly env?: Env;
  /** `--json` among the global options. */
  readonly json?: boolean;
  /** `--sandbox` among the global options. */
  readonly sandbox?: boolean;
}

/** Run `runos mcp configure <argv…>` with `root` as the working directory; `result` settles when it ends. */
export function runConfigureCli(root: string, argv: readonly string[], options: ConfigureCliOptions = {}) {
  const cli = captureCli({ json: options.json === true, sandbox: options.sandbox === true });
  registerConfigureCommand(cli.program.command("mcp"), cli.context, {
    env: { HOME: join(root, "home"), ...options.env },
    platform: "linux",
    cwd: root,
    self: GOLDEN_SELF,
    canPrompt: false,
    loadOperations: () => Promise.resolve(testOperations()),
    ...options.deps,
  });
  return { result: cli.run(["mcp", "configure", ...argv]), out: cli.out, err: cli.err };
}
