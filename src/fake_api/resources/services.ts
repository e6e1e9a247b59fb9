/**
 * What every service type has: add, list, show, status, update, delete, credentials and
 * rotate-credentials, for PostgreSQL, Valkey and MinIO alike, plus `services/list` and
 * `services/types`. Adds, updates, deletes and rotations run as jobs.
 */
import { type CallContext, clusterOf, type CommandHandlers, isoNow, mintSecret, newShortId, serviceOf } from "../context.ts";
import { conflict, unprocessable } from "../envelope.ts";
import type { FakeState, Service, ServiceKind } from "../state.ts";
import { startJob } from "./jobs.ts";

/** The service kinds the fake API runs. */
export const SERVICE_KINDS: readonly ServiceKind[] = ["postgresql", "valkey", "minio"];

/** A service name that makes its add job fail, to exercise failed jobs. */
export const FAILING_NAME = "fail-me";

const SIZE_KEYS = ["storageGb", "replicas", "maxMemoryMb"] as const;

function summary(service: Service) {
  return { id: service.id, type: service.type, name: service.name, version: service.version, status: service.status, replicas: service.replicas, createdAt: service.createdAt };
}

function detail(state: FakeState, service: Service) {
  const { credentials: _secret, buckets: _buckets, ...rest } = service;
  const usedBy = state.apps.filter((app) => app.uses.includes(service.id)).map((app) => ({ id: app.id, name: app.name }));
  return { ...rest, osid: `${service.type}-${service.id}`, usedBy };
}

/** The credentials of a service in its type's shape, connection string included. */
export function credentialsOf(service: Service): Record<string, unknown> {
  const { host, port, credentials } = service;
  switch (service.type) {
    case "postgresql": {
      const database = credentials.database ?? "postgres";
      const username = credentials.username ?? "postgres";
      const password = credentials.password ?? "";
      return { host, port, database, username, password, connectionString: `postgresql://${username}:${encodeURIComponent(password)}@${host}:${port}/${database}?sslmode=require` };
    }
    case "valkey": {
      const password = credentials.password ?? "";
      return { host, port, password, url: `redis://default:${encodeURIComponent(password)}@${host}:${port}` };
    }
    case "minio":
      return { endpoint: `https://${host}`, accessKey: credentials.accessKey ?? "", secretKey: credentials.secretKey ?? "" };
  }
}

function freshCredentials(state: FakeState, kind: ServiceKind, name: string): Service["credentials"] {
  switch (kind) {
    case "postgresql":
      return { username: `${name.replace(/-/g, "_")}_admin`, password: mintSecret(state, `pg-pass-${name}`), database: "postgres" };
    case "valkey":
      return { password: mintSecret(state, `vk-pass-${name}`) };
    case "minio":
      return { accessKey: mintSecret(state, `minio-ak-${name}`), secretKey: mintSecret(state, `minio-sk-${name}`) };
  }
}

function requireSettled(service: Service): void {
  if (["provisioning", "updating", "deleting"].includes(service.status)) {
    throw conflict(`${service.type} service "${service.name}" is ${service.status}; wait for its job to finish`);
  }
}

function add(kind: ServiceKind) {
  return (ctx: CallContext) => {
    const cluster = clusterOf(ctx);
    const name = String(ctx.input.name);
    if (ctx.state.services.some((service) => service.clusterId === cluster.id && service.type === kind && service.name === name)) {
      throw conflict(`a ${kind} service named "${name}" already exists in cluster ${cluster.id}`);
    }
    const service: Service = {
      id: newShortId(ctx.state), clusterId: cluster.id, type: kind, name, version: String(ctx.input.version),
      status: "provisioning", replicas: Number(ctx.input.replicas ?? 1),
      host: kind === "minio" ? `${name}.${cluster.domain}` : `${name}.${cluster.id}.svc.runos.internal`,
      port: kind === "postgresql" ? 5432 : kind === "valkey" ? 6379 : 443,
      createdAt: isoNow(ctx), credentials: freshCredentials(ctx.state, kind, name),
    };
    if (ctx.input.storageGb !== undefined) service.storageGb = Number(ctx.input.storageGb);
    if (ctx.input.maxMemoryMb !== undefined) service.maxMemoryMb = Number(ctx.input.maxMemoryMb);
    if (kind === "minio") service.buckets = [];
    ctx.state.services.push(service);
    const job = startJob(ctx.state, ctx.clock, {
      type: "service.add",
      steps: ["scheduling", "provisioning storage", "starting pods", "waiting for readiness"],
      result: { serviceId: service.id, name },
      failWith: name === FAILING_NAME ? `provisioning ${kind} "${name}" failed: no node in cluster ${cluster.id} has room for ${service.replicas} replica(s)` : undefined,
      onComplete: () => {
        service.status = "running";
        if (kind === "postgresql") {
          ctx.state.postgresql[service.id] = {
            databases: [{ name: "postgres", owner: service.credentials.username ?? "postgres", sizeMb: 8, tables: {}, views: {} }],
            users: [{ username: service.credentials.username ?? "postgres", database: "postgres", privileges: "owner", password: service.credentials.password ?? "" }],
          };
        }
      },
      onFail: () => {
        service.status = "failed";
      },
    });
    return { id: service.id, name, type: kind, status: service.status, jobId: job.id };
  };
}

