/**
 * What a command served by the generic handler acts on. A command path names a collection and,
 * after its first `{placeholder}`, one item of it: `services/kafka/{id}/logs` acts on item `:id` of
 * `services/kafka`. Items of the collections the fake API models in depth (clusters, nodes, apps,
 * PostgreSQL, Valkey and MinIO services, API keys, jobs) are looked up in that state; items of every
 * other collection live in the generic store, two seeded per cluster (or account) on first use.
 */
import { fnv1a } from "../../catalog/naming.ts";
import { appOf, type CallContext, clusterOf, isoNow, serviceOf } from "../context.ts";
import { notFound } from "../envelope.ts";
import type { GenericItem, ServiceKind } from "../state.ts";

/** Where a command acts: its collection, the placeholder naming the item, and the path after it. */
export interface Target {
  /** Command path before the first placeholder (without a trailing verb when there is none). */
  readonly collection: string;
  /** The first placeholder's name, e.g. `id`, `cid`, `type`. */
  readonly itemParam?: string;
  /** Segments after the item placeholder. */
  readonly rest: readonly string[];
  /** The last literal segment: `show`, `list`, `credentials`, `add`… */
  readonly verb: string;
}

/** The item a call is about, from deep state or the generic store. */
export interface Subject {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** The service type when the collection is `services/<type>`. */
  readonly serviceType?: string;
  /** The generic item itself, when the collection is not modelled in depth. */
  readonly item?: GenericItem;
  /** The collection it belongs to, when it was looked up (`jobs`, `services/kafka`…). */
  readonly collection?: string;
}

const SEED_NAMES = ["main", "edge"];
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const DEEP_SERVICES: readonly ServiceKind[] = ["postgresql", "valkey", "minio"];

function isPlaceholder(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

/** Split a command path into collection, item placeholder and the rest. */
export function targetOf(commandPath: string): Target {
  const segments = commandPath.split("/");
  const first = segments.findIndex(isPlaceholder);
  const literals = segments.filter((segment) => !isPlaceholder(segment));
  const verb = literals[literals.length - 1] ?? "";
  if (first === -1) return { collection: segments.slice(0, -1).join("/"), rest: [], verb };
  return { collection: segments.slice(0, first).join("/"), itemParam: segments[first]!.slice(1, -1), rest: segments.slice(first + 1), verb };
}

/** The service type of a `services/<type>` collection. */
export function serviceTypeOf(collection: string): string | undefined {
  const match = /^services\/([^/]+)$/.exec(collection);
  return match?.[1];
}

/** Whether the fake API keeps a collection's items in its own state (not in the generic store). */
export function isDeepCollection(collection: string): boolean {
  const type = serviceTypeOf(collection);
  if (type !== undefined) return (DEEP_SERVICES as readonly string[]).includes(type);
  return ["clusters", "nodes", "apps", "account/api-keys", "jobs", "service-info"].includes(collection);
}

/** The cluster or account a call's items belong to. */
export function scopeOf(ctx: CallContext): string {
  return ctx.params.cid ?? ctx.params.aid ?? "global";
}

/** The seeded item ids of a generic collection in one scope (a cluster id, or the account id). */
export function genericSeedIds(collection: string, scope: string): string[] {
  return SEED_NAMES.map((_, index) => idFromHash(`${scope}|${collection}|${index}`));
}

function idFromHash(key: string): string {
  const hex = `${fnv1a(key)}${fnv1a(`${key}#`)}`;
  const chars = [...hex].map((digit, index) => ID_ALPHABET[(parseInt(digit, 16) * 7 + index * 3) % ID_ALPHABET.length]!);
  return `${ID_ALPHABET[parseInt(hex.slice(0, 2), 16) % 26]}${chars.slice(2, 6).join("")}`;
}

/** A singular noun for a collection's items: `services/kafka` → `kafka`, `storage-groups` → `storage-group`. */
export function singularOf(collection: string): string {
  const last = collection.split("/").pop() ?? "item";
  return last.endsWith("ies") ? `${last.slice(0, -3)}y` : last.endsWith("s") ? last.slice(0, -1) : last;
}

/** The items of a generic collection in the call's scope, seeded with two on first use. */
export function genericItems(ctx: CallContext, collection: string): GenericItem[] {
  const key = `${scopeOf(ctx)}|${collection}`;
  const store = ctx.state.generic.collections;
  if (store[key] === undefined) {
    const ids = genericSeedIds(collection, scopeOf(ctx));
    const now = Date.parse(isoNow(ctx));
    store[key] = ids.map((id, index) => ({
      id,
      name: `${singularOf(collection)}-${SEED_NAMES[index]}`,
      status: "running",
      createdAt: new Date(now - (index + 1) * 86_400_000 * 9).toISOString().replace(/\.\d{3}Z$/, "Z"),
      fields: {},
    }));
  }
  return store[key];
}

/** A fresh id for a new item of a generic collection. */
export function newGenericId(items: readonly GenericItem[]): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(5));
    const id = [...bytes].map((byte, index) => (index === 0 ? ID_ALPHABET[byte % 26] : ID_ALPHABET[byte % ID_ALPHABET.length])).join("");
    if (!items.some((item) => item.id === id)) return id;
  }
}

