/**
 * The commands every service type has (RUNOS-PUBLIC-RECORD.md §4.2: add, list, show, status, logs,
 * update, delete, credentials) and the lifecycle verbs a real catalog carries next to them: restart,
 * rename, scale, metrics, events, pods, versions, upgrade, config sets, backups and more.
 */
import type { Field } from "../../src/catalog/schema.ts";
import { type CommandSpec, JOB_ID, type OutputField } from "./command.ts";
import { choice, flag, idOf, integer, logFields, metricFields, nameField, positional, sizing, storage, text, NAME_PATTERN } from "./fields.ts";
import type { Topic } from "./prose_topics.ts";
import { classesOf, type ServiceType } from "./service_types.ts";

/** Where a type's commands live: command path prefix and endpoint prefix. */
export function serviceBase(t: ServiceType): { readonly path: string; readonly endpoint: string } {
  return { path: `services/${t.type}`, endpoint: `/:aid/:cid/services/${t.type}` };
}

/** The `version` field of a type. */
export function versionField(t: ServiceType, options: { readonly required?: boolean; readonly withDefault?: boolean } = {}): Field {
  return choice("version", `${t.label} version to run.`, t.versions, {
    ...(options.withDefault === false ? {} : { default: t.versions[0] }),
    ...(options.required === true ? { required: true } : {}),
  });
}

/** The `resourceRequirementClassId` field of a type. */
export function classField(t: ServiceType, options: { readonly withDefault: boolean }): Field {
  const classes = classesOf(t.type);
  return choice("resourceRequirementClassId", `Resource requirement class (see \`service-info rrc\`), e.g. ${classes[0]}; \`custom\` when you set the numbers yourself.`, classes, options.withDefault ? { default: classes[0] } : {});
}

const SHOW_FIELDS: readonly OutputField[] = [
  "id", "osid", "name", "version", "status", "replicas", "resourceRequirementClassId", "cpuRequestMc", "cpuLimitMc",
  "memoryRequestMb", "memoryLimitMb", "nodeAffinityTags", "host", "port", { name: "createdAt", type: "string" }, { name: "updatedAt", type: "string" },
];

