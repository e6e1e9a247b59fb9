/**
 * The catalog zod's CatalogSchema makes of a value it has already accepted, without zod: its
 * defaults filled in and every object's keys in the schema's order, then the unknown ones as they
 * came (the order `runos manifest show` prints). The cache (cache.ts) uses it for a manifest whose
 * exact text this runos's schema validated when it was written, so a RunOS-sized catalog is not
 * parsed by zod at every start; tests/catalog/defaults_test.ts proves the output identical to zod's,
 * and that {@link CATALOG_SCHEMA_REVISION} moves whenever the schema does.
 */
import type { Catalog } from "./schema.ts";

/**
 * The revision of CatalogSchema's output (schema.ts): bump it with any change to the schema, and
 * make {@link catalogWithDefaults} follow. A cache validated under another revision is parsed again.
 */
export const CATALOG_SCHEMA_REVISION = 1;

type Json = Record<string, unknown>;
type Fill = (value: unknown) => unknown;

/**
 * `value` as a zod `looseObject` of `keys` returns it: those keys first, in the schema's order (an
 * absent one only when it has a default), each through its `fill`, then the other keys as they came.
 */
function inSchemaOrder(value: unknown, keys: readonly string[], fills: Readonly<Record<string, Fill>> = {}, defaults: Readonly<Record<string, () => unknown>> = {}): Json {
  const object = value as Json;
  const out: Json = {};
  for (const key of keys) {
    if (Object.hasOwn(object, key)) out[key] = fills[key] === undefined ? object[key] : fills[key]!(object[key]);
    else if (defaults[key] !== undefined) out[key] = defaults[key]!();
  }
  for (const key of Object.keys(object)) if (!keys.includes(key)) out[key] = object[key];
  return out;
}

const each = (fill: Fill): Fill => (items) => (items as unknown[]).map(fill);

const field: Fill = (value) =>
  inSchemaOrder(value, ["name", "type", "description", "required", "default", "enum", "positional", "format", "pattern", "allowEmpty", "itemType", "valueType", "minimum", "maximum"]);
const flag: Fill = (value) => inSchemaOrder(value, ["name", "description", "default"]);
const input: Fill = (value) => inSchemaOrder(value, ["fields", "flags"], { fields: each(field), flags: each(flag) }, { fields: () => [], flags: () => [] });
const outputField: Fill = (value) => (typeof value === "string" ? value : inSchemaOrder(value, ["name", "type", "description"]));
const output: Fill = (value) => inSchemaOrder(value, ["type", "fields"], { fields: each(outputField) });
const command: Fill = (value) =>
  inSchemaOrder(
    value,
    ["command", "description", "endpoint", "method", "mcp", "returnsJob", "input", "output"],
    { input, output },
    { description: () => "", mcp: () => [], input: () => ({ fields: [], flags: [] }) },
  );

/** The Catalog zod's CatalogSchema returns for `value`, which it must already have accepted. */
export function catalogWithDefaults(value: unknown): Catalog {
  return inSchemaOrder(value, ["version", "schemaVersion", "commands"], { commands: each(command) }) as unknown as Catalog;
}
