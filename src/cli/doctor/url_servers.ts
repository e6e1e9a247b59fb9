/**
 * Doctor's checks of a runos server a client reaches by URL (`runos mcp configure <client> --url`):
 * where its token comes from, and whether the server there answers as the tier its name says and
 * takes that token.
 */
import { probeServerUrl, sendsTokenInClear, shownUrl } from "../../configure/url_probe.ts";
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
 * variable an Authorization header names (`${VAR}`, `${env:VAR}`, `{env:VAR}`), or VS Code's stored
 * `${input:…}`. A header holding credentials itself (`Bearer <token>`, `Basic …`) is `inline`,
 * whatever else the entry says; an empty one, or none, is `none`.
 */
export function tokenSource(item: Record<string, unknown>): TokenSource {
  const authorization = (headers: unknown): unknown =>
    headers !== null && typeof headers === "object"
      ? Object.entries(headers as Record<string, unknown>).find(([key]) => key.toLowerCase() === "authorization")?.[1]
      : undefined;
  const headers = [authorization(item.headers), authorization(item.http_headers)].filter((value): value is string => typeof value === "string");
  const variable = (header: string) => /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\{env:([A-Za-z_][A-Za-z0-9_]*)\}/.exec(header);
  const prompted = (header: string) => /\$\{input:[^}]+\}/.test(header);
  if (headers.some((header) => variable(header) === null && !prompted(header) && /^\s*(Bearer|Basic)\s+\S+/i.test(header))) return { kind: "inline" };
  if (typeof item.bearer_token_env_var === "string" && item.bearer_token_env_var !== "") return { kind: "env", name: item.bearer_token_env_var };
  const fromEnv = authorization(item.env_http_headers);
  if (typeof fromEnv === "string" && fromEnv !== "") return { kind: "env", name: fromEnv };
  for (const header of headers) {
    const named = variable(header);
    if (named !== null) return { kind: "env", name: (named[1] ?? named[2])! };
  }
  return headers.some(prompted) ? { kind: "prompt" } : { kind: "none" };
}

/** A server reached by URL: it answers there as the tier its name says, and takes the token its header names. */
export async function checkUrlServer(server: UrlServer, options: ClientCheckOptions): Promise<Check> {
  const id = `client:${server.client}:${server.name}`;
  const title = `${server.clientName}: ${server.name}`;
  const tier = tierOfServer(server.name)!;
  const url = shownUrl(server.url);
  const reconfigure = `runos mcp configure ${server.client} --url ${tier}=${url}`;
  if (server.token.kind === "inline") {
    return {
      id,
      title,
      status: "fail",
      summary: `${server.file} holds the credentials for ${url} itself`,
      symptom: "Configuration Not Loading",
      fix: `take them out of the file and read the token from the environment: ${reconfigure}; then change the token (it was in a file)`,
    };
  }
  if (server.token.kind === "none") {
    return { id, title, status: "fail", summary: `sends no token to ${url}: the server will answer 401`, symptom: "Configuration Not Loading", fix: reconfigure };
  }
  if (/\$\{|\{env:/.test(server.url)) {
    return { id, title, status: "warn", summary: `its URL ${url} names a variable the client fills in; doctor cannot tell where it points` };
  }
  const tokenEnv = server.token.kind === "env" ? server.token.name : undefined;
  const token = tokenEnv === undefined ? undefined : options.vars?.[tokenEnv] || undefined;
  let inClear = false;
  try {
    inClear = sendsTokenInClear(server.url, options.vars);
  } catch {
    return { id, title, status: "fail", summary: `${url} is not a URL`, symptom: "Configuration Not Loading", fix: `correct the URL in ${server.file}, or ${reconfigure}` };
  }
  const facts = await (options.probeUrl ?? ((where, value) => probeServerUrl(where, value, { timeoutMs: options.timeoutMs ?? 8_000, ...(options.vars === undefined ? {} : { env: options.vars }) })))(server.url, token);
  if (!facts.reached) {
    return { id, title, status: "fail", summary: `${url} does not answer (${facts.problem ?? "no answer"})`, symptom: "Server Not Starting", fix: `start it there: runos mcp serve ${tier} --http <[host:]port>` };
  }
  const serves = facts.serverName === undefined ? undefined : tierOfServer(facts.serverName);
  if (serves === undefined) {
    // Without a token to try, only the metadata can name the server, and a proxy may not route it.
    if (facts.tokenAccepted === undefined && (token === undefined || inClear)) {
      const why = tokenEnv === undefined ? "the client keeps the token" : token === undefined ? `${tokenEnv} is not set here` : "the token would travel in clear text";
      return {
        id,
        title,
        status: "warn",
        summary: `${url} answers, but could not be identified without its token (${why}; ${facts.problem ?? "no RunOS metadata"})`,
        symptom: "Configuration Not Loading",
        fix: tokenEnv === undefined ? "check the URL: runos serves MCP at /mcp" : `set ${tokenEnv} here and run doctor again`,
      };
    }
    return { id, title, status: "fail", summary: `${url} is not a runos MCP server (${facts.problem ?? "no RunOS metadata"})`, symptom: "Server Not Starting", fix: `check the URL: runos serves MCP at /mcp` };
  }
  if (serves !== tier) {
    return {
      id,
      title,
      status: "fail",
      summary: `is named for the ${tier} tier but ${url} serves ${facts.serverName}`,
      symptom: "Permission Denied",
      fix: `runos mcp configure ${server.client} --url ${serves}=${url}`,
    };
  }
  if (facts.tokenAccepted === false) {
    return { id, title, status: "fail", summary: `${url} refuses the token in ${tokenEnv} (401)`, symptom: "Configuration Not Loading", fix: `set ${tokenEnv} to the token \`runos mcp serve ${tier} --http\` printed or reads` };
  }
  if (facts.problem !== undefined) {
    return { id, title, status: "fail", summary: `${url} names itself ${facts.serverName}, but ${facts.problem}`, symptom: "Server Not Starting", fix: reconfigure };
  }
  if (tokenEnv !== undefined && inClear) {
    return {
      id,
      title,
      status: "warn",
      summary: `answers at ${url} as ${facts.serverName}, but over plain http to another machine (or a proxy): the token crosses the network in clear text, so doctor did not try it`,
      fix: "put TLS in front of the server and use https://",
    };
  }
  if (tokenEnv !== undefined && token === undefined) {
    return {
      id,
      title,
      status: "warn",
      summary: `answers at ${url} as ${facts.serverName}; ${tokenEnv} is not set here, so the token was not tried`,
      symptom: "Configuration Not Loading",
      fix: `set ${tokenEnv} to the server's token where ${server.clientName} starts`,
    };
  }
  const took = facts.tokenAccepted === true ? ", and takes the token" : server.token.kind === "prompt" ? " (the token is in the client's secret store)" : "";
  return { id, title, status: "ok", summary: `answers at ${url} as ${facts.serverName}${took}` };
}
