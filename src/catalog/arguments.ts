/**
 * The one argument checker. Every call's arguments, a model's JSON or the CLI's strings, are checked
 * here against the operation's specs and come out typed: numbers as numbers, booleans as booleans,
 * arrays and objects as such. The messages name arguments as the caller's face spells them
 * (`argument \`replicas\`` for a model, `--replicas` for a person) and say what was expected:
 * "argument `replicas` must be an integer between 1 and 5; got \"two\"".
 */
import type { Parameter } from "./operation.ts";
import type { Field, Flag } from "./schema.ts";
import { patternInWords } from "./pattern_words.ts";

/** One argument a call takes. */
export interface ArgumentSpec {
  readonly name: string;
  readonly type: Field["type"];
  readonly description?: string;
  readonly required: boolean;
  readonly enum?: readonly (string | number)[];
  readonly pattern?: string;
  readonly format?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Element type of an array. */
  readonly itemType?: string;
  /** Value type of an object's entries. */
  readonly valueType?: string;
  /** Said instead of the computed expectation ("3–16 lower-case letters and digits"). */
  readonly expect?: string;
  /** A path segment: never empty, `.` or `..`, which URL resolution would turn into another endpoint. */
  readonly pathSegment?: boolean;
  /** A boolean flag of the catalog (sent under `flags`). */
  readonly flag?: boolean;
}

/** How values arrive: a model's JSON, or a person's command-line strings. */
export type ArgumentMode = "json" | "cli";

/** Deepest nesting accepted inside one argument's value. */
export const MAX_ARGUMENT_DEPTH = 32;

/** The spec of an operation parameter. */
export function parameterSpec(parameter: Parameter): ArgumentSpec {
  const field = parameter.field;
  return {
    name: parameter.name,
    type: parameter.type,
    ...(parameter.description ? { description: parameter.description } : {}),
    required: parameter.required,
    ...(parameter.enum !== undefined && parameter.enum.length > 0 ? { enum: parameter.enum } : {}),
    ...(parameter.pattern !== undefined && parameter.type === "string" ? { pattern: parameter.pattern } : {}),
    ...(field.format !== undefined ? { format: field.format } : {}),
    ...(parameter.default !== undefined ? { default: parameter.default } : {}),
    ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
    ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
    ...(field.itemType !== undefined ? { itemType: field.itemType } : {}),
    ...(field.valueType !== undefined ? { valueType: field.valueType } : {}),
    ...(parameter.location === "path" ? { pathSegment: true } : {}),
  };
}

/** The spec of a catalog flag: an optional boolean. */
export function flagSpec(flag: Flag): ArgumentSpec {
  return {
    name: flag.name,
    type: "boolean",
    ...(flag.description ? { description: flag.description } : {}),
    required: false,
    ...(flag.default !== undefined ? { default: flag.default } : {}),
    flag: true,
  };
}

/** Why `value` cannot be one path segment, or undefined when it can. */
export function pathSegmentProblem(value: string): string | undefined {
  if (value === "") return "cannot be empty: it must name one resource";
  if (value === "." || value === "..") return `cannot be "${value}": it must name one resource`;
  return undefined;
}

/** Specs compiled for checking: patterns built once. */
export interface CompiledArguments {
  readonly specs: readonly ArgumentSpec[];
  readonly byName: ReadonlyMap<string, ArgumentSpec>;
  readonly patterns: ReadonlyMap<string, RegExp>;
  /** Whether `flags: {…}` may group the flags (the catalog has flags and no field named `flags`). */
  readonly groupsFlags: boolean;
}

/** Compile `specs` (names are unique: the first of a name wins). */
export function compileArguments(specs: readonly ArgumentSpec[]): CompiledArguments {
  const byName = new Map<string, ArgumentSpec>();
  for (const spec of specs) if (!byName.has(spec.name)) byName.set(spec.name, spec);
  const patterns = new Map<string, RegExp>();
  for (const spec of byName.values()) {
    if (spec.pattern === undefined) continue;
    try {
      patterns.set(spec.name, new RegExp(spec.pattern, "u"));
    } catch {
      // A pattern JavaScript cannot compile is the API's to enforce.
    }
  }
  const unique = [...byName.values()];
  return { specs: unique, byName, patterns, groupsFlags: unique.some((spec) => spec.flag === true) && !byName.has("flags") };
}

