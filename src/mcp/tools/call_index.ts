/**
 * A tier's call index: what resolving and running one tool call needs, derived from the registry
 * once per catalog text and runos build and kept beside the stored listing
 * (`<cacheDir>/<profile>/tools.<tier>.<mode>.index`), so that a server whose tools/list was answered
 * from the stored listing answers its first calls without parsing the catalog or building its
 * registry (a RunOS-sized one costs tens of milliseconds).
 *
 * For every name a call may use here (a listed tool, one hidden by toolsets or by the discovery mode,
 * a shortened name's full spelling, a built-in) it holds that tool's catalog command; for every name
 * of another tier's operation, the refusal that names the server that has it; and the catalog's
 * job-show and cluster-list operations, which a call follows jobs and looks clusters up through. Any
 * other name is refused exactly as the registry refuses it ({@link refusedName}).
 *
 * The file is a header line (the listing's key, the table's length and SHA-256, the entries' length),
 * a table line (name → entry number, each entry's offset and length, the job-show and cluster-list
 * operations), then the entries, each its JSON text after that text's SHA-256. Opening reads the
 * header and the table; a lookup reads and parses only the one entry it needs, checked against its
 * digest. The header is trusted only for exactly this start's key (as the stored listing's is,
 * mcp/tools/listing_cache.ts) and when the file has exactly the length it says. A file that fails any
 * check is never served: the registry answers, and the index is derived again. Written atomically.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { writeFileAtomic } from "../../atomic_write.ts";
import { type Operation, toOperation } from "../../catalog/operation.ts";
import type { Command } from "../../catalog/schema.ts";
import { type ErrorKind, NotFoundError, PermissionDeniedError, RunosError } from "../../errors.ts";
import { decide, runsUnasked } from "../../policy/decide.ts";
import type { Tier } from "../../policy/tier.ts";
import { BUILTIN_TOOLS, type BuiltinName, type BuiltinTool, PREVIEW_DESTRUCTIVE_TOOL } from "./builtin_tools.ts";
import { callToolTool, DESCRIBE_TOOLS_TOOL, META_TOOL_NAMES, SEARCH_TOOLS_TOOL } from "./discovery_tools.ts";
import { type ListingKey, namesKey } from "./listing_cache.ts";
import { askingEntry, BUILTIN_NAMES, refusedName, type Resolution, type ToolRegistry, type ToolsMode } from "./registry.ts";
import { buildOperationTool, type OperationTool } from "./tool_definition.ts";

/** The format of the file (never a listing's): change it with any change to what is stored or how. */
export const CALL_INDEX_FORMAT = "runos call index 1";

/** A tier's call index, opened: each lookup reads and checks one entry. */
export interface CallIndex {
  /**
   * What a call of `name` resolves to, exactly as the registry would resolve it; undefined when the
   * entry is not whole (the index is then {@link CallIndex.intact | not intact}, and the registry answers).
   */
  resolve(name: string): Resolution | undefined;
  /** The catalog's command that shows a job (api/jobs.ts), when it has one. */
  readonly jobShow?: Operation;
  /** The operation that lists clusters, when this tier may call one (cluster_names.ts). */
  readonly clustersList?: Operation;
  /** False once an entry failed its check: nothing more is served from this index. */
  readonly intact: boolean;
}

/** Where `profile`'s call index of `tier` in `mode` is kept: beside the stored listing. */
export function callIndexPath(profile: string, cacheDir: string, tier: Tier, mode: ToolsMode): string {
  return join(cacheDir, profile, `tools.${tier}.${mode}.index`);
}

/** A catalog operation as stored: its command as the catalog served it, and its (de-duplicated) tool name. */
interface StoredOperation {
  readonly toolName: string;
  readonly command: Command;
}

/** One entry of the index: what one name resolves to. */
type Entry =
  | { readonly operation: StoredOperation }
  | { readonly builtin: BuiltinName }
  | { readonly refused: ErrorKind; readonly message: string; readonly hint?: string };

/**
 * The table line: each name's entry number; each entry's offset and length among the entries; the
 * job-show and cluster-list operations, small and needed by few calls.
 */
interface Table {
  readonly names: Readonly<Record<string, number>>;
  readonly entries: readonly (readonly [offset: number, length: number])[];
  readonly jobShow?: StoredOperation;
  readonly clustersList?: StoredOperation;
}

/** Bytes of an index, read where a lookup needs them: the file's, or (tests) bytes in memory. */
export interface IndexSource {
  readonly size: number;
  /** `length` bytes from `position` (fewer at the end). */
  read(position: number, length: number): Uint8Array;
}

/** The refusals an index restores, by kind: the only ones a registry answers for a name. */
const REFUSALS: Readonly<Partial<Record<ErrorKind, new (message: string, options?: { hint?: string }) => RunosError>>> = {
  PermissionDeniedError,
  NotFoundError,
};

