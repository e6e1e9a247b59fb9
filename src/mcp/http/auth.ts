/**
 * Bearer authentication of the HTTP tier server. Its one token comes from `--token-file`, else
 * `RUNOS_MCP_TOKEN`, else it is generated at start (32 random bytes) and printed once on stderr. A
 * request without it, or with another, gets 401 and `WWW-Authenticate: Bearer resource_metadata=…`
 * pointing at the RFC 9728 protected resource metadata, served at the two well-known routes without
 * a token. Tokens are compared in constant time and never logged.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Env } from "../../auth/config.ts";
import { ConfigFileError, UsageError } from "../../errors.ts";
import { MCP_PATH } from "./address.ts";

/** The environment variable holding the token. */
export const TOKEN_ENV = "RUNOS_MCP_TOKEN";

/** The shortest token accepted from a file or the environment. */
export const MIN_TOKEN_LENGTH = 16;

/** The RFC 9728 metadata routes: the root one and the one for the `/mcp` resource's path. */
export const PROTECTED_RESOURCE_PATHS: readonly string[] = ["/.well-known/oauth-protected-resource", `/.well-known/oauth-protected-resource${MCP_PATH}`];

/** Where the server's token came from. */
export type TokenSource = "file" | "env" | "generated";

/** The token clients must present. */
export interface ServerToken {
  readonly value: string;
  readonly source: TokenSource;
}

/** A fresh token: 32 crypto-random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The token from `--token-file`, else `RUNOS_MCP_TOKEN`, else a generated one. */
export async function resolveToken(options: { readonly tokenFile?: string; readonly env: Env }): Promise<ServerToken> {
  if (options.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.tokenFile, "utf8");
    } catch (error) {
      throw new ConfigFileError(options.tokenFile, `cannot read the token file ${options.tokenFile}: ${(error as Error).message}`, {
        hint: "create it with e.g. `openssl rand -base64 32 > token && chmod 600 token`",
        cause: error,
      });
    }
    return { value: checkToken(text.trim(), `the token file ${options.tokenFile}`), source: "file" };
  }
  const fromEnv = options.env[TOKEN_ENV];
  if (fromEnv !== undefined) return { value: checkToken(fromEnv.trim(), TOKEN_ENV), source: "env" };
  return { value: generateToken(), source: "generated" };
}

function checkToken(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new UsageError(`${where} must hold one token of at least ${MIN_TOKEN_LENGTH} characters without spaces`, {
      hint: "generate one with `openssl rand -base64 32`, or leave both unset and runos generates one",
    });
  }
  return token;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | null): string | undefined {
  const match = header === null ? null : /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
  return match?.[1];
}

/** Whether `presented` is `expected`, in time independent of where they differ (and of their lengths). */
export function tokenMatches(expected: string, presented: string): boolean {
  if (expectedDigest?.token !== expected) expectedDigest = { token: expected, digest: sha256(expected) };
  return timingSafeEqual(expectedDigest.digest, sha256(presented));
}

/** The digest of the token a server expects, made once (a server has one token). */
let expectedDigest: { token: string; digest: Uint8Array } | undefined;

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** The outcome of checking one request's credentials. */
export type AuthVerdict = "ok" | "missing" | "invalid";

/** Check the request's `Authorization` header against `token`. */
export function authenticate(headers: Headers, token: ServerToken): AuthVerdict {
  const presented = bearerToken(headers.get("authorization"));
  if (presented === undefined) return "missing";
  return tokenMatches(token.value, presented) ? "ok" : "invalid";
}

/** The public origin a request reached (`X-Forwarded-Proto` from a TLS proxy picks https). */
export function requestOrigin(request: Request): string {
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https" ? "https" : "http";
  return `${proto}://${request.headers.get("host") ?? new URL(request.url).host}`;
}

/** The URL of the metadata for the `/mcp` resource reached at `origin` (RFC 9728 §3.1: path inserted). */
export function protectedResourceMetadataUrl(origin: string): string {
  return `${origin}${PROTECTED_RESOURCE_PATHS[1]}`;
}

/**
 * The RFC 9728 document for `/mcp` at `origin`. No `authorization_servers`: the token is handed out
 * by whoever runs the server, not issued by an OAuth server.
 */
export function protectedResourceMetadata(origin: string, serverName: string): Record<string, unknown> {
  return {
    resource: `${origin}${MCP_PATH}`,
    bearer_methods_supported: ["header"],
    resource_name: `RunOS MCP server ${serverName}`,
  };
}

/** 401 with the Bearer challenge (RFC 6750 §3: no error code when no token was sent). */
export function unauthorizedResponse(verdict: Exclude<AuthVerdict, "ok">, metadataUrl: string): Response {
  const description = verdict === "missing" ? "this server needs Authorization: Bearer <token>" : "the bearer token is not this server's";
  const challenge = verdict === "missing"
    ? `Bearer resource_metadata="${metadataUrl}"`
    : `Bearer error="invalid_token", error_description="${description}", resource_metadata="${metadataUrl}"`;
  return Response.json(
    { error: verdict === "missing" ? "unauthorized" : "invalid_token", error_description: description },
    { status: 401, headers: { "WWW-Authenticate": challenge, "Cache-Control": "no-store" } },
  );
}
