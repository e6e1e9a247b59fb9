/**
 * `runos follow <jobId>`: wait for a background job (a slow write) to end, one line of progress per
 * change on stderr, the final job on stdout; exit 1 when it failed or was cancelled. The same wait
 * backs `--follow` on every job-starting verb.
 */
import type { Command } from "@commander-js/extra-typings";
import { findJobShow, followJob, type Job } from "../../api/jobs.ts";
import { loadCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import { openSessionFor, type Session } from "../../auth/session.ts";
import { ApiError, InterruptedError, UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { followCommand, jobWaitInterrupted, watchInterrupt } from "../interrupt.ts";
import { createProgressView } from "../progress_line.ts";
import { renderResult } from "../render.ts";
import { styleFor } from "../style.ts";
import { outputFormat } from "../verbs.ts";

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Wait for `jobId` with progress on stderr; throws when the job failed or was cancelled. `started`
 * says the job was started by this very command: when following it fails, the error then says the
 * call was accepted and must not be repeated.
 */
export async function followJobForCli(
  session: Session,
  jobId: string,
  context: CliContext,
  options: { readonly started?: boolean; readonly jobShow?: Operation } = {},
): Promise<Job & { timedOut?: true }> {
  const started = options.started === true;
  let job: Job & { timedOut?: true };
  // Listen for Ctrl-C before the progress line invites one.
  const interrupt = watchInterrupt(() => jobWaitInterrupted(jobId, session));
  const view = createProgressView(jobId, {
    line: (text) => context.stderr(text),
    ...(context.stderrRaw === undefined ? {} : { raw: context.stderrRaw }),
  });
  try {
    const following = followJob(session.client, session.accountId ?? "", jobId, {
      ...(options.jobShow === undefined ? {} : { jobShow: options.jobShow }),
      onProgress: (progress) => view.update(progress),
    });
    job = await interrupt.race(following);
  } catch (error) {
    if (error instanceof InterruptedError || !started) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(`the RunOS API accepted the call and started job ${jobId}, but following the job failed: ${reason}`, {
      hint: `do not run the command again (the job is running); follow it with \`${followCommand(jobId, session)}\``,
      details: { jobId, accepted: true },
    });
  } finally {
    interrupt.dispose();
    view.stop();
  }
  if (job.status === "failed" || job.status === "cancelled") {
    throw new ApiError(`job ${jobId} ${job.status}${typeof job.error === "string" ? `: ${job.error}` : ""}`, {
      hint: `see \`runos jobs show ${jobId}${session.sandbox ? " --sandbox" : ""}\``,
      details: { job },
    });
  }
  if (job.timedOut === true) context.stderr(`job ${jobId} is still ${job.status}; keep waiting with \`${followCommand(jobId, session)}\``);
  return job;
}

/** Register `runos follow <jobId>`. */
export function registerFollowCommand(program: Command, context: CliContext): void {
  program
    .command("follow")
    .description("wait for a background job to finish, showing its progress")
    .argument("<jobId>", "the job's id (a UUID), as printed by the command that started it")
    .action(async (jobId) => {
      if (!JOB_ID.test(jobId)) {
        throw new UsageError(`"${jobId}" is not a job id: job ids are UUIDs (8-4-4-4-12 hex digits)`, { hint: "list recent jobs with `runos jobs list`" });
      }
      const globals = context.globals();
      const session = await openSessionFor(globals);
      try {
        const { operations } = await loadCatalog({ profile: session.profile, sandbox: session.sandbox, ...(session.cacheDir === undefined ? {} : { cacheDir: session.cacheDir }) });
        const jobShow = findJobShow(operations);
        const job = await followJobForCli(session, jobId, context, jobShow === undefined ? {} : { jobShow });
        context.stdout(renderResult(job, { format: outputFormat(globals), style: styleFor(globals.color) }));
      } finally {
        await session.close();
      }
    });
}
