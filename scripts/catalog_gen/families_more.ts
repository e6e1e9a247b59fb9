/**
 * Verbs of the other service families: gateways and model servers (litellm, ollama), messaging (kafka,
 * rabbitmq), the observability stack (grafana, prometheus, langfuse, umami, vector), the registry
 * (harbor), storage (linstor), and the network and platform services (wireguard, netbird, cert-manager,
 * traefik). vLLM has its own module.
 */
import { type CommandSpec, JOB_ID } from "./command.ts";
import { verbsOf } from "./family_verb.ts";
import { choice, flag, integer, object, positional, stringArray, text } from "./fields.ts";
import type { ServiceType } from "./service_types.ts";

type Family = (t: ServiceType) => CommandSpec[];

const litellm: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("api-keys", { method: "GET", tier: "sensitive_read", summary: "List the virtual API keys of a LiteLLM gateway with their alias, models, budget, spend and the key itself.", topics: ["credentials"], output: { type: "array", fields: ["keyAlias", "key", "models", "budgetUsd", "spendUsd", "expiresAt"] } }),
    verb("create-api-key", {
      method: "POST", tier: "sensitive_write", sub: "api-keys",
      summary: "Create a virtual API key on a LiteLLM gateway limited to some models and a budget; the key is shown once.",
      fields: [text("keyAlias", "A name for the key, e.g. team-search.", { required: true }), stringArray("models", "Models the key may call; all when empty.", { allowEmpty: true }), integer("budgetUsd", "Monthly budget in US dollars.", { minimum: 0 }), integer("durationDays", "Expire the key after this many days.", { minimum: 1, maximum: 3650 })],
      output: { type: "object", fields: ["keyAlias", "key", "expiresAt"] },
    }),
    verb("revoke-api-key", { method: "DELETE", tier: "sensitive_write", sub: "api-keys/:keyAlias", summary: "Revoke one virtual API key of a LiteLLM gateway; calls with it fail at once.", topics: ["confirm"], fields: [positional("keyAlias", "Alias of the key to revoke.")], output: { type: "object", fields: ["keyAlias", { name: "revoked", type: "boolean" }] } }),
    verb("models", { method: "GET", tier: "read", summary: "List the models a LiteLLM gateway routes to, with their provider and upstream name.", output: { type: "array", fields: ["modelName", "provider", "upstreamModel", "apiBase"] } }),
    verb("add-model", {
      method: "POST", tier: "sensitive_write", sub: "models",
      summary: "Add a model route to a LiteLLM gateway; an upstream API key given here is stored encrypted and never shown again.",
      fields: [text("modelName", "The name clients call, e.g. gpt-4o-mini.", { required: true }), choice("provider", "Upstream provider.", ["openai", "anthropic", "azure", "vllm", "ollama", "bedrock"], { required: true }), text("upstreamModel", "The provider's model name."), text("apiBase", "Base URL of a self-hosted upstream."), text("apiKey", "Upstream API key, if the provider needs one.")],
      output: { type: "object", fields: ["modelName", "provider"] },
    }),
    verb("remove-model", { method: "DELETE", tier: "write", sub: "models/:modelName", summary: "Remove one model route from a LiteLLM gateway; keys limited to it lose access to it.", topics: ["confirm"], fields: [positional("modelName", "The model to remove.")], output: { type: "object", fields: ["modelName", { name: "removed", type: "boolean" }] } }),
    verb("spend", { method: "GET", tier: "read", summary: "Report the spend of a LiteLLM gateway per key, model or day over a period.", fields: [choice("groupBy", "How to group the spend.", ["key", "model", "day"], { default: "key" }), choice("window", "Period to report.", ["24h", "7d", "30d"], { default: "7d" })], output: { type: "array", fields: ["group", "requests", "tokens", "spendUsd"] } }),
  ];
};

