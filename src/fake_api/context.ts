/**
 * What a resource handler receives for one call: the state, the clock, the command, its validated
 * input, and lookups that answer 404 in RunOS's words. Handlers return the JSON body of a success
 * or throw an {@link ApiProblem}.
 */
import type { Command } from "../catalog/schema.ts";
import type { Clock } from "./clock.ts";
import { notFound } from "./envelope.ts";
import type { App, Cluster, FakeState, Service, ServiceKind } from "./state.ts";

/** One validated call of a catalog command. */
export interface CallContext {
  readonly state: FakeState;
  readonly clock: Clock;
  readonly command: Command;
  /** Decoded path parameters (`aid`, `cid`, `id`, `bucket`, `name`…). */
  readonly params: Readonly<Record<string, string>>;
  /** Validated non-path fields, defaults applied. */
  readonly input: Readonly<Record<string, unknown>>;
  /** Boolean flags, defaults applied. */
  readonly flags: Readonly<Record<string, boolean>>;
}

/** Implements one catalog command: returns the success body or throws an ApiProblem. */
export type CommandHandler = (ctx: CallContext) => unknown;

/** Handlers by catalog command path, e.g. `services/valkey/{id}/show`. */
export type CommandHandlers = Record<string, CommandHandler>;

/** The cluster named by `:cid`, or 404. */
export function clusterOf(ctx: CallContext): Cluster {
  const cid = ctx.params.cid ?? "";
  const cluster = ctx.state.clusters.find((candidate) => candidate.id === cid);
  if (cluster === undefined) throw notFound(`cluster "${cid}" not found in account ${ctx.state.account.id}`);
  return cluster;
}

/** The service of `kind` named by `:id` (its id, or its name for convenience) in the cluster, or 404. */
export function serviceOf(ctx: CallContext, kind: ServiceKind): Service {
  const cluster = clusterOf(ctx);
  const key = ctx.params.id ?? "";
  const inCluster = ctx.state.services.filter((service) => service.clusterId === cluster.id && service.type === kind);
  const service = inCluster.find((candidate) => candidate.id === key) ?? inCluster.find((candidate) => candidate.name === key);
  if (service === undefined) throw notFound(`${kind} service "${key}" not found in cluster ${cluster.id}`);
  return service;
}

/** The application named by `:id` (id or name) in the cluster, or 404. */
export function appOf(ctx: CallContext): App {
  const cluster = clusterOf(ctx);
  const key = ctx.params.id ?? "";
  const inCluster = ctx.state.apps.filter((app) => app.clusterId === cluster.id);
  const app = inCluster.find((candidate) => candidate.id === key) ?? inCluster.find((candidate) => candidate.name === key);
  if (app === undefined) throw notFound(`app "${key}" not found in cluster ${cluster.id}`);
  return app;
}

/** The clock's now as an RFC 3339 UTC timestamp without milliseconds, like the fixtures. */
export function isoNow(ctx: CallContext): string {
  return new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A fresh 5-character id (RunOS's service and app id shape) not used by any service or app. */
export function newShortId(state: FakeState): string {
  const taken = new Set([...state.services.map((service) => service.id), ...state.apps.map((app) => app.id)]);
  for (;;) {
    const id = randomString(5, ID_ALPHABET);
    if (!taken.has(id) && /^[a-z]/.test(id)) return id;
  }
}

/** A new secret value with a recognizable prefix, remembered in `state.generatedSecrets`. */
export function mintSecret(state: FakeState, prefix: string): string {
  const value = `${prefix}-${randomString(16, ID_ALPHABET + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")}`;
  state.generatedSecrets.push(value);
  return value;
}

function randomString(length: number, alphabet: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join("");
}
