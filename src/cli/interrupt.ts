/**
 * Ctrl-C while runos waits: instead of dying with a bare `^C`, the wait ends with an error saying what
 * goes on without us (a job keeps running on the RunOS side) and how to pick it up again; main.ts
 * turns it into exit code 130, as shells expect after an interrupt.
 */
import process from "node:process";
import { InterruptedError } from "../errors.ts";

/**
 * Wait for `work`, or for SIGINT, whichever comes first; on SIGINT reject with `interrupted()`.
 * The listener is removed once the wait is over, so a later Ctrl-C behaves as usual.
 */
export async function untilInterrupted<T>(work: Promise<T>, interrupted: () => InterruptedError): Promise<T> {
  let onSignal: (() => void) | undefined;
  const signalled = new Promise<never>((_resolve, reject) => {
    onSignal = () => reject(interrupted());
  });
  process.once("SIGINT", onSignal!);
  try {
    return await Promise.race([work, signalled]);
  } finally {
    process.off("SIGINT", onSignal!);
  }
}

/** The error for a wait on `jobId` cut short: the job goes on, and `runos follow` picks it up. */
export function jobWaitInterrupted(jobId: string): InterruptedError {
  return new InterruptedError(`interrupted: stopped waiting for job ${jobId}, which goes on running on the RunOS side`, {
    hint: `follow it again with \`runos follow ${jobId}\` (or see \`runos jobs show ${jobId}\`)`,
    details: { jobId, accepted: true },
  });
}
