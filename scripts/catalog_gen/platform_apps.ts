/**
 * Applications (RUNOS-PUBLIC-RECORD.md §2.5 "apps" row): add, update, show, status, logs, run,
 * delete, restart, env vars, secrets, secret files, overrides, replace-manifest, builds,
 * deployments, domains and the rest of an app's life.
 */
import type { Field } from "../../src/catalog/schema.ts";
import { type CommandSpec, JOB_ID, type Tier } from "./command.ts";
import { boolean, choice, flag, idOf, integer, logFields, metricFields, NAME_PATTERN, object, positional, sizing, stringArray, text } from "./fields.ts";
import type { Topic } from "./prose_topics.ts";

const BASE = "/:aid/:cid/apps";
const ITEM = `${BASE}/:id`;
const APP_CLASSES = ["app.sl1.beff", "app.sl2.beff", "app.ml1.beff", "app.sl1.guar", "app.ml1.guar", "custom"];

type Extra = Omit<CommandSpec, "command" | "endpoint" | "method" | "tier" | "summary" | "fields"> & { readonly fields?: readonly Field[] };

/** An app command on one app: `apps/{id}/<verb>` with the `{id}` field first. */
function onApp(verb: string, method: CommandSpec["method"], sub: string, tier: Tier, summary: string, extra: Extra = {}): CommandSpec {
  const { fields, ...rest } = extra;
  return { command: `apps/{id}/${verb}`, endpoint: sub === "" ? ITEM : `${ITEM}/${sub}`, method, tier, summary, ...rest, fields: [idOf("app"), ...(fields ?? [])] };
}

const T = (...topics: Topic[]) => topics;

