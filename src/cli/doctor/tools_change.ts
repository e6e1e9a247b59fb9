/**
 * Doctor's line on the last change of the servers' tools, from the audit log: when, from which
 * catalog version to which, what made it, and per server how many tools were added, removed or
 * changed. The servers and `runos manifest update` write one line per server whose tools changed;
 * the lines of one change (the same two versions) are shown together.
 */
import { diffCounts } from "../../catalog/diff.ts";
import { readToolsChanges, type ToolsChangedEntry } from "../../mcp/call/audit.ts";
import { ago } from "./catalog.ts";
import type { Check } from "./check.ts";

/** How many of the last change lines are read to gather one change's servers (four servers, each maybe twice). */
const LINES_READ = 16;

/** The check; `auditFile` is the audit log of the state directory. */
export async function checkToolsChange(auditFile: string, now: () => number = Date.now): Promise<Check> {
  const changes = await readToolsChanges(auditFile, LINES_READ);
  const last = changes.at(-1);
  if (last === undefined) return { id: "tools-change", title: "Tool changes", status: "info", summary: "no change of the servers' tools recorded yet" };
  // The first line of the change says when and what made it; a server that reloaded what
  // `runos manifest update` fetched wrote the same change again, so one line per server is shown.
  const lines = changes.filter((entry) => entry.from === last.from && entry.to === last.to);
  const first = lines[0] ?? last;
  const byServer = new Map<string, ToolsChangedEntry>();
  for (const entry of lines) if (!byServer.has(entry.server)) byServer.set(entry.server, entry);
  const when = Number.isFinite(Date.parse(first.time)) ? `${ago(now() - Date.parse(first.time))}, ` : "";
  const by = first.by === undefined ? "" : ` by ${first.by}`;
  const servers = [...byServer.values()].map((entry) => `${entry.server} ${diffCounts(entry)}`).join("; ");
  return {
    id: "tools-change",
    title: "Tool changes",
    status: "info",
    summary: `last ${when}version ${first.from} → ${first.to}${by}: ${servers}`,
    fix: "which tools, with their methods and endpoints: runos audit --json",
  };
}
