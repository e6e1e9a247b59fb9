/**
 * Keep the catalog in sync with the API without anyone running `runos manifest update`: at most once
 * per {@link SYNC_INTERVAL_MS} per profile (the last check is remembered beside the cache, shared by
 * every runos process of that profile, the four MCP servers included), ask `manifest-version`; when it
 * differs from the catalog in use, download, validate and cache it atomically (updateCatalog). A check
 * that fails costs one debug line and nothing else: the catalog in use stays. Every check that could
 * run ends with one line saying how it ended (info for a new catalog, debug otherwise), so whoever
 * watches the log knows when it is over.
 *
 * Every signed-in server asks whether a check is due shortly after `initialized` (the host's
 * background work), before its client's first call, and most of the time it is not: that answer loads
 * neither zod nor the download's modules (fetch.ts, the catalog schema, the API client), which load
 * only for a check that runs.
 */
import { join } from "node:path";
import type { ApiClient, ApiRequest } from "../api/client.ts";
import type { Session } from "../auth/session.ts";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import type { Logger } from "../log.ts";
import type { CatalogUpdate } from "./fetch.ts";

/** How often a profile's catalog version is checked at most. */
export const SYNC_INTERVAL_MS = 60 * 60 * 1000;
/** How long a version check may take before it is given up (it never holds anything up for longer). */
export const SYNC_CHECK_TIMEOUT_MS = 5_000;

/**
 * The check file's time (`{checkedAt, version?}`, both strings, other keys allowed), checked by hand
 * as the schema it replaces did: NaN for anything else, so the check is due.
 */
function checkedAt(value: unknown): number {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return Number.NaN;
  const { checkedAt, version } = value as { checkedAt?: unknown; version?: unknown };
  if (typeof checkedAt !== "string" || (version !== undefined && typeof version !== "string")) return Number.NaN;
  return Date.parse(checkedAt);
}

/** Where the last check of `profile` is remembered (beside its cached manifest). */
export function syncCheckPath(profile: string, cacheDir: string): string {
  return join(cacheDir, profile, "manifest.check.json");
}

/** When `profile`'s version was last checked, or undefined. */
export async function lastCheck(profile: string, cacheDir: string): Promise<number | undefined> {
  try {
    const text = await readTextIfExists(syncCheckPath(profile, cacheDir));
    if (text === undefined) return undefined;
    const at = checkedAt(JSON.parse(text));
    return Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link syncCatalogIfDue}. */
export interface SyncOptions {
  /** The version of the catalog in use (cache or baseline). */
  readonly currentVersion: string;
  readonly logger?: Logger;
  readonly now?: () => number;
  readonly intervalMs?: number;
}

/**
 * Check and refresh the session's catalog when a check is due. Resolves to the update when a new
 * catalog was cached, else undefined; never rejects.
 */
export async function syncCatalogIfDue(session: Session, options: SyncOptions): Promise<CatalogUpdate | undefined> {
  const now = options.now ?? Date.now;
  const cacheDir = session.cacheDir;
  if (!session.authenticated || session.sandbox || session.accountId === undefined || cacheDir === undefined) return undefined;
  try {
    const last = await lastCheck(session.profile, cacheDir);
    if (last !== undefined && now() - last < (options.intervalMs ?? SYNC_INTERVAL_MS)) {
      options.logger?.debug(`catalog check not due: last checked ${new Date(last).toISOString()}`);
      return undefined;
    }
    // Claim the check before the network, so the other servers starting now do not repeat it.
    const remember = (version?: string) =>
      writeFileAtomic(syncCheckPath(session.profile, cacheDir), `${JSON.stringify({ checkedAt: new Date(now()).toISOString(), ...(version === undefined ? {} : { version }) })}\n`, {
        mode: 0o600,
        dirMode: 0o700,
      });
    await remember();
    const { fetchCatalogVersion, updateCatalog } = await import("./fetch.ts");
    const quick = withTimeout(session.client, SYNC_CHECK_TIMEOUT_MS);
    const served = await fetchCatalogVersion(quick, session.accountId);
    await remember(served);
    if (served === options.currentVersion) {
      options.logger?.debug(`catalog check: version ${options.currentVersion} is current`);
      return undefined;
    }
    const update = await updateCatalog({ ...session, client: quick });
    options.logger?.info(`catalog synced: version ${options.currentVersion} → ${update.version}`);
    return update.changed || update.version !== options.currentVersion ? update : undefined;
  } catch (error) {
    options.logger?.debug("catalog sync skipped", { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** The same client, each request bounded by `timeoutMs` and never retried for long. */
function withTimeout(client: ApiClient, timeoutMs: number): ApiClient {
  const bound = (request: ApiRequest): ApiRequest => ({ ...request, timeoutMs: Math.min(request.timeoutMs ?? timeoutMs, timeoutMs) });
  return {
    send: (request) => client.send(bound(request)),
    ...(client.exchange === undefined ? {} : { exchange: (request: ApiRequest) => client.exchange!(bound(request)) }),
  };
}
