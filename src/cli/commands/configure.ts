/**
 * `runos mcp configure <client>`: write (or show, or remove) the client's MCP config for the runos
 * servers. Flags are parsed here; planning, merging and writing live in src/configure/.
 */
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import process from "node:process";
import { isAbsolute, resolve } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import { completeWith } from "../completion/hints.ts";
import { type Env, processEnv } from "../../auth/config.ts";
import { loadCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import { UsageError } from "../../errors.ts";
import { parseTier, type Tier, TIERS } from "../../policy/tier.ts";
import { runtimeKind, selfCommand, stdinIsTTY } from "../../runtime.ts";
import { openSession } from "../../auth/session.ts";
import { CLIENT_WRITERS, findClient, nearestClient } from "../../configure/clients.ts";
import { type ConfigureMode, refuseUrlsFor, runConfigure } from "../../configure/run.ts";
import { DEFAULT_TOKEN_ENV, type SelfCommand } from "../../configure/servers.ts";
import type { UrlFacts } from "../../configure/url_probe.ts";
import { planUrlServers } from "../../configure/url_servers.ts";
import type { ConfigureEnv, Scope } from "../../configure/writer.ts";
import type { CliContext, GlobalOptions } from "../context.ts";
import { confirmTypedYes } from "../prompt.ts";

/** Seams for tests: environment, platform, the self command, the terminal and the catalog. */
export interface ConfigureDeps {
  readonly env?: Env;
  readonly platform?: string;
  readonly cwd?: string;
  readonly self?: SelfCommand;
  readonly canPrompt?: boolean;
  readonly confirmTypedYes?: (question: string) => Promise<boolean>;
  readonly loadOperations?: (globals: GlobalOptions) => Promise<readonly Operation[]>;
  /** Ask the server at a `--url` who it is (default: over the network). */
  readonly probeUrl?: (url: string, token: string | undefined) => Promise<UrlFacts>;
  /** Whether runos has credentials for the servers to use (undefined: cannot tell). */
  readonly signedIn?: (globals: GlobalOptions) => Promise<boolean | undefined>;
}

/** The usage line and the client list, shown when no client is named. */
export function configureUsage(): string {
  const width = Math.max(...CLIENT_WRITERS.map((writer) => writer.id.length));
  const rows = CLIENT_WRITERS.map((writer) => `  ${writer.id.padEnd(width)}  ${writer.displayName} (${writer.scopes.join(", ")} scope)`);
  return [
    "Usage: runos mcp configure <client> [--tiers read,write] [--scope project|user] [--dir <path>] [--dry-run | --print] [--remove] [--yes]",
    "                                    [--command <path>] [--sandbox] [--force] [--trust] [--tools all|discover|auto]",
    "       runos mcp configure <client> --url [<tier>=]<url> [--token-env <name>] [--no-check]   (servers already running with --http)",
    "",
    "Clients:",
    ...rows,
  ].join("\n");
}

/** Attach `configure [client]` to the `mcp` command. */
export function registerConfigureCommand(mcp: Command, context: CliContext, deps: ConfigureDeps = {}): void {
  const configure = mcp
    .command("configure")
    .description("write an AI assistant's MCP config for the runos servers (claude, roo, codex, cursor, vscode, gemini, …)")
    .argument("[client]", `one of: ${CLIENT_WRITERS.map((writer) => writer.id).join(", ")}`)
    .option("--tiers <list>", `comma-separated tiers to configure or remove, leaving runos's other servers as they are (default: ${TIERS.join(",")})`)
    .option("--scope <scope>", "project (files in --dir) or user (files in your home), where the client has both")
    .option("--dir <path>", "project root (default: the current directory); unused for user-scope files")
    .option("--dry-run", "show a diff of what would change; write nothing")
    .option("--print", "print the new file contents to stdout; write nothing")
    .option("--remove", "take runos's servers and rules out, keep everything else")
    .option("--trust", "codex: also mark the project trusted in ~/.codex/config.toml ($CODEX_HOME)")
    .option("-y, --yes", "accept the client's warning without the typed confirmation")
    .option("--command <path>", "the runos program the servers run (default: this one, as you invoked it)")
    .option("--force", "write even past the client's tool limit (Windsurf: 100 tools)")
    .addOption(new Option("--tools <mode>", "how the servers list tools, written into their arguments (with --url: how that server lists them): all, discover (search_tools, describe_tools, call_tool) or auto").choices(["all", "discover", "auto"] as const).default("auto" as const))
    .option("--url <[tier=]url>", "connect to `runos mcp serve <tier> --http` at this URL instead of starting a server (repeatable, one per tier; a bare URL's tier is asked of the server)", collect)
    .option("--token-env <name>", "with --url: the environment variable the client reads the bearer token from (default RUNOS_MCP_TOKEN)")
    .option("--no-check", "with --url: do not ask the servers which tier they serve (or try the token)")
    .addHelpText(
      "after",
      "\nWith --sandbox the servers run `runos mcp serve <tier> --sandbox`, against the fake RunOS API; the four share one sandbox." +
        "\nWith --url the client reaches a server you run with `runos mcp serve <tier> --http`; its file names the token's variable, never the token." +
        "\n  e.g. runos mcp configure claude --url http://127.0.0.1:8080/mcp\n       runos mcp configure codex --url read=https://mcp.example.com/read/mcp --url write=https://mcp.example.com/write/mcp",
    )
    .action(async (clientName, options) => {
      if (clientName === undefined) {
        context.stderr(configureUsage());
        throw new UsageError("no client given", { hint: "run `runos mcp configure claude` (or another client listed above)" });
      }
      const client = findClient(clientName);
      if (client === undefined) {
        const nearest = nearestClient(clientName);
        throw new UsageError(`unknown client "${clientName}"`, {
          hint: nearest !== undefined
            ? `did you mean \`runos mcp configure ${nearest}\`?`
            : `choose one of: ${CLIENT_WRITERS.map((writer) => writer.id).join(", ")}`,
        });
      }
      if (options.dryRun === true && options.print === true) {
        throw new UsageError("--dry-run and --print cannot be combined", { hint: "use one of them" });
      }
      const env = deps.env ?? processEnv();
      const projectDir = resolve(deps.cwd ?? process.cwd(), options.dir ?? ".");
      await requireDirectory(projectDir);
      const globals = context.globals();
      const mode: ConfigureMode = options.print === true ? "print" : options.dryRun === true ? "dry-run" : "write";
      const chosen = options.command === undefined ? undefined : await chosenCommand(options.command, deps.cwd ?? process.cwd(), context);
      // Before any server is asked anything.
      if (options.url !== undefined) refuseUrlsFor(client);
      const remote = await remoteServers(options, globals.sandbox, env, deps, context);
      await runConfigure({
        client,
        self: chosen ?? deps.self ?? selfCommand(),
        commandOrigin: chosen !== undefined ? "from --command" : deps.self !== undefined ? undefined : selfOrigin(),
        sandbox: globals.sandbox,
        tools: options.tools,
        force: options.force === true,
        signedIn: globals.sandbox || options.remove === true || remote !== undefined ? undefined : await (deps.signedIn ?? signedInNow(env))(globals),
        tiers: remote?.tiers ?? parseTiers(options.tiers),
        ...(remote === undefined ? {} : { urls: remote.urls, tokenEnv: remote.tokenEnv }),
        operations: await (deps.loadOperations ?? defaultOperations(env, context))(globals),
        scope: parseScope(options.scope),
        projectDir,
        env: configureEnv(env, deps.platform ?? process.platform),
        remove: options.remove === true,
        trust: options.trust === true,
        yes: options.yes === true,
        mode,
        json: globals.json,
        dirGiven: options.dir !== undefined,
      }, {
        stdout: context.stdout,
        stderr: context.stderr,
        canPrompt: deps.canPrompt ?? stdinIsTTY(),
        confirmTypedYes: deps.confirmTypedYes ?? confirmTypedYes,
      });
    });
  const plain = configure as unknown as PlainCommand;
  completeWith(plain.registeredArguments[0]!, CLIENT_WRITERS.map((writer) => writer.id));
  for (const option of plain.options) {
    if (option.long === "--tiers") completeWith(option, TIERS);
    if (option.long === "--scope") completeWith(option, ["project", "user"]);
  }
}

/** Repeatable option values, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `[A-Za-z_][A-Za-z0-9_]*`: a name every client's variable syntax can carry. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `--url`: the tiers and URLs to write (checked with the servers unless `--no-check`), after refusing
 * what cannot go with it; undefined without `--url`. Warnings go to stderr before anything is written.
 */
async function remoteServers(
  options: { url?: string[]; tokenEnv?: string; check: boolean; tiers?: string; sandbox?: boolean; command?: string; remove?: boolean },
  sandbox: boolean,
  env: Env,
  deps: ConfigureDeps,
  context: CliContext,
): Promise<{ tiers: Tier[]; urls: Partial<Record<Tier, string>>; tokenEnv: string } | undefined> {
  if (options.url === undefined) {
    const stray = options.tokenEnv !== undefined ? "--token-env" : !options.check ? "--no-check" : undefined;
    if (stray !== undefined) throw new UsageError(`${stray} only applies with --url`, { hint: `add --url <url>, or drop ${stray}` });
    return undefined;
  }
  const clash = options.remove === true ? "--remove" : sandbox ? "--sandbox" : options.command !== undefined ? "--command" : undefined;
  if (clash !== undefined) {
    const why = clash === "--remove"
      ? "--remove takes runos's servers out whatever their form: drop --url"
      : `${clash} chooses the program the client starts, but with --url the client starts nothing: drop one of them` +
        (clash === "--sandbox" ? " (to serve the sandbox over HTTP, run `runos mcp serve <tier> --http <port> --sandbox`)" : "");
    throw new UsageError(`--url cannot be combined with ${clash}`, { hint: why });
  }
  const tokenEnv = options.tokenEnv ?? DEFAULT_TOKEN_ENV;
  if (!ENV_NAME.test(tokenEnv)) {
    throw new UsageError(`--token-env ${JSON.stringify(tokenEnv)} is not an environment variable name`, { hint: "use letters, digits and _ (not starting with a digit), e.g. --token-env RUNOS_MCP_TOKEN" });
  }
  const token = env[tokenEnv];
  const plan = await planUrlServers(options.url, {
    ...(options.tiers === undefined ? {} : { tiers: parseTiers(options.tiers) }),
    tokenEnv,
    ...(token === undefined || token === "" ? {} : { token }),
    check: options.check,
    env,
    ...(deps.probeUrl === undefined ? {} : { probe: deps.probeUrl }),
  });
  for (const warning of plan.warnings) context.stderr(`warning: ${warning}`);
  return { tiers: TIERS.filter((tier) => plan.urls[tier] !== undefined), urls: plan.urls, tokenEnv };
}

/** The program `--command` names, made absolute (not resolved through symlinks); warns when it is not there. */
async function chosenCommand(path: string, cwd: string, context: CliContext): Promise<SelfCommand> {
  if (path.trim() === "") throw new UsageError("--command is empty", { hint: "pass the path of the runos program, e.g. --command /usr/local/bin/runos" });
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined || !info.isFile()) context.stderr(`warning: ${absolute} is not a file here; the servers will fail to start until it is`);
  return { command: absolute, args: [] };
}

