/**
 * One tier per process: the host owns the tier's session, its catalog and its tools (replaced by a
 * newer catalog, written to the audit log as a tools-changed line when tools came, went or changed
 * their route, and announced to one list of subscribers), the call entry point, the background work
 * (started once) and the shutdown. stdio (the handshake, then the SDK's server), HTTP (an SDK server
 * per request), `runos mcp call` and `runos mcp tools` are thin layers over it. The host loads no MCP
 * SDK: stdio answers the handshake from it, and `mcp call` runs a tool without the SDK at all.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ApiClient } from "../../api/client.ts";
import { processEnv, stateDir } from "../../auth/config.ts";
import { openSession, type Session, type SessionOptions } from "../../auth/session.ts";
import { catalogCachePath, loadCatalog, openCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import { cachedToolsets, hiddenByToolsets, type Toolsets } from "../../catalog/toolsets.ts";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import { type AuditLog, auditLogAt, auditPath, type ToolsChangeCause } from "../call/audit.ts";
import type { CallEnvironment, CallExtras, CallSession } from "../call/call.ts";
import type { ConfirmTokens } from "../call/confirm_token.ts";
import type { CatalogSource } from "../tools/manifest_update.ts";
import { holdTools, type ToolHolder, type ToolRegistry, type ToolsMode } from "../tools/registry.ts";
import { sdkRewritesListing, type StoredListing } from "../tools/listing_cache.ts";
import type { CallIndex, CallIndexFile } from "../tools/call_index.ts";
import { derivedFiles } from "./derived_files.ts";
import { type CatalogWatch, watchCatalogFile } from "./catalog_watch.ts";

/** A newer catalog the background check brought. */
export type CatalogUpdate = { readonly version: string; readonly operations: readonly Operation[] };

/** What a tier's catalog was when the host opened. */
export type OpenedCatalog = { readonly version: string; readonly commands: number; readonly source: "cache" | "baseline" | "given" };

/** What a host is made of: {@link openTierHost} gathers them from disk and the session; tests hand them in. */
export interface TierHostParts {
  /** The signed-in state and the raw API client (the host adds the write guard for read tiers). */
  readonly session: CallSession & { readonly client: ApiClient };
  /** The catalog's operations, or how to build them when first needed (a stored listing answers before). */
  readonly operations: readonly Operation[] | (() => readonly Operation[]);
  readonly catalogVersion?: string;
  /** What the catalog was (default: the operations handed in). */
  readonly catalog?: OpenedCatalog;
  /** Refresh (manifest_update) and reload (the cache file changed); without it manifest_update says so. */
  readonly source?: CatalogSource;
  /** Poll interval of the cache file watch (default 5 s; 0: check on tools/list only). */
  readonly watchIntervalMs?: number;
  readonly jobWaitMs?: number;
  readonly jobPollMs?: number;
  readonly logger?: Logger;
  /** The background catalog check: a newer catalog it brings replaces the tools. */
  readonly sync?: (currentVersion: string) => Promise<CatalogUpdate | undefined>;
  /** Run the catalog check again this often once started (a long-lived HTTP server); default: once. */
  readonly syncEveryMs?: number;
  /** How long after the start of the background work it begins (default {@link BACKGROUND_DELAY_MS}). */
  readonly backgroundDelayMs?: number;
  /**
   * The account's toolsets (catalog/toolsets.ts): what is known at start, and, when that is stale, how
   * to ask the API (in the background work). Without them every allowed tool is listed.
   */
  readonly toolsets?: { readonly initial: Toolsets | null | undefined; readonly refresh?: () => Promise<Toolsets | null> };
  /** How tools are listed (`--tools`): all, discover, or auto (the default). */
  readonly toolsMode?: ToolsMode;
  /** The audit log each call writes a line to (none: no audit). */
  readonly audit?: AuditLog;
  /**
   * How destructive calls' confirmation tokens are keyed: from `secret` (the sign-in's, so a read
   * server's preview_destructive issues tokens its write servers accept; over HTTP the bearer token,
   * so instances behind one balancer accept each other's), or a key of this process's own. `singleUse`
   * (default true): a token redeems once; stateless HTTP cannot know, and accepts it until it expires.
   */
  readonly confirm?: { readonly secret?: string; readonly singleUse?: boolean };
  /** The clock confirmation tokens expire by (tests); default the system's. */
  readonly now?: () => number;
  /** Released last when the host closes (the session). */
  readonly release?: () => Promise<void>;
  /**
   * The tier's stored tools/list (mcp/tools/listing_cache.ts), derived from exactly these operations
   * and options: answered until the registry is replaced or rescoped, without building it.
   */
  readonly storedListing?: StoredListing;
  /** Keep the first listing built from these operations, for the next start (in the background, after the answer). */
  readonly storeListing?: (listing: StoredListing) => Promise<void>;
  /**
   * The tier's call index (mcp/tools/call_index.ts) for exactly these operations and options: calls
   * resolve through it until the registry is replaced or rescoped, without building it; stored when
   * the registry was built and the index was missing or not whole.
   */
  readonly callIndex?: CallIndexFile;
}

