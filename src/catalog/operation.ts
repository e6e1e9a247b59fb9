/**
 * Catalog command → Operation: one typed, pure description of an API call that both faces (CLI verbs
 * and MCP tools) are built from. Nothing here knows about tiers or transports.
 */
import type { Catalog, Command, Field, Flag } from "./schema.ts";
import { TIER_TAGS, type TierTag } from "./tier_tags.ts";
import { placeholders, shortenToolName, toolName, verbPath } from "./naming.ts";

/** HTTP methods the catalog uses. */
export type HttpMethod = Command["method"];

/** Where a parameter travels in the request. */
export type ParamLocation = "path" | "query" | "body";

/** One input of an operation, with its place in the request decided. */
export interface Parameter {
  /** The catalog's name (camelCase, may contain dots for nested body keys). */
  readonly name: string;
  readonly type: Field["type"];
  readonly description: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly enum?: readonly (string | number)[];
  readonly pattern?: string;
  readonly location: ParamLocation;
  /** A `{placeholder}` of the command path: a positional CLI argument. */
  readonly positional: boolean;
  /** The catalog field as served, unknown keys included. */
  readonly field: Field;
}

/** Whether an endpoint is scoped to one cluster (`:cid`), to the account (`:aid` only), or to neither. */
export type Scope = "cluster" | "account" | "global";

/** One API call described by the catalog. */
export interface Operation {
  /** Catalog command path, e.g. `services/valkey/{id}/show`; the operation's identity. */
  readonly command: string;
  /** MCP tool name, e.g. `services_valkey_show`. */
  readonly toolName: string;
  /** CLI verb path, e.g. `["services", "valkey", "show"]`. */
  readonly verbPath: readonly string[];
  readonly description: string;
  readonly method: HttpMethod;
  /** Endpoint template with `:name` placeholders, e.g. `/:aid/:cid/services/valkey/:id`. */
  readonly endpoint: string;
  readonly scope: Scope;
  /** Inputs: path parameters first (endpoint order), then the rest in catalog order. */
  readonly params: readonly Parameter[];
  /** Boolean flags, sent under `flags` in the body (or in the query for GET/DELETE). */
  readonly flags: readonly Flag[];
  /** The call starts a background job and answers with a `jobId`. */
  readonly returnsJob: boolean;
  /** Tier tags from the catalog: what the catalog proposes. Policy disposes. */
  readonly tags: ReadonlySet<TierTag>;
  /** The command as served, for `manifest show` and the output shape. */
  readonly source: Command;
}

/** Placeholder names of an endpoint template, `:name` or `{name}` forms, in order (aid and cid included). */
export function endpointPlaceholders(endpoint: string): string[] {
  return [...endpoint.matchAll(/[:{]([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((match) => match[1]!);
}

/** Normalize `{name}` placeholders to `:name`. */
function normalizeEndpoint(endpoint: string): string {
  return endpoint.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
}

/** Build one Operation from a catalog command (tool name not yet de-duplicated). */
export function toOperation(command: Command): Operation {
  const endpoint = normalizeEndpoint(command.endpoint);
  const endpointNames = endpointPlaceholders(endpoint);
  const pathNames = endpointNames.filter((name) => name !== "aid" && name !== "cid");
  const positionalNames = new Set([...placeholders(command.command), ...pathNames]);
  const bodyMethod = command.method === "POST" || command.method === "PUT" || command.method === "PATCH";

  const fieldsByName = new Map(command.input.fields.map((field) => [field.name, field]));
  const pathParams: Parameter[] = pathNames.map((name) => {
    const field = fieldsByName.get(name) ?? { name, type: "string" as const, description: `The ${name} of the target.`, required: true };
    return toParameter(field, "path", true);
  });
  const otherParams: Parameter[] = command.input.fields
    .filter((field) => !pathNames.includes(field.name) && field.name !== "aid" && field.name !== "cid")
    .map((field) => toParameter(field, bodyMethod ? "body" : "query", positionalNames.has(field.name) || field.positional === true));

  const tags = new Set<TierTag>(command.mcp.filter((tag): tag is TierTag => (TIER_TAGS as readonly string[]).includes(tag)));
  const outputFields = command.output?.fields ?? [];
  // A read that lists jobs (`jobs/{id}/workitems`) names jobId among its fields without starting one.
  const declaresJob = command.method !== "GET" && outputFields.some((field) => (typeof field === "string" ? field : field.name) === "jobId");

  return {
    command: command.command,
    toolName: toolName(command.command),
    verbPath: verbPath(command.command),
    description: command.description,
    method: command.method,
    endpoint,
    scope: endpointNames.includes("cid") ? "cluster" : endpointNames.includes("aid") ? "account" : "global",
    params: [...pathParams, ...otherParams],
    flags: command.input.flags,
    returnsJob: command.returnsJob === true || declaresJob,
    tags,
    source: command,
  };
}

function toParameter(field: Field, location: ParamLocation, positional: boolean): Parameter {
  return {
    name: field.name,
    type: field.type,
    description: field.description ?? "",
    required: location === "path" ? true : field.required === true,
    default: field.default,
    enum: field.enum,
    pattern: field.pattern,
    location,
    positional,
    field,
  };
}

/**
 * Every operation of a catalog, in catalog order. Tool names are unique: when two commands would
 * share one, the later one takes the hashed form of its full name.
 */
export function buildOperations(catalog: Catalog): Operation[] {
  const taken = new Set<string>();
  return catalog.commands.map((command) => {
    const operation = toOperation(command);
    if (!taken.has(operation.toolName)) {
      taken.add(operation.toolName);
      return operation;
    }
    const unique = shortenToolName(`${verbPath(command.command).join("_")}_${command.command}`);
    taken.add(unique);
    return { ...operation, toolName: unique };
  });
}
