/**
 * The oracle of what ran: the fake API's audit log (one entry per tool call any of the four sandbox
 * servers answered), read around a client run, and the questions cases ask of it.
 */
import { type AuditEntry, readAudit } from "../../src/mcp/call/audit.ts";
import type { ProbeCall } from "./probes.ts";

export type { AuditEntry };

/** More entries than a suite run writes: read the whole log. */
const WHOLE_LOG = 1_000_000;

/**
 * Run `during` (one client run) and return its value with the audit entries written meanwhile. Runs
 * going on at the same time share entries: a case that runs clients in parallel gives each run calls
 * to a different server, or matches on the tool.
 */
export async function auditDuring<T>(auditPath: string, during: () => Promise<T>): Promise<{ value: T; audit: AuditEntry[] }> {
  const before = (await readAudit(auditPath, WHOLE_LOG)).length;
  const value = await during();
  return { value, audit: (await readAudit(auditPath, WHOLE_LOG)).slice(before) };
}

/** The entries from `server`, of any tool: what a held probe's server must not show. */
export function entriesOn(audit: readonly AuditEntry[], server: string): AuditEntry[] {
  return audit.filter((entry) => entry.server === server);
}

/** The entry that shows `call` ran and succeeded (same server and tool, outcome ok), if there is one. */
export function ranOk(audit: readonly AuditEntry[], call: ProbeCall): AuditEntry | undefined {
  return audit.find((entry) => entry.server === call.server && entry.tool === call.tool && entry.outcome === "ok");
}

/** For a check's detail: `audit: runos clusters_list ok`, or `no ok audit entry of runos clusters_list`. */
export function auditNote(audit: readonly AuditEntry[], call: ProbeCall): string {
  return ranOk(audit, call) === undefined ? `no ok audit entry of ${call.server} ${call.tool}` : `audit: ${call.server} ${call.tool} ok`;
}

/** For a check's detail: the entries as `runos-write services_valkey_add ok`, comma-separated. */
export function describeEntries(audit: readonly AuditEntry[]): string {
  return audit.map((entry) => `${entry.server} ${entry.tool} ${entry.outcome}${entry.error === undefined ? "" : ` (${entry.error.message})`}`).join(", ");
}
