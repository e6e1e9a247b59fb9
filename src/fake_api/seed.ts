/**
 * The recorded fixtures under `fixtures/state/` and the served catalog, imported as JSON (so
 * `bun build --compile` embeds them) and parsed once with zod: a broken fixture fails loudly at start.
 */
import { z } from "zod";
import accountJson from "../../fixtures/state/account.json" with { type: "json" };
import clustersJson from "../../fixtures/state/clusters.json" with { type: "json" };
import nodesJson from "../../fixtures/state/nodes.json" with { type: "json" };
import serviceTypesJson from "../../fixtures/state/service_types.json" with { type: "json" };
import servicesJson from "../../fixtures/state/services.json" with { type: "json" };
import postgresqlJson from "../../fixtures/state/postgresql_data.json" with { type: "json" };
import appsJson from "../../fixtures/state/apps.json" with { type: "json" };
import apiKeysJson from "../../fixtures/state/api_keys.json" with { type: "json" };
import jobsJson from "../../fixtures/state/jobs.json" with { type: "json" };
import manifestJson from "../../fixtures/catalog/manifest.json" with { type: "json" };
import { type Catalog, parseCatalog } from "../catalog/schema.ts";
import { DEMO_TOKEN } from "./demo.ts";

/** The fixture files the seed reads, relative to the repository root (checked by the coverage test). */
export const FIXTURE_FILES: readonly string[] = [
  "fixtures/state/account.json",
  "fixtures/state/clusters.json",
  "fixtures/state/nodes.json",
  "fixtures/state/service_types.json",
  "fixtures/state/services.json",
  "fixtures/state/postgresql_data.json",
  "fixtures/state/apps.json",
  "fixtures/state/api_keys.json",
  "fixtures/state/jobs.json",
  "fixtures/catalog/manifest.json",
];

const Timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const ClusterId = z.string().regex(/^[a-z0-9]{3,16}$/);

/** The account and its signed-in user. */
export const AccountSchema = z.object({
  id: z.string(), name: z.string(), plan: z.string(), createdAt: Timestamp,
  user: z.object({ email: z.string(), name: z.string() }),
});

/** A cluster with its health summary. */
export const ClusterSchema = z.object({
  id: ClusterId, name: z.string(), region: z.string(), provider: z.string(), status: z.string(),
  kubernetesVersion: z.string(), createdAt: Timestamp, domain: z.string(),
  health: z.object({
    status: z.enum(["healthy", "degraded", "unreachable"]), nodesReady: z.number().int(), nodesTotal: z.number().int(),
    checks: z.array(z.object({ name: z.string(), status: z.enum(["pass", "warn", "fail"]), message: z.string() })),
  }),
});

/** A node of a cluster. */
export const NodeSchema = z.object({
  id: z.string(), clusterId: ClusterId, name: z.string(),
  type: z.enum(["control-plane", "worker", "hybrid"]), state: z.enum(["online", "offline", "provisioning", "error"]),
  ip: z.string(), cpuCores: z.number().int(), memoryMb: z.number().int(), diskGb: z.number().int(),
  labels: z.record(z.string(), z.string()),
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })),
  lastSeenAt: Timestamp,
});

/** A service type RunOS offers. */
export const ServiceTypeSchema = z.object({
  type: z.string(), name: z.string(), description: z.string(), versions: z.array(z.string()), defaultVersion: z.string(),
});

/** A MinIO bucket. */
export const BucketSchema = z.object({
  name: z.string(), access: z.enum(["private", "public-read", "public-read-write"]), objects: z.number().int(),
  sizeMb: z.number(), createdAt: Timestamp,
});

/** A running service; credentials hold the secret parts, the rest is derived from host and port. */
export const ServiceSchema = z.object({
  id: z.string(), clusterId: ClusterId, type: z.enum(["postgresql", "valkey", "minio"]), name: z.string(),
  version: z.string(), status: z.string(), replicas: z.number().int(), storageGb: z.number().int().optional(),
  maxMemoryMb: z.number().int().optional(), host: z.string(), port: z.number().int(), createdAt: Timestamp,
  credentials: z.object({
    username: z.string().optional(), password: z.string().optional(), database: z.string().optional(),
    accessKey: z.string().optional(), secretKey: z.string().optional(),
  }),
  buckets: z.array(BucketSchema).optional(),
});

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A table of the fake PostgreSQL: typed columns and rows of cells. */
export const TableSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(Cell)),
});

