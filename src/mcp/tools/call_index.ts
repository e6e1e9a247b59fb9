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
 * a table line (name → entry number; each entry's offset, length and SHA-256), then the entries, one
 * JSON text each. A lookup parses the header and the table once, then only the one entry it needs,
 * checked against its digest. The header is trusted only for exactly this start's key (as the stored
 * listing's is, mcp/tools/listing_cache.ts) and when the file has exactly the length it says; an entry
 * only when whole. A file that fails any check is never served: the registry answers, and the index
 * is derived again. Written atomically.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { readBytesIfExists, writeFileAtomic } from "../../atomic_write.ts";
import { type Operation, toOperation } from "../../catalog/operation.ts";
import type { Command } from "../../catalog/schema.ts";
import { type ErrorKind, NotFoundError, PermissionDeniedError, RunosError } from "../../errors.ts";
import { decide, runsUnasked } from "../../policy/decide.ts";
import type { Tier } from "../../policy/tier.ts";
import { BUILTIN_TOOLS, type BuiltinName, type BuiltinTool, PREVIEW_DESTRUCTIVE_TOOL } from "./builtin_tools.ts";
import { callToolTool, DESCRIBE_TOOLS_TOOL, META_TOOL_NAMES, SEARCH_TOOLS_TOOL } from "./discovery_tools.ts";
import type { ListingKey } from "./listing_cache.ts";
import { askingEntry, BUILTIN_NAMES, refusedName, type Resolution, type ToolRegistry, type ToolsMode } from "./registry.ts";
import { buildOperationTool } from "./tool_definition.ts";

/** The format of the file; bump it with any change to what is stored or how. */
export const CALL_INDEX_FORMAT = 1;

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

/** One entry of the index. */
type Entry =
  | { readonly operation: StoredOperation }
  | { readonly builtin: BuiltinName }
  | { readonly refused: ErrorKind; readonly message: string; readonly hint?: string };

/** The table line: each name's entry number, then where each entry lies in the entries and its digest. */
interface Table {
  readonly names: Readonly<Record<string, number>>;
  readonly entries: readonly (readonly [offset: number, length: number, sha256: string])[];
  readonly jobShow?: number;
  readonly clustersList?: number;
}

/** The refusals an index restores, by kind: the only ones a registry answers for a name. */
const REFUSALS: Readonly<Partial<Record<ErrorKind, new (message: string, options?: { hint?: string }) => RunosError>>> = {
  PermissionDeniedError,
  NotFoundError,
};

const KEY_FIELDS = ["runos", "build", "schemaRevision", "catalogSha256", "tier", "mode", "defaultCluster"] as const;
const NEWLINE = 0x0a;

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
  const entries: [number, number, string][] = [];
  const numbers = new Map<string, number>();
  let offset = 0;
  const add = (entry: Entry): number => {
    const text = JSON.stringify(entry);
    const known = numbers.get(text);
    if (known !== undefined) return known;
    const bytes = Buffer.from(text);
    texts.push(bytes);
    entries.push([offset, bytes.byteLength, sha256(bytes)]);
    offset += bytes.byteLength;
    numbers.set(text, entries.length - 1);
    return entries.length - 1;
  };
  const stored = (operation: Operation): Entry => ({ operation: { toolName: operation.toolName, command: operation.source } });

  const table: Record<string, number> = Object.create(null);
  for (const name of [...names].sort()) {
    const resolution = registry.resolve(name);
    if (resolution.kind === "listed") {
      const tool = resolution.tool;
      table[name] = add(tool.kind === "operation" ? stored(tool.operation) : { builtin: tool.name });
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
    ...(registry.jobShow === undefined ? {} : { jobShow: add(stored(registry.jobShow)) }),
    ...(clustersList === undefined ? {} : { clustersList: add(stored(clustersList)) }),
  } satisfies Table));
  const body = Buffer.concat(texts);
  const header = { format: CALL_INDEX_FORMAT, ...key, table: tableText.byteLength, tableSha256: sha256(tableText), entries: body.byteLength };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), tableText, Buffer.from("\n"), body]);
}

