/**
 * Follow a background job: poll it until it is completed, failed or cancelled, reporting each change
 * of status, progress or step. The poll goes where the catalog says, through its `jobs/{id}/show`
 * command, and only when the catalog has none to the public record's `GET /jobs/{id}`: never a path
 * the catalog does not name. Bounded by a deadline, after which the last state is returned with
 * `timedOut: true` (the job keeps running on the server).
 */
import type { Operation } from "../catalog/operation.ts";
import { ApiError } from "../errors.ts";
import type { ApiClient } from "./client.ts";
import type { Job } from "./job_schema.ts";
import { realSleep, type Sleep } from "./retry.ts";
import { pathSegment } from "./request.ts";

export type { Job } from "./job_schema.ts";

/** Statuses after which a job never changes. */
export const TERMINAL_JOB_STATUSES: readonly string[] = ["completed", "failed", "cancelled"];

/** One progress report. */
export interface JobProgress {
  readonly status: string;
  readonly progress?: number;
  readonly currentStep?: string;
}

/** The first delay between polls; it doubles up to `pollMs`. */
const FIRST_POLL_MS = 250;

/** The `jobId` a slow write answers with, if the value has one. */
export function jobIdOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const id = (value as Record<string, unknown>).jobId;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Options of {@link followJob}. */
export interface FollowJobOptions {
  readonly onProgress?: (progress: JobProgress) => void;
  /** Longest delay between polls (default 1 s); the first polls come sooner, as most jobs are short. */
  readonly pollMs?: number;
  /** Give up waiting after this long (default 10 min). */
  readonly timeoutMs?: number;
  readonly sleep?: Sleep;
  /** Clock for the deadline; injectable for tests. */
  readonly now?: () => number;
  /** Stop polling when this aborts (an MCP client cancelled the call); the job itself goes on. */
  readonly signal?: AbortSignal;
  /** The catalog's job-show command ({@link findJobShow}); without one, `GET /jobs/{id}`. */
  readonly jobShow?: Operation;
}

/**
 * The catalog's command that shows one job: `jobs/{id}/show`, or failing that a GET whose verb path is
 * `jobs show` with exactly one placeholder besides the account.
 */
export function findJobShow(operations: readonly Operation[]): Operation | undefined {
  const isShow = (operation: Operation) =>
    operation.method === "GET" && operation.verbPath.join("/") === "jobs/show" &&
    operation.params.filter((param) => param.location === "path").length === 1 && operation.scope !== "cluster";
  return operations.find((operation) => operation.command === "jobs/{id}/show" && isShow(operation)) ?? operations.find(isShow);
}

/** The path one poll of `jobId` goes to. */
export function jobPath(accountId: string, jobId: string, jobShow: Operation | undefined): string {
  if (jobShow === undefined) return `/jobs/${pathSegment("jobId", jobId)}`;
  return jobShow.endpoint.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) =>
    name === "aid" ? pathSegment("the account id", accountId) : pathSegment("jobId", jobId)
  );
}

/** Poll a job to its end (or the deadline) and return its last state. */
export async function followJob(
  client: ApiClient,
  accountId: string,
  jobId: string,
  options: FollowJobOptions = {},
): Promise<Job & { timedOut?: true }> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1_000;
  const deadline = now() + (options.timeoutMs ?? 600_000);
  const path = jobPath(accountId, jobId, options.jobShow);
  let last = "";
  let delay = Math.min(FIRST_POLL_MS, pollMs);
  const { JobSchema } = await import("./job_schema.ts");
  for (;;) {
    const value = await client.send({ method: "GET", path, idempotent: true, ...(options.jobShow === undefined ? {} : { operation: options.jobShow }) });
    const parsed = JobSchema.safeParse(value);
    if (!parsed.success) {
      throw new ApiError(`the RunOS API sent an unexpected job object for ${jobId}`, { details: { issues: parsed.error.issues.length } });
    }
    const job = parsed.data;
    const report: JobProgress = {
      status: job.status,
      ...(typeof job.progress === "number" ? { progress: job.progress } : {}),
      ...(typeof job.currentStep === "string" ? { currentStep: job.currentStep } : {}),
    };
    const key = JSON.stringify(report);
    if (key !== last) {
      last = key;
      options.onProgress?.(report);
    }
    if (TERMINAL_JOB_STATUSES.includes(job.status)) return job;
    if (now() + delay > deadline) return { ...job, timedOut: true };
    await sleep(delay);
    if (options.signal?.aborted === true) {
      throw new ApiError(`stopped waiting for job ${jobId}: the request was cancelled (the job goes on)`, { hint: `follow it with \`runos follow ${jobId}\`` });
    }
    delay = Math.min(delay * 2, pollMs);
  }
}
