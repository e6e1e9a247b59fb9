/**
 * `runos mcp configure <client> --url [<tier>=]<url>`: which tier each URL serves, checked against the
 * server itself before anything is written. A runos HTTP server names itself: in its answer to
 * `initialize` (with the token), and without a token in its RFC 9728 metadata (`resource_name:
 * "RunOS MCP server runos-write"`). So a bare URL finds its tier, and a URL given for the wrong tier
 * is refused: written under `runos`, a write server's tools would be auto-approved as the read
 * server's. The token, when set here, is tried too, but never sent in clear text to another machine.
 */
import { UsageError } from "../../errors.ts";
import { SERVER_NAMES, type Tier, tierOfServer, TIERS } from "../../policy/tier.ts";
import { isLoopbackHost } from "../http_address.ts";
import { listNames } from "./servers.ts";

/** What the server at a URL said about itself. */
export interface UrlFacts {
  /** It answered over HTTP at all. */
  readonly reached: boolean;
  /** The runos server name its metadata gives (`runos`, `runos-write`, …); undefined: not a runos server, or not said. */
  readonly serverName?: string;
  /** Whether it accepted the token (undefined: no token to try, or not reached). */
  readonly tokenAccepted?: boolean;
  /** Why it could not be reached or read, in words. */
  readonly problem?: string;
}

/** How to check URLs: the probe is a seam for tests. */
export interface UrlCheckOptions {
  /** `--tiers`, when given. */
  readonly tiers?: readonly Tier[];
  /** The token variable's name (`--token-env`) and its value in this environment, if set. */
  readonly tokenEnv: string;
  readonly token?: string;
  /** Ask the servers (`--no-check`: false). */
  readonly check: boolean;
  readonly probe?: (url: string, token: string | undefined) => Promise<UrlFacts>;
}

/** The servers the URLs configure, and what the user should hear about them. */
export interface UrlPlan {
  readonly urls: Partial<Record<Tier, string>>;
  /** Things to fix before the client connects (stderr). */
  readonly warnings: string[];
}

const RESOURCE_NAME = /^RunOS MCP server (\S+)$/;

/** Turn the `--url` values into one URL per tier, refusing what cannot be right; see the module comment. */
export async function planUrlServers(values: readonly string[], options: UrlCheckOptions): Promise<UrlPlan> {
  const given = values.map(parseUrlValue);
  if (options.tiers !== undefined && given.length > 1) {
    throw new UsageError("--tiers goes with one --url, but there are several", { hint: "drop --tiers and name each URL's tier: --url read=<url> --url write=<url>" });
  }
  if (given.some((entry) => entry.tier !== undefined) && options.tiers !== undefined) {
    throw new UsageError("--tiers and --url <tier>=<url> both choose the tiers", { hint: "drop --tiers: each --url names the tier it serves" });
  }
  if (options.tiers !== undefined && options.tiers.length !== 1) {
    throw new UsageError(`one URL serves one tier, but --tiers names ${options.tiers.length}`, {
      hint: `give one --url per tier instead: ${options.tiers.map((tier) => `--url ${tier}=<url>`).join(" ")}`,
    });
  }
  const probe = options.probe ?? probeServerUrl;
  const facts = new Map<string, UrlFacts>();
  const ask = async (url: string) => {
    if (!facts.has(url)) facts.set(url, await probe(url, options.token));
    return facts.get(url)!;
  };
  const warnings: string[] = [];
  const urls: Partial<Record<Tier, string>> = {};
  for (const entry of given) {
    let tier = entry.tier ?? options.tiers?.[0];
    if (tier === undefined) {
      const found = options.check ? await ask(entry.url) : undefined;
      tier = found?.serverName === undefined ? undefined : tierOfServer(found.serverName);
      if (tier === undefined) {
        const why = found === undefined ? "--no-check was given" : found.problem ?? "it did not say it is a runos MCP server";
        throw new UsageError(`could not tell which tier ${entry.url} serves (${why}); nothing was written`, {
          hint: `name it: --url read=${entry.url} (or sensitive-read=, write=, sensitive-write=)`,
        });
      }
    }
    if (urls[tier] !== undefined) throw new UsageError(`two URLs for the ${tier} tier`, { hint: `give one --url ${tier}=<url>` });
    const twin = TIERS.find((other) => urls[other] === entry.url);
    if (twin !== undefined) {
      throw new UsageError(`${entry.url} is given for both ${twin} and ${tier}`, { hint: "one `runos mcp serve <tier> --http` serves one tier: give each tier its own server's URL" });
    }
    urls[tier] = entry.url;
  }
  for (const url of Object.values(urls)) {
    if (sendsTokenInClear(url)) {
      warnings.push(`${url} is plain http to another machine: the token would cross the network in clear text (so it was not sent to try it); put TLS in front and use https://`);
    }
  }
  if (!options.check) return { urls, warnings };
  await Promise.all(Object.values(urls).map(ask));
  for (const tier of TIERS) {
    const url = urls[tier];
    if (url === undefined) continue;
    const found = facts.get(url)!;
    const serves = found.serverName === undefined ? undefined : tierOfServer(found.serverName);
    if (serves !== undefined && serves !== tier) {
      throw new UsageError(`${url} serves ${SERVER_NAMES[serves]} (the ${serves} tier), not ${SERVER_NAMES[tier]} (${tier}); nothing was written`, {
        hint: `run again with --url ${serves}=${url}`,
      });
    }
    if (!found.reached) {
      warnings.push(`could not reach ${url} (${found.problem ?? "no answer"}); written anyway: start \`runos mcp serve ${tier} --http …\` there before the client connects`);
    } else if (serves === undefined) {
      warnings.push(`${url} did not say it is a runos MCP server (${found.problem ?? "no RunOS metadata"}); written anyway: check the URL, which ends in /mcp`);
    } else if (found.tokenAccepted === false) {
      warnings.push(`${url} refused the token in ${options.tokenEnv} here (401): a client started with it will be refused too; set it to the token that server printed or reads`);
    } else if (found.problem !== undefined) {
      warnings.push(`${url} names itself ${found.serverName}, but ${found.problem}; written anyway`);
    }
  }
  if (options.token === undefined && Object.values(urls).some((url) => !sendsTokenInClear(url))) {
    const names = TIERS.filter((tier) => urls[tier] !== undefined).map((tier) => SERVER_NAMES[tier]);
    warnings.push(`${options.tokenEnv} is not set here, so the token of ${listNames(names)} was not tried`);
  }
  return { urls, warnings };
}