/** Every app command. */
export function appCommands(): CommandSpec[] {
  const name = positional("name", "The variable or secret name.");
  return [
    { command: "apps/list", endpoint: BASE, method: "GET", tier: "read", summary: "List the applications of a cluster with their status, replicas, URL, branch and deployed commit.", topics: T("ids", "output"), output: { type: "array", fields: ["id", "name", "status", "replicas", "url", "branch", "currentSha"] } },
    {
      command: "apps/add", endpoint: BASE, method: "POST", tier: "write", returnsJob: true,
      summary: "Create an application from a GitHub or GitLab repository and start its first build and deployment; starts a job.",
      topics: T("appsBuild", "appsDeploy", "job", "resourceClass", "affinity"),
      fields: [
        choice("provider", "Where the repository lives.", ["github", "gitlab"], { default: "github" }),
        text("rootDirectory", "Directory of the app inside the repository, for monorepos.", { default: "." }),
        text("dockerfile", "Path of the Dockerfile relative to rootDirectory; a buildpack is used when there is none.", { default: "Dockerfile" }),
        text("healthCheckPath", "HTTP path that answers 200 when the app is ready.", { default: "/" }),
        choice("resourceRequirementClassId", "Resource requirement class of the app, e.g. app.sl1.beff.", APP_CLASSES, { default: "app.sl1.beff" }),
        ...sizing({ update: false, replicasMax: 50 }).filter((field) => field.name !== "replicas"),
        boolean("autoDeploy", "Deploy every push to the branch.", { default: true }),
      ],
      output: { type: "object", fields: ["id", "name", "status", "url", "deploymentId", JOB_ID] },
    },
    onApp("show", "GET", "", "read", "Show one application: repository, branch, port, replicas, URL, the services it requires and the deployed commit.", { topics: T("ids"), output: { type: "object", fields: ["id", "name", "repository", "branch", "port", "replicas", "status", "url", "uses", "currentSha", "createdAt"] } }),
    onApp("status", "GET", "status", "read", "Report the health of one application: ready replicas, restarts, the health check and the last deployment.", { topics: T("pods"), output: { type: "object", fields: ["id", "name", "status", "health", "readyReplicas", "replicas", "restarts", "lastDeployment"] } }),
    onApp("update", "PATCH", "", "write", "Change the settings of one application (branch, port, sizing, health check); RunOS merges the change into the app's configuration and redeploys. Starts a job.", {
      returnsJob: true, topics: T("updatePartial", "appsDeploy", "job", "resourceClass"),
      fields: [text("branch", "Branch to deploy."), integer("port", "Port the app listens on.", { minimum: 1, maximum: 65535 }), text("healthCheckPath", "HTTP readiness path; cleared with an empty string.", { allowEmpty: true }), choice("resourceRequirementClassId", "Resource requirement class.", APP_CLASSES), ...sizing({ update: true, replicasMax: 50 }), text("dockerfile", "Path of the Dockerfile.")],
      output: { type: "object", fields: ["id", "status", JOB_ID] },
    }),
    onApp("logs", "GET", "logs", "read", "Show the most recent log lines of one application, from all its pods or one of them.", { topics: T("logs"), fields: logFields(), flags: [flag("previous", "Read the log of the previous (crashed) container")], output: { type: "array", fields: ["timestamp", "pod", "message"] } }),
    onApp("run", "POST", "run", "write+sensitive", "Run a one-off command (a migration, a script) in a new container of one application's image and return its exit code; starts a job.", {
      returnsJob: true, topics: T("job", "appsConfig"),
      fields: [stringArray("command", "The command and its arguments, e.g. `npm`, `run`, `migrate`.", { required: true }), integer("timeoutSeconds", "Stop the command after this many seconds.", { default: 1800, minimum: 1, maximum: 7200 })],
      output: { type: "object", fields: ["runId", JOB_ID] },
    }),
    onApp("delete", "DELETE", "", "write", "Delete one application with its deployments, domains, env vars and secrets; the services it uses are kept.", { returnsJob: true, topics: T("deleteService", "confirm", "job"), output: { type: "object", fields: ["id", "status", JOB_ID] } }),
    onApp("restart", "PATCH", "restart", "write", "Restart the pods of one application one at a time with the same image and configuration.", { returnsJob: true, topics: T("restart", "job"), output: { type: "object", fields: ["id", "status", JOB_ID] } }),
    onApp("deploy", "POST", "deploy", "write+sensitive", "Build (if needed) and roll out one commit of an application, the head of its branch by default; starts a job.", { returnsJob: true, topics: T("appsDeploy", "appsBuild", "job"), fields: [text("sha", "Commit to deploy; the head of the branch when absent.", { pattern: "^[0-9a-f]{7,40}$" })], output: { type: "object", fields: ["id", "deploymentId", "sha", "status", JOB_ID] } }),
    onApp("build", "POST", "builds", "write+sensitive", "Build and push an image of one application without rolling it out; starts a job whose result names the image tag.", { returnsJob: true, topics: T("appsBuild", "job"), fields: [text("ref", "Branch, tag or commit to build.", { default: "main" })], flags: [flag("noCache", "Ignore cached layers and builds")], output: { type: "object", fields: ["buildId", JOB_ID] } }),
    onApp("builds", "GET", "builds", "read", "List the builds of one application with their commit, status, image tag and duration.", { topics: T("appsBuild"), fields: [integer("limit", "At most this many builds.", { default: 20, minimum: 1, maximum: 100 })], output: { type: "array", fields: ["id", "ref", "sha", "status", "imageTag", "durationMs", "createdAt"] } }),
    onApp("builds/{buildId}/show", "GET", "builds/:buildId", "read", "Show one build of an application: commit, status, image tag, duration and whether it came from the cache.", { fields: [positional("buildId", "The build id.")], output: { type: "object", fields: ["id", "sha", "status", "imageTag", "durationMs", "skippedBecauseCached"] } }),
    onApp("builds/{buildId}/logs", "GET", "builds/:buildId/logs", "read", "Show the build log of one build of an application.", { fields: [positional("buildId", "The build id."), integer("lines", "How many lines, newest last.", { default: 200, minimum: 1, maximum: 5000 })], output: { type: "array", fields: ["timestamp", "step", "message"] } }),
    onApp("deployments", "GET", "deployments", "read", "List an application's deployments, newest first, with commit, status and timing.", { topics: T("appsDeploy"), fields: [integer("limit", "At most this many deployments.", { default: 20, minimum: 1, maximum: 100 })], output: { type: "array", fields: ["id", "sha", "status", "message", "createdAt", "finishedAt"] } }),
    onApp("deployments/{deploymentId}/show", "GET", "deployments/:deploymentId", "read", "Show one deployment of an application with its rollout steps and error, if any.", { fields: [positional("deploymentId", "The deployment id.")], output: { type: "object", fields: ["id", "sha", "status", { name: "steps", type: "array" }, "error"] } }),
    onApp("rollback", "POST", "rollback", "write", "Roll one application back to an earlier successful deployment, reusing its image; starts a job.", { returnsJob: true, topics: T("appsDeploy", "job"), fields: [text("deploymentId", "The deployment to go back to; the previous one when absent.")], output: { type: "object", fields: ["id", "deploymentId", JOB_ID] } }),
    onApp("env-vars/list", "GET", "env-vars", "read", "List the plain environment variables of an application with their values (secrets are listed separately, by name only).", { topics: T("appsConfig"), output: { type: "array", fields: ["name", "value"] } }),
    onApp("env-vars/set", "POST", "env-vars", "write", "Set plain environment variables of an application; they take effect on the next deployment or restart.", { topics: T("appsConfig"), fields: [object("vars", "Variables to set, NAME: value.", { required: true, valueType: "string" })], output: { type: "array", fields: ["name", "value"] } }),
    onApp("env-vars/{name}/delete", "DELETE", "env-vars/:name", "write", "Remove one plain environment variable of an application.", { topics: T("appsConfig"), fields: [name], output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] } }),
    onApp("secrets/list", "GET", "secrets", "read", "List the secret names of an application and when each was last set; values are never shown here.", { topics: T("appsConfig"), output: { type: "array", fields: ["name", "updatedAt"] } }),
    onApp("secrets/reveal", "GET", "secrets/reveal", "sensitive_read", "Reveal the secret values of an application.", { topics: T("credentials", "appsConfig"), output: { type: "array", fields: ["name", "value", "updatedAt"] } }),
    onApp("secrets/set", "POST", "secrets", "sensitive_write", "Create or replace one secret of an application; takes effect on the next deployment.", { topics: T("appsConfig"), output: { type: "object", fields: ["name", "updatedAt"] } }),
    onApp("secrets/{name}/delete", "DELETE", "secrets/:name", "sensitive_write", "Delete one secret of an application.", { topics: T("appsConfig", "confirm"), output: { type: "object", fields: ["name", "deleted"] } }),
    onApp("secret-files/list", "GET", "secret-files", "read", "List the secret files mounted into an application (path, size, last change); contents are never shown.", { topics: T("appsConfig"), output: { type: "array", fields: ["path", "sizeBytes", "updatedAt"] } }),
    onApp("secret-files/update", "POST", "secret-files", "sensitive_write", "Create or replace a secret file mounted into an application, such as a service-account key; takes effect on the next deployment.", { topics: T("appsConfig"), fields: [text("path", "Mount path inside the container, e.g. /etc/app/key.json.", { required: true }), text("content", "The file's content, as text or base64.", { required: true }), choice("encoding", "How content is encoded.", ["text", "base64"], { default: "text" })], output: { type: "object", fields: ["path", "updatedAt"] } }),
    onApp("secret-files/delete", "DELETE", "secret-files", "sensitive_write", "Remove a secret file from an application.", { topics: T("confirm"), fields: [text("path", "Mount path of the file.", { required: true })], output: { type: "object", fields: ["path", { name: "deleted", type: "boolean" }] } }),
    onApp("overrides/list", "GET", "overrides", "read", "List the manifest overrides of an application with the Kubernetes object each patches.", { topics: T("appsOverrides"), output: { type: "array", fields: ["name", "kind", "target", "updatedAt"] } }),
    onApp("overrides/{name}/show", "GET", "overrides/:name", "read", "Show one manifest override of an application.", { topics: T("appsOverrides"), fields: [positional("name", "The override name.")], output: { type: "object", fields: ["name", "kind", "target", { name: "patch", type: "object" }] } }),
    onApp("overrides/{name}/set", "PUT", "overrides/:name", "write", "Create or replace one manifest override of an application; applied on the next deployment.", { topics: T("appsOverrides"), fields: [positional("name", "The override name."), text("target", "Object to patch, e.g. Deployment/web.", { required: true }), object("patch", "Strategic-merge patch.", { required: true })], output: { type: "object", fields: ["name", "updatedAt"] } }),
    onApp("overrides/{name}/delete", "DELETE", "overrides/:name", "write", "Delete one manifest override of an application.", { topics: T("appsOverrides", "confirm"), fields: [positional("name", "The override name.")], output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] } }),
    onApp("manifest", "GET", "manifest", "read", "Show the rendered Kubernetes manifest of an application, overrides applied.", { topics: T("appsOverrides"), output: { type: "object", fields: [{ name: "objects", type: "array" }] } }),
    onApp("replace-manifest", "PUT", "manifest", "write", "Replace the rendered manifest of an application with one you provide; RunOS stops generating it until you reset it. Starts a job.", { returnsJob: true, topics: T("appsOverrides", "job"), fields: [object("manifest", "The Kubernetes objects, as a JSON object with an items list.", { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
    onApp("diff", "POST", "diff", "read", "Compare a runos.yaml with the application's desired state and list the differences; changes nothing. Secret values are redacted.", { fields: [text("yaml", "The runos.yaml content.", { required: true })], output: { type: "object", fields: [{ name: "changes", type: "array" }, { name: "drift", type: "boolean" }] } }),
    onApp("sync", "POST", "sync", "write", "Apply a runos.yaml to the application: configuration, requires and domains; starts a job.", { returnsJob: true, topics: T("job"), fields: [text("yaml", "The runos.yaml content.", { required: true })], output: { type: "object", fields: ["id", JOB_ID] } }),
    onApp("domains/list", "GET", "domains", "read", "List the domains routed to an application with their certificate status.", { topics: T("domains"), output: { type: "array", fields: ["domain", "certificate", "verified"] } }),
    onApp("domains/add", "POST", "domains", "write", "Route a custom domain to an application; a certificate is issued once its DNS points at the cluster.", { topics: T("domains"), fields: [text("domain", "The domain, e.g. www.example.com.", { required: true })], output: { type: "object", fields: ["domain", "dnsRecord", "verified"] } }),
    onApp("domains/{domain}/delete", "DELETE", "domains/:domain", "write", "Stop routing one domain to an application.", { topics: T("domains", "confirm"), fields: [positional("domain", "The domain.")], output: { type: "object", fields: ["domain", { name: "deleted", type: "boolean" }] } }),
    onApp("scale", "PATCH", "scale", "write", "Set the number of replicas of an application.", { topics: T("scale"), fields: [integer("replicas", "New number of replicas.", { required: true, minimum: 0, maximum: 50 })], output: { type: "object", fields: ["id", "replicas"] } }),
    onApp("metrics", "GET", "metrics", "read", "Show request rate, latency, errors, CPU and memory of an application over a time window.", { topics: T("metrics"), fields: metricFields(), output: { type: "object", fields: ["requestsPerSec", "p95Ms", "errorRate", "cpuMc", "memoryMb"] } }),
    onApp("events", "GET", "events", "read", "List recent Kubernetes events of an application's pods, newest first.", { topics: T("events"), output: { type: "array", fields: ["at", "type", "reason", "message"] } }),
    onApp("pods", "GET", "pods", "read", "List the pods of an application with their node, phase, readiness and restart count.", { topics: T("pods"), output: { type: "array", fields: ["name", "node", "phase", "ready", "restarts"] } }),
    onApp("pause", "PATCH", "pause", "write", "Scale an application to zero while keeping its configuration, domains and deployments.", { output: { type: "object", fields: ["id", "status"] } }),
    onApp("resume", "PATCH", "resume", "write", "Bring a paused application back to its replica count.", { output: { type: "object", fields: ["id", "status"] } }),
    onApp("rename", "PATCH", "rename", "write", "Give an application a new name; its id and domains stay the same.", { fields: [text("newName", "The new name.", { required: true, pattern: NAME_PATTERN })], output: { type: "object", fields: ["id", "name"] } }),
    onApp("requires/list", "GET", "requires", "read", "List the services an application requires, with the alias and the env vars each credential field is routed to.", { topics: T("dependencies"), output: { type: "array", fields: ["alias", "type", "serviceId", { name: "env", type: "object" }] } }),
    onApp("requires/set", "PUT", "requires/:alias", "write", "Declare that an application requires a service under an alias and route its credential fields to env vars (url, host, port, username, password, database).", { topics: T("dependencies"), fields: [positional("alias", "The alias, e.g. my-app-db."), text("serviceId", "The service id.", { required: true }), object("env", "Credential field → env var, e.g. {\"url\": \"DATABASE_URL\"}.", { valueType: "string" })], output: { type: "object", fields: ["alias", "serviceId"] } }),
    { command: "apps/list-previous-uploads", endpoint: `${BASE}/uploads`, method: "GET", tier: "read", summary: "List the source tarballs uploaded for apps deployed without Git, newest first, with their size and the app that used them.", output: { type: "array", fields: ["uploadId", "app", "sizeBytes", "createdAt"] } },
    { command: "apps/upload", endpoint: `${BASE}/uploads`, method: "POST", tier: "write", summary: "Ask for an upload slot for a source tarball (apps deployed without Git); answers an https upload URL valid for 15 minutes.", fields: [text("app", "The app the upload is for.", { required: true }), integer("sizeBytes", "Size of the tarball.", { required: true, minimum: 1 })], output: { type: "object", fields: ["uploadId", "uploadUrl", "expiresAt"] } },
  ];
}
