/**
 * The audit log: one JSON line per tool call (time, server, tool, arguments with every secret
 * redacted whatever the tier, outcome, duration, and the method and path of each request it sent),
 * and one per change of a server's tools (`event: "tools-changed"`: which tools a new catalog added,
 * removed, or moved to another method or endpoint), appended to `audit.jsonl` in the state directory. Four servers append at once: each line is one
 * `O_APPEND` write, which the kernel keeps whole. Past {@link AUDIT_MAX_BYTES} the file is rotated
 * (`audit.jsonl.1` … `.3`). Writing it never fails a call: a log that cannot be written costs a debug line.
 */
import { appendFileSync, renameSync, statSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OperationsDiff } from "../../catalog/diff.ts";
import { redactSensitive, redactText } from "../../redact/redact.ts";

/** One audited call. */
export interface AuditEntry {
  readonly time: string;
  readonly server: string;
  readonly tool: string;
  readonly arguments: unknown;
  readonly outcome: "ok" | "error";
  /** The error's kind and message when it failed (redacted). */
  readonly error?: { readonly type: string; readonly message: string };
  readonly durationMs: number;
  /** What reached the API, in order: `GET /acme/i4y/services`. */
  readonly requests: readonly { readonly method: string; readonly path: string }[];
}

/** What replaced a server's tools. */
export type ToolsChangeCause = "sync" | "reload" | "manifest_update" | "runos manifest update";

/**
 * A change of one server's tools: a newer catalog added, removed, or changed (same name, another
 * method or endpoint) the tools its tier allows. Written only when one of the lists is not empty.
 */
export interface ToolsChangedEntry extends OperationsDiff {
  readonly time: string;
  readonly server: string;
  readonly event: "tools-changed";
  /** The catalog version before and after. */
  readonly from: string;
  readonly to: string;
  /** The background check (`sync`), another process's cache write (`reload`), the tool or the CLI verb. */
  readonly by?: ToolsChangeCause;
}

/** One line of the log. Call entries have no `event`, as they always had. */
export type AuditRecord = AuditEntry | ToolsChangedEntry;

/** Whether a line of the log is a tool call. */
export function isCallEntry(record: unknown): record is AuditEntry {
  const value = record as Partial<AuditRecord & { event: unknown }> | null;
  return typeof value === "object" && value !== null && value.event === undefined && typeof (value as Partial<AuditEntry>).tool === "string";
}

/** Whether a line of the log is a change of a server's tools. */
export function isToolsChanged(record: unknown): record is ToolsChangedEntry {
  const value = record as Partial<ToolsChangedEntry> | null;
  return typeof value === "object" && value !== null && value.event === "tools-changed" && Array.isArray(value.added) &&
    Array.isArray(value.removed) && Array.isArray(value.changed);
}

/** Where entries go. */
export interface AuditLog {
  readonly path: string;
  record(entry: AuditRecord): Promise<void>;
}

/** Size at which the log is rotated. */
export const AUDIT_MAX_BYTES = 5 * 1024 * 1024;
/** Rotated generations kept. */
export const AUDIT_KEEP = 3;
/** Longest arguments kept in one line (a line stays one short append). */
const MAX_ARGUMENT_CHARS = 2_000;

/** The log file of a state directory. */
export function auditPath(stateDirectory: string): string {
  return join(stateDirectory, "audit.jsonl");
}

/** What is kept of a call's arguments: redacted, and cut when long. */
export function auditArguments(args: unknown): unknown {
  const safe = JSON.parse(withoutTokens(JSON.stringify(redactSensitive(args)) ?? "null")) as unknown;
  const text = JSON.stringify(safe) ?? "null";
  return text.length <= MAX_ARGUMENT_CHARS ? safe : { truncated: `${redactText(text).slice(0, MAX_ARGUMENT_CHARS)}…` };
}

/** An audit log appending to `path`, rotated by size; `onError` hears of writes that failed. */
export function auditLogAt(path: string, options: { maxBytes?: number; keep?: number; onError?: (error: unknown) => void } = {}): AuditLog {
  const maxBytes = options.maxBytes ?? AUDIT_MAX_BYTES;
  const keep = options.keep ?? AUDIT_KEEP;
  let ready: Promise<unknown> | undefined;
  return {
    path,
    record: async (entry) => {
      try {
        ready ??= mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await ready;
        // Synchronous: a stat and one small local append take microseconds, where each asynchronous
        // file operation's round trip through the runtime's thread pool added about 0.05 ms to a call.
        rotateIfFull(path, maxBytes, keep);
        appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      } catch (error) {
        options.onError?.(error);
      }
    },
  };
}

function rotateIfFull(path: string, maxBytes: number, keep: number): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size < maxBytes) return;
  const move = (from: string, to: string) => {
    try {
      renameSync(from, to);
    } catch {
      // a generation that does not exist (yet) has nothing to move
    }
  };
  for (let generation = keep - 1; generation >= 1; generation--) move(`${path}.${generation}`, `${path}.${generation + 1}`);
  // Another server may have rotated first: then there is nothing to move.
  move(path, `${path}.1`);
}

/** The last `tail` tool calls, oldest first, from the log and its rotated generations; other lines are skipped. */
export function readAudit(path: string, tail: number, keep = AUDIT_KEEP): Promise<AuditEntry[]> {
  return readRecords(path, tail, keep, isCallEntry);
}

/** The last `tail` lines of every kind (calls and tool changes), oldest first. */
export function readAuditRecords(path: string, tail: number, keep = AUDIT_KEEP): Promise<AuditRecord[]> {
  return readRecords(path, tail, keep, (record): record is AuditRecord => isCallEntry(record) || isToolsChanged(record));
}

/** The last `tail` changes of a server's tools, oldest first. */
export function readToolsChanges(path: string, tail: number, keep = AUDIT_KEEP): Promise<ToolsChangedEntry[]> {
  return readRecords(path, tail, keep, isToolsChanged, '"tools-changed"');
}

/**
 * The last `tail` lines `accept` takes, newest generation first until there are enough. A line
 * without `mark` in it is not parsed (a cheap skip of the kinds not asked for).
 */
async function readRecords<T>(path: string, tail: number, keep: number, accept: (record: unknown) => record is T, mark?: string): Promise<T[]> {
  const entries: T[] = [];
  for (const file of [path, ...Array.from({ length: keep }, (_, index) => `${path}.${index + 1}`)]) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    const lines = text.split("\n").filter((line) => line.trim() !== "" && (mark === undefined || line.includes(mark)));
    const parsed: T[] = [];
    for (const line of lines) {
      try {
        const record: unknown = JSON.parse(line);
        if (accept(record)) parsed.push(record);
      } catch {
        // a line cut by a crash: skip it
      }
    }
    entries.unshift(...parsed);
    if (entries.length >= tail) break;
  }
  return entries.slice(-tail);
}

/** A destructive call's confirmation token (call/confirm_token.ts): kept out of the log, as over HTTP one works until it expires. */
const CONFIRM_TOKEN = /rc1\.[0-9a-z]{1,12}\.[\w-]{16}\.[\w-]+/g;

/** `text` with every confirmation token in it replaced. */
export function withoutTokens(text: string): string {
  return text.replace(CONFIRM_TOKEN, "rc1.[token]");
}
