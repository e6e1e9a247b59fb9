/**
 * The 22 service types of RunOS's catalog (RUNOS-PUBLIC-RECORD.md §4.1) with what the generator needs
 * to write their commands: versions, a blurb, the credentials each returns and how that command is
 * tagged. Five types keep the pre-45.0.0 hazard of a `credentials` command tagged `read` that returns
 * real secrets (grafana, litellm, langfuse, vector, clickhouse); three tag it `read` because it
 * returns addresses only (prometheus, traefik, netbird-server).
 */
import type { Field, Flag } from "../../src/catalog/schema.ts";
import type { OutputField, Tier } from "./command.ts";
import { choice, flag, integer, stringArray, text } from "./fields.ts";

/** One service type. */
export interface ServiceType {
  readonly type: string;
  /** Display name, e.g. `PostgreSQL`. */
  readonly label: string;
  /** What one service of it is: `database`, `cache`, `broker`… */
  readonly noun: string;
  readonly blurb: string;
  /** Offered versions, default first. */
  readonly versions: readonly string[];
  /** Keeps data on volumes: has storage fields and backups. */
  readonly stateful: boolean;
  /** Run by the platform on every cluster, hidden from MCP toolsets by default. */
  readonly platform?: boolean;
  readonly credentials: Credentials;
  /** Has a `rotate-credentials` command. */
  readonly rotates: boolean;
  /** Type-specific fields of `add` (after the common ones). */
  readonly addFields?: readonly Field[];
  readonly addFlags?: readonly Flag[];
}

/** What a type's `credentials` command answers and how it is tagged. */
export interface Credentials {
  readonly tier: Tier;
  readonly output: readonly OutputField[];
  /** The answer holds addresses only, no secret. */
  readonly addressOnly: boolean;
}

/** Secrets, tagged `sensitive_read` as RunOS does from manifest 45.0.0. */
function secret(...output: string[]): Credentials {
  return { tier: "sensitive_read", output, addressOnly: false };
}

/** Secrets, but tagged `read` as before manifest 45.0.0: a hazard policy must catch by shape. */
function legacyRead(...output: string[]): Credentials {
  return { tier: "read", output, addressOnly: false };
}

/** Addresses only, tagged `read`. */
function addressOnly(...output: string[]): Credentials {
  return { tier: "read", output, addressOnly: true };
}