const NEWLINE = 0x0a;
/** An entry's SHA-256 in hex, before its JSON text. */
const DIGEST_CHARS = 64;
/** How much of the file the first read takes: the header and, for a RunOS-sized catalog, the table. */
const FIRST_READ = 64 * 1024;

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The index file of `registry` under `key`: every name a call may use resolved once through the
 * registry itself, so that the index answers what it would. `clustersList` is the registry's cluster
 * lister (findClustersList over its callable operations), looked up by the caller.
 */
export function callIndexBytes(key: ListingKey, registry: ToolRegistry, clustersList: Operation | undefined): Uint8Array {
  const names = new Set<string>(BUILTIN_NAMES);
  for (const operation of registry.operations) names.add(operation.toolName).add(operation.verbPath.join("_"));
  for (const tool of registry.callable()) names.add(tool.name);

  const texts: Buffer[] = [];
  const entries: [number, number][] = [];
  const numbers = new Map<string, number>();
  let offset = 0;
  const add = (entry: Entry): number => {
    const json = JSON.stringify(entry);
    const known = numbers.get(json);
    if (known !== undefined) return known;
    const text = Buffer.from(json);
    const bytes = Buffer.concat([Buffer.from(sha256(text)), text]);
    texts.push(bytes);
    entries.push([offset, bytes.byteLength]);
    offset += bytes.byteLength;
    numbers.set(json, entries.length - 1);
    return entries.length - 1;
  };
  const stored = (operation: Operation): StoredOperation => ({ toolName: operation.toolName, command: operation.source });

  const table: Record<string, number> = Object.create(null);
  for (const name of [...names].sort()) {
    const resolution = registry.resolve(name);
    if (resolution.kind === "listed") {
      const tool = resolution.tool;
      table[name] = add(tool.kind === "operation" ? { operation: stored(tool.operation) } : { builtin: tool.name });
      continue;
    }
    const { error } = resolution;
    const unknown = refusedName(key.tier, name);
    if (error.kind === unknown.kind && error.message === unknown.message && error.hint === unknown.hint) continue;
    table[name] = add({ refused: error.kind, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) });
  }
  const tableText = Buffer.from(JSON.stringify({
    names: table,
    entries,
    ...(registry.jobShow === undefined ? {} : { jobShow: stored(registry.jobShow) }),
    ...(clustersList === undefined ? {} : { clustersList: stored(clustersList) }),
  } satisfies Table));
  const body = Buffer.concat(texts);
  const header = { format: CALL_INDEX_FORMAT, ...key, table: tableText.byteLength, tableSha256: sha256(tableText), entries: body.byteLength };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), tableText, Buffer.from("\n"), body]);
}

/** Bytes in memory as an index's source. */
export function bytesSource(bytes: Uint8Array): IndexSource {
  return { size: bytes.byteLength, read: (position, length) => bytes.subarray(position, position + length) };
}

/**
 * The index `source` holds for `key`, or undefined when it is not whole, not ours, or not for this
 * key. Only the header and the table are read now; each entry at its first lookup.
 */
export function openCallIndex(source: IndexSource, key: ListingKey): CallIndex | undefined {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parse = (slice: Uint8Array): unknown => {
    try {
      return JSON.parse(decoder.decode(slice));
    } catch {
      return undefined;
    }
  };
  const first = source.read(0, FIRST_READ);
  const newline = first.indexOf(NEWLINE);
  if (newline < 0) return undefined;
  const header = parse(first.subarray(0, newline));
  if (!isRecord(header) || header.format !== CALL_INDEX_FORMAT || !namesKey(header, key)) return undefined;
  const { table: tableLength, entries: entriesLength } = header;
  if (!isLength(tableLength) || !isLength(entriesLength)) return undefined;
  const tableStart = newline + 1;
  const bodyStart = tableStart + tableLength + 1;
  if (source.size !== bodyStart + entriesLength) return undefined;
  const tableLine = bodyStart <= first.byteLength ? first.subarray(tableStart, bodyStart) : source.read(tableStart, tableLength + 1);
  if (tableLine.byteLength !== tableLength + 1 || tableLine[tableLength] !== NEWLINE) return undefined;
  const tableBytes = tableLine.subarray(0, tableLength);
  if (header.tableSha256 !== sha256(tableBytes)) return undefined;
  const table = parse(tableBytes);
  if (!isRecord(table) || !isRecord(table.names) || !Array.isArray(table.entries)) return undefined;
  const { names, entries, jobShow, clustersList } = table as unknown as Table;

  let intact = true;
  /** Entry `number`, read and checked; undefined (and the index no longer intact) when it is not whole. */
  const entryAt = (number: unknown): Entry | undefined => {
    const place = typeof number === "number" ? entries[number] : undefined;
    let entry: Entry | undefined;
    try {
      entry = Array.isArray(place) ? readEntry(source, bodyStart, entriesLength, place, parse) : undefined;
    } catch {
      entry = undefined; // the file went away or became unreadable
    }
    if (entry === undefined) intact = false;
    return entry;
  };
  const tier = key.tier;
  const asHere = <T extends BuiltinTool | OperationTool>(tool: T): T => (runsUnasked(tier) ? tool : askingEntry(tool));
  const restored = (stored: StoredOperation | undefined) => {
    let operation: Operation | undefined;
    return () => (operation ??= stored === undefined ? undefined : restoreOperation(stored));
  };
  const jobShowOperation = restored(jobShow);
  const clustersListOperation = restored(clustersList);
  /** Each listed name as first resolved: its entry is read, checked and built into a tool once, not at every call. */
  const resolved = new Map<string, Resolution>();
  const resolveEntry = (name: string): Resolution | undefined => {
    const entry = entryAt(names[name]);
    if (entry === undefined) return undefined;
    if ("refused" in entry) {
      const Refusal = REFUSALS[entry.refused];
      if (Refusal !== undefined) return { kind: "refused", error: new Refusal(entry.message, entry.hint === undefined ? {} : { hint: entry.hint }) };
    } else if ("builtin" in entry) {
      const tool = builtinTool(tier, entry.builtin);
      if (tool !== undefined) return { kind: "listed", tool: asHere(tool) };
    } else if (isRecord(entry.operation)) {
      const operation = restoreOperation(entry.operation);
      const decision = decide(tier, operation);
      if (decision.kind !== "deny") {
        return { kind: "listed", tool: asHere(buildOperationTool(operation, tier, decision, { hasDefaultCluster: key.defaultCluster })) };
      }
    }
    intact = false; // whole, yet not what this build writes
    return undefined;
  };
  return {
    get jobShow() {
      return jobShowOperation();
    },
    get clustersList() {
      return clustersListOperation();
    },
    get intact() {
      return intact;
    },
    resolve(name) {
      if (!intact) return undefined;
      if (!Object.hasOwn(names, name)) return { kind: "refused", error: refusedName(tier, name) };
      const known = resolved.get(name);
      if (known !== undefined) return known;
      const resolution = resolveEntry(name);
      // A refusal is made afresh each time (its error is thrown on), as the registry makes one.
      if (resolution?.kind === "listed") resolved.set(name, resolution);
      return resolution;
    },
  };
}

