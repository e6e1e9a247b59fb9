/**
 * Job progress → `notifications/progress`, only when the request carried `_meta.progressToken` (MCP
 * spec). Values strictly increase (the spec requires it) and each carries a human-readable message
 * built from the job's status and current step.
 */
import type { JobProgress } from "../../api/jobs.ts";

/** Sends one progress notification. */
export type ProgressNotifier = (params: { progressToken: string | number; progress: number; total?: number; message?: string }) => Promise<void>;

/** Where a running call reports progress. */
export interface ProgressSink {
  /** Report the job's state; repeated or non-increasing values are folded so that progress only grows. */
  job(update: JobProgress): void;
}

/** Scale of the progress values runos sends (jobs report a percentage). */
export const PROGRESS_TOTAL = 100;

/** A sink for the request's progress token, or undefined when the client did not ask for progress. */
export function progressSink(progressToken: unknown, notify: ProgressNotifier, onError: (error: unknown) => void = () => {}): ProgressSink | undefined {
  if (typeof progressToken !== "string" && typeof progressToken !== "number") return undefined;
  let last = -1;
  let lastMessage = "";
  return {
    job(update) {
      const message = describeJobProgress(update);
      const reported = typeof update.progress === "number" && Number.isFinite(update.progress)
        ? Math.min(Math.max(update.progress, 0), PROGRESS_TOTAL)
        : last < 0 ? 0 : last;
      let value = reported;
      if (value <= last) {
        if (message === lastMessage || last >= PROGRESS_TOTAL) return;
        value = Math.min(last + 0.1, PROGRESS_TOTAL);
        if (value <= last) return;
      }
      last = value;
      lastMessage = message;
      notify({ progressToken, progress: Math.round(value * 10) / 10, total: PROGRESS_TOTAL, message }).catch(onError);
    },
  };
}

/** "running: provisioning volumes (40%)". */
export function describeJobProgress(update: JobProgress): string {
  const step = update.currentStep ? `: ${update.currentStep}` : "";
  const percent = typeof update.progress === "number" ? ` (${Math.round(update.progress)}%)` : "";
  return `${update.status}${step}${percent}`;
}
