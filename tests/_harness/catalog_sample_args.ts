/**
 * Realistic sample arguments for any command of a RunOS-shaped catalog (fixtures/catalog/runos_full.json
 * has a thousand), built the way a model fills a tool's arguments: the fixture ids of the resources the
 * fake API models in depth (cluster `i4y`, PostgreSQL `users-db`, app `web`…), the seeded ids of the
 * generic ones, values for required fields by name, type, enum and pattern, and a node tag list where a
 * write takes one. Commands of our baseline keep their hand-written samples (SAMPLE_ARGS).
 */
import type { Operation, Parameter } from "../../src/catalog/operation.ts";
import { DEMO_ACCOUNT_ID, genericSeedIds } from "../../src/fake_api/mod.ts";
import { CLUSTER, IDS, SAMPLE_ARGS } from "./sample_args.ts";

const c = { cid: CLUSTER };

/** RunOS-named commands served by an in-depth handler, whose arguments must name real fixture data. */
const RUNOS_SAMPLE_ARGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "services/postgresql/{id}/exec-sql": { ...c, id: IDS.usersDb, query: "SELECT count(*) AS n FROM users" },
  "services/minio/{id}/delete-bucket": { cid: IDS.devCluster, id: IDS.devStore, bucket: "scratch", force: true },
};

/** Ids of the items of the collections the fake API models in depth. */
const DEEP_IDS: Readonly<Record<string, string>> = {
  "services/postgresql": IDS.usersDb,
  "services/valkey": IDS.cache,
  "services/minio": IDS.assets,
  "apps": IDS.web,
  "nodes": IDS.controlPlaneNode,
  "jobs": IDS.completedJob,
  "account/api-keys": IDS.laptopKey,
};

/** Values for string fields by name, tried in order until one matches the field's pattern. */
const STRINGS: Readonly<Record<string, readonly string[]>> = {
  name: ["e2e-sample", "e2e_sample", "e2esample", "E2E_SAMPLE"],
  newName: ["e2e-renamed"],
  username: ["e2e_user"],
  database: ["postgres"],
  query: ["SELECT 1"],
  promql: ["up"],
  key: ["e2e:key"],
  value: ["e2e-value"],
  message: ["Say hello in one word."],
  model: ["llama3.2:3b"],
  modelName: ["gpt-4o-mini"],
  adminEmail: ["ops@acme.example"],
  email: ["dev@acme.example"],
  domain: ["e2e.example.com"],
  managementUrl: ["https://netbird.example.com"],
  repository: ["https://github.com/acme/e2e"],
  yaml: ["app: web\nport: 3000\n"],
  targetTime: ["2025-06-02T11:00:00Z"],
  start: ["2025-06-02T11:00:00Z"],
  path: ["/etc/app/key.json"],
  content: ["{\"type\": \"service_account\"}"],
  script: ["echo ok"],
  device: ["i4y-wk-1:/dev/sdb"],
  region: ["eu-central"],
  image: ["library/web:1.4.2"],
  confirmName: ["production"],
  target: [IDS.web, "Deployment/web", "https://hooks.example.com/e2e"],
  serviceId: [IDS.usersDb],
  websiteId: ["w1"],
  groupId: ["e2e-group"],
  topic: ["events"],
  queue: ["jobs"],
  token: ["e2e-token-not-a-secret"],
  gpuType: ["nvidia-l40s"],
  memberId: ["m1"],
  keyAlias: ["e2e-key"],
  app: ["web"],
  window: ["sun 02:00-04:00"],
};

/** The scope generic items are seeded in: the sample cluster, or the demo account. */
function scopeOf(operation: Operation, args: Record<string, unknown>): string {
  return operation.scope === "cluster" ? String(args.cid ?? CLUSTER) : DEMO_ACCOUNT_ID;
}

/** The collection a command's first placeholder names an item of, as the fake API sees it. */
function collectionOf(command: string): string {
  const segments = command.split("/");
  const first = segments.findIndex((segment) => segment.startsWith("{"));
  return segments.slice(0, first === -1 ? -1 : first).join("/");
}

