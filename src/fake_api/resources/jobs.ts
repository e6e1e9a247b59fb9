/**
 * Background jobs: slow writes answer `{…, jobId}` at once and their change lands later. A job is
 * queued for {@link QUEUED_MS}, runs with rising progress until {@link DONE_MS}, then completes (or
 * fails); its effect is applied once, the first time any request sees it due.
 */
import type { Clock } from "../clock.ts";
import type { CallContext, CommandHandlers } from "../context.ts";
import { notFound } from "../envelope.ts";
import type { FakeJob, FakeState, JobStatus } from "../state.ts";

/** How long a new job stays queued (ms of the fake API's clock). */
export const QUEUED_MS = 300;
/** When a job finishes, counted from its creation (ms). */
export const DONE_MS = 2000;

/** What a resource hands over to start a job. */
export interface JobSpec {
  readonly type: string;
  readonly steps: readonly string[];
  readonly result?: Record<string, unknown>;
  readonly failWith?: string;
  readonly onComplete?: () => Record<string, unknown> | void;
  readonly onFail?: () => void;
}

/** The job as RunOS reports it: `{id, type, status, progress, currentStep, error?, result?}`. */
export interface JobView {
  readonly id: string;
  readonly type: string;
  readonly status: JobStatus;
  readonly progress: number;
  readonly currentStep: string;
  readonly error?: string;
  readonly result?: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Create a job that starts now; returns it so the caller can answer with its id. */
export function startJob(state: FakeState, clock: Clock, spec: JobSpec): FakeJob {
  const job: FakeJob = {
    id: crypto.randomUUID(),
    type: spec.type,
    createdAt: clock.now(),
    steps: spec.steps,
    failWith: spec.failWith,
    result: { ...(spec.result ?? {}) },
    onComplete: spec.onComplete,
    onFail: spec.onFail,
  };
  state.jobs.push(job);
  return job;
}

/** Apply every job whose time has come, in creation order. Called before each request is handled. */
export function settleJobs(state: FakeState, now: number): void {
  for (const job of state.jobs) {
    if (job.final !== undefined || now < job.createdAt + DONE_MS) continue;
    const doneAt = job.createdAt + DONE_MS;
    if (job.failWith !== undefined) {
      job.onFail?.();
      const stepIndex = Math.max(0, Math.floor(job.steps.length * 0.6) - 1);
      job.final = { status: "failed", progress: 60, currentStep: job.steps[stepIndex] ?? "running", error: job.failWith, updatedAt: doneAt };
    } else {
      const extra = job.onComplete?.();
      if (extra) Object.assign(job.result, extra);
      job.final = { status: "completed", progress: 100, currentStep: "done", updatedAt: doneAt };
    }
  }
}

/** The job's public view at `now`. */
export function jobView(job: FakeJob, now: number): JobView {
  const created = iso(job.createdAt);
  const result = Object.keys(job.result).length > 0 ? job.result : undefined;
  if (job.final !== undefined) {
    return { id: job.id, type: job.type, status: job.final.status, progress: job.final.progress, currentStep: job.final.currentStep, ...(job.final.error === undefined ? {} : { error: job.final.error }), ...(result === undefined ? {} : { result }), createdAt: created, updatedAt: iso(job.final.updatedAt) };
  }
  const elapsed = now - job.createdAt;
  if (elapsed < QUEUED_MS) return { id: job.id, type: job.type, status: "queued", progress: 0, currentStep: "queued", createdAt: created, updatedAt: created };
  const fraction = Math.min(0.99, (elapsed - QUEUED_MS) / (DONE_MS - QUEUED_MS));
  const step = job.steps[Math.min(job.steps.length - 1, Math.floor(fraction * job.steps.length))] ?? "running";
  return { id: job.id, type: job.type, status: "running", progress: Math.max(1, Math.floor(fraction * 100)), currentStep: step, ...(result === undefined ? {} : { result }), createdAt: created, updatedAt: iso(now) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function findJob(ctx: CallContext): FakeJob {
  const id = ctx.params.id ?? "";
  const job = ctx.state.jobs.find((candidate) => candidate.id === id);
  if (job === undefined) throw notFound(`job "${id}" not found`);
  return job;
}

/** `jobs/list` and `jobs/{id}/show`. */
export const jobHandlers: CommandHandlers = {
  "jobs/list": (ctx) => {
    const now = ctx.clock.now();
    return ctx.state.jobs
      .map((job) => jobView(job, now))
      .filter((view) => ctx.input.status === undefined || view.status === ctx.input.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  },
  "jobs/{id}/show": (ctx) => jobView(findJob(ctx), ctx.clock.now()),
};

/** A job's view by id for the bare `/jobs/:id` route; undefined when unknown. */
export function jobById(state: FakeState, id: string, now: number): JobView | undefined {
  const job = state.jobs.find((candidate) => candidate.id === id);
  return job === undefined ? undefined : jobView(job, now);
}