/** How a face names an argument in messages: "argument `replicas`" or "--replicas". */
export type ArgumentLabel = (name: string) => string;

/** The model-facing label. */
export const jsonLabel: ArgumentLabel = (name) => `argument \`${name}\``;

/** A label without its leading "argument " (`\`replicas\``, `--replicas`), for "unknown argument …". */
function bare(label: string): string {
  return label.replace(/^argument /, "");
}

/** Outcome of a check: typed values by name, or every problem found. */
export type ArgumentCheck =
  | { readonly ok: true; readonly values: Record<string, unknown> }
  | { readonly ok: false; readonly problems: string[] };

/** Options of {@link checkArguments}. */
export interface CheckOptions {
  readonly mode: ArgumentMode;
  readonly label?: ArgumentLabel;
  /** Names not required here even when their spec says so (the caller asks for them itself). */
  readonly optional?: ReadonlySet<string>;
}

/** Check `raw` against `compiled`: unknown names, missing required ones and wrong values, all at once. */
export function checkArguments(compiled: CompiledArguments, raw: unknown, options: CheckOptions): ArgumentCheck {
  const label = options.label ?? jsonLabel;
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) return { ok: false, problems: ["arguments must be a JSON object"] };
  const given = ungroupFlags(compiled, raw as Record<string, unknown>);
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const wrong = new Set<string>();
  for (const [name, value] of Object.entries(given)) {
    // Own entries only: `constructor` or `__proto__` must not find Object.prototype's members.
    const spec = compiled.byName.get(name);
    if (spec === undefined) {
      const known = compiled.specs.map((candidate) => bare(label(candidate.name)));
      problems.push(`unknown argument ${bare(label(name))}; ${known.length === 0 ? "this takes no arguments" : `valid: ${known.join(", ")}`}`);
      continue;
    }
    if (value === undefined || value === null) continue;
    const checked = checkValue(spec, value, compiled.patterns.get(name), options.mode);
    if (typeof checked === "string") {
      problems.push(`${label(name)} ${checked}`);
      wrong.add(name);
    } else values[name] = checked.value;
  }
  for (const spec of compiled.specs) {
    if (!spec.required || options.optional?.has(spec.name) || values[spec.name] !== undefined || wrong.has(spec.name)) continue;
    problems.push(`missing required argument ${bare(label(spec.name))}${spec.description ? ` (${spec.description})` : ""}`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** Flags may come as top-level booleans or grouped under `flags`; a top-level one wins. */
function ungroupFlags(compiled: CompiledArguments, raw: Record<string, unknown>): Record<string, unknown> {
  const grouped = raw["flags"];
  if (!compiled.groupsFlags || grouped === undefined) return raw;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) if (name !== "flags") out[name] = value;
  if (grouped === null || typeof grouped !== "object" || Array.isArray(grouped)) {
    out["flags"] = grouped; // reported as unknown: `flags` must be an object of the catalog's flags
    return out;
  }
  for (const [name, value] of Object.entries(grouped as Record<string, unknown>)) {
    const spec = compiled.byName.get(name);
    if (out[name] !== undefined) continue;
    out[spec?.flag === true ? name : `flags.${name}`] = value;
  }
  return out;
}

/** Half of a UTF-16 surrogate pair without its other half: not text, and not encodable in a URL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkValue(spec: ArgumentSpec, raw: unknown, pattern: RegExp | undefined, mode: ArgumentMode): { value: unknown } | string {
  const fail = () => `must be ${expectation(spec, mode)}; got ${show(raw)}`;
  let value = raw;
  switch (spec.type) {
    case "integer":
    case "number": {
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) value = Number(value);
      if (typeof value !== "number" || !Number.isFinite(value)) return fail();
      if (spec.type === "integer" && !Number.isInteger(value)) return fail();
      if (spec.minimum !== undefined && value < spec.minimum) return fail();
      if (spec.maximum !== undefined && value > spec.maximum) return fail();
      break;
    }
    case "boolean":
      if (value === "true" || value === "false") value = value === "true";
      if (typeof value !== "boolean") return fail();
      break;
    case "string":
      if (typeof value === "number") value = String(value);
      if (typeof value !== "string") return fail();
      if (LONE_SURROGATE.test(value)) return "contains an invalid Unicode sequence (an unpaired surrogate)";
      if (pattern !== undefined && !pattern.test(value)) return fail();
      if (spec.pathSegment === true) {
        const problem = pathSegmentProblem(value);
        if (problem !== undefined) return problem;
      }
      break;
    case "array":
      if (mode === "cli" && typeof value === "string") {
        const parsed = fromText(value, "array");
        if (parsed === undefined) return fail();
        value = parsed;
      }
      if (!Array.isArray(value)) return fail();
      break;
    case "object":
      if (mode === "cli" && typeof value === "string") {
        const parsed = fromText(value, "object");
        if (parsed === undefined) return fail();
        value = parsed;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) return fail();
      break;
  }
  if (spec.type === "array" || spec.type === "object") {
    const problem = nestedProblem(value);
    if (problem !== undefined) return problem;
  }
  if (spec.enum !== undefined) {
    const match = spec.enum.find((option) => option === value || String(option) === String(value));
    if (match === undefined) return fail();
    value = match;
  }
  return { value };
}

/**
 * What is wrong deep inside an array or object: nesting past {@link MAX_ARGUMENT_DEPTH}, or a string
 * (value or key) with an unpaired surrogate. Walked with an explicit stack: no recursion to overflow.
 */
function nestedProblem(root: unknown): string | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) return "contains an invalid Unicode sequence (an unpaired surrogate)";
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_ARGUMENT_DEPTH) return `is nested too deeply (at most ${MAX_ARGUMENT_DEPTH} levels)`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
    } else {
      for (const [key, item] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) return "contains an invalid Unicode sequence (an unpaired surrogate)";
        stack.push([item, depth + 1]);
      }
    }
  }
  return undefined;
}

