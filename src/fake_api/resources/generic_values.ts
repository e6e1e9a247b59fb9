/**
 * Plausible answers built from a command's declared output fields: ids, names, times, sizes, hosts
 * and URLs chosen by field name. Fields that name a secret get a minted fake secret (remembered in
 * `state.generatedSecrets`, so the no-secret sweeps look for it), stable per resource; a connection
 * string embeds the password as a real one would.
 */
import type { Command } from "../../catalog/schema.ts";
import { fnv1a } from "../../catalog/naming.ts";
import { type CallContext, isoNow, mintSecret } from "../context.ts";
import { type Subject, targetOf } from "./generic_target.ts";

/** Field names that always hold a secret (compared without `-`/`_`, lower-case). */
const SECRET_NAME = /password|secret|token|apikey|accesskey|privatekey|masterkey|setupkey|kubeconfig/;
/** Field names that hold a secret in the answer of a secret-bearing command. */
const SECRET_IN_CONTEXT = /^(key|content|config|command)$/;
/** Verbs whose answer reveals secrets whatever the command's tags say. */
const SECRET_VERB = /(^|-)credentials$|^(reveal|api-keys|access-keys|setup-keys|project-keys|get-object|kubeconfig|join-command|console|peer-config)$/;

const SCHEMES: Readonly<Record<string, { readonly scheme: string; readonly port: number }>> = {
  postgresql: { scheme: "postgresql", port: 5432 },
  mysql: { scheme: "mysql", port: 3306 },
  clickhouse: { scheme: "clickhouse", port: 9000 },
  valkey: { scheme: "redis", port: 6379 },
  rabbitmq: { scheme: "amqps", port: 5671 },
  kafka: { scheme: "kafka", port: 9093 },
};

/** The name of an output field. */
export function outputName(field: string | { readonly name: string }): string {
  return typeof field === "string" ? field : field.name;
}

/** Whether a command's answer reveals secrets: by its tags or by the shape of its verb. */
export function revealsSecrets(command: Command, verb: string): boolean {
  return command.mcp.includes("sensitive_read") || command.mcp.includes("sensitive_write") || SECRET_VERB.test(verb);
}

/** Whether an output field holds a secret. */
export function isSecretField(name: string, secretBearing: boolean): boolean {
  const plain = name.toLowerCase().replace(/[-_]/g, "");
  return SECRET_NAME.test(plain) || (secretBearing && SECRET_IN_CONTEXT.test(plain));
}

/** What one answer is about. */
export interface AnswerContext {
  readonly ctx: CallContext;
  /** What the record itself is (its id, name, status), when it is a known resource. */
  readonly self?: Subject;
  /** The resource the call acts on (a row's parent, or the record itself). */
  readonly parent?: Subject;
  /** Row number in a list (0 for an object). */
  readonly index: number;
  readonly secretBearing: boolean;
  /** A row of a list: the call's inputs are filters, not values to echo. */
  readonly row?: boolean;
}

function about(answer: AnswerContext): Subject | undefined {
  return answer.self ?? answer.parent;
}

function hostOf(answer: AnswerContext): string {
  const owner = about(answer);
  return `${owner?.name ?? "runos"}.${answer.ctx.params.cid ?? answer.ctx.params.aid ?? "acme"}.svc.runos.internal`;
}

