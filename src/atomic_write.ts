/**
 * Writes that never leave a half-written file: temp file in the same directory → fsync → rename.
 * Used for credentials (mode 0600), the config, the manifest cache and clients' config files.
 */
import { copyFile, lstat, mkdir, open, readFile, readlink, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { ConfigFileError } from "./errors.ts";

/** What an operating-system error code means to a person, and what to do about it. */
const FILE_ERRORS: Record<string, { what: string; hint: string }> = {
  EACCES: { what: "permission denied", hint: "check the permissions of the file and its directory (or run as the user who owns them)" },
  EPERM: { what: "operation not permitted", hint: "check the permissions and attributes of the file and its directory" },
  EROFS: { what: "the file system is read-only", hint: "choose a writable location (e.g. --dir, or RUNOS_CONFIG_DIR)" },
  EISDIR: { what: "it is a directory, not a file", hint: "move the directory out of the way" },
  ENOTDIR: { what: "a part of the path is a file, not a directory", hint: "move that file out of the way" },
  EEXIST: { what: "a part of the path exists and is not a directory", hint: "move that file out of the way" },
  ENOSPC: { what: "no space left on the device", hint: "free some space and try again" },
  EDQUOT: { what: "the disk quota is exceeded", hint: "free some space and try again" },
};

/**
 * A file-system failure as a ConfigFileError naming the file, what went wrong and what to do; any
 * other error is returned as it is.
 */
export function fileSystemError(path: string, action: "read" | "write" | "use", error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === "string" ? FILE_ERRORS[code] : undefined;
  if (known === undefined) return error;
  return new ConfigFileError(path, `cannot ${action} ${path}: ${known.what}; nothing was changed`, { hint: known.hint, cause: error });
}

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
  const target = await resolveLink(path);
  try {
    await writeResolved(target, content, options);
  } catch (error) {
    throw fileSystemError(target, "write", error);
  }
}

/**
 * The file a write to `path` must replace: a symlink's target (renaming over the link would turn the
 * user's link into a plain file and leave the real config unchanged), else `path` itself.
 */
async function resolveLink(path: string): Promise<string> {
  try {
    if (!(await lstat(path)).isSymbolicLink()) return path;
  } catch {
    return path;
  }
  try {
    return await realpath(path);
  } catch {
    // A dangling link: create its target.
    return resolve(dirname(path), await readlink(path));
  }
}

async function writeResolved(path: string, content: string | Uint8Array, options: AtomicWriteOptions): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, ...(options.dirMode === undefined ? {} : { mode: options.dirMode }) });
  const previousMode = await existingMode(path);
  if (previousMode !== undefined && (previousMode & 0o222) === 0) {
    throw new ConfigFileError(path, `${path} is read-only; nothing was changed`, {
      hint: `make it writable (chmod u+w ${JSON.stringify(path)}) if runos should change it`,
    });
  }
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
    throw fileSystemError(path, "read", error);
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