const ollama: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("models", { method: "GET", tier: "read", summary: "List the models pulled into an Ollama server with their size, quantization and whether they are loaded.", topics: ["inference"], output: { type: "array", fields: ["name", "sizeMb", "quantization", { name: "loaded", type: "boolean" }] } }),
    verb("pull-model", { method: "POST", tier: "write", returnsJob: true, sub: "models", summary: "Pull a model into an Ollama server from the Ollama library; starts a job that reports download progress.", topics: ["inference", "job"], fields: [text("model", "Model and tag, e.g. llama3.2:3b.", { required: true })], output: { type: "object", fields: ["model", JOB_ID] } }),
    verb("delete-model", { method: "DELETE", tier: "write", sub: "models/:model", summary: "Delete a pulled model from an Ollama server to free its volume.", topics: ["confirm"], fields: [positional("model", "Model and tag to delete.")], output: { type: "object", fields: ["model", { name: "deleted", type: "boolean" }] } }),
    verb("chat", { method: "PATCH", tier: "write", summary: "Send a chat message to a model of an Ollama server and return its answer; loads the model if needed.", topics: ["inference"], fields: [text("model", "Model to use.", { required: true }), text("message", "The user message.", { required: true }), text("system", "A system prompt."), integer("maxTokens", "Stop after this many tokens.", { default: 512, minimum: 1, maximum: 32768 })], output: { type: "object", fields: ["model", "content", { name: "usage", type: "object" }] } }),
  ];
};

const kafka: Family = (t) => {
  const verb = verbsOf(t);
  const topic = positional("topic", "The topic name.");
  return [
    verb("topics", { method: "GET", tier: "read", summary: "List the topics of a Kafka cluster with partitions, replication factor and retention.", output: { type: "array", fields: ["name", "partitions", "replicationFactor", "retentionHours", "cleanupPolicy"] } }),
    verb("create-topic", {
      method: "POST", tier: "write", sub: "topics",
      summary: "Create a topic on a Kafka cluster with its partitions, replication factor and retention.",
      fields: [text("name", "Topic name.", { required: true, pattern: "^[a-zA-Z0-9._-]{1,249}$" }), integer("partitions", "Number of partitions.", { default: 3, minimum: 1, maximum: 1024 }), integer("replicationFactor", "Copies of every partition.", { default: 3, minimum: 1, maximum: 5 }), integer("retentionHours", "How long messages are kept.", { default: 168, minimum: 1 }), choice("cleanupPolicy", "Delete old segments or compact by key.", ["delete", "compact"], { default: "delete" })],
      output: { type: "object", fields: ["name", "partitions", "replicationFactor"] },
    }),
    verb("describe-topic", { method: "GET", tier: "read", sub: "topics/:topic", summary: "Describe one Kafka topic: partitions with leaders and in-sync replicas, configuration and size.", fields: [topic], output: { type: "object", fields: ["name", { name: "partitions", type: "array" }, { name: "config", type: "object" }, "sizeMb"] } }),
    verb("delete-topic", { method: "DELETE", tier: "write", sub: "topics/:topic", summary: "Delete one Kafka topic and all its messages.", topics: ["confirm"], fields: [topic], output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] } }),
    verb("consumer-groups", { method: "GET", tier: "read", summary: "List the consumer groups of a Kafka cluster with their state, members and total lag.", output: { type: "array", fields: ["groupId", "state", "members", "lag"] } }),
    verb("reset-offsets", {
      method: "POST", tier: "write",
      summary: "Reset the offsets of a Kafka consumer group on a topic to the earliest, the latest or a point in time; the group must be inactive.",
      topics: ["confirm"], fields: [text("groupId", "The consumer group.", { required: true }), text("topic", "The topic.", { required: true }), choice("to", "Where to move the offsets.", ["earliest", "latest", "timestamp"], { required: true }), text("timestamp", "RFC 3339 time, when to is timestamp.")],
      output: { type: "object", fields: ["groupId", "topic", { name: "partitions", type: "integer" }] },
    }),
    verb("users", { method: "GET", tier: "read", summary: "List the SASL users of a Kafka cluster and the topics each may read or write.", output: { type: "array", fields: ["username", { name: "acls", type: "array" }] } }),
    verb("create-user", { method: "POST", tier: "sensitive_write", sub: "users", summary: "Create a SASL/SCRAM user on a Kafka cluster with read or write access to some topics; its password is shown once.", fields: [text("username", "The user name.", { required: true }), stringArray("readTopics", "Topics (or prefixes ending in *) it may consume."), stringArray("writeTopics", "Topics it may produce to.")], output: { type: "object", fields: ["username", "password"] } }),
  ];
};

