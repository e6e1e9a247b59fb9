/**
 * One sandbox for several processes: the four `runos mcp serve <tier> --sandbox` servers an assistant
 * starts share one fake RunOS API, so what `runos-write` creates `runos` lists.
 *
 * The design: the first server that needs the API starts a host, `runos sandbox --shared <dir>`, a
 * detached process serving the fake API on a loopback port, and records it in `<dir>/host.json`
 * (starting it is serialised by an exclusive `host.lock`); every server sends its requests there.
 * Each server registers itself as a file `<dir>/clients/<pid>` and removes it when it closes; the
 * host stops a few seconds after no registered process is alive any more (a killed server is noticed
 * by its pid), and removes `host.json`. Nothing touches the network or starts a process before the
 * first API request, so a server answers `tools/list` as fast as ever.
 */
import { spawn } from "node:child_process";
import { mkdir, open, readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import { ApiError } from "../errors.ts";
import { selfCommand } from "../runtime.ts";

/** What `host.json` records about the running host. */
export interface HostRecord {
  readonly pid: number;
  readonly url: string;
  readonly startedAt: string;
}

/** How long the host lingers once no registered process is alive (the idle grace). */
export const DEFAULT_IDLE_MS = 5_000;
/** How long a process waits for a host to start (or for another process starting one). */
const START_TIMEOUT_MS = 15_000;
/** A `host.lock` older than this belongs to a process that died while starting the host. */
const STALE_LOCK_MS = 20_000;

/** Files of the shared sandbox under `dir`. */
export function sharedSandboxFiles(dir: string): { host: string; lock: string; clients: string } {
  return { host: join(dir, "host.json"), lock: join(dir, "host.lock"), clients: join(dir, "clients") };
}

let sharedDir: string | undefined;

/**
 * Make this process's sandbox sessions share the sandbox in `dir` (called by `runos mcp serve`; every
 * other command keeps its own in-process sandbox).
 */
export function shareSandbox(dir: string): void {
  sharedDir = dir;
}

/** The directory set by {@link shareSandbox}, if any. */
export function sharedSandboxDir(): string | undefined {
  return sharedDir;
}

/** Whether a process with this pid is alive (EPERM: alive, just not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** The host record, or undefined when missing or unreadable. */
export async function readHostRecord(dir: string): Promise<HostRecord | undefined> {
  try {
    const text = await readTextIfExists(sharedSandboxFiles(dir).host);
    if (text === undefined) return undefined;
    // Checked by hand: this module is on a sandbox server's start-up path, which zod is kept off.
    const value = JSON.parse(text) as Partial<Record<keyof HostRecord, unknown>> | null;
    if (value === null || typeof value !== "object" || !Number.isInteger(value.pid) || typeof value.url !== "string" || typeof value.startedAt !== "string") return undefined;
    return { pid: value.pid as number, url: value.url, startedAt: value.startedAt };
  } catch {
    return undefined;
  }
}

/** A participant's view of the shared sandbox: a fetch that reaches the host, and its registration. */
export interface SharedSandboxClient {
  /** `fetch`, with the request's origin replaced by the host's (started on first use). */
  readonly fetch: typeof fetch;
  /** Deregister this process. */
  close(): Promise<void>;
}

/** Options of {@link joinSharedSandbox}; the seams are for tests. */
export interface JoinOptions {
  /** Start the host process (default: `runos sandbox --shared <dir>` detached). */
  readonly startHost?: (dir: string) => void;
  readonly fetch?: typeof fetch;
}

/** Register this process in the shared sandbox at `dir` and return the fetch that reaches its host. */
export async function joinSharedSandbox(dir: string, options: JoinOptions = {}): Promise<SharedSandboxClient> {
  const files = sharedSandboxFiles(dir);
  const me = join(files.clients, String(process.pid));
  await mkdir(files.clients, { recursive: true, mode: 0o700 });
  await writeFileAtomic(me, `${new Date().toISOString()}\n`, { mode: 0o600 });
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const startHost = options.startHost ?? spawnHost;
  let base: Promise<string> | undefined;
  const hostUrl = () => (base ??= locateHost(dir, startHost, doFetch).catch((error) => {
    base = undefined;
    throw error;
  }));
  const send = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const asked = new URL(input instanceof Request ? input.url : String(input));
    const target = async () => {
      const url = new URL(await hostUrl());
      return `${url.origin}${asked.pathname}${asked.search}`;
    };
    try {
      return await doFetch(await target(), init);
    } catch (error) {
      if ((init?.signal as AbortSignal | undefined)?.aborted === true) throw error;
      // The host went away (it crashed, or its idle grace ran out between two calls): start another.
      base = undefined;
      return await doFetch(await target(), init);
    }
  };
  return {
    fetch: send as typeof fetch,
    close: () => unlink(me).catch(() => {}),
  };
}

/** The URL of a live host, starting one when there is none; only one process starts it. */
async function locateHost(dir: string, startHost: (dir: string) => void, doFetch: typeof fetch): Promise<string> {
  const files = sharedSandboxFiles(dir);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let started = false;
  while (Date.now() < deadline) {
    const host = await readHostRecord(dir);
    if (host !== undefined && processAlive(host.pid) && await answers(host.url, doFetch)) return host.url;
    if (!started && await takeLock(files.lock)) {
      try {
        // Another process may have finished starting one while we waited for the lock.
        const again = await readHostRecord(dir);
        if (again === undefined || !processAlive(again.pid)) {
          if (again !== undefined) await unlink(files.host).catch(() => {});
          startHost(dir);
          started = true;
          const url = await waitForHost(dir, doFetch, deadline);
          if (url !== undefined) return url;
        }
      } finally {
        await unlink(files.lock).catch(() => {});
      }
    } else {
      await dropStaleLock(files.lock);
      await sleep(100);
    }
  }
  throw new ApiError(`the shared sandbox did not start within ${START_TIMEOUT_MS / 1000} s (${dir})`, {
    hint: `run \`runos sandbox\` to see whether the fake API can start here, or remove ${files.host}`,
  });
}

async function waitForHost(dir: string, doFetch: typeof fetch, deadline: number): Promise<string | undefined> {
  while (Date.now() < deadline) {
    const host = await readHostRecord(dir);
    if (host !== undefined && processAlive(host.pid) && await answers(host.url, doFetch)) return host.url;
    await sleep(50);
  }
  return undefined;
}

/** Any HTTP answer from the host's URL within a second means it is up. */
async function answers(url: string, doFetch: typeof fetch): Promise<boolean> {
  try {
    const response = await doFetch(`${url}/cli/manifest-version`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel().catch(() => {});
    return true;
  } catch {
    return false;
  }
}

async function takeLock(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx", 0o600);
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch {
    return false;
  }
}

async function dropStaleLock(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && Date.now() - info.mtimeMs > STALE_LOCK_MS) await unlink(path).catch(() => {});
}

/** Start `runos sandbox --shared <dir>` detached from this process, so it outlives whichever server started it. */
function spawnHost(dir: string): void {
  const self = selfCommand();
  const child = spawn(self.command, [...self.args, "sandbox", "--shared", dir], { detached: true, stdio: "ignore", env: process.env });
  child.on("error", () => {});
  child.unref();
}

/** The pids registered under `<dir>/clients` that are still alive; the files of dead ones are removed. */
export async function liveParticipants(dir: string): Promise<number[]> {
  const { clients } = sharedSandboxFiles(dir);
  const names = await readdir(clients).catch(() => [] as string[]);
  const alive: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (processAlive(pid)) alive.push(pid);
    else await unlink(join(clients, name)).catch(() => {});
  }
  return alive;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