function isLength(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** The entry at `place` among the entries (which start at `bodyStart`), when it lies among them and has the digest it carries. */
function readEntry(source: IndexSource, bodyStart: number, bodyLength: number, place: readonly unknown[], parse: (slice: Uint8Array) => unknown): Entry | undefined {
  const [offset, length] = place;
  if (!isLength(offset) || !isLength(length) || length <= DIGEST_CHARS || offset + length > bodyLength) return undefined;
  const bytes = source.read(bodyStart + offset, length);
  if (bytes.byteLength !== length) return undefined;
  const text = bytes.subarray(DIGEST_CHARS);
  if (new TextDecoder().decode(bytes.subarray(0, DIGEST_CHARS)) !== sha256(text)) return undefined;
  const entry = parse(text);
  return isRecord(entry) ? entry as Entry : undefined;
}

/** The operation a stored one was made from: the same catalog command, the same tool name. */
function restoreOperation(stored: StoredOperation): Operation {
  return { ...toOperation(stored.command), toolName: stored.toolName };
}

/** The built-in of that name as `tier` has it. */
function builtinTool(tier: Tier, name: BuiltinName): BuiltinTool | undefined {
  if (!META_TOOL_NAMES.has(name)) return BUILTIN_TOOLS.get(name) ?? (name === PREVIEW_DESTRUCTIVE_TOOL.name ? PREVIEW_DESTRUCTIVE_TOOL : undefined);
  return name === SEARCH_TOOLS_TOOL.name ? SEARCH_TOOLS_TOOL : name === DESCRIBE_TOOLS_TOOL.name ? DESCRIBE_TOOLS_TOOL : callToolTool(tier);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A tier's call index file under one key: read at the first call, written once derived. */
export interface CallIndexFile {
  /** The index, or undefined (missing, unreadable, or not to be trusted). */
  read(): Promise<CallIndex | undefined>;
  /** Store the index of `registry` (whose cluster lister is `clustersList`), atomically. */
  write(registry: ToolRegistry, clustersList: Operation | undefined): Promise<void>;
}

/** The call index file at `path` under `key`. */
export function callIndexFile(path: string, key: ListingKey): CallIndexFile {
  return {
    read: () => {
      try {
        return Promise.resolve(openCallIndex(fileSource(path), key));
      } catch {
        return Promise.resolve(undefined); // a missing or unreadable index is derived again
      }
    },
    write: (registry, clustersList) => writeFileAtomic(path, callIndexBytes(key, registry, clustersList), { mode: 0o600, dirMode: 0o700 }),
  };
}

/**
 * The file at `path` as an index's source: its size now, and each read on its own (the file may be
 * replaced meanwhile; an entry read from another file fails its digest).
 */
function fileSource(path: string): IndexSource {
  const size = statSync(path).size;
  return {
    size,
    read: (position, length) => {
      const descriptor = openSync(path, "r");
      try {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - position)));
        const read = readSync(descriptor, bytes, 0, bytes.byteLength, position);
        return bytes.subarray(0, read);
      } finally {
        closeSync(descriptor);
      }
    },
  };
}
