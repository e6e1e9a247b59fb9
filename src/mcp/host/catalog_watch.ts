/**
 * Notice when the cached catalog file changes under a running server (another runos process ran
 * `runos manifest update`): its mtime is polled on an unref'd interval and checked again on each
 * `tools/list`, and a change calls `onChange` once per new mtime.
 */
import { stat } from "node:fs/promises";

/** A running watch. */
export interface CatalogWatch {
  /** Compare the file's mtime with the last one seen; calls onChange when it moved. Resolves true on a change. */
  check(): Promise<boolean>;
  /** Take the file's current mtime as seen (after this process wrote it itself). */
  sync(): Promise<void>;
  /** Stop polling. */
  close(): void;
}

/** Options of {@link watchCatalogFile}. */
export interface CatalogWatchOptions {
  readonly path: string;
  readonly onChange: () => Promise<void>;
  /** Poll interval; 0 disables the timer (checks happen on tools/list only). Default 5 s. */
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Start watching `path`; the first mtime is read immediately, so only later changes count. */
export async function watchCatalogFile(options: CatalogWatchOptions): Promise<CatalogWatch> {
  let seen = await mtimeOf(options.path);
  let running: Promise<boolean> | undefined;
  const check = (): Promise<boolean> => {
    running ??= (async () => {
      try {
        const now = await mtimeOf(options.path);
        if (now === undefined || now === seen) return false;
        seen = now;
        await options.onChange();
        return true;
      } catch (error) {
        options.onError?.(error);
        return false;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const intervalMs = options.intervalMs ?? 5_000;
  const timer = intervalMs > 0 ? setInterval(() => void check(), intervalMs) : undefined;
  (timer as { unref?: () => void } | undefined)?.unref?.();
  return {
    check,
    sync: async () => {
      seen = await mtimeOf(options.path);
    },
    close: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
