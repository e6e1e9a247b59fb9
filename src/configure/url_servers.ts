/**
 * `runos mcp configure <client> --url [<tier>=]<url>`: which tier each URL serves, checked against the
 * server itself before anything is written. A runos HTTP server names itself: in its answer to
 * `initialize` (with the token), and without a token in its RFC 9728 metadata (`resource_name:
 * "RunOS MCP server runos-write"`). So a bare URL finds its tier, and a URL given for the wrong tier
 * is refused: written under `runos`, a write server's tools would be auto-approved as the read
 * server's. The token, when set here, is tried too, but never sent in clear text to another machine.
 */
import { UsageError } from "../errors.ts";
import { SERVER_NAMES, type Tier, tierOfServer, TIERS } from "../policy/tier.ts";
import { listNames } from "./servers.ts";
import { type ProbeEnv, probeServerUrl, sendsTokenInClear, shownUrl, type UrlFacts } from "./url_probe.ts";

export type { UrlFacts };


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
  /** The environment, for the proxy variables that decide whether a token would travel in clear. */
  readonly env?: ProbeEnv;
}

/** The servers the URLs configure, and what the user should hear about them. */
export interface UrlPlan {
  readonly urls: Partial<Record<Tier, string>>;
  /** Things to fix before the client connects (stderr). */
  readonly warnings: string[];
}

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
  const probe = options.probe ?? ((url: string, token: string | undefined) => probeServerUrl(url, token, { ...(options.env === undefined ? {} : { env: options.env }) }));
  const inClear = (url: string) => sendsTokenInClear(url, options.env);
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
    if (inClear(url)) {
      warnings.push(`${url} is plain http to another machine (or through a proxy): the token would cross the network in clear text (so it was not sent to try it); put TLS in front and use https://`);
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
  if (options.token === undefined && Object.values(urls).some((url) => !inClear(url))) {
    const names = TIERS.filter((tier) => urls[tier] !== undefined).map((tier) => SERVER_NAMES[tier]);
    warnings.push(`${options.tokenEnv} is not set here, so the token of ${listNames(names)} was not tried`);
  }
  return { urls, warnings };
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
  if (url.search !== "" || text.includes("?")) {
    throw new UsageError(`--url ${url.origin}${url.pathname}?…: a query string would be written into the client's file as it is`, {
      hint: `use --url ${tier === undefined ? "" : `${tier}=`}${url.origin}${url.pathname}; runos takes no query, and the token goes through --token-env`,
    });
  }
  if (url.pathname === "/" || url.pathname === "") {
    throw new UsageError(`--url ${shown} has no path, but runos serves MCP at /mcp`, { hint: `use --url ${tier === undefined ? "" : `${tier}=`}${url.origin}/mcp` });
  }
  if (url.hash !== "" || text.includes("#")) throw new UsageError(`--url ${shown}: a #fragment is never sent to the server`, { hint: `use ${shown.replace(/#.*$/, "")}` });
  return { ...(tier === undefined ? {} : { tier }), url: url.href };
}