const rabbitmq: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("queues", { method: "GET", tier: "read", summary: "List the queues of a RabbitMQ broker with their type, messages ready and unacknowledged, and consumers.", fields: [text("vhost", "Only this virtual host.", { default: "/" })], output: { type: "array", fields: ["name", "type", "messagesReady", "messagesUnacked", "consumers"] } }),
    verb("vhosts", { method: "GET", tier: "read", summary: "List the virtual hosts of a RabbitMQ broker.", output: { type: "array", fields: ["name", "queues", "connections"] } }),
    verb("create-vhost", { method: "POST", tier: "write", sub: "vhosts", summary: "Create a virtual host on a RabbitMQ broker.", fields: [text("name", "The virtual host.", { required: true })], output: { type: "object", fields: ["name"] } }),
    verb("delete-vhost", { method: "DELETE", tier: "write", sub: "vhosts/:vhost", summary: "Delete a virtual host of a RabbitMQ broker with all its queues and messages.", topics: ["confirm"], fields: [positional("vhost", "The virtual host.")], output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] } }),
    verb("purge-queue", { method: "POST", tier: "write", summary: "Drop every ready message of one RabbitMQ queue; unacknowledged messages are kept.", topics: ["confirm"], fields: [text("queue", "The queue.", { required: true }), text("vhost", "Its virtual host.", { default: "/" })], output: { type: "object", fields: ["queue", { name: "purged", type: "integer" }] } }),
    verb("users", { method: "GET", tier: "read", summary: "List the users of a RabbitMQ broker with their tags and permissions.", output: { type: "array", fields: ["username", "tags", { name: "permissions", type: "array" }] } }),
    verb("create-user", { method: "POST", tier: "sensitive_write", sub: "users", summary: "Create a user on a RabbitMQ broker with permissions on one virtual host; its password is shown once.", fields: [text("username", "The user name.", { required: true }), text("vhost", "Virtual host it may use.", { default: "/" }), choice("access", "What it may do there.", ["read", "write", "configure", "all"], { default: "all" })], output: { type: "object", fields: ["username", "password"] } }),
  ];
};

const harbor: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("projects", { method: "GET", tier: "read", summary: "List the projects of a Harbor registry with visibility, repository count and storage used.", output: { type: "array", fields: ["name", "public", "repositories", "storageMb"] } }),
    verb("create-project", { method: "POST", tier: "write", sub: "projects", summary: "Create a project in a Harbor registry, public or private, with an optional storage quota.", fields: [text("name", "Project name.", { required: true, pattern: "^[a-z0-9][a-z0-9._-]{1,254}$" }), choice("visibility", "Who may pull.", ["private", "public"], { default: "private" }), integer("quotaMb", "Storage quota in MiB; unlimited when absent.", { minimum: 1 })], output: { type: "object", fields: ["name", "public"] } }),
    verb("delete-project", { method: "DELETE", tier: "write", sub: "projects/:project", summary: "Delete an empty project of a Harbor registry.", topics: ["confirm"], fields: [positional("project", "The project.")], output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] } }),
    verb("repositories", { method: "GET", tier: "read", summary: "List the repositories of a Harbor project with artifact count, pulls and last push.", fields: [text("project", "The project.", { required: true })], output: { type: "array", fields: ["name", "artifacts", "pulls", "updatedAt"] } }),
    verb("build-image", { method: "POST", tier: "write", returnsJob: true, summary: "Build an auxiliary image from a Git repository into runos-apps/<repo>:<tag> in a Harbor registry; starts a job.", topics: ["appsBuild", "job"], fields: [text("repository", "Git repository URL.", { required: true }), text("ref", "Branch, tag or commit.", { default: "main" }), text("dockerfile", "Path of the Dockerfile.", { default: "Dockerfile" }), text("tag", "Image tag; the commit sha when absent.")], output: { type: "object", fields: ["image", JOB_ID] } }),
    verb("robot-accounts", { method: "GET", tier: "read", summary: "List the robot accounts of a Harbor registry with their projects, permissions and expiry (never their secret).", output: { type: "array", fields: ["name", "projects", "permissions", "expiresAt"] } }),
    verb("create-robot-account", { method: "POST", tier: "sensitive_write", sub: "robot-accounts", summary: "Create a robot account on a Harbor registry for CI pulls or pushes; its secret is shown once.", fields: [text("name", "Robot name.", { required: true }), stringArray("projects", "Projects it may use.", { required: true }), choice("access", "Pull only, or pull and push.", ["pull", "push"], { default: "pull" })], output: { type: "object", fields: ["name", "secret", "expiresAt"] } }),
    verb("scan-image", { method: "POST", tier: "write", returnsJob: true, summary: "Scan one image of a Harbor registry for known vulnerabilities; starts a job whose result lists the findings by severity.", topics: ["job"], fields: [text("image", "Image reference, e.g. library/web:1.4.2.", { required: true })], output: { type: "object", fields: ["image", JOB_ID] } }),
  ];
};

