/**
 * `runos audit [--tail N] [--json]`: the last tool calls the MCP servers made, from the audit log in
 * the state directory (mcp/call/audit.ts): when, which server and tool, how it ended, how long it
 * took, and what it sent to the API; and, in between, each change of a server's tools (which catalog
 * versions, how many tools added, removed or changed; `--json` has the tools). Arguments are shown as
 * logged, secrets already redacted.
 */
import type { Command } from "@commander-js/extra-typings";
import { type Env, processEnv, stateDir } from "../../auth/config.ts";
import { UsageError } from "../../errors.ts";
import { diffCounts } from "../../catalog/diff.ts";
import { type AuditEntry, auditPath, readAuditRecords, type ToolsChangedEntry } from "../../mcp/call/audit.ts";
import type { CliContext } from "../context.ts";

/** Seams for tests. */
export interface AuditCommandDeps {
  readonly env?: Env;
}

/** Register `runos audit`. */
export function registerAuditCommand(program: Command, context: CliContext, deps: AuditCommandDeps = {}): void {
  program
    .command("audit")
    .description("show the last tool calls and tool changes of the MCP servers (the audit log; `mcp serve --no-audit` turns it off)")
    .option("--tail <n>", "how many lines, newest last", "20")
    .action(async (options) => {
      const tail = Number(options.tail);
      if (!Number.isInteger(tail) || tail < 1) throw new UsageError(`--tail must be a positive whole number; got "${options.tail}"`, { hint: "e.g. runos audit --tail 50" });
      const path = auditPath(stateDir(deps.env ?? processEnv()));
      const entries = await readAuditRecords(path, tail);
      if (context.globals().json) {
        context.stdout(JSON.stringify(entries, null, 2));
        return;
      }
      if (entries.length === 0) {
        context.stdout(`No tool calls logged yet (${path}).`);
        return;
      }
      // A change of tools is one row whose text runs on from the SERVER column.
      const rows = entries.map((entry) => "event" in entry ? changeRow(entry) : callRow(entry));
      const header = ["TIME", "SERVER", "TOOL", "OUTCOME", "TOOK", "REQUESTS"];
      const widths = header.map((title, column) => Math.max(title.length, ...rows.filter((row) => row.length > column + 1).map((row) => row[column]!.length)));
      const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ");
      const lines = [line(header), ...rows.map(line)];
      if (entries.some((entry) => "event" in entry)) lines.push("", "The tools of each change, with their methods and endpoints: runos audit --json");
      context.stdout(lines.join("\n"));
    });
}

function shortTime(time: string): string {
  return time.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function callRow(entry: AuditEntry): string[] {
  return [
    shortTime(entry.time),
    entry.server,
    entry.tool,
    entry.outcome === "ok" ? "ok" : `error ${entry.error?.type ?? ""}`.trim(),
    `${entry.durationMs} ms`,
    entry.requests.map((request) => `${request.method} ${request.path}`).join(", ") || "-",
  ];
}

/** `tools changed 1.0.0 → 2.0.0 by sync: 1 added, 1 removed, 1 changed`. */
function changeRow(entry: ToolsChangedEntry): string[] {
  return [shortTime(entry.time), entry.server, `tools changed ${entry.from} → ${entry.to}${entry.by === undefined ? "" : ` by ${entry.by}`}: ${diffCounts(entry)}`];
}