/** The index the file's `bytes` hold for `key`, or undefined when it is not whole, not ours, or not for this key. */
export function openCallIndex(bytes: Uint8Array, key: ListingKey): CallIndex | undefined {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parse = (slice: Uint8Array): unknown => {
    try {
      return JSON.parse(decoder.decode(slice));
    } catch {
      return undefined;
    }
  };
  const newline = bytes.indexOf(NEWLINE);
  if (newline < 0) return undefined;
  const header = parse(bytes.subarray(0, newline));
  if (!isRecord(header) || header.format !== CALL_INDEX_FORMAT) return undefined;
  for (const field of KEY_FIELDS) if (header[field] !== key[field]) return undefined;
  if (JSON.stringify(header.scope) !== JSON.stringify(key.scope)) return undefined;
  const { table: tableLength, entries: entriesLength } = header;
  if (typeof tableLength !== "number" || typeof entriesLength !== "number") return undefined;
  const tableEnd = newline + 1 + tableLength;
  if (bytes.byteLength !== tableEnd + 1 + entriesLength || bytes[tableEnd] !== NEWLINE) return undefined;
  const tableBytes = bytes.subarray(newline + 1, tableEnd);
  if (header.tableSha256 !== sha256(tableBytes)) return undefined;
  const table = parse(tableBytes);
  if (!isRecord(table) || !isRecord(table.names) || !Array.isArray(table.entries)) return undefined;
  const { names, entries } = table as unknown as Table;
  const body = bytes.subarray(tableEnd + 1);

  let intact = true;
  /** Entry `number`, read and checked; undefined (and the index no longer intact) when it is not whole. */
  const entryAt = (number: unknown): Entry | undefined => {
    const place = typeof number === "number" ? entries[number] : undefined;
    const entry = Array.isArray(place) ? readEntry(body, place, parse) : undefined;
    if (entry === undefined) intact = false;
    return entry;
  };
  const operationAt = (number: unknown): Operation | undefined => {
    if (number === undefined) return undefined;
    const entry = entryAt(number);
    return entry !== undefined && "operation" in entry ? restoreOperation(entry.operation) : undefined;
  };
  const jobShow = operationAt(table.jobShow);
  const clustersList = operationAt(table.clustersList);
  if (!intact) return undefined;

  const tier = key.tier;
  const asHere = <T extends BuiltinTool | ReturnType<typeof buildOperationTool>>(tool: T): T => (runsUnasked(tier) ? tool : askingEntry(tool));
  return {
    ...(jobShow === undefined ? {} : { jobShow }),
    ...(clustersList === undefined ? {} : { clustersList }),
    get intact() {
      return intact;
    },
    resolve(name) {
      if (!intact) return undefined;
      if (!Object.hasOwn(names, name)) return { kind: "refused", error: refusedName(tier, name) };
      const entry = entryAt(names[name]);
      if (entry === undefined) return undefined;
      if ("refused" in entry) {
        const Refusal = REFUSALS[entry.refused];
        if (Refusal !== undefined) return { kind: "refused", error: new Refusal(entry.message, entry.hint === undefined ? {} : { hint: entry.hint }) };
      } else if ("builtin" in entry) {
        const tool = builtinTool(tier, entry.builtin);
        if (tool !== undefined) return { kind: "listed", tool: asHere(tool) };
      } else {
        const operation = restoreOperation(entry.operation);
        const decision = decide(tier, operation);
        if (decision.kind !== "deny") {
          return { kind: "listed", tool: asHere(buildOperationTool(operation, tier, decision, { hasDefaultCluster: key.defaultCluster })) };
        }
      }
      intact = false; // whole, yet not what this build writes
      return undefined;
    },
  };
}

/** The entry at `place` in `body`, when it lies inside it and has the digest the table says. */
function readEntry(body: Uint8Array, place: readonly unknown[], parse: (slice: Uint8Array) => unknown): Entry | undefined {
  const [offset, length, digest] = place;
  if (typeof offset !== "number" || typeof length !== "number" || offset < 0 || length <= 0 || offset + length > body.byteLength) return undefined;
  const slice = body.subarray(offset, offset + length);
  if (digest !== sha256(slice)) return undefined;
  const entry = parse(slice);
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
    read: async () => {
      try {
        const bytes = await readBytesIfExists(path);
        return bytes === undefined ? undefined : openCallIndex(bytes, key);
      } catch {
        return undefined; // an unreadable index is derived again
      }
    },
    write: (registry, clustersList) => writeFileAtomic(path, callIndexBytes(key, registry, clustersList), { mode: 0o600, dirMode: 0o700 }),
  };
}
