/**
 * Open a tier the one way both `runos mcp serve` and `runos mcp call` do: open the session (a server
 * starts even when not signed in), load the cached or embedded catalog, wire the refresh, the
 * cache-file watch and the background catalog check, and open the tier's tools. {@link openTier}
 * loads no MCP SDK (stdio answers the handshake from it); {@link openTierServer} adds the SDK's
 * server, which the caller connects to a transport or calls one tool on, then closes.
 */
import { processEnv, stateDir } from "../../auth/config.ts";
import { openSession, type Session, type SessionOptions } from "../../auth/session.ts";
import { catalogCachePath, loadCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import { cachedToolsets, hiddenByToolsets, type Toolsets } from "../../catalog/toolsets.ts";
import { type AuditLog, auditLogAt, auditPath } from "../call/audit.ts";
import type { CatalogSource } from "../tools/manifest_update.ts";
import type { ToolsMode } from "../tools/registry.ts";
import type { TierServer } from "./sdk_server.ts";
import { openTierTools, type TierTools } from "./tier_tools.ts";

/** Options of {@link openTier}: the session's, plus the logger and the watch interval. */
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

/** A newer catalog the background check brought. */
export type CatalogUpdate = { readonly version: string; readonly operations: readonly Operation[] };

/** What a tier's catalog was when it opened. */
export type OpenedCatalog = { readonly version: string; readonly commands: number; readonly source: "cache" | "baseline" };

/** An open tier: the session under it, its catalog and its tools; no MCP server yet. */
export interface OpenedTier {
  readonly tier: Tier;
  readonly session: Session;
  readonly catalog: OpenedCatalog;
  /** The loaded catalog's operations. */
  readonly operations: readonly Operation[];
  /** Refresh (manifest_update) and reload (the cache file changed). */
  readonly source: CatalogSource;
  readonly tools: TierTools;
  /** The background catalog check, to run once after the client's `initialized`; absent with `sync: false`. */
  readonly sync?: (currentVersion: string) => Promise<CatalogUpdate | undefined>;
  /** The toolsets the listing was scoped by at start (the day's cache), when any. */
  readonly toolsets?: Toolsets | null;
  /** Ask the API for the toolsets (after `initialized`, like the sync) when the cache had none fresh. */
  readonly refreshToolsets?: () => Promise<Toolsets | null>;
  /** How tools are listed. */
  readonly toolsMode?: ToolsMode;
  /** The audit log the calls write to, when kept. */
  readonly audit?: AuditLog;
  /** Stop the watch, then close the session. */
  close(): Promise<void>;
}

/** An open tier server, the session under it, and what its catalog was. */
export interface OpenedTierServer {
  readonly tierServer: TierServer;
  readonly session: Session;
  readonly catalog: OpenedCatalog;
  /** The audit log its calls write to, when kept. */
  readonly audit?: AuditLog;
  /** Close the server, then the session. */
  close(): Promise<void>;
}

/** Open `tier`; warnings (not signed in, an ignored cache) go to the logger. */
export async function openTier(tier: Tier, options: OpenTierServerOptions): Promise<OpenedTier> {
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
      update: async (updateOptions) => (await import("../../catalog/fetch.ts")).updateCatalog(session, updateOptions),
      reload: async () => {
        const fresh = await loadCatalog(catalogOptions);
        return { version: fresh.catalog.version, operations: fresh.operations };
      },
      ...(session.cacheDir === undefined ? {} : { watchPath: catalogCachePath(session.profile, session.cacheDir) }),
    };
    const scoping = allTools === true ? undefined : await toolsetsFor(session, logger);
    const auditLog = audit === false ? undefined : auditLogAt(auditPath(stateDir(options.env ?? processEnv())), {
      onError: (error) => logger.debug("audit line not written", { error: error instanceof Error ? error.message : String(error) }),
    });
    const tools = await openTierTools(tier, {
      ...(toolsMode === undefined ? {} : { mode: toolsMode }),
      hide: (operations) => hiddenByToolsets(operations, scoping?.initial),
      operations: loaded.operations,
      catalogVersion: loaded.catalog.version,
      hasDefaultCluster: session.defaultClusterId !== undefined && session.defaultClusterId !== "",
      source,
      logger,
      ...(watchIntervalMs === undefined ? {} : { watchIntervalMs }),
    });
    return {
      tier,
      session,
      catalog: { version: loaded.catalog.version, commands: loaded.operations.length, source: loaded.source },
      operations: loaded.operations,
      source,
      tools,
      ...(sync === false || !maySync(session) ? {} : {
        sync: async (currentVersion: string) => (await import("../../catalog/sync.ts")).syncCatalogIfDue(session, { currentVersion, logger }),
      }),
      ...(scoping === undefined ? {} : { toolsets: scoping.initial ?? null }),
      ...(scoping?.refresh === undefined ? {} : { refreshToolsets: scoping.refresh }),
      ...(toolsMode === undefined ? {} : { toolsMode }),
      ...(auditLog === undefined ? {} : { audit: auditLog }),
      close: async () => {
        tools.close();
        await session.close().catch(() => {});
      },
    };
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
}

/**
 * Whether the background check can ever run for `session` (syncCatalogIfDue asks the same first): a
 * session that cannot sync does not load the sync's modules at all.
 */
function maySync(session: Session): boolean {
  return session.authenticated && !session.sandbox && session.accountId !== undefined && session.cacheDir !== undefined;
}

/** Open the server of `tier`: {@link openTier}, plus the MCP SDK's server over its tools. */
export async function openTierServer(tier: Tier, options: OpenTierServerOptions): Promise<OpenedTierServer> {
  const opened = await openTier(tier, options);
  try {
    const tierServer = await serverOf(opened, options.logger);
    opened.tools.whenReplaced = () => tierServer.announceToolsChanged();
    return {
      tierServer,
      session: opened.session,
      catalog: opened.catalog,
      ...(opened.audit === undefined ? {} : { audit: opened.audit }),
      close: async () => {
        await tierServer.close().catch(() => {});
        await opened.close();
      },
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/**
 * The SDK's server over an open tier's tools (the SDK loads here); the caller wires the tools'
 * replacements to its announcements. `sync: false` leaves the background check out, for a tier whose
 * check already started before the server was made.
 */
export async function serverOf(opened: OpenedTier, logger: Logger, options: { sync?: boolean } = {}): Promise<TierServer> {
  const { createTierServer } = await import("./sdk_server.ts");
  return await createTierServer(opened.tier, {
    session: opened.session,
    operations: opened.operations,
    catalogVersion: opened.catalog.version,
    source: opened.source,
    logger,
    tools: opened.tools,
    ...(options.sync === false || opened.sync === undefined ? {} : { sync: opened.sync }),
    // The toolsets refresh runs with the sync: here, unless the handshake already started both.
    ...(options.sync === false || opened.refreshToolsets === undefined ? {} : { toolsets: { initial: opened.toolsets, refresh: opened.refreshToolsets } }),
    ...(opened.toolsMode === undefined ? {} : { toolsMode: opened.toolsMode }),
    ...(opened.audit === undefined ? {} : { audit: opened.audit }),
  });
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
        const { fetchToolsets } = await import("../../catalog/toolsets.ts");
        return await fetchToolsets(session.client, accountId, session.profile, cacheDir);
      } catch (error) {
        logger.debug("toolsets not refreshed", { error: error instanceof Error ? error.message : String(error) });
        return null;
      }
    },
  };
}
