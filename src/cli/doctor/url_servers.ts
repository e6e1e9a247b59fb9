/**
 * Doctor's checks of a runos server a client reaches by URL (`runos mcp configure <client> --url`):
 * where its token comes from, and whether the server there answers as the tier its name says and
 * takes that token.
 */
import { probeServerUrl } from "../../mcp/configure/url_servers.ts";
import type { Check } from "./check.ts";
import { tierOfServer } from "../../policy/tier.ts";
import type { ClientCheckOptions, ConfiguredIn } from "./clients.ts";

/** Where a URL entry's token comes from. */
export type TokenSource =
  | { readonly kind: "env"; readonly name: string }
  /** VS Code's `${input:…}`: kept in its secret store, nothing here to check. */
  | { readonly kind: "prompt" }
  /** The header holds a token itself. */
  | { readonly kind: "inline" }
  /** No Authorization header at all: the server will answer 401. */
  | { readonly kind: "none" };

/** A server the client reaches by URL (`runos mcp configure <client> --url`). */
export interface UrlServer extends ConfiguredIn {
  readonly url: string;
  readonly token: TokenSource;
}

/**
 * Where a URL entry's token comes from: Codex's `bearer_token_env_var` or `env_http_headers`, or the
 * variable an Authorization header names (`${VAR}`, `${env:VAR}`, `{env:VAR}`); a header that holds
 * a token itself is `inline`, whatever else the entry says.
 */
export function tokenSource(item: Record<string, unknown>): TokenSource {
  const authorization = (headers: unknown): unknown =>
    headers !== null && typeof headers === "object"
      ? Object.entries(headers as Record<string, unknown>).find(([key]) => key.toLowerCase() === "authorization")?.[1]
      : undefined;
  const headers = [authorization(item.headers), authorization(item.http_headers)].filter((value): value is string => typeof value === "string");
  const named = headers.map((header) => /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\{env:([A-Za-z_][A-Za-z0-9_]*)\}/.exec(header));
  if (headers.some((header, i) => named[i] === null && !/\$\{input:[^}]+\}/.test(header) && /^Bearer\s+\S+/i.test(header))) return { kind: "inline" };
  if (typeof item.bearer_token_env_var === "string") return { kind: "env", name: item.bearer_token_env_var };
  const fromEnv = authorization(item.env_http_headers);
  if (typeof fromEnv === "string") return { kind: "env", name: fromEnv };
  const found = named.find((match) => match !== null);
  if (found !== undefined && found !== null) return { kind: "env", name: (found[1] ?? found[2])! };
  return headers.length > 0 ? { kind: "prompt" } : { kind: "none" };
}

/** A server reached by URL: it answers there as the tier its name says, and takes the token its header names. */
export async function checkUrlServer(server: UrlServer, options: ClientCheckOptions): Promise<Check> {
  const id = `client:${server.client}:${server.name}`;
  const title = `${server.clientName}: ${server.name}`;
  const tier = tierOfServer(server.name)!;
  const reconfigure = `runos mcp configure ${server.client} --url ${tier}=${server.url}`;
  if (server.token.kind === "inline") {
    return {
      id,
      title,
      status: "fail",
      summary: `${server.file} holds the token of ${server.url} itself`,
      symptom: "Configuration Not Loading",
      fix: `rewrite it to read the token from the environment: ${reconfigure}, then change the token (it was in a file)`,
    };
  }
  if (server.token.kind === "none") {
    return { id, title, status: "fail", summary: `sends no Authorization header to ${server.url}: the server will answer 401`, symptom: "Configuration Not Loading", fix: reconfigure };
  }
  if (/\$\{|\{env:/.test(server.url)) {
    return { id, title, status: "warn", summary: `its URL ${server.url} names a variable the client fills in; doctor cannot tell where it points` };
  }
  const tokenEnv = server.token.kind === "env" ? server.token.name : undefined;
  const token = tokenEnv === undefined ? undefined : options.vars?.[tokenEnv] || undefined;
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
  if (facts.tokenAccepted === false) {
    return { id, title, status: "fail", summary: `${server.url} refuses the token in ${tokenEnv} (401)`, symptom: "Configuration Not Loading", fix: `set ${tokenEnv} to the token \`runos mcp serve ${tier} --http\` printed or reads` };
  }
  if (facts.problem !== undefined) {
    return { id, title, status: "fail", summary: `${server.url} names itself ${facts.serverName}, but ${facts.problem}`, symptom: "Server Not Starting", fix: reconfigure };
  }
  if (tokenEnv !== undefined && token === undefined) {
    return {
      id,
      title,
      status: "warn",
      summary: `answers at ${server.url} as ${facts.serverName}; ${tokenEnv} is not set here, so the token was not tried`,
      symptom: "Configuration Not Loading",
      fix: `set ${tokenEnv} to the server's token where ${server.clientName} starts`,
    };
  }
  const took = facts.tokenAccepted === true ? ", and takes the token" : server.token.kind === "prompt" ? " (the token is in the client's secret store)" : "";
  return { id, title, status: "ok", summary: `answers at ${server.url} as ${facts.serverName}${took}` };
}