const grafana: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("dashboards", { method: "GET", tier: "read", summary: "List the dashboards of a Grafana server with their folder, uid and tags.", output: { type: "array", fields: ["uid", "title", "folder", "tags"] } }),
    verb("import-dashboard", { method: "POST", tier: "write", sub: "dashboards", summary: "Import a dashboard into a Grafana server from its JSON model or a grafana.com id.", fields: [object("dashboard", "The dashboard JSON model."), integer("gnetId", "A dashboard id from grafana.com instead."), text("folder", "Folder to put it in.", { default: "General" })], output: { type: "object", fields: ["uid", "title", "url"] } }),
    verb("delete-dashboard", { method: "DELETE", tier: "write", sub: "dashboards/:uid", summary: "Delete one dashboard of a Grafana server.", topics: ["confirm"], fields: [positional("uid", "Dashboard uid.")], output: { type: "object", fields: ["uid", { name: "deleted", type: "boolean" }] } }),
    verb("datasources", { method: "GET", tier: "read", summary: "List the data sources of a Grafana server with their type and URL.", output: { type: "array", fields: ["name", "type", "url", { name: "isDefault", type: "boolean" }] } }),
    verb("add-datasource", { method: "POST", tier: "sensitive_write", sub: "datasources", summary: "Add a data source to a Grafana server; credentials given here are stored encrypted in Grafana.", fields: [text("name", "Data source name.", { required: true }), choice("type", "Kind of data source.", ["prometheus", "loki", "postgres", "mysql", "clickhouse", "elasticsearch"], { required: true }), text("url", "Its URL.", { required: true }), text("username", "User to connect as."), text("password", "Password to connect with.")], output: { type: "object", fields: ["name", "type", "url"] } }),
    verb("reset-admin-password", { method: "POST", tier: "sensitive_write", summary: "Set a new random password for the Grafana admin user and return it once.", topics: ["rotate", "confirm"], output: { type: "object", fields: ["username", "password"] } }),
  ];
};

const prometheus: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("targets", { method: "GET", tier: "read", summary: "List the scrape targets of a Prometheus server with their health, last scrape and error.", fields: [choice("health", "Only targets in this state.", ["up", "down", "unknown"])], output: { type: "array", fields: ["job", "instance", "health", "lastScrape", "lastError"] } }),
    verb("rules", { method: "GET", tier: "read", summary: "List the alerting and recording rules of a Prometheus server with their state.", output: { type: "array", fields: ["group", "name", "type", "state", "query"] } }),
    verb("query", { method: "GET", tier: "read", summary: "Evaluate a PromQL expression on a Prometheus server at one instant.", topics: ["metrics"], fields: [text("promql", "The PromQL expression.", { required: true }), text("time", "RFC 3339 evaluation time; now when absent.")], output: { type: "object", fields: ["resultType", { name: "result", type: "array" }] } }),
    verb("query-range", { method: "GET", tier: "read", summary: "Evaluate a PromQL expression on a Prometheus server over a time range at a fixed step.", topics: ["metrics"], fields: [text("promql", "The PromQL expression.", { required: true }), text("start", "RFC 3339 start.", { required: true }), text("end", "RFC 3339 end; now when absent."), integer("stepSeconds", "Resolution.", { default: 60, minimum: 1 })], output: { type: "object", fields: ["resultType", { name: "result", type: "array" }] } }),
    verb("reload", { method: "POST", tier: "write", summary: "Make a Prometheus server reload its configuration and rules without a restart.", output: { type: "object", fields: [{ name: "reloaded", type: "boolean" }] } }),
  ];
};

