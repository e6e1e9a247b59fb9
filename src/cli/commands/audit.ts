/**
 * `runos audit [--tail N] [--json]`: the last tool calls the MCP servers made, from the audit log in
 * the state directory (mcp/audit.ts): when, which server and tool, how it ended, how long it took,
 * and what it sent to the API. Arguments are shown as logged, secrets already redacted.
 */
import type { Command } from "@commander-js/extra-typings";
import { type Env, processEnv, stateDir } from "../../auth/config.ts";
import { UsageError } from "../../errors.ts";
import { auditPath, readAudit } from "../../mcp/call/audit.ts";
import type { CliContext } from "../context.ts";

/** Seams for tests. */
export interface AuditCommandDeps {
  readonly env?: Env;
}

/** Register `runos audit`. */
export function registerAuditCommand(program: Command, context: CliContext, deps: AuditCommandDeps = {}): void {
  program
    .command("audit")
    .description("show the last tool calls of the MCP servers (the audit log; `mcp serve --no-audit` turns it off)")
    .option("--tail <n>", "how many calls, newest last", "20")
    .action(async (options) => {
      const tail = Number(options.tail);
      if (!Number.isInteger(tail) || tail < 1) throw new UsageError(`--tail must be a positive whole number; got "${options.tail}"`, { hint: "e.g. runos audit --tail 50" });
      const path = auditPath(stateDir(deps.env ?? processEnv()));
      const entries = await readAudit(path, tail);
      if (context.globals().json) {
        context.stdout(JSON.stringify(entries, null, 2));
        return;
      }
      if (entries.length === 0) {
        context.stdout(`No tool calls logged yet (${path}).`);
        return;
      }
      const rows = entries.map((entry) => [
        entry.time.replace("T", " ").replace(/\.\d+Z$/, "Z"),
        entry.server,
        entry.tool,
        entry.outcome === "ok" ? "ok" : `error ${entry.error?.type ?? ""}`.trim(),
        `${entry.durationMs} ms`,
        entry.requests.map((request) => `${request.method} ${request.path}`).join(", ") || "-",
      ]);
      const header = ["TIME", "SERVER", "TOOL", "OUTCOME", "TOOK", "REQUESTS"];
      const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
      const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ");
      context.stdout([line(header), ...rows.map(line)].join("\n"));
    });
}
