/**
 * The command catalog ("manifest") exactly as RunOS serves it from `GET /:aid/cli/manifest`:
 * `{ version, commands: [...] }`. Parsed once at the border with zod; unknown keys are kept so that a
 * newer catalog round-trips through our cache untouched.
 */
import { z } from "zod";

export { TIER_TAGS, type TierTag } from "./tier_tags.ts";

/** Field types the catalog uses for inputs. */
export const FIELD_TYPES = ["string", "integer", "number", "boolean", "array", "object"] as const;

/** One input field of a command. */
export const FieldSchema = z.looseObject({
  name: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  description: z.string().optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
  positional: z.boolean().optional(),
  format: z.string().optional(),
  pattern: z.string().optional(),
  allowEmpty: z.boolean().optional(),
  itemType: z.string().optional(),
  valueType: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
});
/** One input field of a command. */
export type Field = z.infer<typeof FieldSchema>;

/** One boolean flag of a command; sent as `body.flags[name]` (query string for GET/DELETE). */
export const FlagSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  default: z.boolean().optional(),
});
/** One boolean flag of a command. */
export type Flag = z.infer<typeof FlagSchema>;

/** An output field: a bare name or a described one. */
export const OutputFieldSchema = z.union([
  z.string(),
  z.looseObject({ name: z.string(), type: z.string().optional(), description: z.string().optional() }),
]);

/** One command of the catalog. */
export const CommandSchema = z.looseObject({
  command: z.string().regex(/^[a-z0-9][a-z0-9-]*(\/([a-z0-9][a-z0-9-]*|\{[a-zA-Z][a-zA-Z0-9_]*\}))*$/, {
    message: "command paths are lower-case segments joined by '/', placeholders as {name}",
  }),
  description: z.string().default(""),
  endpoint: z.string().startsWith("/"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  mcp: z.array(z.string()).default([]),
  returnsJob: z.boolean().optional(),
  input: z.looseObject({
    fields: z.array(FieldSchema).default([]),
    flags: z.array(FlagSchema).default([]),
  }).default({ fields: [], flags: [] }),
  output: z.looseObject({
    type: z.enum(["object", "array"]).optional(),
    fields: z.array(OutputFieldSchema).optional(),
  }).optional(),
});
/** One command of the catalog. */
export type Command = z.infer<typeof CommandSchema>;

/** The whole catalog. */
export const CatalogSchema = z.looseObject({
  version: z.string().min(1),
  /** Shape revision of the catalog format; absent in RunOS's catalogs today, which means 1. */
  schemaVersion: z.number().int().positive().optional(),
  commands: z.array(CommandSchema),
});
/** The whole catalog. */
export type Catalog = z.infer<typeof CatalogSchema>;

/**
 * The newest catalog shape this program understands. The catalog's `version` is an opaque content
 * version (RunOS compares it as a string); `schemaVersion` is the shape, and a newer one is refused.
 */
export const SUPPORTED_SCHEMA_VERSION = 1;

/**
 * Parse untrusted JSON into a Catalog. Returns the zod issues in a readable form instead of throwing,
 * so callers can decide whether to fall back to the last good catalog.
 */
export function parseCatalog(value: unknown): { ok: true; catalog: Catalog } | { ok: false; problems: string[] } {
  const result = CatalogSchema.safeParse(value);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.slice(0, 10).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    };
  }
  const schemaVersion = result.data.schemaVersion ?? 1;
  if (schemaVersion > SUPPORTED_SCHEMA_VERSION) {
    return {
      ok: false,
      problems: [`schemaVersion ${schemaVersion} is newer than this runos understands (${SUPPORTED_SCHEMA_VERSION}); upgrade runos`],
    };
  }
  const seen = new Set<string>();
  for (const command of result.data.commands) {
    if (seen.has(command.command)) return { ok: false, problems: [`commands: "${command.command}" appears twice`] };
    seen.add(command.command);
  }
  return { ok: true, catalog: result.data };
}
