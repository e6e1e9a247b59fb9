/**
 * Input validation driven by the served catalog: the same field definitions the client reads decide
 * what the fake API accepts. Failures are one 422 listing every bad field, as RunOS answers.
 */
import type { Command, Field } from "../catalog/schema.ts";
import { endpointPlaceholders } from "../catalog/operation.ts";
import { badRequest, type FieldProblem, unprocessable } from "./envelope.ts";

/** Cluster ids: 3–16 lower-case letters and digits. */
export const CLUSTER_ID_PATTERN = /^[a-z0-9]{3,16}$/;

/** Validated input of one call. */
export interface ValidatedInput {
  readonly input: Record<string, unknown>;
  readonly flags: Record<string, boolean>;
}

/** Check path parameters: `cid` must look like a cluster id; every placeholder must be non-empty. */
export function validatePathParams(params: Record<string, string>): void {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === "") problems.push({ name, message: "must not be empty" });
    else if (name === "cid" && !CLUSTER_ID_PATTERN.test(value)) problems.push({ name, message: "must be 3-16 lower-case letters or digits" });
  }
  if (problems.length > 0) throw unprocessable(problems);
}

/**
 * Validate a call's inputs against its command: the query string for GET/DELETE, the JSON body for
 * the rest (booleans of `flags` under `"flags"`). Unknown keys are refused, so client bugs show.
 */
export function validateInput(command: Command, query: URLSearchParams, body: unknown): ValidatedInput {
  const pathNames = new Set(endpointPlaceholders(command.endpoint));
  const fields = command.input.fields.filter((field) => !pathNames.has(field.name));
  const flagNames = new Set(command.input.flags.map((flag) => flag.name));
  const problems: FieldProblem[] = [];
  const raw: Record<string, unknown> = {};
  const rawFlags: Record<string, unknown> = {};
  const fromQuery = command.method === "GET" || command.method === "DELETE";

  if (fromQuery) {
    for (const [key, value] of query) {
      if (flagNames.has(key)) rawFlags[key] = value === "true" ? true : value === "false" ? false : value;
      else raw[key] = value;
    }
  } else {
    if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) throw badRequest("request body must be a JSON object");
    for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
      if (key !== "flags") raw[key] = value;
      else if (typeof value === "object" && value !== null && !Array.isArray(value)) Object.assign(rawFlags, value);
      else problems.push({ name: "flags", message: "must be an object of booleans" });
    }
  }

  const known = new Set(fields.map((field) => field.name));
  for (const key of Object.keys(raw)) if (!known.has(key)) problems.push({ name: key, message: pathNames.has(key) ? "is a path parameter and must not be sent here" : "is not a field of this command" });
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = raw[field.name];
    if (value === undefined || value === null || value === "") {
      if (field.required === true) problems.push({ name: field.name, message: "is required" });
      else if (field.default !== undefined) input[field.name] = field.default;
      continue;
    }
    const checked = checkField(field, value, fromQuery);
    if (typeof checked === "string") problems.push({ name: field.name, message: checked });
    else input[field.name] = checked.value;
  }
  const flags: Record<string, boolean> = {};
  for (const flag of command.input.flags) flags[flag.name] = flag.default ?? false;
  for (const [key, value] of Object.entries(rawFlags)) {
    if (!flagNames.has(key)) problems.push({ name: `flags.${key}`, message: "is not a flag of this command" });
    else if (typeof value !== "boolean") problems.push({ name: `flags.${key}`, message: "must be true or false" });
    else flags[key] = value;
  }
  if (problems.length > 0) throw unprocessable(problems);
  return { input, flags };
}

/** Check and coerce one value; a string is the problem. Query strings are coerced to the field's type. */
function checkField(field: Field, value: unknown, fromQuery: boolean): { value: unknown } | string {
  let coerced = value;
  if (fromQuery && typeof value === "string") {
    if ((field.type === "integer" || field.type === "number") && /^-?\d+(\.\d+)?$/.test(value)) coerced = Number(value);
    else if (field.type === "boolean" && (value === "true" || value === "false")) coerced = value === "true";
    else if (field.type === "array") coerced = value.split(",");
  }
  switch (field.type) {
    case "string":
      if (typeof coerced !== "string") return "must be a string";
      if (field.pattern !== undefined && !new RegExp(field.pattern).test(coerced)) return `must match ${field.pattern}`;
      break;
    case "integer":
      if (typeof coerced !== "number" || !Number.isInteger(coerced)) return "must be an integer";
      break;
    case "number":
      if (typeof coerced !== "number" || !Number.isFinite(coerced)) return "must be a number";
      break;
    case "boolean":
      if (typeof coerced !== "boolean") return "must be true or false";
      break;
    case "array":
      if (!Array.isArray(coerced)) return "must be an array";
      break;
    case "object":
      if (typeof coerced !== "object" || coerced === null || Array.isArray(coerced)) return "must be an object";
      if (field.valueType === "string" && Object.values(coerced).some((item) => typeof item !== "string")) return "values must be strings";
      break;
  }
  if (typeof coerced === "number") {
    if (field.minimum !== undefined && coerced < field.minimum) return `must be at least ${field.minimum}`;
    if (field.maximum !== undefined && coerced > field.maximum) return `must be at most ${field.maximum}`;
  }
  if (field.enum !== undefined && !field.enum.includes(coerced as string | number)) return `must be one of ${field.enum.join(", ")}`;
  return { value: coerced };
}