function update(kind: ServiceKind) {
  return (ctx: CallContext) => {
    const service = serviceOf(ctx, kind);
    const changes = SIZE_KEYS.filter((key) => ctx.input[key] !== undefined);
    if (changes.length === 0) throw unprocessable([{ name: "(body)", message: `give at least one of ${ctx.command.input.fields.filter((f) => f.name !== "id").map((f) => f.name).join(", ")}` }]);
    if (ctx.input.storageGb !== undefined && service.storageGb !== undefined && Number(ctx.input.storageGb) < service.storageGb) {
      throw unprocessable([{ name: "storageGb", message: `can only grow (currently ${service.storageGb})` }]);
    }
    requireSettled(service);
    const previous = service.status;
    service.status = "updating";
    const job = startJob(ctx.state, ctx.clock, {
      type: "service.update",
      steps: ["validating", "applying changes", "rolling restart"],
      result: { serviceId: service.id },
      onComplete: () => {
        for (const key of changes) service[key] = Number(ctx.input[key]);
        service.status = previous === "degraded" ? "degraded" : "running";
      },
    });
    return { id: service.id, status: service.status, jobId: job.id };
  };
}

function remove(kind: ServiceKind) {
  return (ctx: CallContext) => {
    const service = serviceOf(ctx, kind);
    const dependents = ctx.state.apps
      .filter((app) => app.uses.includes(service.id))
      .map((app) => ({ type: "app", id: app.id, name: app.name, alias: `${app.name}-${service.name}` }));
    if (dependents.length > 0) {
      throw conflict(`${kind} service "${service.name}" is used by ${dependents.map((d) => `app ${d.name}`).join(", ")}; remove those dependencies first`, dependents);
    }
    requireSettled(service);
    service.status = "deleting";
    const job = startJob(ctx.state, ctx.clock, {
      type: "service.delete",
      steps: ["stopping pods", "releasing storage"],
      result: { serviceId: service.id },
      onComplete: () => {
        ctx.state.services = ctx.state.services.filter((candidate) => candidate !== service);
        delete ctx.state.postgresql[service.id];
      },
    });
    return { id: service.id, status: service.status, jobId: job.id };
  };
}

function rotate(kind: ServiceKind) {
  return (ctx: CallContext) => {
    const service = serviceOf(ctx, kind);
    requireSettled(service);
    const job = startJob(ctx.state, ctx.clock, {
      type: "service.rotate-credentials",
      steps: ["generating credentials", "updating service", "restarting dependents"],
      result: { serviceId: service.id },
      onComplete: () => {
        const fresh = freshCredentials(ctx.state, kind, service.name);
        service.credentials = { ...service.credentials, ...fresh, username: service.credentials.username, database: service.credentials.database };
        const admin = ctx.state.postgresql[service.id]?.users.find((user) => user.username === service.credentials.username);
        if (admin !== undefined && fresh.password !== undefined) admin.password = fresh.password;
        return { rotatedAt: new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z") };
      },
    });
    return { id: service.id, jobId: job.id };
  };
}

function status(kind: ServiceKind) {
  return (ctx: CallContext) => {
    const service = serviceOf(ctx, kind);
    const ready = service.status === "running" || service.status === "updating" ? service.replicas : service.status === "degraded" ? Math.max(0, service.replicas - 1) : 0;
    const events = service.status === "degraded"
      ? [{ type: "Warning", reason: "Unhealthy", message: "readiness probe failed: connection refused", at: isoNow(ctx) }]
      : [{ type: "Normal", reason: service.status === "running" ? "Ready" : "Progressing", message: `${ready}/${service.replicas} replicas ready`, at: isoNow(ctx) }];
    return { id: service.id, name: service.name, status: service.status, replicas: service.replicas, readyReplicas: ready, events };
  };
}

/** The eight commands every service type has, for one type. */
export function serviceKindHandlers(kind: ServiceKind): CommandHandlers {
  const base = `services/${kind}`;
  return {
    [`${base}/add`]: add(kind),
    [`${base}/list`]: (ctx) => {
      const cluster = clusterOf(ctx);
      return ctx.state.services.filter((service) => service.clusterId === cluster.id && service.type === kind).map(summary);
    },
    [`${base}/{id}/show`]: (ctx) => detail(ctx.state, serviceOf(ctx, kind)),
    [`${base}/{id}/status`]: status(kind),
    [`${base}/{id}/update`]: update(kind),
    [`${base}/{id}/delete`]: remove(kind),
    [`${base}/{id}/credentials`]: (ctx) => credentialsOf(serviceOf(ctx, kind)),
    [`${base}/{id}/rotate-credentials`]: rotate(kind),
  };
}

/** `services/list` (all types, filter by type) and `services/types`. */
export const serviceHandlers: CommandHandlers = {
  "services/types": (ctx) => ctx.state.serviceTypes.map((type) => ({ ...type })),
  "services/list": (ctx) => {
    const cluster = clusterOf(ctx);
    return ctx.state.services
      .filter((service) => service.clusterId === cluster.id && (ctx.input.type === undefined || service.type === ctx.input.type))
      .map(summary);
  },
  ...Object.assign({}, ...SERVICE_KINDS.map(serviceKindHandlers)) as CommandHandlers,
};