/** The one tier host of a process. */
export interface TierHost {
  readonly tier: Tier;
  /** The tools in force (what tools/list answers and tools/call resolves against). */
  readonly tools: ToolHolder;
  /** What the catalog was when the host opened. */
  readonly catalog: OpenedCatalog;
  /** The audit log the calls write to, when kept. */
  readonly audit?: AuditLog;
  /**
   * The tools/list answer. The cached catalog file is compared with the one loaded first: when another
   * process changed it, the tools are replaced (and the subscribers told) before the answer.
   */
  listTools(): Promise<ToolRegistry["tools"]>;
  /**
   * The tools/list tools array as JSON text while a stored listing is in force (nothing built yet,
   * nothing replaced), after the same check of the cached catalog file as {@link listTools}; else
   * undefined, and listTools answers.
   */
  storedToolsJson(): Promise<Uint8Array | undefined>;
  /** Hear of every replacement of the tools; returns the unsubscribe. */
  onToolsChanged(listener: () => void | Promise<void>): () => void;
  /** Run one tool call: the one entry point of `tools/call`, `call_tool` and `runos mcp call`. */
  call(name: string, args: unknown, extras?: CallExtras): Promise<CallToolResult>;
  /** Load the call path and read the call index now (both wait for the first call otherwise), so that call does not wait for them. */
  prepareCalls(): Promise<void>;
  /** Replace the tools from a newer catalog, then audit the change and tell the subscribers. */
  replaceOperations(operations: readonly Operation[], version: string, cause?: ToolsChangeCause): Promise<void>;
  /**
   * Start the background work once (later calls do nothing): the catalog check, then the toolsets
   * when the day's cache had none. It begins {@link BACKGROUND_DELAY_MS} later, so the client's first
   * requests, and a call made at once, are answered first; the callers start it when the client said
   * `initialized`.
   */
  startBackground(): void;
  /** Stop the watch and the background work, then release the session. */
  close(): Promise<void>;
}

/** Options of {@link openTierHost}: the session's, plus how the host runs. */
export interface TierHostOptions extends SessionOptions {
  readonly logger: Logger;
  /** Poll interval of the cache file watch (default 5 s; 0: check on tools/list only). */
  readonly watchIntervalMs?: number;
  /** Check the API's catalog version in the background work (default true). */
  readonly sync?: boolean;
  /** Check it again this often once started (HTTP); default: once. */
  readonly syncEveryMs?: number;
  /** List every allowed tool, whatever the account's toolsets (`mcp serve --all-tools`). */
  readonly allTools?: boolean;
  /** How tools are listed (`mcp serve --tools`). */
  readonly toolsMode?: ToolsMode;
  /** Write each call to the audit log in the state directory (default true; `--no-audit`). */
  readonly audit?: boolean;
  /** Key confirmation tokens with this secret and accept them until they expire (HTTP: the bearer token). */
  readonly confirmSecret?: string;
  /**
   * The build stored tools listings and call indexes are keyed by (mcp/host/derived_files.ts): default
   * this binary's build commit; from source there is none, and nothing is read or stored. Tests name one.
   */
  readonly listingBuild?: string;
}

/**
 * Open the host of `tier`: the session (a server starts even when not signed in), the cached or
 * embedded catalog, the account's toolsets, the audit log. Warnings go to the logger.
 */
