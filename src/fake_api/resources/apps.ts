/**
 * Applications: list, show, status (health), add, deploy, delete and deployments. Add, deploy and
 * delete run as jobs; a deploy of a sha starting with `dead` fails its build, to exercise failures.
 */
import { type CallContext, appOf, clusterOf, type CommandHandlers, isoNow, newShortId } from "../context.ts";
import { conflict } from "../envelope.ts";
import type { App } from "../state.ts";
import { startJob } from "./jobs.ts";
import { FAILING_NAME } from "./services.ts";

type Deployment = App["deployments"][number];

function summary(app: App) {
  return { id: app.id, name: app.name, status: app.status, replicas: app.replicas, url: app.url, branch: app.branch, currentSha: app.currentSha };
}

function randomSha(): string {
  return crypto.randomUUID().replace(/-/g, "").slice(0, 7);
}

function requireSettled(app: App): void {
  if (app.status === "deploying" || app.status === "deleting") throw conflict(`app "${app.name}" is ${app.status}; wait for its job to finish`);
}

/** Start a deployment job for an app; the app's state changes when the job completes. */
function deploy(ctx: CallContext, app: App, sha: string, message: string, first: boolean) {
  const deployment: Deployment = { id: `dp${sha.slice(0, 5)}`, sha, status: "building", message, createdAt: isoNow(ctx), finishedAt: null };
  app.deployments.unshift(deployment);
  const previous = app.status;
  app.status = "deploying";
  const failing = sha.startsWith("dead") || (first && app.name === FAILING_NAME);
  const job = startJob(ctx.state, ctx.clock, {
    type: "app.deploy",
    steps: ["cloning repository", "building image", "pushing image", "rolling out"],
    result: { appId: app.id, deploymentId: deployment.id },
    failWith: failing ? `build failed for ${app.name}@${sha}: Dockerfile: RUN npm ci exited with code 1` : undefined,
    onComplete: () => {
      deployment.status = "succeeded";
      deployment.finishedAt = new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
      app.status = "running";
      app.currentSha = sha;
      app.health = { status: "healthy", readyReplicas: app.replicas, restarts: 0, check: "GET / → 200" };
      return { imageTag: `${app.name}:${sha}` };
    },
    onFail: () => {
      deployment.status = "failed";
      deployment.error = "build failed: Dockerfile: RUN npm ci exited with code 1";
      deployment.finishedAt = new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
      app.status = first ? "failed" : previous;
    },
  });
  return { deployment, job };
}

/** Application handlers (env vars and secrets live in app_config.ts). */
export const appHandlers: CommandHandlers = {
  "apps/list": (ctx) => {
    const cluster = clusterOf(ctx);
    return ctx.state.apps.filter((app) => app.clusterId === cluster.id).map(summary);
  },
  "apps/{id}/show": (ctx) => {
    const app = appOf(ctx);
    const uses = app.uses.map((id) => ctx.state.services.find((service) => service.id === id)).filter((service) => service !== undefined)
      .map((service) => ({ id: service.id, type: service.type, name: service.name }));
    return {
      id: app.id, name: app.name, repository: app.repository, branch: app.branch, port: app.port, replicas: app.replicas,
      status: app.status, url: app.url, uses, currentSha: app.currentSha, createdAt: app.createdAt,
      envVarCount: Object.keys(app.envVars).length, secretCount: app.secrets.length,
    };
  },
  "apps/{id}/status": (ctx) => {
    const app = appOf(ctx);
    const last = app.deployments[0];
    return {
      id: app.id, name: app.name, status: app.status, health: app.health.status, readyReplicas: app.health.readyReplicas,
      replicas: app.replicas, restarts: app.health.restarts, check: app.health.check,
      lastDeployment: last === undefined ? null : { id: last.id, sha: last.sha, status: last.status, createdAt: last.createdAt },
    };
  },
  "apps/add": (ctx) => {
    const cluster = clusterOf(ctx);
    const name = String(ctx.input.name);
    if (ctx.state.apps.some((app) => app.clusterId === cluster.id && app.name === name)) throw conflict(`an app named "${name}" already exists in cluster ${cluster.id}`);
    const app: App = {
      id: newShortId(ctx.state), clusterId: cluster.id, name, repository: String(ctx.input.repository), branch: String(ctx.input.branch),
      port: Number(ctx.input.port), replicas: Number(ctx.input.replicas), status: "deploying", url: `https://${name}.${cluster.domain}`,
      uses: [], currentSha: null, createdAt: isoNow(ctx),
      health: { status: "unknown", readyReplicas: 0, restarts: 0, check: "not deployed yet" }, envVars: {}, secrets: [], deployments: [],
    };
    ctx.state.apps.push(app);
    const { deployment, job } = deploy(ctx, app, randomSha(), `Initial deployment of ${app.branch}`, true);
    return { id: app.id, name, status: app.status, url: app.url, deploymentId: deployment.id, jobId: job.id };
  },
  "apps/{id}/deploy": (ctx) => {
    const app = appOf(ctx);
    requireSettled(app);
    const sha = typeof ctx.input.sha === "string" ? ctx.input.sha : randomSha();
    const { deployment, job } = deploy(ctx, app, sha, ctx.input.sha === undefined ? `Deploy head of ${app.branch}` : `Deploy ${sha}`, false);
    return { id: app.id, deploymentId: deployment.id, sha, status: app.status, jobId: job.id };
  },
  "apps/{id}/delete": (ctx) => {
    const app = appOf(ctx);
    requireSettled(app);
    app.status = "deleting";
    const job = startJob(ctx.state, ctx.clock, {
      type: "app.delete",
      steps: ["scaling down", "removing routes", "deleting resources"],
      result: { appId: app.id },
      onComplete: () => {
        ctx.state.apps = ctx.state.apps.filter((candidate) => candidate !== app);
      },
    });
    return { id: app.id, status: app.status, jobId: job.id };
  },
  "apps/{id}/deployments": (ctx) => appOf(ctx).deployments.slice(0, Number(ctx.input.limit ?? 20)).map((deployment) => ({ ...deployment })),
};