/** A `--url` value as it may be shown: a `user:password@` in it becomes `…@`. */
export function shownUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1…@");
}

/** One `--url` value: `[<tier>=]<url>`, the URL checked to be one a client can use and the file can hold. */
export function parseUrlValue(value: string): { tier?: Tier; url: string } {
  const prefixed = /^([a-z-]+)=(.*)$/s.exec(value.trim());
  const tier = prefixed !== null && (TIERS as readonly string[]).includes(prefixed[1]!) ? prefixed[1] as Tier : undefined;
  const text = tier === undefined ? value.trim() : prefixed![2]!.trim();
  const shown = shownUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const unknownTier = prefixed !== null && tier === undefined && !/^[a-z]+:/.test(value);
    throw new UsageError(unknownTier ? `unknown tier "${prefixed![1]}" in --url ${prefixed![1]}=${shownUrl(prefixed![2]!)}` : `--url ${JSON.stringify(shown)} is not a URL`, {
      hint: `use --url [<tier>=]http://host:port/mcp, the tier one of ${TIERS.join(", ")}`,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--url ${shown}: MCP servers are reached over http or https, not ${url.protocol.replace(/:$/, "")}`, { hint: "use an http:// or https:// URL ending in /mcp" });
  }
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(`--url ${shown}: a URL with credentials would write them into the client's file`, {
      hint: "drop the user and password from the URL; the token reaches the server from the variable --token-env names (default RUNOS_MCP_TOKEN)",
    });
  }
  if (url.search !== "") {
    throw new UsageError(`--url ${url.origin}${url.pathname}?…: a query string would be written into the client's file as it is`, {
      hint: `use --url ${tier === undefined ? "" : `${tier}=`}${url.origin}${url.pathname}; runos takes no query, and the token goes through --token-env`,
    });
  }
  if (url.pathname === "/" || url.pathname === "") {
    throw new UsageError(`--url ${shown} has no path, but runos serves MCP at /mcp`, { hint: `use --url ${tier === undefined ? "" : `${tier}=`}${url.origin}/mcp` });
  }
  if (url.hash !== "") throw new UsageError(`--url ${shown}: a #fragment is never sent to the server`, { hint: `use ${shown.replace(/#.*$/, "")}` });
  return { ...(tier === undefined ? {} : { tier }), url: url.href };
}