function firstPlaceholder(command: string): string | undefined {
  return command.split("/").find((segment) => segment.startsWith("{"))?.slice(1, -1);
}

function stringFor(parameter: Parameter): string {
  const candidates = [...(STRINGS[parameter.name] ?? []), `e2e-${parameter.name.toLowerCase()}`, "e2e"];
  const pattern = parameter.pattern === undefined ? undefined : new RegExp(parameter.pattern);
  const value = candidates.find((candidate) => pattern === undefined || pattern.test(candidate));
  if (value === undefined) throw new Error(`no sample value for ${parameter.name} matching ${parameter.pattern}`);
  return value;
}

function valueFor(parameter: Parameter): unknown {
  if (parameter.enum !== undefined && parameter.enum.length > 0) return parameter.default ?? parameter.enum[0];
  switch (parameter.type) {
    case "integer":
    case "number":
      return parameter.default ?? parameter.field.minimum ?? 1;
    case "boolean":
      return parameter.default ?? true;
    case "array":
      return parameter.name === "command" ? ["npm", "run", "migrate"] : parameter.name === "devices" ? ["i4y-wk-1:/dev/sdb"] : ["zone:eu-1"];
    case "object":
      return parameter.field.valueType === "string" ? { E2E_FLAG: "on" } : { e2e: true };
    default:
      return stringFor(parameter);
  }
}

/** Whether hand-written samples fit an operation: every argument is one of its inputs. */
function fits(operation: Operation, args: Readonly<Record<string, unknown>>): boolean {
  const names = new Set([...operation.params.map((parameter) => parameter.name), ...operation.flags.map((flag) => flag.name), "cid"]);
  return Object.keys(args).every((name) => names.has(name));
}

/** Sample arguments for any operation of a RunOS-shaped catalog (no `confirm`). */
export function catalogSampleArgs(operation: Operation): Record<string, unknown> {
  const known = RUNOS_SAMPLE_ARGS[operation.command] ?? SAMPLE_ARGS[operation.command];
  if (known !== undefined && fits(operation, known)) return { ...known };
  const args: Record<string, unknown> = operation.scope === "cluster" ? { ...c } : {};
  const item = firstPlaceholder(operation.command);
  const collection = collectionOf(operation.command);
  const bodyMethod = operation.method === "POST" || operation.method === "PUT" || operation.method === "PATCH";
  for (const parameter of operation.params) {
    if (parameter.location === "path" && parameter.name === item) {
      args[parameter.name] = parameter.name === "type" ? "vllm" : DEEP_IDS[collection] ?? genericSeedIds(collection, scopeOf(operation, args))[0];
    } else if (parameter.location === "path") {
      args[parameter.name] = parameter.enum?.[0] ?? `e2e-${parameter.name.toLowerCase()}`;
    } else if (parameter.required || (bodyMethod && parameter.field.format === "string_array")) {
      args[parameter.name] = valueFor(parameter);
    }
  }
  return args;
}

/** The request a client sends for `operation` with `args`, per the wire contract. */
export function requestFor(operation: Operation, args: Record<string, unknown>, accountId = DEMO_ACCOUNT_ID) {
  const used = new Set<string>();
  const path = operation.endpoint.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    used.add(name);
    return encodeURIComponent(String(name === "aid" ? accountId : args[name]));
  });
  const flagNames = new Set(operation.flags.map((flag) => flag.name));
  const rest = Object.entries(args).filter(([name]) => !used.has(name) && name !== "cid");
  if (operation.method === "GET" || operation.method === "DELETE") {
    return { path, query: Object.fromEntries(rest.map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : String(value)])), body: undefined };
  }
  const flags = Object.fromEntries(rest.filter(([name]) => flagNames.has(name)));
  const body: Record<string, unknown> = Object.fromEntries(rest.filter(([name]) => !flagNames.has(name)));
  if (Object.keys(flags).length > 0) body.flags = flags;
  return { path, query: undefined, body };
}
