/**
 * Writes that never leave a half-written file: temp file in the same directory → fsync → rename.
 * Used for credentials (mode 0600), the config, the manifest cache and clients' config files.
 */
import { copyFile, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the new file (0o600 for secrets); default: the previous file's mode, else 0o644. */
  readonly mode?: number;
  /** Keep the previous content as `<path>.bak` before replacing it. */
  readonly backup?: boolean;
  /** Mode of parent directories created on the way (0o700 for runos's own config directories). */
  readonly dirMode?: number;
}

/**
 * Replace `path` with `content` atomically: readers see the old file or the new one, never a mix, and
 * a crash leaves the old file in place. Creates missing parent directories.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, ...(options.dirMode === undefined ? {} : { mode: options.dirMode }) });
  const previousMode = await existingMode(path);
  const mode = options.mode ?? previousMode ?? 0o644;
  if (options.backup === true && previousMode !== undefined) {
    await copyFile(path, `${path}.bak`);
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    try {
      await handle.writeFile(content);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** The text of a file, or undefined when it does not exist (other read errors are thrown). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** True for an ENOENT (or ENOTDIR) error: the file is simply not there. */
export function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Make the rename durable; best effort (directories cannot be opened on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported on this platform; the rename itself is still atomic.
  }
}