/** Whether `url` sends the token over the network in clear text (plain http to anything but loopback). */
export function sendsTokenInClear(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname.replace(/^\[|\]$/g, ""));
}

/** The `initialize` a probe sends: enough for a server to say who it is. */
const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "runos-configure", version: "0" } },
};

/**
 * Ask the server at `url` who it is. With a token that may be sent (never in clear text to another
 * machine), `initialize` at the URL itself answers for certain: its `serverInfo` names the server, and
 * a 401 says the token is not its token. Without one, the RFC 9728 metadata names it: at the URL's
 * own path (`/.well-known/oauth-protected-resource/<path>`), or at the bare well-known path only when
 * that path is `/mcp`, since behind a proxy another server may answer the root. Redirects are not
 * followed: a URL that moves is reported, never silently replaced.
 */
export async function probeServerUrl(url: string, token: string | undefined, fetcher: typeof fetch = fetch, timeoutMs = 3_000): Promise<UrlFacts> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { reached: false, problem: `${shownUrl(url)} is not a URL` };
  }
  const ask = (where: string, init: RequestInit = {}) => fetcher(where, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  const moved = (response: Response) =>
    response.status >= 300 && response.status < 400 ? `it redirects to ${shownUrl(response.headers.get("location") ?? "another URL")}: use that URL` : undefined;
  let tokenAccepted: boolean | undefined;
  let problem: string | undefined;
  try {
    if (token !== undefined && !sendsTokenInClear(url)) {
      const response = await ask(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${token}` },
        body: JSON.stringify(INITIALIZE),
      });
      const text = await response.text().catch(() => "");
      if (response.status === 401) tokenAccepted = false;
      else if (response.ok) {
        const name = serverNameIn(text);
        if (name !== undefined) return { reached: true, serverName: name, tokenAccepted: true };
        problem = "its answer to initialize names no runos server";
      } else problem = moved(response) ?? `it answered ${response.status} at ${target.pathname}: check the URL (runos serves MCP at /mcp)`;
    }
    const paths = [`/.well-known/oauth-protected-resource${target.pathname}`, ...(target.pathname === "/mcp" ? ["/.well-known/oauth-protected-resource"] : [])];
    for (const path of paths) {
      const response = await ask(`${target.origin}${path}`, { headers: { Accept: "application/json" } });
      if (response.status === 404) {
        await response.body?.cancel();
        continue;
      }
      const body = response.ok ? await response.json().catch(() => undefined) as { resource_name?: unknown } | undefined : undefined;
      if (!response.ok) await response.body?.cancel();
      const name = typeof body?.resource_name === "string" ? RESOURCE_NAME.exec(body.resource_name)?.[1] : undefined;
      if (name !== undefined && tierOfServer(name) !== undefined) {
        return { reached: true, serverName: name, ...(tokenAccepted === undefined ? {} : { tokenAccepted }), ...(problem === undefined ? {} : { problem }) };
      }
      problem ??= response.ok ? "its metadata names no runos server"
        : response.status === 403 ? `it refused the Host ${target.host} (403): start it with --allow-host ${target.host}`
        : moved(response) ?? `its metadata answered ${response.status}`;
      break;
    }
    problem ??= `no RunOS metadata at ${target.origin}${paths[0]}`;
    return { reached: true, problem, ...(tokenAccepted === undefined ? {} : { tokenAccepted }) };
  } catch (error) {
    return { reached: false, problem: describeFetchError(error, timeoutMs) };
  }
}

/** The runos server name in an `initialize` answer (JSON, or the `data:` of an SSE event), if any. */
function serverNameIn(text: string): string | undefined {
  const bodies = text.trimStart().startsWith("{") ? [text] : text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
  for (const body of bodies) {
    try {
      const name = (JSON.parse(body) as { result?: { serverInfo?: { name?: unknown } } }).result?.serverInfo?.name;
      if (typeof name === "string" && tierOfServer(name) !== undefined) return name;
    } catch {
      // not JSON: look at the next event
    }
  }
  return undefined;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const text = [cause?.code, cause?.message, error instanceof Error ? error.message : String(error)].filter((part) => part !== undefined).join(" ");
  if (/ECONNREFUSED|connection refused/i.test(text)) return "connection refused: nothing listens there";
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|failed to lookup|dns error|name resolution/i.test(text)) return "the host name does not resolve";
  if (/certificate|TLS|SSL/i.test(text)) return "the TLS handshake failed (check the certificate)";
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