const langfuse: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("projects", { method: "GET", tier: "read", summary: "List the projects of a Langfuse server with their trace count and retention.", output: { type: "array", fields: ["id", "name", "traces", "retentionDays"] } }),
    verb("create-project", { method: "POST", tier: "write", sub: "projects", summary: "Create a project on a Langfuse server.", fields: [text("name", "Project name.", { required: true }), integer("retentionDays", "Delete traces older than this.", { minimum: 1 })], output: { type: "object", fields: ["id", "name"] } }),
    verb("project-keys", { method: "GET", tier: "sensitive_read", sub: "projects/:projectId/keys", summary: "Reveal the public and secret API keys of one Langfuse project.", topics: ["credentials"], fields: [positional("projectId", "The project id.")], output: { type: "array", fields: ["publicKey", "secretKey", "createdAt"] } }),
    verb("create-project-key", { method: "POST", tier: "sensitive_write", sub: "projects/:projectId/keys", summary: "Create a new API key pair for one Langfuse project; the secret key is shown once.", fields: [positional("projectId", "The project id."), text("note", "What the key is for.")], output: { type: "object", fields: ["publicKey", "secretKey"] } }),
  ];
};

const umami: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("websites", { method: "GET", tier: "read", summary: "List the websites tracked by an Umami server with their domain and tracking id.", output: { type: "array", fields: ["websiteId", "name", "domain"] } }),
    verb("add-website", { method: "POST", tier: "write", sub: "websites", summary: "Start tracking a website on an Umami server; the answer has the tracking snippet to embed.", fields: [text("name", "Display name.", { required: true }), text("domain", "The site's domain.", { required: true })], output: { type: "object", fields: ["websiteId", "snippet"] } }),
    verb("delete-website", { method: "DELETE", tier: "write", sub: "websites/:websiteId", summary: "Stop tracking a website on an Umami server and delete its collected data.", topics: ["confirm"], fields: [positional("websiteId", "The website id.")], output: { type: "object", fields: ["websiteId", { name: "deleted", type: "boolean" }] } }),
    verb("stats", { method: "GET", tier: "read", summary: "Show visitors, page views, bounce rate and top pages of one website tracked by Umami.", fields: [text("websiteId", "The website id.", { required: true }), choice("window", "Period.", ["24h", "7d", "30d", "90d"], { default: "7d" })], output: { type: "object", fields: ["visitors", "pageviews", "bounceRate", { name: "topPages", type: "array" }] } }),
    verb("reset-admin-password", { method: "POST", tier: "sensitive_write", summary: "Set a new random password for the Umami admin user and return it once.", topics: ["rotate", "confirm"], output: { type: "object", fields: ["username", "password"] } }),
  ];
};

