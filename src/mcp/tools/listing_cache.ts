/**
 * A tier's `tools/list` answer derived once per catalog text and runos build, kept beside the catalog
 * cache (`<cacheDir>/<profile>/tools.<tier>.<mode>.json`), so that a server signed in on a RunOS-sized
 * catalog answers its first tools/list without parsing the catalog or building its registry.
 *
 * The file is a header line (everything its listing depends on, and the listing's length and
 * SHA-256), then the tools array exactly as JSON.stringify wrote it. It is trusted only when every
 * field of the header equals what this start would derive it from: the runos release and build, the
 * catalog schema revision, the SHA-256 of the cached catalog text (which this build validated), the
 * tier, the `--tools` mode, the toolsets scoping and whether a default cluster is set; and the listing
 * is whole (length and digest). Anything else (stale, torn, foreign, unparsable) is ignored and
 * derived again. Only builds (a build commit) use it: from source, the code may change under the same
 * release; a build of a tree with uncommitted changes is told apart by its executable's size and time.
 * Written atomically, after the first answers.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import process from "node:process";
import { join } from "node:path";
import { readBytesIfExists, writeFileAtomic } from "../../atomic_write.ts";
import { CATALOG_SCHEMA_REVISION } from "../../catalog/defaults.ts";
import type { Toolsets } from "../../catalog/toolsets.ts";
import type { Tier } from "../../policy/tier.ts";
import { BUILD_COMMIT, VERSION } from "../../version.ts";
import type { ToolsMode } from "./registry.ts";

/** The format of the file; bump it with any change to what is stored or how. */
export const LISTING_FORMAT = 1;

/** Everything a tier's listing is derived from: a stored listing is used only when all of it is equal. */
export interface ListingKey {
  readonly runos: string;
  readonly build: string;
  readonly schemaRevision: number;
  readonly catalogSha256: string;
  readonly tier: Tier;
  readonly mode: ToolsMode;
  /** The service types a scoped account runs (sorted, lower case), or null: nothing hidden. */
  readonly scope: readonly string[] | null;
  readonly defaultCluster: boolean;
}

/** A listing as stored: the tools array's JSON text (UTF-8 bytes, written as they are read), and what the catalog was. */
export interface StoredListing {
  readonly toolsJson: Uint8Array;
  readonly catalogVersion: string;
  readonly commands: number;
}

/**
 * This executable's build: its commit, and for a build of a tree with uncommitted changes (`-dirty`,
 * the same commit across edits) also the executable's size and time, so that a rebuild after an edit
 * never reads the listings of the build before. Undefined from source.
 */
export function thisBuild(commit: string | undefined = BUILD_COMMIT): string | undefined {
  if (commit === undefined || !commit.endsWith("-dirty")) return commit;
  try {
    const stat = statSync(process.execPath);
    return `${commit}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * The key of this build for a validated catalog text, or undefined when running from source (no
 * build commit), where a listing is always derived afresh.
 */
export function listingKey(
  parts: { readonly catalogSha256: string; readonly tier: Tier; readonly mode: ToolsMode; readonly toolsets: Toolsets | null | undefined; readonly defaultCluster: boolean },
  build: string | undefined = thisBuild(),
): ListingKey | undefined {
  if (build === undefined) return undefined;
  const { toolsets } = parts;
  const scope = toolsets === null || toolsets === undefined || !toolsets.scoped
    ? null
    : [...new Set(toolsets.serviceTypes.map((type) => type.toLowerCase()))].sort();
  return {
    runos: VERSION,
    build,
    schemaRevision: CATALOG_SCHEMA_REVISION,
    catalogSha256: parts.catalogSha256,
    tier: parts.tier,
    mode: parts.mode,
    scope,
    defaultCluster: parts.defaultCluster,
  };
}

/** Where `profile`'s listing of `tier` in `mode` is kept. */
export function listingPath(profile: string, cacheDir: string, tier: Tier, mode: ToolsMode): string {
  return join(cacheDir, profile, `tools.${tier}.${mode}.json`);
}

const KEY_FIELDS = ["runos", "build", "schemaRevision", "catalogSha256", "tier", "mode", "defaultCluster"] as const;

/** Whether the header of a file derived from the catalog names exactly `key`: every field, the scope as a list. */
export function namesKey(header: Readonly<Record<string, unknown>>, key: ListingKey): boolean {
  return KEY_FIELDS.every((field) => header[field] === key[field]) && JSON.stringify(header.scope) === JSON.stringify(key.scope);
}

function sha256(text: Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The file's bytes for `listing` under `key`: a header line, then the listing. */
export function listingFileBytes(key: ListingKey, listing: StoredListing): Uint8Array {
  const header = {
    format: LISTING_FORMAT,
    ...key,
    catalogVersion: listing.catalogVersion,
    commands: listing.commands,
    bytes: listing.toolsJson.byteLength,
    sha256: sha256(listing.toolsJson),
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), listing.toolsJson]);
}

const NEWLINE = 0x0a;

/** The listing the file's `bytes` hold for `key`, or undefined when it is not whole, not ours, or not for this key. */
export function parseListingFile(bytes: Uint8Array, key: ListingKey): StoredListing | undefined {
  const newline = bytes.indexOf(NEWLINE);
  if (newline < 0) return undefined;
  let header: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, newline)));
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    header = value as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (header.format !== LISTING_FORMAT || !namesKey(header, key)) return undefined;
  const toolsJson = bytes.subarray(newline + 1);
  if (header.bytes !== toolsJson.byteLength || header.sha256 !== sha256(toolsJson)) return undefined;
  if (typeof header.catalogVersion !== "string" || typeof header.commands !== "number") return undefined;
  return { toolsJson, catalogVersion: header.catalogVersion, commands: header.commands };
}

/** The stored listing at `path` for `key`, or undefined (missing, unreadable, or not to be trusted). */
export async function readListing(path: string, key: ListingKey): Promise<StoredListing | undefined> {
  try {
    const bytes = await readBytesIfExists(path);
    return bytes === undefined ? undefined : parseListingFile(bytes, key);
  } catch {
    return undefined; // an unreadable listing is derived again
  }
}

/** Store `listing` under `key` at `path`, atomically. */
export async function writeListing(path: string, key: ListingKey, listing: StoredListing): Promise<void> {
  await writeFileAtomic(path, listingFileBytes(key, listing), { mode: 0o600, dirMode: 0o700 });
}

/**
 * Whether the SDK's `Server` would rewrite a tool of this listing for a 2025 client (an output schema
 * whose root is not an object): such a listing is answered by the SDK, never from a stored text.
 */
export function sdkRewritesListing(tools: readonly unknown[]): boolean {
  return tools.some((tool) => {
    if (tool === null || typeof tool !== "object") return false;
    const schema = (tool as { outputSchema?: unknown }).outputSchema;
    return schema !== null && typeof schema === "object" && !Array.isArray(schema) && (schema as { type?: unknown }).type !== "object";
  });
}
