/**
 * Turn a writer's plan into changes and carry them out: every file is read and every new text
 * computed before anything is written (one unparsable file stops all). Then writing is two-phase:
 * every changed file is PREPARED (parent directories created, the new content and a `.bak` of the
 * old one written to temp files next to the target, synced) before ANY target is replaced; a failed
 * preparation removes the temps and leaves every file as it was. Only then are the temps renamed
 * over their targets; should a rename fail midway, the targets already replaced get their previous
 * content back. Unchanged files are not touched.
 * Preparing and committing one file is src/atomic_write.ts's prepareFileAtomic (symlinks resolved,
 * read-only files refused); this module orders several and rolls back.
 */
import { readFile, rmdir, unlink, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileSystemError, type PreparedWrite, prepareFileAtomic, readTextIfExists, syncDirectory, writeFileAtomic } from "../atomic_write.ts";
import { ConfigFileError } from "../errors.ts";
import { normalizeText, restoreText } from "./text_style.ts";
import { DELETE_FILE, type PlannedFile } from "./writer.ts";

/** One file's outcome. */
export interface FileChange {
  readonly path: string;
  /** Current text; undefined when the file does not exist. */
  readonly before: string | undefined;
  /** New text; undefined when the file stays absent, or is deleted. */
  readonly after: string | undefined;
  /** True when writing (or deleting) is needed. */
  readonly changed: boolean;
  /** The file is to be deleted: a removal left nothing in it but what runos had put there. */
  readonly deleted?: boolean;
}

/**
 * Read each planned file and compute its new text; throws (ConfigFileError) before any write. Writers
 * see LF text without a BOM; the file's BOM and CRLF endings are put back on their result.
 */
export async function computeChanges(files: readonly PlannedFile[]): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  const texts = new Map<string, string | undefined>();
  for (const file of files) {
    // A later plan entry for the same path sees the earlier one's result.
    const before = texts.has(file.path) ? texts.get(file.path) : await readTextIfExists(file.path);
    let after: string | undefined;
    if (before === undefined) {
      const created = file.update(undefined);
      after = created === DELETE_FILE ? undefined : created;
    } else {
      const { text, style } = normalizeText(before);
      const updated = file.update(text);
      if (updated === DELETE_FILE) {
        texts.set(file.path, undefined);
        changes.push({ path: file.path, before, after: undefined, changed: true, deleted: true });
        continue;
      }
      after = updated === undefined || updated === text ? before : restoreText(updated, style);
    }
    texts.set(file.path, after ?? before);
    changes.push({ path: file.path, before, after, changed: after !== undefined && after !== before });
  }
  return changes;
}

/** Seams for tests: the rename that replaces a target (to make one fail midway). */
export interface WriteSeams {
  readonly rename?: (from: string, to: string) => Promise<void>;
}

/** Options of {@link writeChanges}. */
export interface WriteOptions {
  /** Keep a `.bak` of each replaced file (default true); false writes none, so an earlier run's `.bak` stays as it was. */
  readonly keepBackups?: boolean;
  /** Directories never removed when a deleted file leaves them empty (the project root, the home). */
  readonly keepDirs?: readonly string[];
}

/** One changed file, ready to be renamed into place. */
interface Prepared {
  /** The path as planned (for messages). */
  readonly path: string;
  readonly write: PreparedWrite;
}

/**
 * Write the changed files, each with a `.bak` of what it replaced: all or nothing (see the module
 * comment). Throws ConfigFileError naming the file that failed and saying what was left changed.
 */
