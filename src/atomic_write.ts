/**
 * Writes that never leave a half-written file: temp file in the same directory → fsync → rename.
 * Used for credentials (mode 0600), the config, the manifest cache and clients' config files.
 */
import { lstat, mkdir, open, readFile, readlink, realpath, rename, stat, unlink } from "node:fs/promises";
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
  /** Read the previous content into `PreparedWrite.previous` even without a backup (to roll back). */
  readonly readPrevious?: boolean;
  /** Mode of parent directories created on the way (0o700 for runos's own config directories). */
  readonly dirMode?: number;
}

/**
 * One write made ready by {@link prepareFileAtomic}: the new content (and a `.bak` of the old one,
 * when asked) sit synced in temp files next to the target; nothing visible has changed yet.
 */
export interface PreparedWrite {
  /** The file that will be replaced: the path asked for, or a symlink's target. */
  readonly target: string;
  /** With `backup` or `readPrevious`: the target's bytes before, undefined when it is a new file (not read otherwise). */
  readonly previous?: Uint8Array;
  /** The target's file mode after the write. */
  readonly mode: number;
  /** The outermost directory this preparation created, if it had to create any. */
  readonly createdDir?: string;
  /** Replace the target (and write the `.bak`): a rename each, so readers see old or new, never a mix. */
  commit(rename?: (from: string, to: string) => Promise<void>): Promise<void>;
  /** Remove the temp files; the target stays as it was. */
  discard(): Promise<void>;
}

/**
 * Make the write of `content` to `path` ready without changing anything visible: resolve a symlink
 * (renaming over the link would turn the user's link into a plain file), refuse a read-only file,
 * create missing parent directories, and write the temp files. Several prepared writes can then be
 * committed together, all or nothing (`mcp configure` writing two files).
 */
export async function prepareFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<PreparedWrite> {
  const target = await resolveLink(path);
  try {
    return await prepareResolved(target, content, options);
  } catch (error) {
    throw fileSystemError(target, "write", error);
  }
}

/**
 * Replace `path` with `content` atomically: readers see the old file or the new one, never a mix, and
 * a crash leaves the old file in place. Creates missing parent directories; writes through symlinks.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const prepared = await prepareFileAtomic(path, content, options);
  try {
    await prepared.commit();
  } catch (error) {
    await prepared.discard();
    throw fileSystemError(prepared.target, "write", error);
  }
  await syncDirectory(dirname(prepared.target));
}

/** A symlink's target (a dangling link's would-be target), else `path` itself. */
async function resolveLink(path: string): Promise<string> {
  try {
    if (!(await lstat(path)).isSymbolicLink()) return path;
  } catch {
    return path;
  }
  try {
    return await realpath(path);
  } catch {
    return resolve(dirname(path), await readlink(path));
  }
}

async function prepareResolved(path: string, content: string | Uint8Array, options: AtomicWriteOptions): Promise<PreparedWrite> {
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true, ...(options.dirMode === undefined ? {} : { mode: options.dirMode }) });
  const previousMode = await existingMode(path);
  if (previousMode !== undefined && (previousMode & 0o222) === 0) {
    throw new ConfigFileError(path, `${path} is read-only; nothing was changed`, {
      hint: `make it writable (chmod u+w ${JSON.stringify(path)}) if runos should change it`,
    });
  }
  const mode = options.mode ?? previousMode ?? 0o644;
  const previous = previousMode === undefined || (options.backup !== true && options.readPrevious !== true) ? undefined : await readFile(path);
  const temp = await writeTemp(dir, basename(path), content, mode);
  let backupTemp: string | undefined;
  if (previous !== undefined && options.backup === true) {
    try {
      backupTemp = await writeTemp(dir, `${basename(path)}.bak`, previous, previousMode ?? mode);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }
  const discard = async () => {
    await unlink(temp).catch(() => {});
    if (backupTemp !== undefined) await unlink(backupTemp).catch(() => {});
  };
  return {
    target: path,
    ...(previous === undefined ? {} : { previous }),
    mode,
    ...(typeof created === "string" ? { createdDir: created } : {}),
    commit: async (move = rename) => {
      if (backupTemp !== undefined) await move(backupTemp, `${path}.bak`);
      await move(temp, path);
    },
    discard,
  };
}

/** Write `content` to a new synced temp file in `dir`; returns its path (removed again on failure). */
async function writeTemp(dir: string, name: string, content: string | Uint8Array, mode: number): Promise<string> {
  const temp = join(dir, `.${name}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  return temp;
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

/** The bytes of a file, or undefined when it does not exist (other read errors are thrown). */
export async function readBytesIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
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

/** Make renames in `dir` durable; best effort (directories cannot be opened on Windows). */
export async function syncDirectory(dir: string): Promise<void> {
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