/** How the default command was found, for the note naming it. */
function selfOrigin(): string {
  switch (runtimeKind()) {
    case "bun-compiled":
      return "the runos you ran";
    case "deno":
      return "deno running this checkout";
    default:
      return "this checkout, run from source";
  }
}

/** Whether the current profile (or RUNOS_API_KEY) has a token, without asking the network. */
function signedInNow(env: Env) {
  return async (globals: GlobalOptions): Promise<boolean | undefined> => {
    try {
      const session = await openSession({ profile: globals.profile, apiUrl: globals.apiUrl, env });
      await session.close();
      return session.authenticated;
    } catch {
      return undefined;
    }
  };
}

/** `--tiers read,write` → the tiers; default all four. */
export function parseTiers(value: string | undefined): Tier[] {
  if (value === undefined) return [...TIERS];
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) throw new UsageError("--tiers is empty", { hint: `list one or more of: ${TIERS.join(",")}` });
  return [...new Set(names.map(parseTier))];
}

function parseScope(value: string | undefined): Scope | undefined {
  if (value === undefined || value === "project" || value === "user") return value;
  throw new UsageError(`unknown scope "${value}"`, { hint: "use --scope project or --scope user" });
}

/** The writer's view of the environment: home, platform and the client-specific variables. */
export function configureEnv(env: Env, platform: string): ConfigureEnv {
  const home = env.HOME || (platform === "win32" ? env.USERPROFILE : undefined) || homedir();
  return {
    home,
    platform,
    ...(env.APPDATA ? { appData: env.APPDATA } : {}),
    ...(env.CODEX_HOME ? { codexHome: env.CODEX_HOME } : {}),
    ...(env.XDG_CONFIG_HOME ? { xdgConfigHome: env.XDG_CONFIG_HOME } : {}),
    ...(env.COPILOT_HOME ? { copilotHome: env.COPILOT_HOME } : {}),
  };
}

function defaultOperations(env: Env, context: CliContext) {
  return async (globals: GlobalOptions): Promise<readonly Operation[]> => {
    const loaded = await loadCatalog({ profile: globals.profile, sandbox: globals.sandbox, env });
    for (const warning of loaded.warnings) context.stderr(`warning: ${warning}`);
    return loaded.operations;
  };
}

async function requireDirectory(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UsageError(`${path} is not a directory`, { hint: "pass the project root with --dir <path>" });
  }
}