/** A CLI string as an array (`a,b,c` or JSON) or an object (`K=V,…` or JSON); undefined when it is neither. */
function fromText(text: string, kind: "array" | "object"): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith(kind === "array" ? "[" : "{")) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return kind === "array" ? (Array.isArray(value) ? value : undefined) : value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  if (kind === "array") return trimmed === "" ? [] : text.split(",").map((item) => item.trim());
  const out: Record<string, string> = {};
  for (const pair of text.split(",").filter((item) => item.trim() !== "")) {
    const index = pair.indexOf("=");
    if (index <= 0) return undefined;
    out[pair.slice(0, index).trim()] = pair.slice(index + 1);
  }
  return out;
}

/**
 * "an integer between 1 and 5", "one of \"a\", \"b\"", "2–39 lower-case letters, digits and hyphens,
 * starting with a lower-case letter". A pattern is said in words (pattern_words.ts); one that cannot
 * be is given to a model as the pattern, and to a person as a pointer to the help, never as a regex.
 */
export function expectation(spec: Pick<ArgumentSpec, "type" | "enum" | "minimum" | "maximum" | "pattern" | "itemType" | "expect" | "description">, mode: ArgumentMode = "json"): string {
  if (spec.expect !== undefined) return spec.expect;
  if (spec.enum !== undefined) return `one of ${spec.enum.map((item) => JSON.stringify(item)).join(", ")}`;
  const noun = { string: "a string", integer: "an integer", number: "a number", boolean: "true or false", array: "an array", object: "an object" }[spec.type];
  if (spec.type === "array" && spec.itemType !== undefined) return `an array of ${spec.itemType}s`;
  const { minimum, maximum } = spec;
  if (minimum !== undefined && maximum !== undefined) return `${noun} between ${minimum} and ${maximum}`;
  if (minimum !== undefined) return `${noun} of at least ${minimum}`;
  if (maximum !== undefined) return `${noun} of at most ${maximum}`;
  if (spec.pattern !== undefined) {
    const words = patternInWords(spec.pattern, spec.description);
    if (words !== undefined) return words;
    return mode === "json" ? `${noun} matching the pattern ${spec.pattern}` : `${noun} in the format its help describes`;
  }
  return noun;
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? "an array" : typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
