/**
 * Paragraphs the catalog generator builds long command descriptions from, grouped by topic. RunOS's own
 * descriptions run from one line to several kilobytes of guidance for a model; these are our words,
 * written to have that texture (what the command does, what it costs, what to check first).
 */

/** A topic's interchangeable paragraphs; one is chosen per command. */
export type TopicParagraphs = readonly string[];

/** Every topic a description may draw on. */
export const TOPICS = {
  job: [
    "The change runs as a background job: the answer comes back at once with a jobId while the work continues on the cluster. Follow it with `runos follow <jobId>` or `jobs show`; it ends as completed, failed or cancelled, and a failed job carries the error of the step that broke.",
    "This is a slow write. RunOS records the request, answers with a jobId and reconciles the cluster toward the new desired state in the background; poll the job until it is completed, failed or cancelled before you rely on the result, and do not start a second change to the same resource while one is running.",
  ],
  resourceClass: [
    "Capacity is chosen with resourceRequirementClassId, a named class that fixes CPU and memory requests and limits, replicas and storage together (for example a best-effort class for development or a guaranteed class for production). List the classes with `service-info rrc`. Give explicit cpuRequestMc, memoryLimitMb or replicas values only when no class fits: any value that differs from the class turns it into `custom`.",
    "Resource requirement classes bundle requests, limits, replicas and storage into one name. Prefer a class over individual numbers; when you do pass a number that differs from the class (replicas, cpuLimitMc, memoryRequestMb, storageMb…), RunOS records the service as `custom` and later class changes no longer apply to it.",
  ],
  units: [
    "CPU values are millicores (1000 = one core) and memory and storage values are mebibytes. Requests are what the scheduler reserves on a node; limits are the ceiling a container may burst to before it is throttled (CPU) or restarted (memory).",
  ],
  affinity: [
    "nodeAffinityTags pins the pods to nodes carrying those tags; each tag is `key` or `key:value`, matched against the node labels RunOS manages (see `nodes show`). Pass an empty list to drop every constraint. A tag no node carries leaves the pods pending, and the job then fails after its scheduling timeout.",
    "Placement follows nodeAffinityTags: a list of `key` or `key:value` entries that a node must carry for the pods to land on it. Tags combine with AND. Use them to keep databases on nodes with local NVMe or inference servers on GPU nodes; leave them out to let the scheduler choose.",
  ],
  storageGroup: [
    "Persistent volumes come from a storage group, a set of disks across nodes managed by LINSTOR. storageGroupId chooses it; without one the cluster's default group is used. Storage can grow later but never shrink, so start small.",
  ],
  updatePartial: [
    "Only the fields you pass change; everything else keeps its current value. Fields marked allowEmpty may be sent as an empty string or list to clear them. Changes that need new pods (version, resources, placement) roll out one replica at a time, so a service with one replica is briefly unavailable.",
    "An update is a partial change of the desired state: omitted fields stay as they are. Growing storage is online; changing the version or the resource class restarts pods in a rolling fashion. Check `status` after the job completes to confirm every replica is ready.",
  ],
  deleteService: [
    "Deleting is permanent: pods, volumes and the data on them are removed and cannot be recovered from RunOS afterwards, so take a backup first if the data matters. If applications still declare this service under `requires:`, the API refuses with 409 and lists the dependents; remove or repoint them first.",
    "This removes the resource and everything it stores. There is no undo and no recycle bin. RunOS checks dependents before it starts: when an app or another service still uses it, the answer is 409 with `dependents[]` naming each one, and nothing is deleted.",
  ],
  confirm: [
    "Destructive: the CLI asks for confirmation on a terminal and needs --yes otherwise; over MCP the tool needs confirm: true.",
  ],
  credentials: [
    "The answer contains live secrets (passwords, keys, connection strings with embedded credentials). Anything that calls this command sends those secrets through whatever reads the answer, including an AI assistant's context; prefer the credential routing of `requires:` in runos.yaml for applications, and rotate the credentials if they were exposed.",
    "Returns secret material. Treat the output like a password file: do not paste it into tickets or chats, and rotate the credentials when someone who should not have them has seen them. Applications should receive these values through `requires.<alias>.env` instead of copying them by hand.",
  ],
  credentialsPublic: [
    "The answer holds only addresses (host, port and URL); access to this service is controlled at the network and SSO level, so no secret is returned.",
  ],
  rotate: [
    "Rotation generates new credentials, updates the service and restarts the applications that receive them through `requires:`, so they pick up the new values. The old credentials stop working when the job completes; clients that copied them by hand will fail until they are updated.",
  ],
  logs: [
    "Logs come from every pod of the resource, newest last, interleaved by timestamp. lines caps the answer (default 100); since limits it to a time window such as 15m or 2h; pod narrows it to one replica. Set previous to read the log of the last crashed container instead of the running one.",
    "Reads recent container output. RunOS keeps a bounded window per pod on the node, so very old lines may be gone; use since for a time window and lines for a count. Logs are not redacted by the platform: an application that prints secrets will show them here.",
  ],
  metrics: [
    "Metrics are aggregated from the cluster's Prometheus over window (15m, 1h, 6h, 24h or 7d) at the given step. CPU is reported in millicores, memory in MiB and throughput per second; values for pods that restarted during the window are stitched together.",
  ],
  events: [
    "Events are the Kubernetes events of the resource's pods, volumes and controllers (scheduling, image pulls, probe failures, OOM kills), newest first. They are kept for about an hour by Kubernetes, so an empty answer does not mean nothing ever happened.",
  ],
  pods: [
    "Each pod is listed with its node, phase, readiness, restart count and age. A pod that restarts repeatedly usually points at a memory limit that is too small or a failing readiness probe; check `events` and `logs` with previous set.",
  ],
  restart: [
    "A restart replaces the pods one at a time and waits for each to become ready before the next, so a service with more than one replica stays available. Configuration and data are untouched.",
  ],
  scale: [
    "Scaling changes the number of replicas. Adding replicas copies data to the new members before they serve traffic, which can take a while for large datasets; removing replicas never removes the primary. A replica count that differs from the resource class makes the service `custom`.",
  ],
  upgrade: [
    "Upgrades move to a newer version listed by `versions`. Minor upgrades roll through the replicas; major upgrades of stateful services may need a short downtime and always take a snapshot first. Downgrades are refused.",
  ],
  configSets: [
    "A config set is a named, versioned bundle of engine settings RunOS validated for this service type (for example a write-heavy or a low-memory profile). Applying one restarts the pods with the new settings; the previous set stays listed so you can go back.",
  ],
  backups: [
    "Backups are consistent snapshots stored in the cluster's object storage with their size, creation time and the version they were taken from. Restoring replaces the current data with the snapshot's, which cannot be undone; take a fresh backup first if unsure.",
    "RunOS takes scheduled backups and on-demand ones. A backup can be restored into the same service only while the service runs a version equal to or newer than the one it was taken from.",
  ],
  rename: [
    "Renaming changes only the display name; the id, OSID, hostnames and credentials stay the same, so nothing that connects to the service needs to change.",
  ],
  convertCustom: [
    "Converting to custom detaches the service from its resource class and keeps its current numbers as explicit values, so you can tune them one by one. It does not restart anything.",
  ],
  execSql: [
    "Statements run in a read-only transaction unless readWrite is set; only the read-write mode can change data or schema, and it asks for confirmation. The statement is cancelled after timeoutSeconds (default 60). Results return columns and rows, capped at a few thousand rows; add LIMIT for large tables.",
    "Runs SQL through the platform's admin connection. Read-only unless readWrite is true; a read-only call that tries to write fails with a read-only transaction error and changes nothing. Use it for inspection queries; schema migrations belong in your application's deploy step.",
  ],
  sqlRoles: [
    "Roles are created with a generated password, shown once in the answer and stored by RunOS for `user-credentials`. Grants are per database; a user with no grant can connect but sees nothing.",
  ],
  dependencies: [
    "Dependencies are derived from `requires:` declarations of apps and from services that reference each other; each entry names its type, id, name and the alias it is known by.",
  ],
  ids: [
    "Services and apps are addressed by a 5-character id (or their name); the OSID `<type>-<id>` names them inside the cluster. The cid argument picks the cluster and defaults to the configured one.",
    "The id argument takes the 5-character service id from the list command; most commands also accept the service's name. Commands that act on a cluster take cid, 3–16 lower-case letters and digits, which defaults to the configured cluster.",
  ],
  platformService: [
    "This type is run by the platform itself on every cluster. It is hidden from MCP toolsets by default and changing it affects every application on the cluster, so prefer the defaults unless you know why you need something else.",
  ],
  output: [
    "With --json the CLI prints the API's answer unchanged; otherwise the output fields become table columns. Fields not listed may be added in later releases and should be ignored by scripts.",
  ],
  appsBuild: [
    "A build clones the repository at the given ref, builds the image with the project's Dockerfile (or a detected buildpack) and pushes it to the cluster registry. Builds are cached by commit and build settings; a cached build finishes at once and says so in its result.",
  ],
  appsDeploy: [
    "A deploy builds the image if needed and rolls it out with the app's current configuration; the previous deployment keeps serving until the new pods are ready, and a failing readiness check stops the rollout and leaves the previous version in place.",
  ],
  appsConfig: [
    "Environment variables are plain configuration visible to anyone who can read the app; secrets are stored encrypted, listed by name only, and injected at start. Changes take effect on the next deployment or restart.",
  ],
  appsOverrides: [
    "Overrides are strategic-merge patches applied to the rendered Kubernetes manifest of the app, stored under overrides/ in the app's repository and in RunOS. They are powerful and unchecked: a bad override can stop the app from starting, so review the diff before replacing the manifest.",
  ],
  nodes: [
    "Nodes run the RunOS node agent, which reports every five seconds over mTLS. A node that misses heartbeats turns offline; its pods are rescheduled only after Kubernetes gives up on it.",
  ],
  drain: [
    "Draining cordons the node and evicts its pods, respecting disruption budgets, so that services move elsewhere before maintenance. Stateful pods with local volumes cannot move and block the drain until their replicas elsewhere are healthy.",
  ],
  storageGroups: [
    "Storage groups pool block devices across nodes into replicated volumes. Wiping a device erases it completely and removes it from its group; data on it is lost even if replicas elsewhere survive.",
  ],
  vms: [
    "Virtual machines run under KubeVirt on nodes with virtualization enabled (`virt status`). Their disks are persistent volumes from a storage group; stopping a VM keeps its disks, deleting it removes them.",
  ],
  domains: [
    "Domains route HTTPS traffic to apps and services. RunOS issues and renews certificates automatically once the domain's DNS points at the cluster; `tools domain-check` tells you what record is missing.",
  ],
  account: [
    "Account-level commands are not tied to a cluster. Personal access tokens are shown once when created; store them in a secret manager and set an expiry (RFC 3339 with a time zone).",
  ],
  inference: [
    "Inference services load the model into GPU memory at start, which can take minutes for large models; the service reports ready only after the model answered a warm-up request. The OpenAI-compatible endpoint is served under /v1.",
  ],
} as const satisfies Record<string, TopicParagraphs>;

/** The name of a topic. */
export type Topic = keyof typeof TOPICS;
