/**
 * Where `runos mcp serve <tier> --http [host:]port` listens: the address parsed from the flag (the
 * host defaults to 127.0.0.1), whether it is loopback, and the URL to give clients. Binding anything
 * but loopback needs `--allow-remote`: a tier server carries the user's RunOS credentials.
 */
import { UsageError } from "../../errors.ts";

/** A parsed `--http` value. */
export interface ListenAddress {
  /** A hostname or IP address, IPv6 without brackets. */
  readonly hostname: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** The host used when `--http` names only a port. */
export const DEFAULT_HTTP_HOST = "127.0.0.1";

/** The MCP endpoint's path. */
export const MCP_PATH = "/mcp";

/** Parse `8080`, `127.0.0.1:8080`, `localhost:8080`, `0.0.0.0:8080` or `[::1]:8080`. */
export function parseListenAddress(value: string): ListenAddress {
  const text = value.trim();
  const match = /^(\d+)$/.exec(text) ?? /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(text) ?? /^([A-Za-z0-9.-]+):(\d+)$/.exec(text);
  const usage = () =>
    new UsageError(`--http ${JSON.stringify(value)} is not [host:]port`, {
      hint: "e.g. --http 8080, --http 127.0.0.1:8080 or --http [::1]:8080",
    });
  if (match === null) throw usage();
  const [hostname, portText] = match.length === 2 ? [DEFAULT_HTTP_HOST, match[1]!] : [match[1]!, match[2]!];
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--http port ${portText} is out of range`, { hint: "use a port from 1 to 65535 (0 picks a free one)" });
  }
  return { hostname: hostname.toLowerCase(), port };
}

/** Whether `hostname` is this machine only (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Whether `hostname` is every interface (0.0.0.0 or ::). */
export function isWildcardHost(hostname: string): boolean {
  return hostname === "0.0.0.0" || hostname === "::";
}

/** `hostname` as it appears in a URL or a Host header (IPv6 in brackets). */
export function urlHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

/**
 * Refuse a non-loopback address unless `--allow-remote` was given; with it, the warning to print
 * (undefined for loopback).
 */
export function remoteWarning(address: ListenAddress, allowRemote: boolean): string | undefined {
  if (isLoopbackHost(address.hostname)) return undefined;
  if (!allowRemote) {
    throw new UsageError(`--http ${urlHost(address.hostname)}:${address.port} would be reachable from other machines`, {
      hint: "add --allow-remote if that is what you want (then put TLS in front), or serve on 127.0.0.1",
    });
  }
  return `serving on ${urlHost(address.hostname)}:${address.port}, reachable from other machines: anyone holding the token ` +
    "acts with your RunOS credentials at this tier; keep the token secret and put TLS (a reverse proxy) in front";
}

/** The URL a local client uses: the bound address, or loopback for a wildcard one. */
export function localMcpUrl(address: ListenAddress, port: number): string {
  const host = address.hostname === "0.0.0.0" ? "127.0.0.1" : address.hostname === "::" ? "::1" : address.hostname;
  return `http://${urlHost(host)}:${port}${MCP_PATH}`;
}