export async function openTierHost(tier: Tier, options: TierHostOptions): Promise<TierHost> {
  const { logger, watchIntervalMs, sync, syncEveryMs, allTools, toolsMode, audit, confirmSecret, listingBuild, ...sessionOptions } = options;
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
    const chosen = await openCatalog(catalogOptions);
    for (const warning of chosen.warnings) logger.warn(warning);
    const source: CatalogSource = {
      update: async (updateOptions) => (await import("../../catalog/fetch.ts")).updateCatalog(session, updateOptions),
      reload: async () => {
        const fresh = await loadCatalog(catalogOptions);
        return { version: fresh.catalog.version, operations: fresh.operations };
      },
      ...(session.cacheDir === undefined ? {} : { watchPath: catalogCachePath(session.profile, session.cacheDir) }),
    };
    const toolsets = allTools === true ? undefined : await toolsetsFor(session, logger);
    const derived = await derivedFiles({
      tier,
      mode: toolsMode ?? "auto",
      catalog: chosen,
      session,
      toolsets: toolsets?.initial,
      defaultCluster: hasDefaultCluster(session),
      ...(listingBuild === undefined ? {} : { build: listingBuild }),
    });
    const stored = derived.storedListing;
    // With a stored listing the catalog is parsed at the first need of the registry, not now.
    const loaded = stored === undefined ? chosen.load() : undefined;
    const version = stored?.catalogVersion ?? loaded!.catalog.version;
    const auditLog = audit === false ? undefined : auditLogAt(auditPath(stateDir(options.env ?? processEnv())), {
      onError: (error) => logger.debug("audit line not written", { error: error instanceof Error ? error.message : String(error) }),
    });
    return await createTierHost(tier, {
      session,
      operations: loaded?.operations ?? (() => chosen.load().operations),
      catalogVersion: version,
      catalog: { version, commands: stored?.commands ?? loaded!.operations.length, source: chosen.source },
      ...derived,
      source,
      logger,
      ...(watchIntervalMs === undefined ? {} : { watchIntervalMs }),
      ...(sync === false || !maySync(session) ? {} : {
        sync: async (currentVersion: string) => (await import("../../catalog/sync.ts")).syncCatalogIfDue(session, { currentVersion, logger }),
      }),
      ...(syncEveryMs === undefined ? {} : { syncEveryMs }),
      ...(toolsets === undefined ? {} : { toolsets }),
      ...(toolsMode === undefined ? {} : { toolsMode }),
      ...(auditLog === undefined ? {} : { audit: auditLog }),
      confirm: confirmSecret === undefined
        ? (session.confirmSecret === undefined ? {} : { secret: session.confirmSecret })
        : { secret: confirmSecret, singleUse: false },
      release: () => session.close(),
    });
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
}

/**
 * How long the background work waits once started: its modules and requests would otherwise share the
 * one thread with a call the client makes right after `initialized` (measured: 7–18 ms on that call).
 * Far less than a model's turn, so a newer catalog is still in force before the model's first call.
 */
export const BACKGROUND_DELAY_MS = 250;

