/**
 * The files a host derives from its catalog and keeps beside the catalog cache for the next start:
 * the tier's stored listing (mcp/tools/listing_cache.ts), which answers tools/list, and its call index
 * (mcp/tools/call_index.ts), which answers the first calls; neither needs the catalog parsed or the
 * registry built. Both are keyed by exactly this start's inputs, and only a build keys them (from
 * source nothing is read or stored). A cached catalog is named by the SHA-256 of the text this build
 * validated; the embedded one by the build alone, which fixes it.
 */
import type { ChosenCatalog } from "../../catalog/load.ts";
import type { Toolsets } from "../../catalog/toolsets.ts";
import type { Tier } from "../../policy/tier.ts";
import { callIndexFile, callIndexPath, type CallIndexFile } from "../tools/call_index.ts";
import { listingKey, listingPath, readListing, type StoredListing, writeListing } from "../tools/listing_cache.ts";
import type { ToolsMode } from "../tools/registry.ts";

/** What a key names for the embedded catalog: the build's own, the same text in every start of it. */
export const EMBEDDED_CATALOG = "embedded";

/** A host's derived files for this start. */
export interface DerivedFiles {
  /** The stored listing, when one was derived from exactly this start's inputs. */
  readonly storedListing?: StoredListing;
  /** Store the listing derived now (only when none was found). */
  readonly storeListing?: (listing: StoredListing) => Promise<void>;
  /** The call index file under this start's key. */
  readonly callIndex?: CallIndexFile;
}

/** What the files of one start are derived from. */
export interface DerivedInputs {
  readonly tier: Tier;
  readonly mode: ToolsMode;
  readonly catalog: Pick<ChosenCatalog, "source" | "validatedSha256">;
  readonly session: { readonly profile: string; readonly cacheDir?: string; readonly sandbox: boolean };
  readonly toolsets: Toolsets | null | undefined;
  readonly defaultCluster: boolean;
  /** The build the files are keyed by (default this binary's; none from source). */
  readonly build?: string;
}

/** Find this start's derived files: the stored listing read now, the call index at the first call. */
export async function derivedFiles(inputs: DerivedInputs): Promise<DerivedFiles> {
  const { tier, mode, catalog, session } = inputs;
  // The sandbox reads and writes no cache; a cached catalog not validated by this build names no text.
  const catalogSha256 = catalog.source === "baseline" ? EMBEDDED_CATALOG : catalog.validatedSha256;
  if (session.cacheDir === undefined || session.sandbox || catalogSha256 === undefined) return {};
  const key = listingKey({ catalogSha256, tier, mode, toolsets: inputs.toolsets, defaultCluster: inputs.defaultCluster }, inputs.build);
  if (key === undefined) return {};
  const path = listingPath(session.profile, session.cacheDir, tier, mode);
  const storedListing = await readListing(path, key);
  return {
    ...(storedListing === undefined ? { storeListing: (listing: StoredListing) => writeListing(path, key, listing) } : { storedListing }),
    callIndex: callIndexFile(callIndexPath(session.profile, session.cacheDir, tier, mode), key),
  };
}
