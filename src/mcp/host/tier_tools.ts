/**
 * A tier's tools while its server runs, without the MCP SDK: the registry (built on first use, then
 * one cached array for every `tools/list`), the watch on the cached catalog file, and the replacement
 * of the tools by a newer catalog. The SDK's server (server.ts) and the stdio handshake answered
 * before the SDK loads (handshake.ts) share one, so both list the very same tools.
 */
import type { Operation } from "../../catalog/operation.ts";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import { type CatalogWatch, watchCatalogFile } from "./catalog_watch.ts";
import type { CatalogSource } from "../tools/manifest_update.ts";
import { holdTools, type RegistryOptions, type ToolHolder, type ToolsMode } from "../tools/registry.ts";

/** What a tier's tools are built from. */
export interface TierToolsOptions {
  readonly operations: readonly Operation[];
  readonly catalogVersion?: string;
  /** A default cluster is set, so `cid` is optional. */
  readonly hasDefaultCluster: boolean;
  /** How the tools are listed (`--tools`). */
  readonly mode?: ToolsMode;
  /** The tools the account's toolsets leave out of the listing, for whatever catalog is in force. */
  readonly hide?: (operations: readonly Operation[]) => ReadonlySet<string>;
  /** Where a changed cache file is reloaded from (`watchPath` and `reload`); no watch without it. */
  readonly source?: CatalogSource;
  /** Poll interval of the cache file watch (default 5 s; 0: check on tools/list only). */
  readonly watchIntervalMs?: number;
  readonly logger?: Logger;
}

/** The tools of one running server. */
export interface TierTools {
  readonly tier: Tier;
  /** The tools in force (what tools/list answers and tools/call resolves against). */
  readonly holder: ToolHolder;
  /**
   * Compare the cached catalog file with the one loaded (tools/list does so before it answers): when
   * another process changed it, reload it and replace the tools. Resolves true after a replacement.
   */
  checkCatalogFile(): Promise<boolean>;
  /** Replace the tools from a newer catalog, then tell {@link TierTools.whenReplaced}. */
  replaceOperations(operations: readonly Operation[], version: string): Promise<void>;
  /** After the holder was replaced by anyone (manifest_update too): note our own cache write, then tell whenReplaced. */
  toolsReplaced(): Promise<void>;
  /** Who must hear of a replacement: the SDK's server, which sends notifications/tools/list_changed. */
  whenReplaced?: () => Promise<void>;
  /** Stop watching the cache file. */
  close(): void;
}

/**
 * Hold the tools of `tier`: the registry is built when first asked for (so an MCP client's
 * `initialize` is answered before it), and rebuilt only by a replacement.
 */
export function holdToolsOnFirstUse(
  tier: Tier,
  operations: readonly Operation[],
  options: RegistryOptions,
  hide?: (operations: readonly Operation[]) => ReadonlySet<string>,
): ToolHolder {
  let held: ToolHolder | undefined;
  const holder = () => (held ??= holdTools(tier, operations, options, hide));
  return {
    tier,
    current: () => holder().current(),
    replace: (fresh, version) => holder().replace(fresh, version),
    rescope: (nextHide) => holder().rescope(nextHide),
  };
}

/** Open the tools of `tier`, watching the cached catalog file when `options.source` names one. */
export async function openTierTools(tier: Tier, options: TierToolsOptions): Promise<TierTools> {
  const holder = holdToolsOnFirstUse(tier, options.operations, {
    hasDefaultCluster: options.hasDefaultCluster,
    catalogVersion: options.catalogVersion,
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  }, options.hide);
  let watch: CatalogWatch | undefined;
  const tools: TierTools = {
    tier,
    holder,
    checkCatalogFile: () => watch?.check() ?? Promise.resolve(false),
    replaceOperations: async (operations, version) => {
      holder.replace(operations, version);
      await tools.toolsReplaced();
    },
    toolsReplaced: async () => {
      await watch?.sync();
      await tools.whenReplaced?.();
    },
    close: () => watch?.close(),
  };
  const source = options.source;
  if (source?.watchPath !== undefined && source.reload !== undefined) {
    const reload = source.reload.bind(source);
    watch = await watchCatalogFile({
      path: source.watchPath,
      intervalMs: options.watchIntervalMs,
      onChange: async () => {
        const fresh = await reload();
        options.logger?.info(`catalog file changed; now version ${fresh.version}`);
        await tools.replaceOperations(fresh.operations, fresh.version);
      },
      onError: (error) => options.logger?.warn("could not reload the changed catalog", { error: String(error) }),
    });
  }
  return tools;
}
