/**
 * The `manifest_update` tool: refresh the catalog from the API, rebuild this server's tools and
 * announce `notifications/tools/list_changed`. The answer tells the model to re-read the list, and
 * that clients ignoring the notification (Codex) need a restart.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Operation } from "../../catalog/operation.ts";
import type { Tier } from "../../policy/tier.ts";
import type { ToolsChangeCause } from "../call/audit.ts";
import { MANIFEST_UPDATE } from "./builtin_tools.ts";
import type { ToolHolder } from "./registry.ts";
import { textResult } from "../call/result.ts";

/** Where a server's catalog comes from and goes to. */
export interface CatalogSource {
  /** Download the catalog (`updateCatalog`); throws when not signed in or the API fails. */
  update(options: { force?: boolean }): Promise<{ changed: boolean; version: string; operations: readonly Operation[] }>;
  /** Read the cached catalog again (after the cache file changed). */
  reload?(): Promise<{ version: string; operations: readonly Operation[] }>;
  /** The cache file to watch for changes made by other runos processes. */
  readonly watchPath?: string;
}

/** What manifest_update needs from the server. */
export interface ManifestUpdateHost {
  readonly tier: Tier;
  readonly source: CatalogSource;
  /** The server's tools: replaced when the catalog changed. */
  readonly tools: ToolHolder;
  /** Called after a replacement, saying what made it (the audit log keeps it; the server sends tools/list_changed). */
  readonly toolsReplaced?: (cause?: ToolsChangeCause) => Promise<void>;
}

/** Run manifest_update; errors propagate to the call path, which turns them into isError results. */
export async function runManifestUpdate(host: ManifestUpdateHost, options: { force?: boolean }): Promise<CallToolResult> {
  const before = host.tools.current();
  const previous = before.catalogVersion ?? "unknown";
  const update = await host.source.update(options);
  if (!update.changed && update.version === previous) {
    return textResult(`Command list already current (version ${update.version}); the tools did not change.`, { tier: host.tier, command: MANIFEST_UPDATE }, {
      changed: false,
      version: update.version,
    });
  }
  const after = host.tools.replace(update.operations, update.version);
  await host.toolsReplaced?.("manifest_update");
  const oldNames = new Set(before.tools.map((tool) => tool.name));
  const newNames = new Set(after.tools.map((tool) => tool.name));
  const added = [...newNames].filter((name) => !oldNames.has(name));
  const removed = [...oldNames].filter((name) => !newNames.has(name));
  const text = `Command list refreshed from ${previous} to ${update.version}: ${after.tools.length} tools ` +
    `(${added.length} added, ${removed.length} removed). The tool list has changed; re-read it. ` +
    "Clients that ignore notifications/tools/list_changed, like Codex, need a restart to see the new tools.";
  return textResult(text, { tier: host.tier, command: MANIFEST_UPDATE }, { changed: true, from: previous, version: update.version, added, removed });
}
