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
 *
 * Every other `--sandbox` command (a CLI verb, `follow`, `mcp call`) joins the same sandbox with a
 * lease: its file stays after it exits and keeps the host for {@link DEFAULT_CLI_LINGER_MS} more
 * (RUNOS_SANDBOX_LINGER_MS; at most {@link MAX_LINGER_MS}), so a job one command starts, the next
 * one follows. `runos sandbox --reset` stops the host and drops the leases: the next command starts
 * from the demo data.
 */
import { spawn } from "node:child_process";
import { mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises";
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
/** How long the host outlives the last CLI command (its lease), unless RUNOS_SANDBOX_LINGER_MS says otherwise. */
export const DEFAULT_CLI_LINGER_MS = 10 * 60_000;
/** The longest lease a command may ask for: a forgotten sandbox does not stay for good. */
export const MAX_LINGER_MS = 60 * 60_000;
/** How long a process waits for a host to start (or for another process starting one). */
const START_TIMEOUT_MS = 15_000;
/** A `host.lock` older than this belongs to a process that died while starting the host. */
const STALE_LOCK_MS = 20_000;

/** Files of the shared sandbox under `dir`. */
export function sharedSandboxFiles(dir: string): { host: string; lock: string; clients: string } {
  return { host: join(dir, "host.json"), lock: join(dir, "host.lock"), clients: join(dir, "clients") };
}

/** How this process takes part in the shared sandbox. */
export interface SandboxShare {
  readonly dir: string;
  /** Keep the host this long after this process exits (a CLI command's lease); none: the host's idle grace. */
  readonly lingerMs?: number;
}

let shared: SandboxShare | undefined;

/**
 * Make this process's sandbox sessions share the sandbox in `dir` (called by mod.ts for every
 * `--sandbox` command line, with a lease, and by `runos mcp serve`, without one); a process that
 * never calls it (a test calling main() in-process) keeps its own in-process sandbox.
 */
export function shareSandbox(dir: string, options: { readonly lingerMs?: number } = {}): void {
  shared = { dir, ...(options.lingerMs === undefined ? {} : { lingerMs: Math.min(options.lingerMs, MAX_LINGER_MS) }) };
}

/** What {@link shareSandbox} set, if anything. */
export function sharedSandbox(): SandboxShare | undefined {
  return shared;
}

/** A CLI command's lease: RUNOS_SANDBOX_LINGER_MS when a positive number, else {@link DEFAULT_CLI_LINGER_MS}. */
export function cliLingerMs(env: Record<string, string | undefined>): number {
  const asked = Number(env.RUNOS_SANDBOX_LINGER_MS);
  return asked > 0 ? Math.min(asked, MAX_LINGER_MS) : DEFAULT_CLI_LINGER_MS;
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
  /** Leave a lease of this many ms when closing (see {@link SandboxShare}). */
  readonly lingerMs?: number;
}

/** Register this process in the shared sandbox at `dir` and return the fetch that reaches its host. */
export async function joinSharedSandbox(dir: string, options: JoinOptions = {}): Promise<SharedSandboxClient> {
  const files = sharedSandboxFiles(dir);
  const me = join(files.clients, String(process.pid));
  await mkdir(files.clients, { recursive: true, mode: 0o700 });
  const registration = options.lingerMs === undefined ? `${new Date().toISOString()}\n` : `${JSON.stringify({ lingerMs: options.lingerMs })}\n`;
  await writeFileAtomic(me, registration, { mode: 0o600 });
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
    // A lease is renewed as the process ends: the host lingers from now (a killed command's, from its start).
    close: () => (options.lingerMs === undefined ? unlink(me) : writeFileAtomic(me, registration, { mode: 0o600 })).catch(() => {}),
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

/** Who keeps the host: the registered pids still alive, and until when (epoch ms) the leases of ended commands run. */
export interface Participants {
  readonly alive: readonly number[];
  readonly leasedUntil: number;
}

/** Read `<dir>/clients`: the files of dead processes whose lease ran out (or who had none) are removed. */
export async function readParticipants(dir: string, now = Date.now()): Promise<Participants> {
  const { clients } = sharedSandboxFiles(dir);
  const names = await readdir(clients).catch(() => [] as string[]);
  const alive: number[] = [];
  let leasedUntil = 0;
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (processAlive(pid)) {
      alive.push(pid);
      continue;
    }
    const until = await leaseEnd(join(clients, name));
    if (until > now) leasedUntil = Math.max(leasedUntil, until);
    else await unlink(join(clients, name)).catch(() => {});
  }
  return { alive, leasedUntil };
}

/** When a registration's lease ends: its last write plus its `lingerMs` (bounded); 0 without one. */
async function leaseEnd(path: string): Promise<number> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    if (!text.startsWith("{")) return 0;
    const lingerMs = (JSON.parse(text) as { lingerMs?: unknown }).lingerMs;
    return typeof lingerMs === "number" && lingerMs > 0 ? info.mtimeMs + Math.min(lingerMs, MAX_LINGER_MS) : 0;
  } catch {
    return 0;
  }
}

/**
 * Start over: stop the host (SIGTERM, then wait for it to go, bounded) and drop every lease, so the
 * next `--sandbox` command starts a fresh sandbox from the demo data. Whether a host was running.
 */
export async function resetSharedSandbox(dir: string): Promise<boolean> {
  const files = sharedSandboxFiles(dir);
  const host = await readHostRecord(dir);
  const running = host !== undefined && processAlive(host.pid);
  if (running) {
    try {
      process.kill(host.pid, "SIGTERM");
    } catch {
      // It went meanwhile.
    }
    const deadline = Date.now() + 5_000;
    while (processAlive(host.pid) && Date.now() < deadline) await sleep(50);
  }
  await unlink(files.host).catch(() => {});
  for (const name of await readdir(files.clients).catch(() => [] as string[])) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) await unlink(join(files.clients, name)).catch(() => {});
  }
  return running;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