export async function writeChanges(changes: readonly FileChange[], seams: WriteSeams = {}, options: WriteOptions = {}): Promise<void> {
  // The last text planned for each path wins (two plan entries may edit one file).
  const finals = new Map<string, string | undefined>();
  for (const change of changes) {
    if (change.changed && change.after !== undefined) finals.set(change.path, change.after);
    else if (change.deleted === true) finals.set(change.path, undefined);
  }
  if (finals.size === 0) return;
  const deletions = [...finals].filter(([, content]) => content === undefined).map(([path]) => path);
  for (const path of deletions) finals.delete(path);

  const prepared: Prepared[] = [];
  for (const [path, content] of finals) {
    try {
      prepared.push({ path, write: await prepareFileAtomic(path, content!, { backup: options.keepBackups !== false, readPrevious: true }) });
    } catch (error) {
      await discard(prepared);
      throw failure(path, error, "nothing was changed");
    }
  }

  const done: Prepared[] = [];
  for (const [index, item] of prepared.entries()) {
    try {
      await item.write.commit(seams.rename);
      done.push(item);
    } catch (error) {
      await discard(prepared.slice(index));
      const outcome = await restore(done);
      throw failure(item.path, error, outcome);
    }
  }
  const deleted: { path: string; previous: Uint8Array }[] = [];
  for (const path of deletions) {
    try {
      const previous = await readFile(path);
      await unlink(path);
      deleted.push({ path, previous });
    } catch (error) {
      for (const item of deleted.reverse()) await writeFile(item.path, item.previous).catch(() => {});
      const outcome = await restore(prepared);
      throw failure(path, error, outcome);
    }
  }
  for (const dir of new Set(prepared.map((item) => dirname(item.write.target)))) await syncDirectory(dir);
  // A directory runos created for the file (`.roo/`) goes with it when nothing else is left there.
  const keep = new Set((options.keepDirs ?? []).map((dir) => resolve(dir)));
  for (const path of deletions) {
    const dir = dirname(resolve(path));
    if (!keep.has(dir)) await rmdir(dir).catch(() => {});
  }
}

/** Remove the temps of writes not committed, and the (still empty) directories they created. */
async function discard(items: readonly Prepared[]): Promise<void> {
  for (const item of items) await item.write.discard();
  for (const item of [...items].reverse()) {
    const first = item.write.createdDir;
    if (first === undefined) continue;
    for (let current = dirname(item.write.target); ; current = dirname(current)) {
      if (await rmdir(current).then(() => false, () => true)) break;
      if (current === first || relative(first, current).startsWith("..")) break;
    }
  }
}

/** Put back the previous content of targets already replaced; says what happened, for the message. */
async function restore(done: readonly Prepared[]): Promise<string> {
  if (done.length === 0) return "nothing was changed";
  const restored: string[] = [];
  const failed: string[] = [];
  for (const item of [...done].reverse()) {
    const { target, previous, mode } = item.write;
    try {
      if (previous === undefined) await unlink(target);
      else await writeFileAtomic(target, previous, { mode });
      restored.push(item.path);
    } catch {
      failed.push(item.path);
    }
  }
  const parts: string[] = [];
  if (restored.length > 0) parts.push(`the files already written were restored to their previous state: ${restored.reverse().join(", ")}`);
  if (failed.length > 0) {
    parts.push(`could not restore ${failed.join(", ")}: the previous content is in the .bak next to it (a new file can simply be deleted)`);
  }
  return parts.join("; ");
}

function failure(path: string, error: unknown, outcome: string): unknown {
  if (error instanceof ConfigFileError) {
    return error.message.endsWith("nothing was changed") && outcome === "nothing was changed"
      ? error
      : new ConfigFileError(path, `${error.message.replace(/; nothing was changed$/, "")}; ${outcome}`, { hint: error.hint, cause: error });
  }
  const known = fileSystemError(path, "write", error);
  if (known instanceof ConfigFileError) {
    return new ConfigFileError(path, `${known.message.replace(/; nothing was changed$/, "")}; ${outcome}`, { hint: known.hint, cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ConfigFileError(path, `cannot write ${path}: ${reason}; ${outcome}`, {
    hint: `check ${dirname(path)} and its permissions, then run the command again`,
    cause: error,
  });
}
