/**
 * The platform groups of RunOS's catalog besides services and apps (§2.5 "Manifest-driven groups"):
 * clusters, cluster domains, nodes, storage groups, jobs, account, service info, domains,
 * integrations, tags, virtual machines, maintenance scripts and the small CLI and MCP helpers.
 */
import type { Field } from "../../src/catalog/schema.ts";
import { type CommandSpec, JOB_ID, type Tier } from "./command.ts";
import { boolean, choice, flag, idOf, integer, metricFields, NAME_PATTERN, nameField, object, positional, stringArray, text } from "./fields.ts";
import type { Topic } from "./prose_topics.ts";
import { SERVICE_TYPES } from "./service_types.ts";
import { advancedConfigSchemaSpec } from "./vllm.ts";

type Extra = Partial<Omit<CommandSpec, "command" | "endpoint" | "method" | "tier" | "summary">>;

function c(command: string, method: CommandSpec["method"], endpoint: string, tier: Tier, summary: string, extra: Extra = {}): CommandSpec {
  return { command, endpoint, method, tier, summary, ...extra };
}

const T = (...topics: Topic[]) => topics;
const A = "/:aid";
const C = "/:aid/:cid";
const deleted = { name: "deleted", type: "boolean" } as const;

function clusters(): CommandSpec[] {
  const item = `${A}/clusters/:cid`;
  return [
    c("clusters/list", "GET", `${A}/clusters`, "read", "List the clusters of the account with their region, status, Kubernetes version and a health summary.", { topics: T("ids"), output: { type: "array", fields: ["id", "name", "region", "status", "kubernetesVersion", "health"] } }),
    c("clusters/add", "POST", `${A}/clusters`, "write", "Create a cluster; nodes join it afterwards with the command from `nodes join-command`. Starts a job.", { returnsJob: true, topics: T("job", "nodes"), fields: [nameField("cluster"), text("region", "Where its nodes are, e.g. eu-central.", { required: true }), choice("kubernetesVersion", "Kubernetes version.", ["1.31", "1.30", "1.29"], { default: "1.31" }), text("clusterId", "Cluster id to use, 3–16 lower-case letters and digits; generated when absent.", { pattern: "^[a-z0-9]{3,16}$" })], output: { type: "object", fields: ["id", "name", "status", JOB_ID] } }),
    c("clusters/mcp-docs", "GET", `${A}/clusters/mcp-docs`, "read", "Return the guide an AI assistant should read before managing clusters through MCP: concepts, ids, tiers and safe habits.", { output: { type: "object", fields: ["title", "markdown"] } }),
    c("clusters/{cid}/show", "GET", item, "read", "Show one cluster with its health checks, domain, provider and counts of services and apps.", { topics: T("ids"), output: { type: "object", fields: ["id", "name", "region", "provider", "status", "kubernetesVersion", "domain", "health", "counts"] } }),
    c("clusters/{cid}/delete", "DELETE", item, "write", "Delete a cluster with every service, app and volume on it; its nodes are released. Starts a job.", { returnsJob: true, topics: T("deleteService", "confirm", "job"), output: { type: "object", fields: ["id", JOB_ID] } }),
    c("clusters/{cid}/kubeconfig", "GET", `${item}/kubeconfig`, "sensitive_read", "Return a kubeconfig with an admin token for one cluster, valid for 24 hours.", { topics: T("credentials"), fields: [integer("ttlHours", "How long the token stays valid.", { default: 24, minimum: 1, maximum: 168 })], output: { type: "object", fields: ["kubeconfig", "token", "expiresAt"] } }),
    c("clusters/{cid}/reset", "POST", `${item}/reset`, "write", "Reset a cluster to an empty state: every app, service and volume is deleted and the control plane is reinstalled. Starts a job.", { returnsJob: true, topics: T("deleteService", "confirm", "job"), fields: [text("confirmName", "The cluster's name, typed again.", { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("clusters/{cid}/is-app-deployment-ready", "GET", `${item}/is-app-deployment-ready`, "read", "Tell whether a cluster can take app deployments now (registry, builder, ingress and certificates ready) and what is missing.", { output: { type: "object", fields: [{ name: "ready", type: "boolean" }, { name: "missing", type: "array" }] } }),
    c("clusters/{cid}/etcd-members", "GET", `${item}/etcd-members`, "read", "List the etcd members of a cluster's control plane with their node and health.", { output: { type: "array", fields: ["memberId", "node", "healthy", "leader"] } }),
    c("clusters/{cid}/etcd-remove-member", "POST", `${item}/etcd-remove-member`, "write", "Remove a dead etcd member from a cluster's control plane so a replacement node can join.", { topics: T("confirm"), fields: [text("memberId", "The member, from `etcd-members`.", { required: true })], output: { type: "object", fields: ["memberId", { name: "removed", type: "boolean" }] } }),
    c("clusters/{cid}/health", "GET", `${item}/health`, "read", "Run the health checks of a cluster (nodes, control plane, DNS, storage, certificates) and report each.", { output: { type: "object", fields: ["status", { name: "checks", type: "array" }] } }),
    c("clusters/{cid}/events", "GET", `${item}/events`, "read", "List recent warnings of a cluster across namespaces, newest first.", { topics: T("events"), fields: [integer("limit", "At most this many.", { default: 50, minimum: 1, maximum: 500 })], output: { type: "array", fields: ["at", "namespace", "object", "reason", "message"] } }),
    c("clusters/{cid}/versions", "GET", `${item}/versions`, "read", "List the Kubernetes versions a cluster can be upgraded to.", { topics: T("upgrade"), output: { type: "array", fields: ["version", "current", "upgradeable"] } }),
    c("clusters/{cid}/upgrade", "POST", `${item}/upgrade`, "write", "Upgrade a cluster's Kubernetes version, control plane first, then node by node; starts a job.", { returnsJob: true, topics: T("upgrade", "drain", "job"), fields: [choice("version", "Target version.", ["1.31", "1.30"], { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("clusters/{cid}/rename", "PATCH", `${item}/rename`, "write", "Give a cluster a new display name; its cid does not change.", { fields: [text("newName", "The new name.", { required: true, pattern: NAME_PATTERN })], output: { type: "object", fields: ["id", "name"] } }),
    c("clusters/{cid}/settings", "GET", `${item}/settings`, "read", "Show the settings of a cluster: default storage group, backup schedule, maintenance window and toolsets.", { output: { type: "object", fields: ["defaultStorageGroupId", "backupSchedule", "maintenanceWindow", { name: "toolsets", type: "array" }] } }),
    c("clusters/{cid}/update-settings", "PATCH", `${item}/settings`, "write", "Change the settings of a cluster; only the fields given change.", { topics: T("updatePartial"), fields: [integer("defaultStorageGroupId", "Default storage group.", { minimum: 1 }), text("backupSchedule", "Cron schedule of service backups, e.g. 0 3 * * *.", { allowEmpty: true }), text("maintenanceWindow", "Weekly window, e.g. sun 02:00-04:00.", { allowEmpty: true })], output: { type: "object", fields: ["id"] } }),
    c("clusters/{cid}/capacity", "GET", `${item}/capacity`, "read", "Show a cluster's allocatable and requested CPU, memory, GPUs and storage, per node and in total.", { topics: T("units"), output: { type: "object", fields: ["cpuMc", "cpuRequestedMc", "memoryMb", "memoryRequestedMb", "gpus", { name: "nodes", type: "array" }] } }),
    c("cluster-domains/list", "GET", `${C}/cluster-domains`, "read", "List the wildcard domains of a cluster with their certificate status.", { topics: T("domains"), output: { type: "array", fields: ["id", "domain", "certificate", "verified"] } }),
    c("cluster-domains/add", "POST", `${C}/cluster-domains`, "write", "Add a wildcard domain to a cluster; apps get hostnames under it.", { topics: T("domains"), fields: [text("domain", "The domain, e.g. apps.example.com.", { required: true })], output: { type: "object", fields: ["id", "domain", "dnsRecord"] } }),
    c("cluster-domains/{id}/show", "GET", `${C}/cluster-domains/:id`, "read", "Show one cluster domain with its DNS records and certificate.", { fields: [idOf("cluster domain")], output: { type: "object", fields: ["id", "domain", { name: "dnsRecords", type: "array" }, "certificate"] } }),
    c("cluster-domains/{id}/verify", "POST", `${C}/cluster-domains/:id/verify`, "write", "Check the DNS of a cluster domain now and issue its certificate when it resolves.", { fields: [idOf("cluster domain")], output: { type: "object", fields: ["id", "verified", "problem"] } }),
    c("cluster-domains/{id}/delete", "DELETE", `${C}/cluster-domains/:id`, "write", "Remove a wildcard domain from a cluster; hostnames under it stop resolving to the cluster.", { topics: T("confirm"), fields: [idOf("cluster domain")], output: { type: "object", fields: ["id", deleted] } }),
  ];
}

function nodes(): CommandSpec[] {
  const item = `${C}/nodes/:id`;
  const id = idOf("node");
  const job = (summary: string, verb: string, topics: Topic[], fields: Field[] = []): CommandSpec =>
    c(`nodes/{id}/${verb}`, "POST", `${item}/${verb}`, "write", summary, { returnsJob: true, topics: [...topics, "job"], fields: [id, ...fields], output: { type: "object", fields: ["id", JOB_ID] } });
  return [
    c("nodes/list", "GET", `${C}/nodes`, "read", "List the nodes of a cluster with their state, type and resources; filter by state or type.", { topics: T("nodes") }),
    c("nodes/{id}/show", "GET", item, "read", "Show one node: type, state, address, resources, labels and conditions.", { topics: T("nodes"), fields: [id] }),
    c("nodes/join-command", "POST", `${C}/nodes/join-command`, "sensitive_write", "Create a one-time join command for a new node of a cluster; the command embeds a short-lived registration token.", { topics: T("nodes", "credentials"), fields: [choice("type", "Role of the new node.", ["worker", "control-plane", "hybrid"], { default: "worker" }), integer("ttlMinutes", "Validity of the token.", { default: 60, minimum: 5, maximum: 1440 })], output: { type: "object", fields: ["command", "token", "expiresAt"] } }),
    job("Drain a node: cordon it and move its pods elsewhere before maintenance; starts a job.", "drain", ["drain"], [integer("timeoutSeconds", "Give up after this long.", { default: 600, minimum: 30, maximum: 7200 })]),
    c("nodes/{id}/cordon", "POST", `${item}/cordon`, "write", "Stop scheduling new pods on a node; running pods stay.", { fields: [id], output: { type: "object", fields: ["id", { name: "schedulable", type: "boolean" }] } }),
    c("nodes/{id}/uncordon", "POST", `${item}/uncordon`, "write", "Let a cordoned or drained node take new pods again.", { fields: [id], output: { type: "object", fields: ["id", { name: "schedulable", type: "boolean" }] } }),
    c("nodes/{id}/delete", "DELETE", item, "write", "Remove a node from its cluster; run delete-preflight first to see what would move or break. Starts a job.", { returnsJob: true, topics: T("drain", "confirm", "job"), fields: [id], flags: [flag("force", "Remove even when the preflight reports blockers")], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("nodes/{id}/delete-preflight", "GET", `${item}/delete-preflight`, "read", "Check what removing a node would do: pods to move, volumes with no other replica, quorum of etcd.", { fields: [id], output: { type: "object", fields: [{ name: "safe", type: "boolean" }, { name: "blockers", type: "array" }, { name: "warnings", type: "array" }] } }),
    c("nodes/{id}/rename", "PATCH", `${item}/rename`, "write", "Give a node a new display name.", { fields: [id, text("newName", "The new name.", { required: true })], output: { type: "object", fields: ["id", "name"] } }),
    c("nodes/{id}/configure-gpu-shape", "POST", `${item}/configure-gpu-shape`, "write", "Declare the GPUs of a node (model, count, memory, MIG profile) so GPU services can be scheduled on it.", { fields: [id, text("gpuType", "GPU model, e.g. nvidia-l40s.", { required: true }), integer("gpuCount", "Number of GPUs.", { required: true, minimum: 1, maximum: 16 }), integer("gpuMemoryMb", "Memory per GPU in MiB.", { minimum: 1024 }), text("migProfile", "MIG profile, e.g. 3g.40gb.", { allowEmpty: true })], output: { type: "object", fields: ["id", "gpuType", "gpuCount"] } }),
    c("nodes/{id}/labels/set", "PUT", `${item}/labels`, "write", "Replace the RunOS-managed labels of a node (used by nodeAffinityTags).", { topics: T("affinity"), fields: [id, object("labels", "Labels, key: value.", { required: true, valueType: "string" })], output: { type: "object", fields: ["id", { name: "labels", type: "object" }] } }),
    c("nodes/{id}/metrics", "GET", `${item}/metrics`, "read", "Show CPU, memory, disk and network metrics of a node over a time window.", { topics: T("metrics"), fields: [id, ...metricFields()], output: { type: "object", fields: ["cpuMc", "memoryMb", "diskUsedPct", { name: "series", type: "array" }] } }),
    c("nodes/{id}/events", "GET", `${item}/events`, "read", "List recent events of a node (pressure, reboots, agent reconnects), newest first.", { topics: T("events"), fields: [id], output: { type: "array", fields: ["at", "type", "reason", "message"] } }),
    c("nodes/{id}/pods", "GET", `${item}/pods`, "read", "List the pods running on a node with their namespace, owner and resource requests.", { topics: T("pods"), fields: [id], output: { type: "array", fields: ["name", "namespace", "owner", "cpuRequestMc", "memoryRequestMb"] } }),
    c("nodes/{id}/gpus", "GET", `${item}/gpus`, "read", "List the GPUs of a node with their model, memory, utilisation and the pods using them.", { fields: [id], output: { type: "array", fields: ["index", "model", "memoryMb", "utilizationPct", "pods"] } }),
    c("nodes/{id}/disks", "GET", `${item}/disks`, "read", "List the block devices of a node, their size and the storage group each belongs to.", { topics: T("storageGroups"), fields: [id], output: { type: "array", fields: ["device", "sizeMb", "storageGroupId", "inUse"] } }),
    job("Reboot a node after draining it; its pods come back when it is ready. Starts a job.", "reboot", ["drain"]),
    job("Upgrade the RunOS node agent of a node to the newest release; starts a job.", "upgrade-agent", ["nodes"]),
  ];
}

function storageGroups(): CommandSpec[] {
  const base = `${C}/storage-groups`;
  const id = idOf("storage group");
  return [
    c("storage-groups/list", "GET", base, "read", "List the storage groups of a cluster with their capacity, free space and replication.", { topics: T("storageGroups"), output: { type: "array", fields: ["id", "name", "capacityMb", "freeMb", "placementCount"] } }),
    c("storage-groups/{id}/show", "GET", `${base}/:id`, "read", "Show one storage group with its devices per node and the volumes on it.", { topics: T("storageGroups"), fields: [id], output: { type: "object", fields: ["id", "name", { name: "devices", type: "array" }, { name: "volumes", type: "array" }] } }),
    c("storage-groups/create", "POST", base, "write", "Create a storage group from devices of some nodes; starts a job that prepares the devices.", { returnsJob: true, topics: T("storageGroups", "job"), fields: [nameField("storage group"), stringArray("devices", "Devices as node:device, e.g. i4y-wk-1:/dev/nvme1n1.", { required: true }), integer("placementCount", "Copies of every volume.", { default: 2, minimum: 1, maximum: 3 })], output: { type: "object", fields: ["id", "name", JOB_ID] } }),
    c("storage-groups/{id}/update", "PATCH", `${base}/:id`, "write", "Change the name or replication of a storage group.", { fields: [id, text("name", "New name."), integer("placementCount", "Copies of every volume.", { minimum: 1, maximum: 3 })], output: { type: "object", fields: ["id", "name"] } }),
    c("storage-groups/{id}/add-device", "POST", `${base}/:id/devices`, "write", "Add a device of a node to a storage group; starts a job.", { returnsJob: true, topics: T("job"), fields: [id, text("device", "node:device, e.g. i4y-wk-2:/dev/sdb.", { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("storage-groups/{id}/devices", "GET", `${base}/:id/devices`, "read", "List the devices of a storage group with their node, size and state.", { fields: [id], output: { type: "array", fields: ["node", "device", "sizeMb", "state"] } }),
    c("storage-groups/{id}/delete", "DELETE", `${base}/:id`, "sensitive_write", "Delete an empty storage group and release its devices.", { returnsJob: true, topics: T("storageGroups", "confirm", "job"), fields: [id], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("storage-groups/{id}/wipe-device", "POST", `${base}/:id/wipe-device`, "sensitive_write", "Erase one device of a storage group completely and remove it from the group; data on it is lost.", { returnsJob: true, topics: T("storageGroups", "confirm", "job"), fields: [id, text("device", "node:device to wipe.", { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
  ];
}

function jobs(): CommandSpec[] {
  const id = positional("id", "The job id (a UUID).");
  return [
    c("jobs/list", "GET", `${A}/jobs`, "read", "List recent background jobs of the account, newest first; filter by status.", { topics: T("job") }),
    c("jobs/{id}/show", "GET", `${A}/jobs/:id`, "read", "Show one background job: status, progress, current step, error and result.", { topics: T("job"), fields: [id] }),
    c("jobs/{id}/action", "POST", `${A}/jobs/:id/action`, "write", "Cancel a running job or retry a failed one.", { fields: [id, choice("action", "What to do.", ["cancel", "retry"], { required: true })], output: { type: "object", fields: ["id", "status"] } }),
    c("jobs/{id}/workitems", "GET", `${A}/jobs/:id/workitems`, "read", "List the work items (steps) of a job with their status and result.", { fields: [id], output: { type: "object", fields: ["jobId", { name: "workItems", type: "array" }, { name: "hasMore", type: "boolean" }] } }),
    c("jobs/{id}/workitems/{workItemId}/logs", "GET", `${A}/jobs/:id/workitems/:workItemId/logs`, "read", "Show the log lines of one work item of a job, after a cursor.", { fields: [id, positional("workItemId", "The work item id."), text("after", "Cursor from the previous answer.")], output: { type: "object", fields: ["workItemId", { name: "logs", type: "array" }, "nextCursor"] } }),
  ];
}

function account(): CommandSpec[] {
  const key = positional("id", "The API key id.");
  const expiresAt = text("expiresAt", "Expiry as an RFC 3339 time with zone, e.g. 2026-01-31T00:00:00Z.", { pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$" });
  return [
    c("account/show", "GET", `${A}/account`, "read", "Show the account and the signed-in user: name, plan and when it was created.", { topics: T("account") }),
    c("account/update", "PATCH", `${A}/account`, "write", "Change the account's display name or billing e-mail.", { fields: [text("name", "New display name."), text("billingEmail", "Where invoices go.")], output: { type: "object", fields: ["id", "name"] } }),
    c("account/api-keys/list", "GET", `${A}/api-keys`, "sensitive_read", "List the API keys (personal access tokens) of the account with their prefix, expiry and last use; the tokens themselves are never shown again.", { topics: T("account") }),
    c("account/api-keys/add", "POST", `${A}/api-keys`, "sensitive_write", "Create an API key (personal access token); its token is shown only in this answer.", { topics: T("account") }),
    c("account/api-keys/{id}/show", "GET", `${A}/api-keys/:id`, "sensitive_read", "Show one API key: name, prefix, scopes, expiry, last use.", { topics: T("account"), fields: [key], output: { type: "object", fields: ["id", "name", "prefix", "createdAt", "expiresAt", "lastUsedAt", "revokedAt"] } }),
    c("account/api-keys/{id}/update", "PATCH", `${A}/api-keys/:id`, "sensitive_write", "Rename an API key or change its expiry.", { topics: T("account"), fields: [key, text("name", "New name."), expiresAt], output: { type: "object", fields: ["id", "name", "expiresAt"] } }),
    c("account/api-keys/{id}/revoke", "POST", `${A}/api-keys/:id/revoke`, "sensitive_write", "Revoke an API key; calls with it are refused with 401 from now on.", { topics: T("account", "confirm") }),
    c("account/notify-keys/list", "GET", `${A}/notify-keys`, "sensitive_read", "List the notification keys of the account (webhook signing secrets and chat tokens) with their channel.", { topics: T("credentials"), output: { type: "array", fields: ["id", "channel", "target", "secret"] } }),
    c("account/notify-keys/add", "POST", `${A}/notify-keys`, "sensitive_write", "Add a notification key: a webhook URL with its signing secret, or a chat integration token.", { fields: [choice("channel", "Where notifications go.", ["webhook", "slack", "discord", "email"], { required: true }), text("target", "URL or address.", { required: true }), text("secret", "Signing secret or token; generated for webhooks when absent.")], output: { type: "object", fields: ["id", "channel", "secret"] } }),
    c("account/notify-keys/{id}/update", "PATCH", `${A}/notify-keys/:id`, "sensitive_write", "Change the target or secret of a notification key.", { fields: [positional("id", "The notification key id."), text("target", "New URL or address."), text("secret", "New signing secret or token.")], output: { type: "object", fields: ["id", "channel"] } }),
    c("account/notify-keys/{id}/delete", "DELETE", `${A}/notify-keys/:id`, "sensitive_write", "Delete a notification key; its channel stops receiving notifications.", { topics: T("confirm"), fields: [positional("id", "The notification key id.")], output: { type: "object", fields: ["id", deleted] } }),
    c("account/mcp/show", "GET", `${A}/mcp`, "read", "Show the account's MCP settings: which toolsets are enabled and which service types are hidden from assistants.", { output: { type: "object", fields: [{ name: "toolsets", type: "array" }, { name: "hiddenServiceTypes", type: "array" }] } }),
    c("account/mcp/update", "PATCH", `${A}/mcp`, "write", "Change the account's MCP settings.", { fields: [stringArray("toolsets", "Toolsets to enable.", { allowEmpty: true }), stringArray("hiddenServiceTypes", "Service types hidden from assistants.", { allowEmpty: true })], output: { type: "object", fields: ["toolsets", "hiddenServiceTypes"] } }),
    c("account/members/list", "GET", `${A}/members`, "read", "List the members of the account with their role and last sign-in.", { output: { type: "array", fields: ["id", "email", "role", "lastSignInAt"] } }),
    c("account/members/invite", "POST", `${A}/members`, "write", "Invite someone to the account by e-mail with a role.", { fields: [text("email", "Their e-mail address.", { required: true }), choice("role", "Their role.", ["viewer", "developer", "admin"], { default: "developer" })], output: { type: "object", fields: ["id", "email", "role"] } }),
    c("account/members/{id}/remove", "DELETE", `${A}/members/:id`, "write", "Remove a member from the account; their API keys are revoked.", { topics: T("confirm"), fields: [positional("id", "The member id.")], output: { type: "object", fields: ["id", { name: "removed", type: "boolean" }] } }),
    c("account/usage", "GET", `${A}/usage`, "read", "Show the account's resource usage per cluster for the current billing period.", { fields: [text("period", "Billing period, e.g. 2025-06; the current one when absent.")], output: { type: "array", fields: ["clusterId", "cpuCoreHours", "memoryGbHours", "storageGbMonths"] } }),
    c("account/audit-log", "GET", `${A}/audit-log`, "read", "List recent actions in the account (who did what, from where), newest first.", { fields: [integer("limit", "At most this many entries.", { default: 50, minimum: 1, maximum: 1000 }), text("actor", "Only actions of this member or key.")], output: { type: "array", fields: ["at", "actor", "action", "target", "ip"] } }),
  ];
}

function serviceInfo(): CommandSpec[] {
  const types = SERVICE_TYPES.map((t) => t.type);
  return [
    c("services/list", "GET", `${C}/services`, "read", "List every service running in a cluster, of all types; filter by type.", { topics: T("ids"), fields: [choice("type", "Only services of this type.", types)] }),
    c("services/dependencies", "GET", `${C}/services/dependencies`, "read", "List the dependency graph of a cluster: which apps and services use which services.", { topics: T("dependencies"), output: { type: "array", fields: ["from", "to", "alias"] } }),
    c("service-info/types", "GET", `${A}/service-info/types`, "read", "List the service types the account can install, with their description and versions.", { output: { type: "array", fields: ["type", "name", "description", "versions", "defaultVersion"] } }),
    c("service-info/rrc", "GET", `${A}/service-info/rrc`, "read", "List the resource requirement classes of each service type: CPU and memory requests and limits, replicas and storage per class.", { topics: T("resourceClass", "units"), fields: [choice("type", "Only classes of this type.", [...types, "app"])], output: { type: "array", fields: ["id", "type", "replicas", "cpuRequestMc", "cpuLimitMc", "memoryRequestMb", "memoryLimitMb", "storageMb"] } }),
    c("service-info/versions", "GET", `${A}/service-info/versions`, "read", "List the versions RunOS offers for each service type, newest first, with the default marked.", { fields: [choice("type", "Only this type.", types)], output: { type: "array", fields: ["type", "version", { name: "default", type: "boolean" }, "releasedAt"] } }),
    c("service-info/{type}/show", "GET", `${A}/service-info/:type`, "read", "Describe one service type: what it is for, its versions, classes and the commands it supports.", { fields: [choice("type", "The service type.", types, { required: true, positional: true })], output: { type: "object", fields: ["type", "name", "description", "versions", "classes", "commands"] } }),
    advancedConfigSchemaSpec(types),
  ];
}

function domains(): CommandSpec[] {
  const id = idOf("domain");
  return [
    c("domains/list", "GET", `${A}/domains`, "read", "List the account's domains with the app or service each routes to and its certificate status.", { topics: T("domains"), output: { type: "array", fields: ["id", "domain", "target", "certificate", "verified"] } }),
    c("domains/create", "POST", `${A}/domains`, "write", "Add a domain to the account and route it to an app or service.", { topics: T("domains"), fields: [text("domain", "The domain.", { required: true }), text("target", "App or service id it routes to.", { required: true }), text("clusterId", "Cluster of the target.", { pattern: "^[a-z0-9]{3,16}$" })], output: { type: "object", fields: ["id", "domain", "dnsRecord"] } }),
    c("domains/{id}/show", "GET", `${A}/domains/:id`, "read", "Show one domain with its DNS records, certificate and target.", { fields: [id], output: { type: "object", fields: ["id", "domain", "target", { name: "dnsRecords", type: "array" }, "certificate"] } }),
    c("domains/{id}/update", "PATCH", `${A}/domains/:id`, "write", "Route a domain to another app or service.", { fields: [id, text("target", "New target id.", { required: true })], output: { type: "object", fields: ["id", "target"] } }),
    c("domains/{id}/verify", "POST", `${A}/domains/:id/verify`, "write", "Check a domain's DNS now and issue its certificate once it resolves to the cluster.", { fields: [id], output: { type: "object", fields: ["id", "verified", "problem"] } }),
    c("domains/{id}/delete", "DELETE", `${A}/domains/:id`, "write", "Remove a domain from the account; it stops routing.", { topics: T("confirm"), fields: [id], output: { type: "object", fields: ["id", deleted] } }),
    c("tools/domain-check", "GET", `${A}/tools/domain-check`, "read", "Check whether a domain resolves to a cluster and say which DNS record to create when it does not.", { topics: T("domains"), fields: [text("domain", "The domain to check.", { required: true }), text("clusterId", "Cluster it should point at.", { pattern: "^[a-z0-9]{3,16}$" })], output: { type: "object", fields: [{ name: "resolves", type: "boolean" }, "expected", "found", "advice"] } }),
  ];
}

function integrations(): CommandSpec[] {
  const base = `${C}/integrations`;
  const id = positional("integrationId", "The integration id.");
  return [
    c("integrations/list", "GET", base, "read", "List the integrations of a cluster (Git providers, registries, alerting) with their status.", { output: { type: "array", fields: ["id", "kind", "name", "status"] } }),
    c("integrations/add", "POST", base, "sensitive_write", "Connect an integration with its access token (GitHub, GitLab, an external registry or alerting).", { fields: [choice("kind", "What to connect.", ["github", "gitlab", "dockerhub", "ghcr", "pagerduty", "slack"], { required: true }), text("name", "Display name.", { required: true }), text("token", "Access token or app installation secret.", { required: true })], output: { type: "object", fields: ["id", "kind", "status"] } }),
    c("integrations/{integrationId}/show", "GET", `${base}/:integrationId`, "read", "Show one integration: kind, scope, status and last sync.", { fields: [id], output: { type: "object", fields: ["id", "kind", "name", "status", "lastSyncAt"] } }),
    c("integrations/{integrationId}/status", "GET", `${base}/:integrationId/status`, "read", "Check one integration now and report whether its token still works and what it can reach.", { fields: [id], output: { type: "object", fields: ["id", "status", "problem", "checkedAt"] } }),
    c("integrations/{integrationId}/update", "PATCH", `${base}/:integrationId`, "sensitive_write", "Replace the token of an integration or rename it.", { fields: [id, text("name", "New name."), text("token", "New token.")], output: { type: "object", fields: ["id", "status"] } }),
    c("integrations/{integrationId}/sync", "POST", `${base}/:integrationId/sync`, "write", "Sync an integration now (repositories, webhooks).", { fields: [id], output: { type: "object", fields: ["id", "lastSyncAt"] } }),
    c("integrations/{integrationId}/repositories", "GET", `${base}/:integrationId/repositories`, "read", "List the repositories a Git integration can see.", { fields: [id, text("search", "Only names containing this.")], output: { type: "array", fields: ["fullName", "defaultBranch", "private"] } }),
    c("integrations/{integrationId}/delete", "DELETE", `${base}/:integrationId`, "write", "Disconnect an integration; apps deployed from it stop auto-deploying.", { topics: T("confirm"), fields: [id], output: { type: "object", fields: ["id", deleted] } }),
    c("tags/list", "GET", `${A}/tags`, "read", "List the tags of the account and how many resources carry each.", { output: { type: "array", fields: ["id", "name", "color", "resources"] } }),
    c("tags/add", "POST", `${A}/tags`, "write", "Create a tag to group resources.", { fields: [text("name", "Tag name.", { required: true }), text("color", "Hex color, e.g. #3b82f6.", { pattern: "^#[0-9a-fA-F]{6}$" })], output: { type: "object", fields: ["id", "name"] } }),
    c("tags/{id}/delete", "DELETE", `${A}/tags/:id`, "write", "Delete a tag; resources keep existing without it.", { fields: [positional("id", "The tag id.")], output: { type: "object", fields: ["id", deleted] } }),
  ];
}

function virtualMachines(): CommandSpec[] {
  const base = `${C}/vms`;
  const id = idOf("VM");
  const power = (verb: string, summary: string): CommandSpec => c(`vms/{id}/${verb}`, "POST", `${base}/:id/${verb}`, "write", summary, { returnsJob: true, topics: T("vms", "job"), fields: [id], output: { type: "object", fields: ["id", "status", JOB_ID] } });
  const snapshot = positional("snapshotId", "The snapshot id.");
  return [
    c("vms/list", "GET", base, "read", "List the virtual machines of a cluster with their state, size and node.", { topics: T("vms"), output: { type: "array", fields: ["id", "name", "status", "cpus", "memoryMb", "node"] } }),
    c("vms/images", "GET", `${base}/images`, "read", "List the operating system images VMs can boot from.", { output: { type: "array", fields: ["id", "name", "os", "sizeMb"] } }),
    c("vms/add", "POST", base, "write", "Create a virtual machine from an image with CPUs, memory and a disk from a storage group; starts a job.", { returnsJob: true, topics: T("vms", "job", "storageGroup"), fields: [nameField("virtual machine"), text("image", "Image id, from `vms images`.", { required: true }), integer("cpus", "Virtual CPUs.", { default: 2, minimum: 1, maximum: 64 }), integer("memoryMb", "Memory in MiB.", { default: 4096, minimum: 512 }), integer("diskMb", "Disk size in MiB.", { default: 20480, minimum: 1024 }), integer("storageGroupId", "Storage group of the disk.", { minimum: 1 }), text("sshPublicKey", "Public key allowed to log in."), stringArray("nodeAffinityTags", "Node tags the VM must run on.")], output: { type: "object", fields: ["id", "name", "status", JOB_ID] } }),
    c("vms/{id}/show", "GET", `${base}/:id`, "read", "Show one virtual machine: image, size, disks, addresses and state.", { topics: T("vms"), fields: [id], output: { type: "object", fields: ["id", "name", "status", "image", "cpus", "memoryMb", { name: "disks", type: "array" }, "ip"] } }),
    power("start", "Start a stopped virtual machine; starts a job."),
    power("stop", "Shut a virtual machine down gracefully, then force it off after two minutes; its disks are kept. Starts a job."),
    power("restart", "Restart a virtual machine; starts a job."),
    c("vms/{id}/resize", "PATCH", `${base}/:id/resize`, "write", "Change the CPUs or memory of a virtual machine; it restarts. Starts a job.", { returnsJob: true, topics: T("vms", "job"), fields: [id, integer("cpus", "Virtual CPUs.", { minimum: 1, maximum: 64 }), integer("memoryMb", "Memory in MiB.", { minimum: 512 })], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("vms/{id}/console", "GET", `${base}/:id/console`, "sensitive_read", "Return a short-lived URL to the serial console of a virtual machine; anyone with it can type into the VM.", { topics: T("credentials"), fields: [id], output: { type: "object", fields: ["url", "token", "expiresAt"] } }),
    c("vms/{id}/metrics", "GET", `${base}/:id/metrics`, "read", "Show CPU, memory, disk and network metrics of a virtual machine.", { topics: T("metrics"), fields: [id, ...metricFields()], output: { type: "object", fields: ["cpuPct", "memoryMb", "diskReadBps", "diskWriteBps"] } }),
    c("vms/{id}/snapshots/list", "GET", `${base}/:id/snapshots`, "read", "List the snapshots of a virtual machine.", { fields: [id], output: { type: "array", fields: ["id", "label", "sizeMb", "createdAt"] } }),
    c("vms/{id}/snapshots/create", "POST", `${base}/:id/snapshots`, "write", "Take a snapshot of a virtual machine's disks; starts a job.", { returnsJob: true, topics: T("job"), fields: [id, text("label", "A note to recognise it by.")], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("vms/{id}/snapshots/{snapshotId}/restore", "POST", `${base}/:id/snapshots/:snapshotId/restore`, "write", "Restore a virtual machine's disks from a snapshot, replacing their content; starts a job.", { returnsJob: true, topics: T("confirm", "job"), fields: [id, snapshot], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("vms/{id}/snapshots/{snapshotId}/delete", "DELETE", `${base}/:id/snapshots/:snapshotId`, "write", "Delete one snapshot of a virtual machine.", { topics: T("confirm"), fields: [id, snapshot], output: { type: "object", fields: ["id", deleted] } }),
    c("vms/{id}/delete", "DELETE", `${base}/:id`, "write", "Delete a virtual machine and its disks; starts a job.", { returnsJob: true, topics: T("vms", "confirm", "job"), fields: [id], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("virt/status", "GET", `${C}/virt`, "read", "Tell whether virtualization is installed on a cluster and which nodes can run VMs.", { topics: T("vms"), output: { type: "object", fields: [{ name: "installed", type: "boolean" }, "version", { name: "nodes", type: "array" }] } }),
    c("virt/install", "POST", `${C}/virt/install`, "write", "Install virtualization (KubeVirt) on a cluster; starts a job.", { returnsJob: true, topics: T("vms", "job"), output: { type: "object", fields: [JOB_ID] } }),
    c("virt/uninstall", "POST", `${C}/virt/uninstall`, "write", "Remove virtualization from a cluster; refused while VMs exist. Starts a job.", { returnsJob: true, topics: T("vms", "job"), output: { type: "object", fields: [JOB_ID] } }),
    c("virt/settings", "GET", `${C}/virt/settings`, "read", "Show the virtualization settings of a cluster (CPU model, overcommit, live migration).", { output: { type: "object", fields: ["cpuModel", "memoryOvercommitPct", "liveMigration"] } }),
    c("virt/update-settings", "PATCH", `${C}/virt/settings`, "write", "Change the virtualization settings of a cluster.", { fields: [text("cpuModel", "CPU model exposed to VMs, e.g. host-passthrough."), integer("memoryOvercommitPct", "Memory overcommit in percent.", { minimum: 100, maximum: 400 }), boolean("liveMigration", "Move running VMs during node drains.")], output: { type: "object", fields: ["cpuModel", "memoryOvercommitPct", "liveMigration"] } }),
  ];
}

function maintenance(): CommandSpec[] {
  const base = `${C}/maintenance-scripts`;
  const id = idOf("maintenance script");
  return [
    c("maintenance-scripts/list", "GET", base, "read", "List the maintenance scripts of a cluster with their schedule and last run.", { output: { type: "array", fields: ["id", "name", "schedule", "lastRunAt", "lastStatus"] } }),
    c("maintenance-scripts/add", "POST", base, "write", "Add a maintenance script that runs on nodes on a schedule or on demand.", { fields: [nameField("maintenance script"), text("script", "Shell script to run as root on each node.", { required: true }), text("schedule", "Cron schedule; on demand only when absent."), stringArray("nodeAffinityTags", "Only nodes with these tags.")], output: { type: "object", fields: ["id", "name"] } }),
    c("maintenance-scripts/{id}/show", "GET", `${base}/:id`, "read", "Show one maintenance script with its content and schedule.", { fields: [id], output: { type: "object", fields: ["id", "name", "script", "schedule", "nodeAffinityTags"] } }),
    c("maintenance-scripts/{id}/update", "PATCH", `${base}/:id`, "write", "Change the content or schedule of a maintenance script.", { fields: [id, text("script", "New script."), text("schedule", "New cron schedule; empty for on demand only.", { allowEmpty: true })], output: { type: "object", fields: ["id", "name"] } }),
    c("maintenance-scripts/{id}/run", "POST", `${base}/:id/run`, "write+sensitive", "Run a maintenance script on its nodes now; starts a job with one work item per node.", { returnsJob: true, topics: T("job"), fields: [id], output: { type: "object", fields: ["id", JOB_ID] } }),
    c("maintenance-scripts/{id}/runs", "GET", `${base}/:id/runs`, "read", "List the recent runs of a maintenance script with their status per node.", { fields: [id], output: { type: "array", fields: ["jobId", "startedAt", "status", "nodes"] } }),
    c("maintenance-scripts/{id}/delete", "DELETE", `${base}/:id`, "write", "Delete a maintenance script.", { topics: T("confirm"), fields: [id], output: { type: "object", fields: ["id", deleted] } }),
  ];
}

function helpers(): CommandSpec[] {
  return [
    c("cli/version-check", "GET", `${A}/cli/version-check`, "read", "Tell whether a runos CLI version is current, outdated or no longer supported, and where to get the newest.", { fields: [text("version", "The CLI version, e.g. 1.19.1.", { required: true }), choice("os", "Operating system.", ["linux", "darwin", "windows"])], output: { type: "object", fields: ["latest", "status", "downloadUrl"] } }),
    c("user/permissions", "GET", `${A}/user/permissions`, "read", "List what the signed-in user may do in the account, per resource kind.", { output: { type: "object", fields: ["role", { name: "permissions", type: "array" }] } }),
    c("config/get", "GET", `${A}/config`, "read", "Return the account's client configuration: API and console URLs and feature switches.", { output: { type: "object", fields: ["apiUrl", "consoleUrl", { name: "features", type: "object" }] } }),
    c("mcp/bootstrap", "GET", `${A}/mcp/bootstrap`, "read", "Return what an AI assistant should know first in this account: clusters, service types in use and the topics it can read about.", { output: { type: "object", fields: ["clusters", "serviceTypes", "topics"] } }),
    c("mcp/topics/search", "GET", `${A}/mcp/topics`, "read", "Search RunOS's guidance topics for an assistant (how to deploy, size, connect, debug).", { fields: [text("query", "Words to search for.", { required: true })], output: { type: "array", fields: ["topic", "title", "snippet"] } }),
    c("mcp/topics/show", "GET", `${A}/mcp/topics/:topic`, "read", "Show one guidance topic in full.", { fields: [positional("topic", "Topic id from the search.")], output: { type: "object", fields: ["topic", "title", "markdown"] } }),
  ];
}

/** Every platform command, grouped. */
export function platformCommands(): CommandSpec[] {
  return [...clusters(), ...nodes(), ...storageGroups(), ...jobs(), ...account(), ...serviceInfo(), ...domains(), ...integrations(), ...virtualMachines(), ...maintenance(), ...helpers()];
}
