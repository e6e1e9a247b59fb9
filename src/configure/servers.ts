/**
 * The runos server entries every writer emits (name, command, args), built from the running
 * program's own command line, and the tool facts writers need for approval lists and tool caps.
 */
import type { Operation } from "../catalog/operation.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../policy/tier.ts";
import { buildRegistry, type ToolsMode } from "../mcp/tools/registry.ts";

/** The command line that starts this program: what `selfCommand()` returns. */
export interface SelfCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** One MCP server as written into a client's config: a program the client starts, or a URL it reaches. */
export type ServerEntry = StdioServerEntry | HttpServerEntry;

interface ServerIdentity {
  readonly tier: Tier;
  /** `runos`, `runos-sensitive-read`, `runos-write` or `runos-sensitive-write`. */
  readonly name: string;
}

/** A server the client starts: `<command> <args…>`, speaking MCP on stdio. */
export interface StdioServerEntry extends ServerIdentity {
  readonly transport: "stdio";
  /** Absolute path of the executable. */
  readonly command: string;
  /** Arguments, ending with `mcp serve <tier>` (then `--sandbox` for sandbox servers). */
  readonly args: readonly string[];
}

/** A server already running as `runos mcp serve <tier> --http`, reached at `url` with a bearer token. */
export interface HttpServerEntry extends ServerIdentity {
  readonly transport: "http";
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:8080/mcp`. */
  readonly url: string;
  /** The environment variable holding the token, referenced (never copied) in the client's file. */
  readonly tokenEnv: string;
}

/** The environment variable `runos mcp serve --http` reads its token from, and configure references. */
export const DEFAULT_TOKEN_ENV = "RUNOS_MCP_TOKEN";

/**
 * The entries for `tiers` (in the canonical tier order), each running `<self> mcp serve <tier>`, and
 * with `sandbox` `<self> mcp serve <tier> --sandbox` (the four then share one sandbox).
 */
export function serverEntries(self: SelfCommand, tiers: readonly Tier[], options: { sandbox?: boolean; tools?: ToolsMode } = {}): StdioServerEntry[] {
  // `auto` is the server's own default: nothing to write for it.
  const tools = options.tools === undefined || options.tools === "auto" ? [] : ["--tools", options.tools];
  return TIERS.filter((tier) => tiers.includes(tier)).map((tier) => ({
    transport: "stdio",
    tier,
    name: SERVER_NAMES[tier],
    command: self.command,
    args: [...self.args, "mcp", "serve", tier, ...tools, ...(options.sandbox === true ? ["--sandbox"] : [])],
  }));
}

/** The entries for the servers at `urls` (one per tier, in the canonical tier order), their token in `tokenEnv`. */
export function urlServerEntries(urls: Readonly<Partial<Record<Tier, string>>>, tokenEnv: string = DEFAULT_TOKEN_ENV): HttpServerEntry[] {
  return TIERS.filter((tier) => urls[tier] !== undefined).map((tier) => ({
    transport: "http",
    tier,
    name: SERVER_NAMES[tier],
    url: urls[tier]!,
    tokenEnv,
  }));
}

/** How a client's file refers to an environment variable. */
export type TokenSyntax = "${VAR}" | "${env:VAR}" | "{env:VAR}";

/**
 * `Bearer <reference to the token variable>` in a client's own syntax: `${VAR}` (Claude Code,
 * Gemini CLI), `${env:VAR}` (Roo, Cursor, Windsurf), `{env:VAR}` (opencode).
 */
export function bearerHeader(server: HttpServerEntry, syntax: TokenSyntax): { Authorization: string } {
  const reference = syntax === "${VAR}" ? `\${${server.tokenEnv}}` : syntax === "${env:VAR}" ? `\${env:${server.tokenEnv}}` : `{env:${server.tokenEnv}}`;
  return { Authorization: `Bearer ${reference}` };
}

/**
 * What a client with URL entries needs to be told about the token: the header names a variable the
 * client expands from the environment it starts in. None for stdio entries.
 */
export function tokenEnvNotes(client: string, input: { readonly servers: readonly ServerEntry[] }, syntax: TokenSyntax): string[] {
  const remote = input.servers.find((server): server is HttpServerEntry => server.transport === "http");
  if (remote === undefined) return [];
  const { Authorization } = bearerHeader(remote, syntax);
  return [
    `No token is written: the Authorization header is "${Authorization}", which ${client} fills in from the environment it starts in; ` +
      `set ${remote.tokenEnv} to the server's token there (the one \`runos mcp serve <tier> --http\` printed or read).`,
  ];
}

/**
 * The tools the read server lists whose annotations say they only read (its catalog tools as
 * decided by policy, plus built-ins like `manifest_update`), sorted: what clients may run unasked.
 */
export function readServerToolNames(operations: readonly Operation[], tools: ToolsMode = "auto"): string[] {
  return buildRegistry("read", operations, { hasDefaultCluster: false, mode: tools }).tools
    .filter((tool) => tool.annotations?.readOnlyHint === true)
    .map((tool) => tool.name)
    .sort();
}

/** How many tools each tier's server lists, built-ins included, with `--tools <mode>`. */
export function toolCountByTier(operations: readonly Operation[], tools: ToolsMode = "auto"): Record<Tier, number> {
  const counts = {} as Record<Tier, number>;
  for (const tier of TIERS) counts[tier] = buildRegistry(tier, operations, { hasDefaultCluster: false, mode: tools }).tools.length;
  return counts;
}

/** `a`, `a and b`, `a, b and c`. */
export function listNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