/** Every common command of one type, in a stable order. */
export function commonServiceCommands(t: ServiceType): CommandSpec[] {
  const { path, endpoint } = serviceBase(t);
  const id = idOf("service");
  const item = `${endpoint}/:id`;
  const platform: Topic[] = t.platform === true ? ["platformService"] : [];
  const a = /^[aeiou]/i.test(t.noun) ? "an" : "a";
  const specs: CommandSpec[] = [
    {
      command: `${path}/add`, endpoint, method: "POST", tier: "write", returnsJob: true,
      summary: `Create a new ${t.label} ${t.noun} in a cluster; starts a job and answers with the new service's id and the jobId.`,
      blurb: t.blurb, topics: ["job", "resourceClass", "units", ...(t.stateful ? ["storageGroup" as const] : []), "affinity", ...platform],
      fields: [nameField(`${t.label} ${t.noun}`), versionField(t), classField(t, { withDefault: true }), ...sizing({ update: false }), ...(t.stateful ? storage({ update: false }) : []), ...(t.addFields ?? [])],
      flags: [...(t.addFlags ?? [])],
      output: { type: "object", fields: ["id", "name", "status", JOB_ID] },
    },
    {
      command: `${path}/list`, endpoint, method: "GET", tier: "read",
      summary: `List the ${t.label} services of a cluster with their version, status, replicas and resource class.`,
      blurb: t.blurb, topics: ["ids", "output"],
      fields: [choice("status", "Only services in this status.", ["running", "provisioning", "updating", "degraded", "failed"])],
      output: { type: "array", fields: ["id", "name", "version", "status", "replicas", "resourceRequirementClassId", { name: "createdAt", type: "string" }] },
    },
    {
      command: `${path}/{id}/show`, endpoint: item, method: "GET", tier: "read",
      summary: `Show one ${t.label} service: version, status, sizing, placement, internal host and port, and when it was created and last changed.`,
      blurb: t.blurb, topics: ["ids", "units", "output"], fields: [id],
      output: { type: "object", fields: [...SHOW_FIELDS, ...(t.stateful ? ["storageMb", "storageGroupId"] : [])] },
    },
    {
      command: `${path}/{id}/status`, endpoint: `${item}/status`, method: "GET", tier: "read",
      summary: `Report the health of one ${t.label} service: its status, how many replicas are ready, and recent warnings.`,
      topics: ["pods", "events"], fields: [id],
      output: { type: "object", fields: ["id", "name", "status", "replicas", "readyReplicas", { name: "events", type: "array" }] },
    },
    {
      command: `${path}/{id}/logs`, endpoint: `${item}/logs`, method: "GET", tier: "read",
      summary: `Show the most recent log lines of one ${t.label} service, from all its pods or one of them.`,
      topics: ["logs"], fields: [id, ...logFields()], flags: [flag("previous", "Read the log of the previous (crashed) container")],
      output: { type: "array", fields: [{ name: "timestamp", type: "string" }, "pod", "container", "message"] },
    },
    {
      command: `${path}/{id}/update`, endpoint: item, method: "PATCH", tier: "write", returnsJob: true,
      summary: `Change the version, resource class, sizing or placement of one ${t.label} service; starts a job.`,
      topics: ["updatePartial", "job", "resourceClass", "affinity", ...platform],
      fields: [id, versionField(t, { withDefault: false }), classField(t, { withDefault: false }), ...sizing({ update: true }), ...(t.stateful ? storage({ update: true }) : [])],
      output: { type: "object", fields: ["id", "status", JOB_ID] },
    },
    {
      command: `${path}/{id}/delete`, endpoint: item, method: "DELETE", tier: "write", returnsJob: true,
      summary: `Delete one ${t.label} service and ${t.stateful ? "all its data" : "its configuration"}; refused with the list of dependents while apps still use it.`,
      topics: ["deleteService", "confirm", "job"], fields: [id],
      flags: t.stateful ? [flag("keepBackups", "Keep the service's backups after it is deleted")] : [],
      output: { type: "object", fields: ["id", "status", JOB_ID] },
    },
    {
      command: `${path}/{id}/credentials`, endpoint: `${item}/credentials`, method: "GET", tier: t.credentials.tier,
      summary: `Reveal how to connect to one ${t.label} service: ${t.credentials.output.map((field) => (typeof field === "string" ? field : field.name)).join(", ")}.`,
      topics: t.credentials.addressOnly ? ["credentialsPublic"] : ["credentials"], fields: [id],
      output: { type: "object", fields: t.credentials.output },
    },
    ...(t.rotates
      ? [{
        command: `${path}/{id}/rotate-credentials`, endpoint: `${item}/rotate-credentials`, method: "POST", tier: "sensitive_write", returnsJob: true,
        summary: `Generate new credentials for one ${t.label} service and restart the apps that use it; the old ones stop working.`,
        topics: ["rotate", "job", "credentials"], fields: [id],
        output: { type: "object", fields: ["id", JOB_ID] },
      } satisfies CommandSpec]
      : []),
    {
      command: `${path}/{id}/restart`, endpoint: `${item}/restart`, method: "PATCH", tier: "write", returnsJob: true,
      summary: `Restart the pods of one ${t.label} service one at a time, or a single pod; configuration and data stay as they are.`,
      topics: ["restart", "job"], fields: [id, text("pod", "Restart only this pod, e.g. from `pods`.")],
      output: { type: "object", fields: ["id", "status", JOB_ID] },
    },
    {
      command: `${path}/{id}/rename`, endpoint: `${item}/rename`, method: "PATCH", tier: "write",
      summary: `Give one ${t.label} service a new display name; its id, hostnames and credentials do not change.`,
      topics: ["rename"], fields: [id, text("newName", "The new name: lower-case letters, digits and hyphens.", { required: true, pattern: NAME_PATTERN })],
      output: { type: "object", fields: ["id", "name"] },
    },
    {
      command: `${path}/{id}/scale`, endpoint: `${item}/scale`, method: "PATCH", tier: "write", returnsJob: true,
      summary: `Set the number of replicas of one ${t.label} service; starts a job that adds or removes members.`,
      topics: ["scale", "job", "resourceClass"], fields: [id, integer("replicas", "New number of replicas.", { required: true, minimum: 1, maximum: 9 })],
      output: { type: "object", fields: ["id", "replicas", JOB_ID] },
    },
    {
      command: `${path}/{id}/metrics`, endpoint: `${item}/metrics`, method: "GET", tier: "read",
      summary: `Show CPU, memory, network and ${t.stateful ? "storage" : "request"} metrics of one ${t.label} service over a time window.`,
      topics: ["metrics", "units"], fields: [id, ...metricFields()],
      output: { type: "object", fields: ["cpuMc", "memoryMb", "networkRxBytesPerSec", "networkTxBytesPerSec", { name: "series", type: "array" }] },
    },
    {
      command: `${path}/{id}/events`, endpoint: `${item}/events`, method: "GET", tier: "read",
      summary: `List recent Kubernetes events of one ${t.label} service's pods and volumes, newest first.`,
      topics: ["events"], fields: [id, integer("limit", "At most this many events.", { default: 50, minimum: 1, maximum: 500 })],
      output: { type: "array", fields: [{ name: "at", type: "string" }, "type", "reason", "object", "message"] },
    },
    {
      command: `${path}/{id}/pods`, endpoint: `${item}/pods`, method: "GET", tier: "read",
      summary: `List the pods of one ${t.label} service with their node, phase, readiness and restart count.`,
      topics: ["pods"], fields: [id],
      output: { type: "array", fields: ["name", "node", "phase", { name: "ready", type: "boolean" }, { name: "restarts", type: "integer" }, "startedAt"] },
    },
    {
      command: `${path}/{id}/versions`, endpoint: `${item}/versions`, method: "GET", tier: "read",
      summary: `List the ${t.label} versions one service can move to, with the current one marked.`,
      topics: ["upgrade"], fields: [id],
      output: { type: "array", fields: ["version", { name: "current", type: "boolean" }, { name: "upgradeable", type: "boolean" }, "releasedAt"] },
    },
    {
      command: `${path}/{id}/upgrade`, endpoint: `${item}/upgrade`, method: "POST", tier: "write", returnsJob: true,
      summary: `Upgrade one ${t.label} service to a newer version; starts a job that rolls through the replicas.`,
      topics: ["upgrade", "job"], fields: [id, versionField(t, { required: true, withDefault: false })],
      output: { type: "object", fields: ["id", "fromVersion", "toVersion", JOB_ID] },
    },
    {
      command: `${path}/{id}/config-sets/list`, endpoint: `${item}/config-sets`, method: "GET", tier: "read",
      summary: `List the config sets available to one ${t.label} service and which one is active.`,
      topics: ["configSets"], fields: [id],
      output: { type: "array", fields: ["id", "name", "description", { name: "active", type: "boolean" }, "createdAt"] },
    },
    {
      command: `${path}/{id}/config-sets/{configSetId}/show`, endpoint: `${item}/config-sets/:configSetId`, method: "GET", tier: "read",
      summary: `Show the settings of one config set of a ${t.label} service.`,
      topics: ["configSets"], fields: [id, positional("configSetId", "The config set id, from `config-sets list`.")],
      output: { type: "object", fields: ["id", "name", { name: "settings", type: "object" }, { name: "active", type: "boolean" }] },
    },
    {
      command: `${path}/{id}/config-sets/{configSetId}/apply`, endpoint: `${item}/config-sets/:configSetId/apply`, method: "POST", tier: "write", returnsJob: true,
      summary: `Apply one config set to a ${t.label} service; starts a job that restarts its pods with the new settings.`,
      topics: ["configSets", "restart", "job"], fields: [id, positional("configSetId", "The config set id, from `config-sets list`.")],
      output: { type: "object", fields: ["id", "configSetId", JOB_ID] },
    },
    ...(t.stateful ? backupCommands(t, path, item, id) : []),
    {
      command: `${path}/{id}/convert-to-custom`, endpoint: `${item}/convert-to-custom`, method: "PATCH", tier: "write",
      summary: `Detach one ${t.label} service from its resource class and keep its current numbers as explicit, custom values.`,
      topics: ["convertCustom", "resourceClass"], fields: [id],
      output: { type: "object", fields: ["id", "resourceRequirementClassId"] },
    },
    {
      command: `${path}/{id}/dependencies`, endpoint: `${item}/dependencies`, method: "GET", tier: "read",
      summary: `List what depends on one ${t.label} service (apps that require it, services that use it) and what it depends on.`,
      topics: ["dependencies"], fields: [id],
      output: { type: "array", fields: ["direction", "type", "id", "name", "alias"] },
    },
    {
      command: `${path}/{id}/resource-usage`, endpoint: `${item}/resource-usage`, method: "GET", tier: "read",
      summary: `Compare what one ${t.label} service reserves (CPU, memory${t.stateful ? ", storage" : ""}) with what it uses right now.`,
      topics: ["units", "resourceClass"], fields: [id],
      output: { type: "object", fields: ["cpuRequestMc", "cpuUsedMc", "memoryRequestMb", "memoryUsedMb", ...(t.stateful ? ["storageMb", "storageUsedMb"] : [])] },
    },
    {
      command: `${path}/{id}/connection-info`, endpoint: `${item}/connection-info`, method: "GET", tier: "read",
      summary: `Show where ${a} ${t.label} ${t.noun} listens (internal host, ports, OSID and public endpoint if any), without any credential.`,
      topics: ["ids"], fields: [id],
      output: { type: "object", fields: ["osid", "host", "port", "publicEndpoint"] },
    },
    {
      command: `${path}/{id}/maintenance-window`, endpoint: `${item}/maintenance-window`, method: "GET", tier: "read",
      summary: `Show when RunOS may restart or upgrade one ${t.label} service for platform maintenance, and the next planned change.`,
      fields: [id],
      output: { type: "object", fields: ["window", "timezone", "nextMaintenanceAt", "pending"] },
    },
    {
      command: `${path}/{id}/set-maintenance-window`, endpoint: `${item}/maintenance-window`, method: "PATCH", tier: "write",
      summary: `Set the weekly window in which RunOS may restart or upgrade one ${t.label} service; an empty window means any time.`,
      fields: [id, text("window", "Weekly window, e.g. sun 02:00-04:00.", { required: true, allowEmpty: true }), text("timezone", "IANA time zone of the window.", { default: "UTC" })],
      output: { type: "object", fields: ["window", "timezone"] },
    },
    {
      command: `${path}/{id}/alerts`, endpoint: `${item}/alerts`, method: "GET", tier: "read",
      summary: `List the firing and recently resolved alerts of one ${t.label} service with their severity and summary.`,
      topics: ["metrics"], fields: [id, choice("state", "Only alerts in this state.", ["firing", "pending", "resolved"])],
      output: { type: "array", fields: ["name", "severity", "state", "since", "summary"] },
    },
  ];
  return specs;
}

