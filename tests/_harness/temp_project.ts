/**
 * Temporary directories for end-to-end tests (config dirs, fake homes, projects), removed after use so
 * a run leaves nothing behind.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp directory and the way to remove it. */
export interface TempDir {
  /** Absolute path of the directory. */
  readonly path: string;
  /** Remove the directory and everything in it; safe to call twice. */
  remove(): Promise<void>;
}

/** Create a fresh temp directory whose name starts with `runos-<label>-`. */
export async function makeTempDir(label: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `runos-${label}-`));
  return {
    path,
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Run `body` with a fresh temp directory that is removed afterwards, whatever happens. */
export async function withTempDir<T>(label: string, body: (path: string) => Promise<T>): Promise<T> {
  const dir = await makeTempDir(label);
  try {
    return await body(dir.path);
  } finally {
    await dir.remove();
  }
}
