/**
 * `runos sandbox [--port N]`: the fake RunOS API over real HTTP on 127.0.0.1, seeded with demo data
 * and a demo token, so anyone can try every command and every MCP tier without an account.
 */
import { unlink } from "node:fs/promises";
import process from "node:process";
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { writeFileAtomic } from "../../atomic_write.ts";
import { join } from "node:path";
import { stateDir } from "../../auth/config.ts";
import { DEFAULT_IDLE_MS, readHostRecord, readParticipants, resetSharedSandbox, sharedSandboxFiles } from "../../auth/shared_sandbox.ts";
import type { CliContext } from "../context.ts";

/** Register `runos sandbox`. */
export function registerSandboxCommand(program: Command, context: CliContext): void {
  program
    .command("sandbox")
    .description("serve the embedded fake RunOS API on 127.0.0.1 with a demo account and token")
    .addOption(new Option("--port <port>", "port to listen on (0 picks a free one)").default("8787"))
    // The host of the sandbox the `mcp serve --sandbox` servers share (src/auth/shared_sandbox.ts).
    .addOption(new Option("--shared <dir>", "serve the shared sandbox recorded in <dir>").hideHelp())
    .option("--reset", "stop the sandbox the --sandbox commands share, so the next one starts from the demo data")
    .action(async (options) => {
      if (options.shared !== undefined) return await hostSharedSandbox(options.shared);
      if (options.reset === true) {
        const stopped = await resetSharedSandbox(join(stateDir(process.env), "sandbox"));
        context.stderr(stopped ? "sandbox reset: the next --sandbox command starts from the demo data" : "no shared sandbox was running; the next --sandbox command starts from the demo data");
        return;
      }
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be a number from 0 to 65535; got "${options.port}"`);
      }
      // Loaded only here: the fake API (and msw) costs start-up time every other command should not pay.
      const { createFakeApi, serveFakeApiHttp, DEMO_ACCOUNT_ID, DEMO_TOKEN } = await import("../../fake_api/mod.ts");
      const api = createFakeApi();
      let server;
      try {
        server = await serveFakeApiHttp(api, { port, hostname: "127.0.0.1" });
      } catch (error) {
        throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`, { hint: "pick another port with --port, or --port 0 for any free one" });
      }
      const env = `RUNOS_API_URL=${server.url} RUNOS_API_KEY=${DEMO_TOKEN} RUNOS_ACCOUNT_ID=${DEMO_ACCOUNT_ID}`;
      const lines = context.globals().json
        ? [JSON.stringify({ url: server.url, token: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID })]
        : [
          `RunOS sandbox listening on ${server.url} (demo data; nothing leaves this machine)`,
          ``,
          `Try it from another terminal:`,
          `  export ${env.split(" ").join("\n  export ")}`,
          `  runos clusters list`,
          `  runos services list --cid i4y`,
          `  runos mcp call read services_list --args '{"cid":"i4y"}'`,
          ``,
          `Or skip the server: any command accepts --sandbox (e.g. \`runos mcp serve read --sandbox\`).`,
          `Press Ctrl-C to stop.`,
        ];
      // The demo token is a published, sandbox-only value; printing it is the point.
      context.stdout(lines.join("\n"));
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
      context.stderr("sandbox stopped");
    });
}

/**
 * Serve the shared sandbox: the fake API on a free loopback port, recorded in `<dir>/host.json`,
 * until no registered process has been alive for the idle grace (RUNOS_SANDBOX_IDLE_MS, default 5 s)
 * and the leases of the CLI commands that used it have run out.
 */
async function hostSharedSandbox(dir: string): Promise<void> {
  const { createFakeApi, serveFakeApiHttp } = await import("../../fake_api/mod.ts");
  const server = await serveFakeApiHttp(createFakeApi(), { port: 0, hostname: "127.0.0.1" });
  const files = sharedSandboxFiles(dir);
  await writeFileAtomic(files.host, `${JSON.stringify({ pid: process.pid, url: server.url, startedAt: new Date().toISOString() })}\n`, { mode: 0o600, dirMode: 0o700 });
  const idleMs = Number(process.env.RUNOS_SANDBOX_IDLE_MS) > 0 ? Number(process.env.RUNOS_SANDBOX_IDLE_MS) : DEFAULT_IDLE_MS;
  let idleSince = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(async () => {
      const { alive, leasedUntil } = await readParticipants(dir);
      if (alive.length > 0) idleSince = Date.now();
      else if (Date.now() - idleSince >= idleMs && Date.now() >= leasedUntil) {
        clearInterval(timer);
        resolve();
      }
    }, 250);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  // Only our own record goes: a newer host may have replaced it.
  if ((await readHostRecord(dir))?.pid === process.pid) await unlink(files.host).catch(() => {});
  await server.close();
}
