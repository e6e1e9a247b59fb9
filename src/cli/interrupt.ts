/**
 * Ctrl-C while runos waits: instead of dying with a bare `^C`, the wait ends with an error saying what
 * goes on without us (a job keeps running at RunOS, or in the shared sandbox; an in-process sandbox's
 * job stops with the process) and how to pick it up again; main.ts turns it into exit code 130, as
 * shells expect after an interrupt.
 */
import process from "node:process";
import type { Session } from "../auth/session.ts";
import { InterruptedError } from "../errors.ts";

/** A Ctrl-C watch, listening from the moment it is made. */
export interface InterruptWatch {
  /** Wait for `work`, or for SIGINT, whichever comes first; on SIGINT reject with the watch's error. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Stop listening, so a later Ctrl-C behaves as usual. */
  dispose(): void;
}

/**
 * Listen for SIGINT now: before anything is printed that invites a Ctrl-C (a job's progress line),
 * since a signal that arrives while no listener is set kills the process without a word.
 */
export function watchInterrupt(interrupted: () => InterruptedError): InterruptWatch {
  let reject: ((error: InterruptedError) => void) | undefined;
  let pending: InterruptedError | undefined;
  const onSignal = () => {
    const error = interrupted();
    if (reject === undefined) pending = error;
    else reject(error);
  };
  process.once("SIGINT", onSignal);
  return {
    race: async <T>(work: Promise<T>): Promise<T> => {
      const signalled = new Promise<never>((_resolve, fail) => {
        if (pending !== undefined) fail(pending);
        reject = fail;
      });
      return await Promise.race([work, signalled]);
    },
    dispose: () => void process.off("SIGINT", onSignal),
  };
}

/** Where a session's jobs run, as far as their words go. */
export type JobPlace = Pick<Session, "sandbox" | "sandboxHost">;

/** The command that follows `jobId` where it runs: `runos follow <id>`, with `--sandbox` for the sandbox's. */
export function followCommand(jobId: string, place: JobPlace): string {
  return `runos follow ${jobId}${place.sandbox ? " --sandbox" : ""}`;
}

/** Where a job goes on once runos stops waiting: at RunOS, or in the sandbox for as long as it is kept. */
function whereJobGoesOn(place: JobPlace): string {
  if (!place.sandbox) return "goes on running on the RunOS side";
  const host = place.sandboxHost;
  if (host?.kind === "in-process") return "runs in this command's own sandbox and stops with it";
  const minutes = host?.lingerMs === undefined ? undefined : Math.max(1, Math.round(host.lingerMs / 60_000));
  return `goes on in the sandbox your --sandbox commands share${minutes === undefined ? "" : ` (kept ${minutes} min after the last one)`}`;
}

/** The error for a wait on `jobId` cut short: what became of the job, and how to pick it up where it goes on. */
export function jobWaitInterrupted(jobId: string, place: JobPlace = { sandbox: false }): InterruptedError {
  const gone = place.sandbox && place.sandboxHost?.kind === "in-process";
  return new InterruptedError(`interrupted: stopped waiting for job ${jobId}, which ${whereJobGoesOn(place)}`, {
    hint: gone
      ? "run the command again to start a new job"
      : `follow it again with \`${followCommand(jobId, place)}\` (or see \`runos jobs show ${jobId}${place.sandbox ? " --sandbox" : ""}\`)`,
    details: { jobId, accepted: true },
  });
}
