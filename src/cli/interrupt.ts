/**
 * Ctrl-C while runos waits: instead of dying with a bare `^C`, the wait ends with an error saying what
 * goes on without us (a job keeps running on the RunOS side) and how to pick it up again; main.ts
 * turns it into exit code 130, as shells expect after an interrupt.
 */
import process from "node:process";
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

/** The error for a wait on `jobId` cut short: the job goes on, and `runos follow` picks it up. */
export function jobWaitInterrupted(jobId: string): InterruptedError {
  return new InterruptedError(`interrupted: stopped waiting for job ${jobId}, which goes on running on the RunOS side`, {
    hint: `follow it again with \`runos follow ${jobId}\` (or see \`runos jobs show ${jobId}\`)`,
    details: { jobId, accepted: true },
  });
}