function timeAgo(answer: AnswerContext, minutes: number): string {
  return new Date(Date.parse(isoNow(answer.ctx)) - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function stableSecret(answer: AnswerContext, field: string): string {
  const owner = about(answer)?.id ?? answer.ctx.params.aid ?? "account";
  const key = `${answer.ctx.command.command}|${owner}|${answer.index}|${field}`;
  const secrets = answer.ctx.state.generic.secrets;
  secrets[key] ??= mintSecret(answer.ctx.state, `fake-${about(answer)?.serviceType ?? "runos"}-${field.toLowerCase()}`);
  return secrets[key];
}

/** The noun of a row: the command's last literal segment before its verb, singular (`topics` → `topic`). */
function rowNoun(answer: AnswerContext): string {
  const literals = answer.ctx.command.command.split("/").filter((segment) => !segment.startsWith("{"));
  const noun = literals[literals.length - 1] === "list" ? literals[literals.length - 2] : literals[literals.length - 1];
  return (noun ?? "item").replace(/ies$/, "y").replace(/s$/, "");
}

const BOOLEAN_NAME = new Set(["ready", "enabled", "active", "current", "installed", "healthy", "loaded", "connected", "deleted", "removed", "revoked", "dropped", "reloaded", "verified", "schedulable", "upgradeable", "safe", "valid", "default", "tls", "public", "leader", "rotated", "created", "inuse", "drift", "pending", "private", "isdefault", "liveMigration".toLowerCase()]);
const FALSE_BY_DEFAULT = new Set(["drift", "pending", "private"]);
const ARRAY_NAME = new Set(["models", "groups", "pools", "projects", "nodeaffinitytags", "dnsnames", "buckets", "readtopics", "writetopics", "allowedips", "uses", "domains", "classes", "commands", "versions", "clusters", "servicetypes", "topics", "usedby", "policies", "peers", "events", "series", "tables", "views", "checks", "nodes", "conditions", "steps", "blockers", "warnings", "missing", "changes", "result", "logs", "workitems", "acls", "permissions", "toolsets", "partitions", "disks", "devices", "volumes", "toppages", "problems", "dnsrecords", "hiddenservicetypes"]);
const OBJECT_NAME = new Set(["settings", "config", "schema", "sections", "usage", "labels", "env", "features", "sources", "transforms", "sinks", "routerconfig", "advancedconfigs", "health", "counts", "patch"]);
const NUMBER_NAME = /(usd|mb|mc|gb|pct|bytes|bps|ms|us|seconds|hours|days|count|replicas|lines|calls|rows|members|lag|objects|artifacts|pulls|traces|requests|tokens|visitors|pageviews|errors|cpus|gpus|index|progress|restarts|shards|pid|persec|rate|repositories|resources|queues|connections|consumers|partitions|factor|usedtimes|pageviews)$/;
const TEXT_NAME = new Set(["message", "summary", "description", "advice", "problem", "note", "snippet", "markdown", "content"]);
const TIME_NAME = new Set(["timestamp", "at", "since", "lasthandshake", "lastscrape", "lastmodified", "notafter"]);

/** A plausible value for one output field. */
export function plausibleValue(field: string | { readonly name: string; readonly type?: string }, answer: AnswerContext): unknown {
  const name = outputName(field);
  const declared = typeof field === "string" ? undefined : field.type;
  const self = answer.self;
  const stored = self?.item?.fields[name];
  if (stored !== undefined) return stored;
  const given = answer.ctx.input[name];
  if (given !== undefined && answer.row !== true) return given;
  if (isSecretField(name, answer.secretBearing)) return stableSecret(answer, name);
  const n = name.toLowerCase();
  const scheme = SCHEMES[about(answer)?.serviceType ?? ""];
  if (n === "id") return self?.id ?? idFor(answer, name);
  if (n === "jobid") return answer.parent?.collection === "jobs" ? answer.parent.id : uuidFor(answer);
  if (n === "name") return self?.name ?? `${rowNoun(answer)}-${answer.index + 1}`;
  if (n === "status" || n === "state" || n === "phase") return self?.status ?? (n === "phase" ? "Running" : "running");
  if (n === "type" || n === "kind") return about(answer)?.serviceType ?? (n === "kind" ? "manual" : "standard");
  if (n === "osid") return `${about(answer)?.serviceType ?? "app"}-${about(answer)?.id ?? idFor(answer, name)}`;
  const choice = catalogChoice(answer, name);
  if (choice !== undefined) return choice;
  if (n === "host" || n === "internalhost") return hostOf(answer);
  if (n.endsWith("port")) return scheme?.port ?? 443;
  if (n === "bootstrapservers") return `${hostOf(answer)}:9093`;
  if (n.endsWith("username")) return `${(about(answer)?.name ?? "admin").replace(/-/g, "_")}_admin`;
  if (n === "database" || n === "databasename") return "app";
  if (n.endsWith("email")) return "ops@acme.example";
  if (/(url|uri|endpoint)$/.test(n)) return `https://${about(answer)?.name ?? "api"}.${answer.ctx.params.cid ?? "acme"}.runos.app`;
  if (n.endsWith("version")) return "1.0.0";
  if (n === "window") return "sun 02:00-04:00";
  if (TIME_NAME.has(n) || (/[a-z](at|time)$/.test(n) && !n.endsWith("format"))) return timeAgo(answer, 5 + answer.index * 60);
  if (declared === "boolean" || BOOLEAN_NAME.has(n) || /^(is|has)[A-Z]/.test(name)) return !FALSE_BY_DEFAULT.has(n);
  if (declared === "array" || ARRAY_NAME.has(n)) return [];
  if (declared === "object" || OBJECT_NAME.has(n)) return {};
  if (declared === "integer" || NUMBER_NAME.test(n)) {
    return n.endsWith("mb") ? 512 : n.endsWith("mc") ? 250 : n.endsWith("pct") ? 37 : n.endsWith("bytes") ? 1_048_576 : 1 + answer.index;
  }
  if (n === "sha") return fnv1a(`${answer.ctx.command.command}|${answer.index}`).slice(0, 7);
  if (n === "ref" || n === "branch") return "main";
  if (n === "content" && answer.ctx.command.command.endsWith("/chat")) return "Hello! How can I help?";
  if (TEXT_NAME.has(n)) return `${answer.ctx.command.command.replace(/\/\{[^}]+\}/g, "")}: nothing unusual`;
  return `${name}-${answer.index + 1}`;
}

/** A stable UUID-shaped id for a row that names a job (a read; writes report the job they start). */
function uuidFor(answer: AnswerContext): string {
  const hex = [0, 1, 2, 3].map((part) => fnv1a(`${answer.ctx.command.command}|${answer.index}|${part}`)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const choices = new WeakMap<object, Map<string, unknown>>();

/**
 * The value the served catalog suggests for a field of this collection: the default or first choice
 * of a same-named input of one of its commands (`version`, `resourceRequirementClassId`…).
 */
function catalogChoice(answer: AnswerContext, name: string): unknown {
  const manifest = answer.ctx.state.manifest;
  let cache = choices.get(manifest);
  if (cache === undefined) choices.set(manifest, cache = new Map());
  const prefix = targetOf(answer.ctx.command.command).collection;
  const key = `${prefix}|${name}`;
  if (!cache.has(key)) {
    const field = manifest.commands
      .filter((command) => command.command.startsWith(`${prefix}/`))
      .flatMap((command) => command.input.fields)
      .find((candidate) => candidate.name === name && (candidate.default !== undefined || (candidate.enum?.length ?? 0) > 0));
    cache.set(key, field === undefined ? undefined : field.default ?? field.enum?.[0]);
  }
  return cache.get(key);
}

function idFor(answer: AnswerContext, name: string): string {
  const hex = fnv1a(`${answer.ctx.command.command}|${answer.index}|${name}`);
  return `g${hex.slice(0, 4)}`;
}

/** A plausible object for a list of output fields, a connection string built from its parts. */
export function plausibleRecord(fields: readonly (string | { readonly name: string; readonly type?: string })[], answer: AnswerContext): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    record[outputName(field)] = plausibleValue(field, answer);
  }
  const scheme = SCHEMES[about(answer)?.serviceType ?? ""];
  const password = record.password;
  if (scheme !== undefined && typeof password === "string") {
    for (const key of ["connectionString", "url", "dsn", "uri"]) {
      if (!(key in record)) continue;
      const user = String(record.username ?? "default");
      const database = typeof record.database === "string" ? `/${record.database}` : "";
      record[key] = `${scheme.scheme}://${user}:${encodeURIComponent(password)}@${hostOf(answer)}:${scheme.port}${database}`;
    }
  }
  return record;
}
