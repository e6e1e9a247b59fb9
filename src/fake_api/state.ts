/**
 * The fake API's in-memory world: what the fixtures describe plus everything requests changed since,
 * the jobs in flight, and the log of every request. `createState(seed)` builds it; `reset()` reseeds.
 */
import type { Seed } from "./seed.ts";
import type { Catalog } from "../catalog/schema.ts";

/** The account and its user. */
export type Account = Seed["account"];
/** A cluster with health. */
export type Cluster = Seed["clusters"][number];
/** A node. */
export type ClusterNode = Seed["nodes"][number];
/** A service type. */
export type ServiceType = Seed["serviceTypes"][number];
/** A service of any type. */
export type Service = Seed["services"][number];
/** The service types the fake API implements. */
export type ServiceKind = Service["type"];
/** A MinIO bucket. */
export type Bucket = NonNullable<Service["buckets"]>[number];
/** Databases and users of one PostgreSQL service. */
export type PostgresData = Seed["postgresql"][string];
/** One database of a PostgreSQL service. */
export type Database = PostgresData["databases"][number];
/** One table: columns and rows. */
export type Table = Database["tables"][string];
/** An application. */
export type App = Seed["apps"][number];
/** An API key. */
export type ApiKey = Seed["apiKeys"][number];

/** Terminal and non-terminal job statuses, as RunOS reports them. */
export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/**
 * A background job. Live jobs derive their status from the clock (queued, then running with
 * progress, then done); `settle` applies their effect on the state exactly once when they finish.
 */
export interface FakeJob {
  readonly id: string;
  readonly type: string;
  /** When it was created, ms since the epoch. */
  readonly createdAt: number;
  /** Step names shown as `currentStep` while running. */
  readonly steps: readonly string[];
  /** Set when the job is meant to fail; the message becomes `error`. */
  readonly failWith?: string;
  /** Result known at creation (ids), merged with what `onComplete` returns. */
  result: Record<string, unknown>;
  /** Applies the job's change when it completes; its return value joins the result. */
  readonly onComplete?: () => Record<string, unknown> | void;
  /** Undoes or marks the change when it fails. */
  readonly onFail?: () => void;
  /** Terminal status once settled (recorded jobs start settled). */
  final?: { status: "completed" | "failed" | "cancelled"; progress: number; currentStep: string; error?: string; updatedAt: number };
}

/**
 * A resource of a kind the fake API does not model in depth (a Kafka service, a storage group, a VM…):
 * what the generic handler keeps so that list, show, update and delete agree with each other.
 */
export interface GenericItem {
  readonly id: string;
  name: string;
  status: string;
  readonly createdAt: string;
  /** Inputs it was created or updated with, shown back by show and list. */
  fields: Record<string, unknown>;
}

/** What the generic handler remembers between calls. */
export interface GenericStore {
  /** Items by `<scope>|<collection>` (scope: the cluster or account id), seeded on first use. */
  collections: Record<string, GenericItem[]>;
  /** Secrets minted for generic answers, by what they belong to, so reading twice gives the same value. */
  secrets: Record<string, string>;
}

/** One request as the fake API saw it. */
export interface RequestLogEntry {
  readonly method: string;
  /** Path without the query string, e.g. `/acme/i4y/services/valkey`. */
  readonly path: string;
  readonly query: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  readonly body: unknown;
  /** Status answered. */
  status: number;
  /** The catalog command the request was routed to, when it matched one. */
  command?: string;
  /** Clock time of arrival. */
  readonly at: number;
}

/** The whole mutable world of the fake API. */
export interface FakeState {
  account: Account;
  clusters: Cluster[];
  nodes: ClusterNode[];
  serviceTypes: ServiceType[];
  services: Service[];
  /** PostgreSQL databases and users by service id. */
  postgresql: Record<string, PostgresData>;
  apps: App[];
  apiKeys: ApiKey[];
  jobs: FakeJob[];
  /** The catalog served at `/cli/manifest`; tests may replace it to simulate a new release. */
  manifest: Catalog;
  /** Secrets minted at run time (new passwords, tokens), so sweeps can look for them too. */
  generatedSecrets: string[];
  /** Resources of the commands served by the generic handler. */
  generic: GenericStore;
}

/** Build a state from a seed (the seed is not shared: pass a fresh copy). */
export function createState(seed: Seed): FakeState {
  return {
    account: seed.account,
    clusters: seed.clusters,
    nodes: seed.nodes,
    serviceTypes: seed.serviceTypes,
    services: seed.services,
    postgresql: seed.postgresql,
    apps: seed.apps,
    apiKeys: seed.apiKeys,
    jobs: seed.jobs.map((job) => ({
      id: job.id,
      type: job.type,
      createdAt: Date.parse(job.createdAt),
      steps: [],
      failWith: job.error,
      result: job.result ?? {},
      final: { status: job.status, progress: job.progress, currentStep: job.currentStep, error: job.error, updatedAt: Date.parse(job.updatedAt) },
    })),
    manifest: seed.manifest,
    generatedSecrets: [],
    generic: { collections: {}, secrets: {} },
  };
}

/** Replace the contents of `target` with `source`, keeping the object identity callers hold. */
export function replaceState(target: FakeState, source: FakeState): void {
  Object.assign(target, source);
}