const vector: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("pipeline-config", { method: "GET", tier: "read", summary: "Show the sources, transforms and sinks of a Vector pipeline as RunOS rendered them.", output: { type: "object", fields: [{ name: "sources", type: "object" }, { name: "transforms", type: "object" }, { name: "sinks", type: "object" }] } }),
    verb("set-pipeline-config", { method: "POST", tier: "write", returnsJob: true, summary: "Replace the transforms and sinks of a Vector pipeline; starts a job that validates and reloads it on every node.", topics: ["job"], fields: [object("transforms", "Transforms by name, in Vector's configuration shape."), object("sinks", "Sinks by name, in Vector's configuration shape.", { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
    verb("validate-config", { method: "POST", tier: "read", summary: "Check a Vector pipeline configuration without applying it and return the problems found; changes nothing.", fields: [object("transforms", "Transforms to check."), object("sinks", "Sinks to check.", { required: true })], output: { type: "object", fields: [{ name: "valid", type: "boolean" }, { name: "problems", type: "array" }] } }),
    verb("sinks", { method: "GET", tier: "read", summary: "List the sinks of a Vector pipeline with their throughput and error counts.", output: { type: "array", fields: ["name", "type", "eventsPerSec", "errors"] } }),
    verb("reload", { method: "POST", tier: "write", summary: "Make every Vector agent reload its pipeline configuration.", output: { type: "object", fields: [{ name: "reloaded", type: "integer" }] } }),
  ];
};

const linstor: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("storage-pools", { method: "GET", tier: "read", summary: "List the storage pools LINSTOR manages on each node with their driver, capacity and free space.", topics: ["storageGroups"], output: { type: "array", fields: ["node", "pool", "driver", "capacityMb", "freeMb"] } }),
    verb("resource-groups", { method: "GET", tier: "read", summary: "List the LINSTOR resource groups with their placement count and pools.", output: { type: "array", fields: ["name", "placementCount", "pools"] } }),
    verb("volumes", { method: "GET", tier: "read", summary: "List the replicated volumes LINSTOR manages with their size, replicas and sync state.", output: { type: "array", fields: ["name", "sizeMb", "replicas", "state"] } }),
    verb("create-resource-group", { method: "POST", tier: "write", sub: "resource-groups", summary: "Create a LINSTOR resource group that places volumes on some pools with a number of copies.", fields: [text("name", "Group name.", { required: true }), integer("placementCount", "Copies of every volume.", { default: 2, minimum: 1, maximum: 3 }), stringArray("pools", "Storage pools to use.", { required: true })], output: { type: "object", fields: ["name"] } }),
    verb("delete-resource-group", { method: "DELETE", tier: "write", sub: "resource-groups/:group", summary: "Delete an unused LINSTOR resource group.", topics: ["confirm"], fields: [positional("group", "The resource group.")], output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] } }),
  ];
};

const wireguard: Family = (t) => {
  const verb = verbsOf(t);
  const peer = positional("peerName", "The peer name.");
  return [
    verb("peers", { method: "GET", tier: "read", summary: "List the peers of a WireGuard gateway with their address, public key and last handshake.", output: { type: "array", fields: ["name", "address", "publicKey", "lastHandshake"] } }),
    verb("add-peer", { method: "POST", tier: "sensitive_write", sub: "peers", summary: "Add a peer to a WireGuard gateway; the answer holds its private key and a ready client configuration, shown once.", fields: [text("name", "Peer name.", { required: true }), stringArray("allowedIps", "Extra ranges routed through the peer.")], output: { type: "object", fields: ["name", "address", "publicKey", "privateKey", "config"] } }),
    verb("remove-peer", { method: "DELETE", tier: "write", sub: "peers/:peerName", summary: "Remove a peer from a WireGuard gateway; its tunnel stops at once.", topics: ["confirm"], fields: [peer], output: { type: "object", fields: ["name", { name: "removed", type: "boolean" }] } }),
    verb("peer-config", { method: "GET", tier: "sensitive_read", sub: "peers/:peerName/config", summary: "Show the client configuration of one WireGuard peer, private key included.", topics: ["credentials"], fields: [peer], output: { type: "object", fields: ["name", "privateKey", "config"] } }),
  ];
};

