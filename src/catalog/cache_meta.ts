/**
 * The shape of the manifest cache's sidecar, `manifest.meta.json` (cache.ts reads and writes it): the
 * ETag, version, fetch time and account of the cached catalog. Its own module so that zod loads
 * only when there is a cache to read.
 */
import { z } from "zod";

/** What we remember about the cached manifest. */
export const CacheMetaSchema = z.looseObject({
  etag: z.string().optional(),
  version: z.string(),
  fetchedAt: z.string(),
  accountId: z.string().optional(),
});
/** What we remember about the cached manifest. */
export type CacheMeta = z.infer<typeof CacheMetaSchema>;