function serviceTypes(ctx: CallContext): Set<string> {
  const types = new Set(ctx.state.serviceTypes.map((type) => type.type));
  for (const command of ctx.state.manifest.commands) {
    const match = /^services\/([^/{}]+)\/add$/.exec(command.command);
    if (match !== null) types.add(match[1]!);
  }
  return types;
}

/** The item a call names, or 404 in RunOS's words; undefined when the command names no item. */
export function subjectOf(ctx: CallContext, target: Target): Subject | undefined {
  if (ctx.params.cid !== undefined) clusterOf(ctx);
  if (target.itemParam === undefined) return undefined;
  return { ...lookUp(ctx, target, target.itemParam), collection: target.collection };
}

function lookUp(ctx: CallContext, target: Target, itemParam: string): Subject {
  const key = ctx.params[itemParam] ?? "";
  const type = serviceTypeOf(target.collection);
  if (type !== undefined && (DEEP_SERVICES as readonly string[]).includes(type)) {
    const service = serviceOf(ctx, type as ServiceKind);
    return { id: service.id, name: service.name, status: service.status, serviceType: type };
  }
  switch (target.collection) {
    case "clusters": {
      const cluster = clusterOf(ctx);
      return { id: cluster.id, name: cluster.name, status: cluster.status };
    }
    case "apps": {
      const app = appOf(ctx);
      return { id: app.id, name: app.name, status: app.status };
    }
    case "nodes": {
      const node = ctx.state.nodes.find((candidate) => candidate.clusterId === ctx.params.cid && (candidate.id === key || candidate.name === key));
      if (node === undefined) throw notFound(`node "${key}" not found in cluster ${ctx.params.cid}`);
      return { id: node.id, name: node.name, status: node.state };
    }
    case "account/api-keys": {
      const apiKey = ctx.state.apiKeys.find((candidate) => candidate.id === key);
      if (apiKey === undefined) throw notFound(`API key "${key}" not found`);
      return { id: apiKey.id, name: apiKey.name, status: apiKey.revokedAt === null ? "active" : "revoked" };
    }
    case "jobs": {
      const job = ctx.state.jobs.find((candidate) => candidate.id === key);
      if (job === undefined) throw notFound(`job "${key}" not found`);
      return { id: job.id, name: job.type, status: job.final?.status ?? "running" };
    }
    case "service-info": {
      if (!serviceTypes(ctx).has(key)) throw notFound(`service type "${key}" not found`);
      return { id: key, name: key, status: "available", serviceType: key };
    }
  }
  const items = genericItems(ctx, target.collection);
  const item = items.find((candidate) => candidate.id === key) ?? items.find((candidate) => candidate.name === key);
  const where = ctx.params.cid !== undefined ? ` in cluster ${ctx.params.cid}` : "";
  if (item === undefined) throw notFound(`${type ?? singularOf(target.collection)}${type === undefined ? "" : " service"} "${key}" not found${where}`);
  return { id: item.id, name: item.name, status: item.status, serviceType: type, item };
}
