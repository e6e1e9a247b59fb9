/**
 * How a job's progress reaches a person: on a terminal, one live line on stderr with a spinner and
 * the time elapsed, rewritten in place and left as a plain line when the job ends; elsewhere (pipes,
 * CI logs), one plain line per change, so logs stay readable.
 */
import type { JobProgress } from "../api/jobs.ts";

/** Where the view writes. */
export interface ProgressOutput {
  /** A whole line (the newline is added). */
  line(text: string): void;
  /** Raw text for the live line; present only when stderr is a terminal. */
  raw?(text: string): void;
}

/** A job's progress view: report changes, then stop. */
export interface ProgressView {
  update(progress: JobProgress): void;
  /** Stop the ticker and leave the last state as a plain line (on a terminal). */
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK_MS = 100;

/** `12s`, `3m05s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** `running 40% (provisioning volumes)`. */
export function describeProgress(progress: JobProgress): string {
  return `${progress.status}${progress.progress !== undefined ? ` ${progress.progress}%` : ""}${progress.currentStep ? ` (${progress.currentStep})` : ""}`;
}

/** A progress view for `jobId`: live on a terminal (`output.raw`), plain lines otherwise. */
export function createProgressView(jobId: string, output: ProgressOutput, now: () => number = Date.now): ProgressView {
  const started = now();
  const label = `job ${jobId}`;
  if (output.raw === undefined) {
    return { update: (progress) => output.line(`${label}: ${describeProgress(progress)}`), stop: () => {} };
  }
  const raw = output.raw;
  let current = "starting";
  let frame = 0;
  const draw = () => raw(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label}: ${current}  ${formatElapsed(now() - started)}`);
  const ticker = setInterval(draw, TICK_MS);
  (ticker as { unref?: () => void }).unref?.();
  draw();
  return {
    update(progress) {
      current = describeProgress(progress);
      draw();
    },
    stop() {
      clearInterval(ticker);
      raw(`\r\x1b[2K${label}: ${current} (${formatElapsed(now() - started)})\n`);
    },
  };
}