/** The host of `tier` over parts already gathered; the registry is built when first asked for. */
export async function createTierHost(tier: Tier, parts: TierHostParts): Promise<TierHost> {
  const { session, logger } = parts;
  const held = holdToolsOnFirstUse(tier, parts.operations, {
    hasDefaultCluster: hasDefaultCluster(session),
    catalogVersion: parts.catalogVersion,
    ...(parts.toolsMode === undefined ? {} : { mode: parts.toolsMode }),
  }, (operations) => hiddenByToolsets(operations, parts.toolsets?.initial));
  /** The registry before the replacements the audit log has not heard of yet. */
  let unaudited: ToolRegistry | undefined;
  const audit = parts.audit;
  /** The stored listing, until anything replaces or rescopes the tools it was derived for. */
  let stored = parts.storedListing;
  /** The catalog version in force (known without building the registry). */
  let catalogVersion = parts.catalogVersion;
  /** No replacement nor rescoping yet: the tools are those of the opening operations and scope. */
  let pristine = true;
  const tools: ToolHolder = {
    ...held,
    current: () => {
      const registry = held.current();
      if (pristine) storeDerived(registry);
      return registry;
    },
    replace: (operations, version) => {
      stored = undefined;
      pristine = false;
      catalogVersion = version;
      if (audit !== undefined) unaudited ??= held.current();
      return held.replace(operations, version);
    },
    rescope: (hide) => {
      const changed = held.rescope(hide);
      if (changed) {
        stored = undefined;
        pristine = false;
      }
      return changed;
    },
  };
  /** The call index as read at the first need of it (once: it is derived again only after this start). */
  let indexRead: Promise<CallIndex | undefined> | undefined;
  const readIndex = () => indexRead ??= parts.callIndex?.read() ?? Promise.resolve(undefined);
  /** The call index while it answers for the tools in force: nothing replaced or rescoped, every entry read whole. */
  const callIndex = async (): Promise<CallIndex | undefined> => {
    if (!pristine || parts.callIndex === undefined) return undefined;
    const index = await readIndex();
    return pristine && index?.intact === true ? index : undefined;
  };
  /** The listing and call index derived from the opening tools, being stored for the next start. */
  let storing: Promise<void> | undefined;
  const storeDerived = (registry: ToolRegistry): void => {
    const { storeListing, callIndex: indexFile } = parts;
    if (storing !== undefined || (storeListing === undefined && indexFile === undefined)) return;
    const failed = (what: string) => (error: unknown) => logger?.debug(`${what} not stored`, { error: String(error) });
    storing = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
      if (storeListing !== undefined && !sdkRewritesListing(registry.tools)) {
        const listing = { toolsJson: new TextEncoder().encode(JSON.stringify(registry.tools)), catalogVersion: registry.catalogVersion ?? "", commands: registry.operations.length };
        await storeListing(listing).catch(failed("tools listing"));
      }
      if (indexFile === undefined || (await readIndex())?.intact === true) return;
      const { findClustersList } = await import("../../cluster_names.ts");
      const clustersList = findClustersList(registry.callable().flatMap((tool) => (tool.kind === "operation" ? [tool.operation] : [])));
      await indexFile.write(registry, clustersList).catch(failed("call index"));
    }).catch(failed("derived files"));
  };
  /** Write what the replacements since the last line changed, if anything (never fails the caller). */
  const auditToolsChange = async (cause: ToolsChangeCause | undefined): Promise<void> => {
    const before = unaudited;
    unaudited = undefined;
    if (before === undefined || audit === undefined) return;
    try {
      const { toolsChangedEntry } = await import("./tools_change.ts");
      const entry = toolsChangedEntry(before, tools.current(), cause, new Date());
      if (entry !== undefined) await audit.record(entry);
    } catch (error) {
      logger?.debug("tools-changed audit line not written", { error: String(error) });
    }
  };

  const listeners = new Set<() => void | Promise<void>>();
  let watch: CatalogWatch | undefined;
  /**
   * After the holder was replaced by anyone (manifest_update too): note our own cache write, write the
   * change to the audit log, then tell everyone.
   */
  const toolsReplaced = async (cause?: ToolsChangeCause): Promise<void> => {
    await watch?.sync();
    await auditToolsChange(cause);
    for (const listener of [...listeners]) {
      try {
        await listener();
      } catch (error) {
        logger?.debug("a tools-changed subscriber failed", { error: String(error) });
      }
    }
  };
  const replaceOperations = async (operations: readonly Operation[], version: string, cause?: ToolsChangeCause): Promise<void> => {
    tools.replace(operations, version);
    await toolsReplaced(cause);
  };

  const source = parts.source;
  if (source?.watchPath !== undefined && source.reload !== undefined) {
    const reload = source.reload.bind(source);
    watch = await watchCatalogFile({
      path: source.watchPath,
      intervalMs: parts.watchIntervalMs,
      onChange: async () => {
        const fresh = await reload();
        logger?.info(`catalog file changed; now version ${fresh.version}`);
        await replaceOperations(fresh.operations, fresh.version, "reload");
      },
      onError: (error) => logger?.warn("could not reload the changed catalog", { error: String(error) }),
    });
  }

  // The call path (and the write guard, the result builder, the redaction) loads with the first call,
  // not before the handshake is answered.
  let callEntry: Promise<(name: string, args: unknown, extras?: CallExtras) => Promise<CallToolResult>> | undefined;
  const calls = () =>
    callEntry ??= import("../call/call.ts").then(({ callTool, clientForTier }) => {
      const environment: CallEnvironment = {
        tier,
        tools,
        session,
        client: clientForTier(tier, session.client),
        ...(source === undefined ? {} : { catalog: source }),
        toolsReplaced,
        ...(parts.jobWaitMs === undefined ? {} : { jobWaitMs: parts.jobWaitMs }),
        ...(parts.jobPollMs === undefined ? {} : { jobPollMs: parts.jobPollMs }),
        ...(parts.audit === undefined ? {} : { audit: parts.audit }),
        confirmTokens: confirmTokensOf(parts.confirm ?? {}, parts.now),
        index: callIndex,
      };
      return (name, args, extras) => callTool(environment, name, args, extras);
    });

  const background = backgroundWork(parts, () => catalogVersion ?? "", tools, replaceOperations, toolsReplaced);
  let closed: Promise<void> | undefined;
  return {
    tier,
    tools,
    catalog: parts.catalog ?? { version: parts.catalogVersion ?? "", commands: operationsCount(parts.operations), source: "given" },
    ...(parts.audit === undefined ? {} : { audit: parts.audit }),
    listTools: async () => {
      await watch?.check();
      return tools.current().tools;
    },
    storedToolsJson: async () => {
      await watch?.check();
      return stored?.toolsJson;
    },
    onToolsChanged: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    call: async (name, args, extras) => (await calls())(name, args, extras),
    // The API client's modules and the call index too (no request is made: nothing touches the network before a call).
    prepareCalls: async () => void await Promise.all([calls(), import("../../api/client.ts"), readIndex()]),
    replaceOperations,
    startBackground: background.start,
    close: () =>
      closed ??= (async () => {
        background.stop();
        watch?.close();
        await storing;
        listeners.clear();
        await parts.release?.().catch(() => {});
      })(),
  };
}

