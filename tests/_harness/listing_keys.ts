/**
 * Every way a derived file's key (mcp/tools/listing_cache.ts ListingKey) can name other inputs than
 * `key`: the stored listing and the call index are both refused for each of them.
 */
import type { ListingKey } from "../../src/mcp/tools/listing_cache.ts";

/** One change per field of `key`, each to a value that differs from `key`'s, with what it stands for. */
export function otherKeys(key: ListingKey): Array<[string, Partial<ListingKey>]> {
  return [
    ["another runos release", { runos: `${key.runos}-other` }],
    ["another build", { build: `${key.build}-other` }],
    ["another schema revision", { schemaRevision: key.schemaRevision + 1 }],
    ["another catalog text", { catalogSha256: key.catalogSha256 === "d".repeat(64) ? "e".repeat(64) : "d".repeat(64) }],
    ["another tier", { tier: key.tier === "sensitive-read" ? "read" : "sensitive-read" }],
    ["another --tools mode", { mode: key.mode === "discover" ? "all" : "discover" }],
    ["another toolsets scope", { scope: key.scope?.[0] === "valkey" ? ["postgresql"] : ["valkey"] }],
    ...(key.scope === null ? [] : [["no toolsets scope", { scope: null }] as [string, Partial<ListingKey>]]),
    ["a default cluster flag set otherwise", { defaultCluster: !key.defaultCluster }],
  ];
}
