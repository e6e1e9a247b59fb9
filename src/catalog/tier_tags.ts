/**
 * The tier tags a catalog command may carry in its `mcp` array, apart from the catalog's zod schema
 * (schema.ts re-exports them) so that building operations from an already-parsed catalog loads no zod.
 */

/** The tier tags a catalog command may carry in its `mcp` array. */
export const TIER_TAGS = ["read", "sensitive_read", "write", "sensitive_write"] as const;
/** One tier tag, e.g. `sensitive_read`. */
export type TierTag = (typeof TIER_TAGS)[number];
