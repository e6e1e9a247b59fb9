/**
 * Open a tier's server the one way both `runos mcp serve` and `runos mcp call` do: open the session
 * (a server starts even when not signed in), load the cached or embedded catalog, wire the refresh
 * and the cache-file watch, and build the server. The caller connects it to a transport, or calls
 * one tool on it, then closes it.
 */
import { processEnv, stateDir } from "../auth/config.ts";
import { openSession, type Session, type SessionOptions } from "../auth/session.ts";
import { type AuditLog, auditLogAt, auditPath } from "./audit.ts";
import { catalogCachePath, loadCatalog, updateCatalog } from "../catalog/load.ts";
import { syncCatalogIfDue } from "../catalog/sync.ts";
import { cachedToolsets, fetchToolsets, type Toolsets } from "../catalog/toolsets.ts";
import type { Logger } from "../log.ts";
import type { Tier } from "../policy/tier.ts";
import type { CatalogSource } from "./manifest_update.ts";
import type { ToolsMode } from "./registry.ts";
import { createTierServer, type TierServer } from "./server.ts";

/** Options of {@link openTierServer}: the session's, plus the logger and the watch interval. */
export interface OpenTierServerOptions extends SessionOptions {
  readonly logger: Logger;
  /** Poll interval of the cache file watch (default 5 s; 0: check on tools/list only). */
  readonly watchIntervalMs?: number;
  /** Check the API's catalog version in the background after `initialized` (default true). */
  readonly sync?: boolean;
  /** List every allowed tool, whatever the account's toolsets (`mcp serve --all-tools`). */
  readonly allTools?: boolean;
  /** How tools are listed (`mcp serve --tools`). */
  readonly toolsMode?: ToolsMode;
  /** Write each call to the audit log in the state directory (default true; `--no-audit`). */
  readonly audit?: boolean;
}

/** An open tier server, the session under it, and what its catalog was. */
export interface OpenedTierServer {
  readonly tierServer: TierServer;
  readonly session: Session;
  readonly catalog: { readonly version: string; readonly commands: number; readonly source: "cache" | "baseline" };
  /** The audit log its calls write to, when kept. */
  readonly audit?: AuditLog;
  /** Close the server, then the session. */
  close(): Promise<void>;
}

/** Open the server of `tier`; warnings (not signed in, an ignored cache) go to the logger. */
export async function openTierServer(tier: Tier, options: OpenTierServerOptions): Promise<OpenedTierServer> {
  const { logger, watchIntervalMs, sync, allTools, toolsMode, audit, ...sessionOptions } = options;
  const session = await openSession({ ...sessionOptions, log: sessionOptions.log ?? logger });
  try {
    for (const warning of session.warnings ?? []) logger.warn(warning);
    if (!session.authenticated) logger.warn("not signed in: every tool will answer \"not authenticated\"; run `runos login`");
    const catalogOptions = {
      profile: session.profile,
      sandbox: session.sandbox,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(session.cacheDir === undefined ? {} : { cacheDir: session.cacheDir }),
    };
    const loaded = await loadCatalog(catalogOptions);
    for (const warning of loaded.warnings) logger.warn(warning);
    const source: CatalogSource = {
      update: (updateOptions) => updateCatalog(session, updateOptions),
      reload: async () => {
        const fresh = await loadCatalog(catalogOptions);
        return { version: fresh.catalog.version, operations: fresh.operations };
      },
      ...(session.cacheDir === undefined ? {} : { watchPath: catalogCachePath(session.profile, session.cacheDir) }),
    };
    const toolsets = allTools === true ? undefined : await toolsetsFor(session, logger);
    const auditLog = audit === false ? undefined : auditLogAt(auditPath(stateDir(options.env ?? processEnv())), {
      onError: (error) => logger.debug("audit line not written", { error: error instanceof Error ? error.message : String(error) }),
    });
    const tierServer = await createTierServer(tier, {
      session,
      operations: loaded.operations,
      catalogVersion: loaded.catalog.version,
      source,
      logger,
      ...(watchIntervalMs === undefined ? {} : { watchIntervalMs }),
      ...(sync === false ? {} : { sync: (currentVersion: string) => syncCatalogIfDue(session, { currentVersion, logger }) }),
      ...(toolsets === undefined ? {} : { toolsets }),
      ...(toolsMode === undefined ? {} : { toolsMode }),
      ...(auditLog === undefined ? {} : { audit: auditLog }),
    });
    return {
      tierServer,
      session,
      catalog: { version: loaded.catalog.version, commands: loaded.operations.length, source: loaded.source },
      ...(auditLog === undefined ? {} : { audit: auditLog }),
      close: async () => {
        await tierServer.close().catch(() => {});
        await session.close().catch(() => {});
      },
    };
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
}

/** The toolsets a signed-in server starts with (the day's cache), and how to refresh them when stale. */
async function toolsetsFor(session: Session, logger: Logger): Promise<{ initial: Toolsets | null | undefined; refresh?: () => Promise<Toolsets | null> } | undefined> {
  const { cacheDir, accountId } = session;
  if (!session.authenticated || session.sandbox || accountId === undefined) return undefined;
  const initial = cacheDir === undefined ? undefined : await cachedToolsets(session.profile, cacheDir);
  if (initial !== undefined) return { initial };
  return {
    initial,
    refresh: async () => {
      try {
        return await fetchToolsets(session.client, accountId, session.profile, cacheDir);
      } catch (error) {
        logger.debug("toolsets not refreshed", { error: error instanceof Error ? error.message : String(error) });
        return null;
      }
    },
  };
}