/** Every service type, in the record's order. */
export const SERVICE_TYPES: readonly ServiceType[] = [
  {
    type: "cert-manager", label: "cert-manager", noun: "certificate manager", stateful: false, platform: true, rotates: false,
    blurb: "cert-manager issues and renews the TLS certificates of the cluster's domains through ACME (Let's Encrypt by default) and keeps them in Kubernetes secrets that the ingress reads.",
    versions: ["1.16.2", "1.15.4"],
    credentials: secret("acmeServer", "acmeEmail", "accountPrivateKey"),
    addFields: [text("acmeEmail", "Contact address registered with the ACME server; expiry warnings go there."), choice("acmeServer", "ACME directory to use.", ["letsencrypt", "letsencrypt-staging", "zerossl"], { default: "letsencrypt" })],
  },
  {
    type: "clickhouse", label: "ClickHouse", noun: "analytics database", stateful: true, rotates: true,
    blurb: "ClickHouse is a column-oriented database for analytical queries over large event tables; RunOS runs it with ClickHouse Keeper for replication and exposes the native and HTTP interfaces inside the cluster.",
    versions: ["24.8", "24.3", "23.8"],
    credentials: legacyRead("host", "port", "httpPort", "username", "password", "url"),
    addFields: [text("databaseName", "Database created at start.", { default: "default" }), integer("shards", "Number of shards.", { default: 1, minimum: 1, maximum: 16 })],
  },
  {
    type: "grafana", label: "Grafana", noun: "dashboard server", stateful: true, rotates: true,
    blurb: "Grafana serves dashboards and alerting over the cluster's metrics and logs; RunOS provisions the Prometheus data source and a set of platform dashboards, and keeps the admin account for you.",
    versions: ["11.4.0", "11.3.1", "10.4.12"],
    credentials: legacyRead("url", "username", "password"),
    addFields: [text("domain", "Public hostname of the Grafana UI, e.g. grafana.example.com."), flagless("anonymousViewer", "Let visitors view dashboards without signing in.")],
  },
  {
    type: "harbor", label: "Harbor", noun: "container registry", stateful: true, rotates: true,
    blurb: "Harbor is a container image registry with projects, robot accounts, vulnerability scanning and replication; apps built on the cluster push their images to it.",
    versions: ["2.12.0", "2.11.2"],
    credentials: secret("url", "username", "password"),
    addFields: [text("domain", "Public hostname of the registry, e.g. registry.example.com."), flagless("scanOnPush", "Scan every pushed image for vulnerabilities.", true)],
  },
  {
    type: "kafka", label: "Kafka", noun: "event streaming cluster", stateful: true, rotates: true,
    blurb: "Apache Kafka is a distributed log for event streaming. RunOS runs it in KRaft mode (no ZooKeeper) with SASL/SCRAM authentication and TLS between brokers.",
    versions: ["3.9.0", "3.8.1", "3.7.2"],
    credentials: secret("bootstrapServers", "saslMechanism", "username", "password"),
    addFields: [integer("defaultPartitions", "Partitions of auto-created topics.", { default: 3, minimum: 1, maximum: 256 }), integer("retentionHours", "Default retention of topics in hours.", { default: 168, minimum: 1, maximum: 87600 })],
    addFlags: [flag("secured", "Require SASL authentication and TLS", true)],
  },
  {
    type: "langfuse", label: "Langfuse", noun: "LLM observability server", stateful: true, rotates: true,
    blurb: "Langfuse records traces, prompts and evaluations of LLM applications. RunOS runs its web and worker components with a PostgreSQL and a ClickHouse it manages alongside.",
    versions: ["3.12.0", "2.95.1"],
    credentials: legacyRead("url", "adminEmail", "adminPassword", "publicKey", "secretKey"),
    addFields: [text("domain", "Public hostname of the Langfuse UI."), text("adminEmail", "E-mail of the first admin user.", { required: true })],
  },
  {
    type: "linstor", label: "LINSTOR", noun: "storage controller", stateful: true, rotates: false,
    blurb: "LINSTOR manages replicated block storage (DRBD) across the nodes' disks; storage groups and the volumes of stateful services are built on it.",
    versions: ["1.29.2", "1.28.0"],
    credentials: secret("controllerUrl", "caCertificate", "clientCertificate", "clientPrivateKey"),
    addFields: [integer("placementCount", "Copies of every volume.", { default: 2, minimum: 1, maximum: 3 })],
  },
  {
    type: "litellm", label: "LiteLLM", noun: "LLM gateway", stateful: true, rotates: true,
    blurb: "LiteLLM is an OpenAI-compatible gateway in front of many model providers and self-hosted models, with virtual API keys, budgets and spend tracking.",
    versions: ["1.55.8", "1.52.16"],
    credentials: legacyRead("baseUrl", "masterKey", "uiUsername", "uiPassword"),
    addFields: [stringArray("modelIds", "Models to expose at start, e.g. `vllm-ab2cd/llama-3.1-8b` or `openai/gpt-4o-mini`."), integer("defaultBudgetUsd", "Monthly budget of new keys, in US dollars.", { minimum: 0 })],
  },
  {
    type: "minio", label: "MinIO", noun: "object store", stateful: true, rotates: true,
    blurb: "MinIO is S3-compatible object storage. Buckets can be private or public; applications reach it inside the cluster or through its HTTPS endpoint.",
    versions: ["RELEASE.2024-12-18", "RELEASE.2024-11-07"],
    credentials: secret("endpoint", "accessKey", "secretKey"),
  },
  {
    type: "mysql", label: "MySQL", noun: "database", stateful: true, rotates: true,
    blurb: "MySQL is a relational database; RunOS runs it as an InnoDB cluster with a router in front, automatic failover and daily backups.",
    versions: ["8.4", "8.0"],
    credentials: secret("host", "port", "database", "username", "password", "connectionString"),
    addFields: [text("databaseName", "Database created at start.", { default: "app" }), text("databaseUsername", "Owner of that database.", { default: "app" })],
  },
  {
    type: "netbird-client", label: "NetBird client", noun: "VPN client", stateful: false, rotates: true,
    blurb: "The NetBird client joins the cluster to a NetBird mesh network, so services can reach peers outside the cluster over WireGuard tunnels.",
    versions: ["0.34.1", "0.33.0"],
    credentials: secret("managementUrl", "setupKey"),
    addFields: [text("managementUrl", "URL of the NetBird management server.", { required: true })],
  },
  {
    type: "netbird-server", label: "NetBird server", noun: "VPN management server", stateful: true, rotates: false,
    blurb: "The NetBird server runs the management, signal and relay components of a NetBird mesh VPN with single sign-on through the account's identity provider.",
    versions: ["0.34.1", "0.33.0"],
    credentials: addressOnly("managementUrl", "signalUrl", "relayUrl"),
    addFields: [text("domain", "Public hostname of the management API and dashboard.", { required: true })],
  },
  {
    type: "ollama", label: "Ollama", noun: "model server", stateful: true, rotates: true,
    blurb: "Ollama serves open-weight language models with a simple API; models are pulled into its volume and loaded onto the GPU (or CPU) on first use.",
    versions: ["0.5.4", "0.4.7"],
    credentials: secret("baseUrl", "apiKey"),
    addFields: [stringArray("models", "Models to pull at start, e.g. `llama3.2:3b`."), integer("gpuCount", "GPUs per replica.", { default: 0, minimum: 0, maximum: 8 })],
  },
  {
    type: "postgresql", label: "PostgreSQL", noun: "database", stateful: true, rotates: true,
    blurb: "PostgreSQL is a relational database; RunOS runs it with streaming replicas, automatic failover, point-in-time recovery and a connection pooler.",
    versions: ["16", "15", "14"],
    credentials: secret("host", "port", "database", "username", "password", "connectionString"),
    addFields: [text("databaseName", "Database created at start.", { default: "postgres" }), text("databaseUsername", "Owner of that database."), stringArray("extensions", "Extensions to install, e.g. `pgvector`, `postgis`.")],
  },
  {
    type: "prometheus", label: "Prometheus", noun: "metrics server", stateful: true, rotates: false,
    blurb: "Prometheus scrapes and stores the cluster's metrics; RunOS configures the scrape targets of every service and app and the retention of the time series.",
    versions: ["3.1.0", "2.55.1"],
    credentials: addressOnly("host", "port", "url"),
    addFields: [integer("retentionDays", "How long samples are kept.", { default: 15, minimum: 1, maximum: 365 })],
  },
  {
    type: "rabbitmq", label: "RabbitMQ", noun: "message broker", stateful: true, rotates: true,
    blurb: "RabbitMQ is a message broker for queues and pub/sub over AMQP, MQTT and STOMP, run as a quorum-queue cluster with the management UI inside the cluster.",
    versions: ["4.0.5", "3.13.7"],
    credentials: secret("host", "port", "username", "password", "url", "managementUrl"),
    addFlags: [flag("secured", "Require TLS for client connections", true)],
  },
  {
    type: "traefik", label: "Traefik", noun: "ingress proxy", stateful: false, platform: true, rotates: false,
    blurb: "Traefik is the cluster's ingress proxy: it terminates TLS for every domain and routes requests to apps and services.",
    versions: ["3.2.3", "3.1.7"],
    credentials: addressOnly("host", "port", "dashboardUrl"),
  },
  {
    type: "umami", label: "Umami", noun: "web analytics server", stateful: true, rotates: true,
    blurb: "Umami is privacy-friendly web analytics without cookies; RunOS runs it with a PostgreSQL it manages and a public tracking endpoint.",
    versions: ["2.15.1", "2.14.0"],
    credentials: secret("url", "username", "password"),
    addFields: [text("domain", "Public hostname of the dashboard and tracking script.")],
  },
  {
    type: "valkey", label: "Valkey", noun: "cache", stateful: true, rotates: true,
    blurb: "Valkey is a Redis-compatible in-memory key-value store for caches, sessions and queues, with optional persistence and replicas with automatic failover.",
    versions: ["8.0", "7.2"],
    credentials: secret("host", "port", "password", "url"),
    addFlags: [flag("secured", "Require a password for every connection", true)],
  },
  {
    type: "vector", label: "Vector", noun: "observability pipeline", stateful: false, rotates: true,
    blurb: "Vector collects, transforms and routes logs and metrics from every node to the sinks you configure (object storage, ClickHouse, Loki or an external service).",
    versions: ["0.43.1", "0.42.0"],
    credentials: legacyRead("apiUrl", "apiToken", "sinkUsername", "sinkPassword"),
    addFields: [stringArray("sinks", "Sinks to enable, e.g. `clickhouse:ch-ab2cd`, `minio:logs`.")],
  },
  {
    type: "vllm", label: "vLLM", noun: "inference server", stateful: true, rotates: true,
    blurb: "vLLM serves large language models on GPUs with an OpenAI-compatible API, continuous batching and paged attention; RunOS adds a router in front for several replicas.",
    versions: ["0.25.1", "0.24.2", "0.23.0"],
    credentials: secret("baseUrl", "apiKey", "model"),
  },
  {
    type: "wireguard", label: "WireGuard", noun: "VPN gateway", stateful: false, platform: true, rotates: true,
    blurb: "The WireGuard gateway lets peers outside the cluster reach its internal network; the node agents' own `wg0` mesh is separate and not managed here.",
    versions: ["1.0.20210914"],
    credentials: secret("endpoint", "publicKey", "privateKey", "addressRange"),
    addFields: [text("addressRange", "CIDR range handed out to peers.", { default: "10.66.0.0/24" }), integer("listenPort", "UDP port of the gateway.", { default: 51820, minimum: 1024, maximum: 65535 })],
  },
];

/** A boolean setting sent as a field (RunOS uses both fields and flags for booleans). */
function flagless(name: string, description: string, defaultValue = false): Field {
  return { name, type: "boolean", description, default: defaultValue };
}

/** The resource requirement classes of a type, most modest first, `custom` last. */
export function classesOf(type: string): string[] {
  const gpu = type === "vllm" || type === "ollama";
  return [`${type}.c0.beff`, `${type}.c1.beff`, `${type}.c2.beff`, `${type}.c1.guar`, `${type}.c2.guar`, ...(gpu ? [`${type}.g1.guar`, `${type}.g2.guar`] : []), "custom"];
}