function backupCommands(t: ServiceType, path: string, item: string, id: Field): CommandSpec[] {
  const backupId = positional("backupId", "The backup id, from `backups list`.");
  return [
    {
      command: `${path}/{id}/backups/list`, endpoint: `${item}/backups`, method: "GET", tier: "read",
      summary: `List the backups of one ${t.label} service with their size, kind (scheduled or manual) and the version they were taken from.`,
      topics: ["backups"], fields: [id],
      output: { type: "array", fields: ["id", "kind", "status", "sizeMb", "version", "createdAt"] },
    },
    {
      command: `${path}/{id}/backups/create`, endpoint: `${item}/backups`, method: "POST", tier: "write", returnsJob: true,
      summary: `Take a backup of one ${t.label} service now; starts a job.`,
      topics: ["backups", "job"], fields: [id, text("label", "A note to recognise the backup by, e.g. before-migration-42.")],
      output: { type: "object", fields: ["id", "status", JOB_ID] },
    },
    {
      command: `${path}/{id}/backups/{backupId}/show`, endpoint: `${item}/backups/:backupId`, method: "GET", tier: "read",
      summary: `Show one backup of a ${t.label} service: size, status, version, label and where it is stored.`,
      topics: ["backups"], fields: [id, backupId],
      output: { type: "object", fields: ["id", "kind", "status", "sizeMb", "version", "label", "location", "createdAt"] },
    },
    {
      command: `${path}/{id}/backups/{backupId}/restore`, endpoint: `${item}/backups/:backupId/restore`, method: "POST", tier: "write", returnsJob: true,
      summary: `Restore one backup into its ${t.label} service, replacing the current data; starts a job.`,
      topics: ["backups", "job", "confirm"], fields: [id, backupId],
      flags: [flag("stopApps", "Stop the apps that use the service while restoring")],
      output: { type: "object", fields: ["id", "backupId", JOB_ID] },
    },
    {
      command: `${path}/{id}/backups/{backupId}/delete`, endpoint: `${item}/backups/:backupId`, method: "DELETE", tier: "write",
      summary: `Delete one backup of a ${t.label} service; scheduled backups are also pruned by their retention.`,
      topics: ["backups", "confirm"], fields: [id, backupId],
      output: { type: "object", fields: ["id", { name: "deleted", type: "boolean" }] },
    },
  ];
}
