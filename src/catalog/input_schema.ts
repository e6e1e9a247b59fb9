/**
 * Operation parameters → JSON Schema (what `tools/list` advertises) and the matching argument check
 * (what `tools/call` enforces). Both are computed once per tool, so listing is a cached array and a
 * call pays only for the check. The check's messages are written for a model to correct itself:
 * "argument `replicas` must be an integer between 1 and 5; got \"two\"".
 */
import type { Parameter } from "./operation.ts";
import type { Flag } from "./schema.ts";

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

/** The JSON Schema of one operation parameter. */
export function parameterSchema(parameter: Parameter): PropertySchema {
  const field = parameter.field;
  const schema: PropertySchema = { type: parameter.type };
  if (parameter.description) schema.description = parameter.description;
  if (parameter.enum !== undefined && parameter.enum.length > 0) schema.enum = [...parameter.enum];
  if (parameter.pattern !== undefined && parameter.type === "string") schema.pattern = parameter.pattern;
  if (field.format !== undefined && parameter.type === "string") schema.format = field.format;
  if (parameter.default !== undefined) schema.default = parameter.default;
  if (field.minimum !== undefined) schema.minimum = field.minimum;
  if (field.maximum !== undefined) schema.maximum = field.maximum;
  if (parameter.type === "array") schema.items = { type: ITEM_TYPES.has(field.itemType ?? "") ? field.itemType! : "string" };
  if (parameter.type === "object") {
    schema.additionalProperties = ITEM_TYPES.has(field.valueType ?? "") ? { type: field.valueType! } : true;
  }
  return schema;
}

/** The JSON Schema of one boolean flag. */
export function flagSchema(flag: Flag): PropertySchema {
  const schema: PropertySchema = { type: "boolean" };
  if (flag.description) schema.description = flag.description;
  if (flag.default !== undefined) schema.default = flag.default;
  return schema;
}

/**
 * The arguments object of an operation: its parameters, then the flags `includeFlag` keeps (all by
 * default). `required` lists each name once.
 */
export function operationInputSchema(
  parameters: readonly Parameter[],
  flags: readonly Flag[],
  includeFlag: (flag: Flag) => boolean = () => true,
): ObjectSchema {
  const properties: Record<string, PropertySchema> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = parameterSchema(parameter);
    if (parameter.required && !required.includes(parameter.name)) required.push(parameter.name);
  }
  for (const flag of flags) {
    if (includeFlag(flag) && properties[flag.name] === undefined) properties[flag.name] = flagSchema(flag);
  }
  return { type: "object", properties, required, additionalProperties: false };
}

/** Outcome of checking arguments: the arguments to use (numbers and booleans sent as strings coerced), or the problems. */
export type ArgumentCheck =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly problems: string[] };

/** A precompiled argument check for one schema. */
export type ArgumentValidator = (args: unknown) => ArgumentCheck;

/**
 * Compile the check for `schema`. Names in `optional` are not required even when the schema says so
 * (the call path asks for `confirm` itself, possibly through elicitation).
 */
export function compileValidator(schema: ObjectSchema, optional: readonly string[] = []): ArgumentValidator {
  const required = schema.required.filter((name) => !optional.includes(name));
  const patterns = new Map<string, RegExp>();
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property.pattern === undefined) continue;
    try {
      patterns.set(name, new RegExp(property.pattern, "u"));
    } catch {
      // A pattern JavaScript cannot compile is the API's to enforce.
    }
  }
  const known = Object.keys(schema.properties);
  return (args) => {
    if (args === undefined || args === null) args = {};
    if (typeof args !== "object" || Array.isArray(args)) return { ok: false, problems: ["arguments must be a JSON object"] };
    const value: Record<string, unknown> = {};
    const problems: string[] = [];
    const wrong = new Set<string>();
    for (const [name, raw] of Object.entries(args as Record<string, unknown>)) {
      // Own properties only: `constructor` or `__proto__` must not find Object.prototype's members.
      const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
      if (property === undefined) {
        problems.push(`unknown argument \`${name}\`; this tool accepts ${known.length === 0 ? "no arguments" : known.map((k) => `\`${k}\``).join(", ")}`);
        continue;
      }
      if (raw === undefined || raw === null) continue;
      const checked = checkValue(name, property, raw, patterns.get(name));
      if (typeof checked === "string") {
        problems.push(checked);
        wrong.add(name);
      } else value[name] = checked.value;
    }
    for (const name of required) {
      if (value[name] === undefined && !wrong.has(name)) {
        const description = schema.properties[name]?.description;
        problems.push(`missing required argument \`${name}\`${description ? ` (${description})` : ""}`);
      }
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
  };
}

function checkValue(name: string, property: PropertySchema, raw: unknown, pattern: RegExp | undefined): { value: unknown } | string {
  const fail = () => `argument \`${name}\` must be ${expectation(property)}; got ${show(raw)}`;
  let value = raw;
  switch (property.type) {
    case "integer":
    case "number": {
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) value = Number(value);
      if (typeof value !== "number" || !Number.isFinite(value)) return fail();
      if (property.type === "integer" && !Number.isInteger(value)) return fail();
      if (property.minimum !== undefined && value < property.minimum) return fail();
      if (property.maximum !== undefined && value > property.maximum) return fail();
      break;
    }
    case "boolean":
      if (value === "true" || value === "false") value = value === "true";
      if (typeof value !== "boolean") return fail();
      break;
    case "string":
      if (typeof value === "number") value = String(value);
      if (typeof value !== "string") return fail();
      if (pattern !== undefined && !pattern.test(value)) return fail();
      break;
    case "array":
      if (!Array.isArray(value)) return fail();
      break;
    case "object":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return fail();
      break;
  }
  if (property.enum !== undefined && !property.enum.includes(value as string | number)) return fail();
  return { value };
}

/** "an integer between 1 and 5", "one of \"a\", \"b\"", "a string matching ^[a-z]+$". */
export function expectation(property: PropertySchema): string {
  if (property.enum !== undefined) return `one of ${property.enum.map((item) => JSON.stringify(item)).join(", ")}`;
  const noun = { string: "a string", integer: "an integer", number: "a number", boolean: "true or false", array: "an array", object: "an object" }[property.type];
  if (property.type === "array" && property.items) return `an array of ${property.items.type}s`;
  const { minimum, maximum } = property;
  if (minimum !== undefined && maximum !== undefined) return `${noun} between ${minimum} and ${maximum}`;
  if (minimum !== undefined) return `${noun} of at least ${minimum}`;
  if (maximum !== undefined) return `${noun} of at most ${maximum}`;
  if (property.pattern !== undefined) return `${noun} matching ${property.pattern}`;
  return noun;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