/**
 * The background work of a host: the catalog check (again every `syncEveryMs` when set), then the
 * toolsets refresh, once. Failures are logged at debug level: the tools in force stay.
 */
function backgroundWork(
  parts: TierHostParts,
  currentVersion: () => string,
  tools: ToolHolder,
  replaceOperations: (operations: readonly Operation[], version: string, cause: ToolsChangeCause) => Promise<void>,
  toolsReplaced: () => Promise<void>,
): { start(): void; stop(): void } {
  const { sync, logger } = parts;
  const refreshToolsets = parts.toolsets?.refresh;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let started = false;
  let stopped = false;
  const check = async (): Promise<void> => {
    const update = await sync?.(currentVersion());
    if (update !== undefined && !stopped) await replaceOperations(update.operations, update.version, "sync");
  };
  const first = async (): Promise<void> => {
    await check();
    if (refreshToolsets === undefined || stopped) return;
    const fresh = await refreshToolsets();
    if (!stopped && tools.rescope((operations) => hiddenByToolsets(operations, fresh))) await toolsReplaced();
  };
  const failed = (error: unknown) => logger?.debug("background catalog work failed", { error: String(error) });
  return {
    start: () => {
      if (started || stopped || (sync === undefined && refreshToolsets === undefined)) return;
      started = true;
      timers.push(setTimeout(() => void first().catch(failed), parts.backgroundDelayMs ?? BACKGROUND_DELAY_MS));
      if (sync !== undefined && parts.syncEveryMs !== undefined) {
        const repeat = setInterval(() => void check().catch(failed), parts.syncEveryMs);
        (repeat as { unref?: () => void }).unref?.();
        timers.push(repeat);
      }
    },
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/**
 * Hold the tools of `tier`: the registry is built when first asked for (so an MCP client's
 * `initialize` is answered before it), and rebuilt only by a replacement.
 */
function holdToolsOnFirstUse(
  tier: Tier,
  operations: readonly Operation[] | (() => readonly Operation[]),
  options: Parameters<typeof holdTools>[2],
  hide: (operations: readonly Operation[]) => ReadonlySet<string>,
): ToolHolder {
  let held: ToolHolder | undefined;
  const holder = () => (held ??= holdTools(tier, typeof operations === "function" ? operations() : operations, options, hide));
  return {
    tier,
    current: () => holder().current(),
    replace: (fresh, version) => holder().replace(fresh, version),
    rescope: (nextHide) => holder().rescope(nextHide),
  };
}

/** How many operations `operations` holds, building them if need be. */
function operationsCount(operations: TierHostParts["operations"]): number {
  return (typeof operations === "function" ? operations() : operations).length;
}

/** Whether `session` has a default cluster, so that tools take `cid` as optional. */
function hasDefaultCluster(session: Pick<CallSession, "defaultClusterId">): boolean {
  return session.defaultClusterId !== undefined && session.defaultClusterId !== "";
}

/** The host's confirmation tokens, made at its first destructive call (WebCrypto loads no module before). */
function confirmTokensOf(confirm: NonNullable<TierHostParts["confirm"]>, now: (() => number) | undefined): () => Promise<ConfirmTokens> {
  let tokens: Promise<ConfirmTokens> | undefined;
  return () =>
    tokens ??= import("../call/confirm_token.ts").then(({ ConfirmTokens }) =>
      new ConfirmTokens({
        ...(confirm.secret === undefined ? {} : { secret: confirm.secret }),
        ...(confirm.singleUse === undefined ? {} : { singleUse: confirm.singleUse }),
        ...(now === undefined ? {} : { now }),
      })
    );
}

/**
 * Whether the background check can ever run for `session` (syncCatalogIfDue asks the same first): a
 * session that cannot sync does not load the sync's modules at all.
 */
function maySync(session: Session): boolean {
  return session.authenticated && !session.sandbox && session.accountId !== undefined && session.cacheDir !== undefined;
}

/** The toolsets a signed-in host starts with (the day's cache), and how to refresh them when stale. */
async function toolsetsFor(session: Session, logger: Logger): Promise<TierHostParts["toolsets"]> {
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