const netbirdServer: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("peers", { method: "GET", tier: "read", summary: "List the peers of a NetBird network with their address, groups and whether they are connected.", output: { type: "array", fields: ["peerId", "name", "address", "groups", { name: "connected", type: "boolean" }] } }),
    verb("setup-keys", { method: "GET", tier: "sensitive_read", summary: "List the setup keys of a NetBird network, keys included, with their usage and expiry.", topics: ["credentials"], output: { type: "array", fields: ["name", "key", "usedTimes", "expiresAt"] } }),
    verb("create-setup-key", { method: "POST", tier: "sensitive_write", sub: "setup-keys", summary: "Create a setup key that lets new peers join a NetBird network into some groups.", fields: [text("name", "Key name.", { required: true }), stringArray("groups", "Groups joined peers get."), integer("expiresInDays", "Days the key stays valid.", { default: 30, minimum: 1 }), integer("usageLimit", "How many peers may use it; unlimited when 0.", { default: 0, minimum: 0 })], flags: [flag("reusable", "Let several peers use the key")], output: { type: "object", fields: ["name", "key", "expiresAt"] } }),
    verb("groups", { method: "GET", tier: "read", summary: "List the groups of a NetBird network with their peers and access policies.", output: { type: "array", fields: ["name", "peers", "policies"] } }),
    verb("remove-peer", { method: "DELETE", tier: "write", sub: "peers/:peerId", summary: "Remove a peer from a NetBird network; it must join again with a setup key.", topics: ["confirm"], fields: [positional("peerId", "The peer id.")], output: { type: "object", fields: ["peerId", { name: "removed", type: "boolean" }] } }),
  ];
};

const netbirdClient: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("connect", { method: "PATCH", tier: "write", summary: "Bring the NetBird client's tunnel up so services reach the mesh's peers.", output: { type: "object", fields: ["status"] } }),
    verb("disconnect", { method: "PATCH", tier: "write", summary: "Take the NetBird client's tunnel down; services lose access to the mesh's peers.", output: { type: "object", fields: ["status"] } }),
    verb("peers", { method: "GET", tier: "read", summary: "List the mesh peers the NetBird client sees with their latency and connection type (direct or relayed).", output: { type: "array", fields: ["name", "address", "latencyMs", "connection"] } }),
  ];
};

const certManager: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("certificates", { method: "GET", tier: "read", summary: "List the certificates cert-manager manages with their domains, issuer and expiry.", topics: ["domains"], output: { type: "array", fields: ["name", "dnsNames", "issuer", "ready", "notAfter"] } }),
    verb("certificate", { method: "GET", tier: "read", sub: "certificates/:name", summary: "Show one certificate managed by cert-manager with its conditions and last renewal.", fields: [positional("name", "The certificate name.")], output: { type: "object", fields: ["name", "dnsNames", "issuer", { name: "conditions", type: "array" }, "renewedAt", "notAfter"] } }),
    verb("renew-certificate", { method: "POST", tier: "write", sub: "certificates/:name/renew", summary: "Ask cert-manager to renew one certificate now instead of waiting for its renewal window.", fields: [positional("name", "The certificate name.")], output: { type: "object", fields: ["name", "status"] } }),
    verb("issuers", { method: "GET", tier: "read", summary: "List the certificate issuers cert-manager knows and whether each is ready.", output: { type: "array", fields: ["name", "type", "ready"] } }),
  ];
};

const traefik: Family = (t) => {
  const verb = verbsOf(t);
  return [
    verb("routes", { method: "GET", tier: "read", summary: "List the HTTP routes of the Traefik proxy: rule, service, middlewares and TLS.", topics: ["domains"], output: { type: "array", fields: ["name", "rule", "service", "middlewares", { name: "tls", type: "boolean" }] } }),
    verb("middlewares", { method: "GET", tier: "read", summary: "List the middlewares of the Traefik proxy (redirects, headers, rate limits) and where they are used.", output: { type: "array", fields: ["name", "type", "usedBy"] } }),
    verb("entrypoints", { method: "GET", tier: "read", summary: "List the entry points of the Traefik proxy with their address and TLS settings.", output: { type: "array", fields: ["name", "address", "tls"] } }),
  ];
};

/** Family verbs by service type (types without an entry have only the common verbs). */
export const FAMILIES: Readonly<Record<string, Family>> = {
  "litellm": litellm,
  "ollama": ollama,
  "kafka": kafka,
  "rabbitmq": rabbitmq,
  "harbor": harbor,
  "grafana": grafana,
  "prometheus": prometheus,
  "langfuse": langfuse,
  "umami": umami,
  "vector": vector,
  "linstor": linstor,
  "wireguard": wireguard,
  "netbird-server": netbirdServer,
  "netbird-client": netbirdClient,
  "cert-manager": certManager,
  "traefik": traefik,
};
