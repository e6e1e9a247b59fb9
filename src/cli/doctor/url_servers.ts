/**
 * Doctor's checks of a runos server a client reaches by URL (`runos mcp configure <client> --url`):
 * where its token comes from, and whether the server there answers as the tier its name says and
 * takes that token.
 */
import { probeServerUrl } from "../../mcp/configure/url_servers.ts";
import type { Check } from "./check.ts";
import { tierOfServer } from "../../policy/tier.ts";
import type { ClientCheckOptions, ConfiguredIn } from "./clients.ts";

/** A server the client reaches by URL (`runos mcp configure <client> --url`). */
export interface UrlServer extends ConfiguredIn {
  readonly url: string;
  /** The variable the token comes from (a `${VAR}`-style header or Codex's `bearer_token_env_var`); undefined: none named. */
  readonly tokenEnv?: string;
  /** The header holds a token itself rather than naming a variable. */
  readonly inlineToken: boolean;
}

/** Where a URL entry's token comes from: the variable its Authorization header (or Codex's key) names, or the header itself. */
export function tokenSource(item: Record<string, unknown>): { tokenEnv?: string; inlineToken: boolean } {
  if (typeof item.bearer_token_env_var === "string") return { tokenEnv: item.bearer_token_env_var, inlineToken: false };
  const headers = item.headers ?? item.http_headers;
  const header = headers !== null && typeof headers === "object"
    ? Object.entries(headers as Record<string, unknown>).find(([key]) => key.toLowerCase() === "authorization")?.[1]
    : undefined;
  if (typeof header !== "string") return { inlineToken: false };
  const named = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\{env:([A-Za-z_][A-Za-z0-9_]*)\}/.exec(header);
  if (named !== null) return { tokenEnv: (named[1] ?? named[2])!, inlineToken: false };
  // VS Code's `${input:…}` lives in its secret store: nothing here to check, nothing inline either.
  return { inlineToken: !/\$\{input:[^}]+\}/.test(header) && /^Bearer\s+\S+/i.test(header) };
}

/** A server reached by URL: it answers there as the tier its name says, and takes the token its header names. */
export async function checkUrlServer(server: UrlServer, options: ClientCheckOptions): Promise<Check> {
  const id = `client:${server.client}:${server.name}`;
  const title = `${server.clientName}: ${server.name}`;
  const tier = tierOfServer(server.name)!;
  if (server.inlineToken) {
    return {
      id,
      title,
      status: "fail",
      summary: `${server.file} holds the token of ${server.url} itself`,
      symptom: "Configuration Not Loading",
      fix: `rewrite it to read the token from the environment: runos mcp configure ${server.client} --url ${tier}=${server.url}, then change the token (it was in a file)`,
    };
  }
  const token = server.tokenEnv === undefined ? undefined : options.vars?.[server.tokenEnv] || undefined;
  const facts = await (options.probeUrl ?? ((url, value) => probeServerUrl(url, value, fetch, options.timeoutMs ?? 8_000)))(server.url, token);
  if (!facts.reached) {
    return { id, title, status: "fail", summary: `${server.url} does not answer (${facts.problem ?? "no answer"})`, symptom: "Server Not Starting", fix: `start it there: runos mcp serve ${tier} --http <[host:]port>` };
  }
  const serves = facts.serverName === undefined ? undefined : tierOfServer(facts.serverName);
  if (serves === undefined) {
    return { id, title, status: "fail", summary: `${server.url} is not a runos MCP server (${facts.problem ?? "no RunOS metadata"})`, symptom: "Server Not Starting", fix: `check the URL: runos serves MCP at /mcp` };
  }
  if (serves !== tier) {
    return {
      id,
      title,
      status: "fail",
      summary: `is named for the ${tier} tier but ${server.url} serves ${facts.serverName}`,
      symptom: "Permission Denied",
      fix: `runos mcp configure ${server.client} --url ${serves}=${server.url}`,
    };
  }
  if (server.tokenEnv !== undefined && token === undefined) {
    return {
      id,
      title,
      status: "warn",
      summary: `answers at ${server.url}; ${server.tokenEnv} is not set here, so the token was not tried`,
      symptom: "Configuration Not Loading",
      fix: `set ${server.tokenEnv} to the server's token where ${server.clientName} starts`,
    };
  }
  if (facts.tokenAccepted === false) {
    return { id, title, status: "fail", summary: `${server.url} refuses the token in ${server.tokenEnv} (401)`, symptom: "Configuration Not Loading", fix: `set ${server.tokenEnv} to the token \`runos mcp serve ${tier} --http\` printed or reads` };
  }
  return { id, title, status: "ok", summary: `answers at ${server.url} as ${facts.serverName}${facts.tokenAccepted === true ? ", and takes the token" : ""}` };
}
