/**
 * Argument specs → JSON Schema: what `tools/list` advertises. Computed once per tool, so listing is a
 * cached array. The same specs drive the checker (arguments.ts), so what is advertised is what a
 * call is held to.
 */
import type { ArgumentSpec } from "./arguments.ts";

/** JSON Schema of one argument: the subset runos emits. */
export interface PropertySchema {
  type: "string" | "integer" | "number" | "boolean" | "array" | "object";
  description?: string;
  enum?: (string | number)[];
  pattern?: string;
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  items?: { type: string };
  additionalProperties?: boolean | { type: string };
}

/** JSON Schema of a tool's arguments. */
export interface ObjectSchema {
  type: "object";
  properties: Record<string, PropertySchema>;
  required: string[];
  additionalProperties: false;
}

const ITEM_TYPES = new Set(["string", "integer", "number", "boolean", "object"]);

/**
 * The JSON Schema of one argument; `description` replaces the spec's own when given. A `false` default
 * of a boolean is left out (the checker still applies it).
 */
export function argumentSchema(spec: ArgumentSpec, description = spec.description): PropertySchema {
  const schema: PropertySchema = { type: spec.type };
  if (description) schema.description = description;
  if (spec.enum !== undefined && spec.enum.length > 0) schema.enum = [...spec.enum];
  if (spec.pattern !== undefined && spec.type === "string") schema.pattern = spec.pattern;
  if (spec.format !== undefined && spec.type === "string") schema.format = spec.format;
  // A boolean left out is false: saying so in every flag of every tool tells a model nothing.
  if (spec.default !== undefined && !(spec.type === "boolean" && spec.default === false)) schema.default = spec.default;
  if (spec.minimum !== undefined) schema.minimum = spec.minimum;
  if (spec.maximum !== undefined) schema.maximum = spec.maximum;
  if (spec.type === "array") schema.items = { type: ITEM_TYPES.has(spec.itemType ?? "") ? spec.itemType! : "string" };
  if (spec.type === "object") schema.additionalProperties = ITEM_TYPES.has(spec.valueType ?? "") ? { type: spec.valueType! } : true;
  return schema;
}

/** The arguments object of `specs`, in order; `required` lists each required name once. */
export function argumentsSchema(specs: readonly ArgumentSpec[]): ObjectSchema {
  const properties: Record<string, PropertySchema> = {};
  const required: string[] = [];
  for (const spec of specs) {
    if (properties[spec.name] !== undefined) continue;
    properties[spec.name] = argumentSchema(spec);
    if (spec.required) required.push(spec.name);
  }
  return { type: "object", properties, required, additionalProperties: false };
}