/** The databases, tables, views and users of one PostgreSQL service. */
export const PostgresDataSchema = z.object({
  databases: z.array(z.object({
    name: z.string(), owner: z.string(), sizeMb: z.number(),
    tables: z.record(z.string(), TableSchema), views: z.record(z.string(), z.string()),
  })),
  users: z.array(z.object({
    username: z.string(), database: z.string(), privileges: z.enum(["readonly", "readwrite", "owner"]), password: z.string(),
  })),
});

/** An application with its deployments, env vars and secrets. */
export const AppSchema = z.object({
  id: z.string(), clusterId: ClusterId, name: z.string(), repository: z.string(), branch: z.string(),
  port: z.number().int(), replicas: z.number().int(), status: z.string(), url: z.string().nullable(),
  uses: z.array(z.string()), currentSha: z.string().nullable(), createdAt: Timestamp,
  health: z.object({ status: z.string(), readyReplicas: z.number().int(), restarts: z.number().int(), check: z.string() }),
  envVars: z.record(z.string(), z.string()),
  secrets: z.array(z.object({ name: z.string(), value: z.string(), updatedAt: Timestamp })),
  deployments: z.array(z.object({
    id: z.string(), sha: z.string(), status: z.string(), message: z.string(), createdAt: Timestamp,
    finishedAt: Timestamp.nullable(), error: z.string().optional(),
  })),
});

/** An API key (personal access token) of the account. */
export const ApiKeySchema = z.object({
  id: z.string(), name: z.string(), token: z.string(), createdAt: Timestamp,
  expiresAt: z.string().nullable(), lastUsedAt: Timestamp.nullable(), revokedAt: Timestamp.nullable(),
});

/** A finished job recorded before the fake API started. */
export const RecordedJobSchema = z.object({
  id: z.uuid(), type: z.string(), status: z.enum(["completed", "failed", "cancelled"]), progress: z.number(),
  currentStep: z.string(), error: z.string().optional(), result: z.record(z.string(), z.unknown()).optional(),
  createdAt: Timestamp, updatedAt: Timestamp,
});

/** Everything the fixtures describe, parsed. */
export interface Seed {
  readonly account: z.infer<typeof AccountSchema>;
  readonly clusters: z.infer<typeof ClusterSchema>[];
  readonly nodes: z.infer<typeof NodeSchema>[];
  readonly serviceTypes: z.infer<typeof ServiceTypeSchema>[];
  readonly services: z.infer<typeof ServiceSchema>[];
  readonly postgresql: Record<string, z.infer<typeof PostgresDataSchema>>;
  readonly apps: z.infer<typeof AppSchema>[];
  readonly apiKeys: z.infer<typeof ApiKeySchema>[];
  readonly jobs: z.infer<typeof RecordedJobSchema>[];
  readonly manifest: Catalog;
}

let cached: Seed | undefined;

/** Parse the fixtures (once per process) and return a fresh deep copy that callers may mutate. */
export function loadSeed(): Seed {
  cached ??= parseSeed();
  return structuredClone(cached);
}

function parseSeed(): Seed {
  const catalog = parseCatalog(manifestJson);
  if (!catalog.ok) throw new Error(`fixtures/catalog/manifest.json is not a valid catalog: ${catalog.problems.join("; ")}`);
  return {
    account: AccountSchema.parse(accountJson),
    clusters: z.array(ClusterSchema).parse(clustersJson),
    nodes: z.array(NodeSchema).parse(nodesJson),
    serviceTypes: z.array(ServiceTypeSchema).parse(serviceTypesJson),
    services: z.array(ServiceSchema).parse(servicesJson),
    postgresql: z.record(z.string(), PostgresDataSchema).parse(postgresqlJson),
    apps: z.array(AppSchema).parse(appsJson),
    apiKeys: z.array(ApiKeySchema).parse(apiKeysJson),
    jobs: z.array(RecordedJobSchema).parse(jobsJson),
    manifest: catalog.catalog,
  };
}

/**
 * Every secret value the fixtures hold: passwords, API tokens, access and secret keys, app secret
 * values and the demo token. Tests sweep responses for these to prove a tier leaks none of them.
 */
export const KNOWN_SECRETS: readonly string[] = (() => {
  const seed = loadSeed();
  const values = new Set<string>([DEMO_TOKEN]);
  for (const service of seed.services) {
    for (const key of ["password", "accessKey", "secretKey"] as const) {
      const value = service.credentials[key];
      if (value !== undefined) values.add(value);
    }
  }
  for (const data of Object.values(seed.postgresql)) for (const user of data.users) values.add(user.password);
  for (const app of seed.apps) for (const secret of app.secrets) values.add(secret.value);
  for (const key of seed.apiKeys) values.add(key.token);
  return [...values];
})();
