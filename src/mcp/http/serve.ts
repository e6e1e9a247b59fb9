/**
 * `runos mcp serve <tier> --http [host:]port`: the tier's server over MCP Streamable HTTP at `/mcp`.
 * Stateless: every request gets a fresh SDK server and transport (`createMcpHandler`, which also
 * speaks 2026-07-28), all over the process's one tier host (host/tier_host.ts), so any instance can
 * answer any request and several can run behind a load balancer; a plain 2025-era tool call is answered
 * without one (direct_call.ts), as the SDK would answer it. Before the SDK sees a request:
 * Host and Origin (guard.ts), the bearer token (auth.ts), a free slot (admission.ts, else 503), the
 * 4 MiB body cap, and the filing of cancellable calls (cancel.ts). Runs until SIGINT/SIGTERM, then
 * finishes the calls in flight.
 */
import process from "node:process";
import { createMcpHandler, readRequestBody } from "@modelcontextprotocol/server";
import { type Env, processEnv } from "../../auth/config.ts";
import type { SessionSeams } from "../../auth/session.ts";
import { SYNC_INTERVAL_MS } from "../../catalog/sync.ts";
import { createLogger } from "../../log.ts";
import { SERVER_NAMES, serveCommand, type Tier } from "../../policy/tier.ts";
import { serveHttp } from "../../runtime.ts";
import { type ListenAddress, localMcpUrl, MCP_PATH, remoteWarning } from "./address.ts";
import {
  authenticate,
  PROTECTED_RESOURCE_PATHS,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  requestOrigin,
  resolveToken,
  type ServerToken,
  TOKEN_ENV,
  unauthorizedResponse,
} from "./auth.ts";
import { admission, DEFAULT_MAX_CONCURRENT, overloadedResponse, type Slot } from "./admission.ts";
import { cancelScope, SESSION_HEADER } from "./cancel.ts";
import { preflightResponse, requestGuard, withCors } from "./guard.ts";
import { jsonRpcError, whenDelivered, withHeader } from "./response.ts";
import { answerCall, directCallOf } from "./direct_call.ts";
import { createSdkServer } from "../host/sdk_server.ts";
import { openTierHost } from "../host/tier_host.ts";
import type { ServeOptions } from "../stdio/serve.ts";

/** The largest request body accepted; a larger one is answered 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** How long a shutdown waits for the calls in flight (a call waits at most 120 s for its job). */
export const DRAIN_MS = 130_000;

/** Options of {@link startHttpTierServer}. */
export interface HttpServeOptions extends SessionSeams, ServeOptions {
  readonly address: ListenAddress;
  readonly allowRemote?: boolean;
  readonly allowHosts?: readonly string[];
  readonly allowOrigins?: readonly string[];
  readonly tokenFile?: string;
  /**
   * How many requests to `/mcp` it works on at once (default {@link DEFAULT_MAX_CONCURRENT}); more get
   * 503 with `Retry-After`. A streamed answer holds its slot until it ends; a `subscriptions/listen`
   * stream gives it back once read (the SDK caps those itself).
   */
  readonly maxConcurrent?: number;
  /** Where the URL, the token (when generated) and warnings go; default stderr. */
  readonly stderr?: (line: string) => void;
  /** Answer plain tool calls without the SDK (direct_call.ts; default true; tests compare both ways). */
  readonly direct?: boolean;
}

/** A running HTTP tier server. */
export interface RunningHttpServer {
  /** The URL of `/mcp` for a client on this machine. */
  readonly url: string;
  readonly port: number;
  readonly token: ServerToken;
  /** How many requests are being answered now (streamed answers until their end). */
  inFlight(): number;
  /** How many requests to `/mcp` hold one of the `maxConcurrent` slots now. */
  slotsHeld(): number;
  /**
   * Stop accepting requests (new ones get 503), wait up to `graceMs` (default {@link DRAIN_MS}) for
   * those in flight, then close everything. Safe to call again, e.g. with 0 to stop at once.
   */
  shutdown(options?: { graceMs?: number }): Promise<void>;
}

/** Start serving `tier` over HTTP; resolves once it listens (a taken port rejects: "port N is in use"). */
export async function startHttpTierServer(tier: Tier, options: HttpServeOptions): Promise<RunningHttpServer> {
  const env: Env = options.env ?? processEnv();
  const say = options.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const logger = createLogger({ level: options.logLevel ?? "warn" });
  const warning = remoteWarning(options.address, options.allowRemote === true);
  const slots = admission(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const token = await resolveToken({ env, ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }) });

  const host = await openTierHost(tier, {
    env,
    ...(options.configDir === undefined ? {} : { configDir: options.configDir }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    profile: options.profile,
    apiUrl: options.apiUrl,
    sandbox: options.sandbox === true,
    logger,
    // A long-lived server checks the catalog again on the sync's own schedule.
    syncEveryMs: SYNC_INTERVAL_MS,
    allTools: options.allTools === true,
    ...(options.toolsMode === undefined ? {} : { toolsMode: options.toolsMode }),
    audit: options.audit !== false,
    // Every instance that shares the bearer token accepts the confirmation tokens another issued.
    confirmSecret: token.value,
  });

  // Every request's server is a fresh SDK server over the one host. A change of its tools is announced
  // once, here, to 2026-07-28 clients' subscriptions/listen streams (2025-era clients of a stateless
  // server re-list on their own).
  const handler = createMcpHandler(
    () => createSdkServer(host, { requireInitialize: false, announce: false, logger }).server,
    { maxRequestBodySize: MAX_BODY_BYTES, onerror: (error) => logger.debug("MCP request refused or failed", { error: error.message }) },
  );
  host.onToolsChanged(() => handler.notify.toolsChanged());

  const calls = cancelScope();
  let inFlight = 0;
  let draining = false;
  let guard = requestGuard({ address: options.address, port: options.address.port, ...lists(options) });

  const answer = async (request: Request, path: string): Promise<Response> => {
    const verdict = guard.check(request.headers);
    if (!verdict.ok) return jsonRpcError(verdict.status, verdict.message);
    const cors = verdict.corsOrigin;
    if (request.method === "OPTIONS") return preflightResponse(cors);
    if (PROTECTED_RESOURCE_PATHS.includes(path)) {
      if (request.method !== "GET" && request.method !== "HEAD") return withCors(new Response(null, { status: 405, headers: { Allow: "GET" } }), cors);
      return withCors(Response.json(protectedResourceMetadata(requestOrigin(request), SERVER_NAMES[tier])), cors);
    }
    if (path !== MCP_PATH) return withCors(jsonRpcError(404, `Not Found: the MCP endpoint is ${MCP_PATH}`), cors);
    if (draining) return withCors(jsonRpcError(503, "Service Unavailable: this server is shutting down", { "Connection": "close", "Retry-After": "1" }), cors);
    const auth = authenticate(request.headers, token);
    if (auth !== "ok") return withCors(unauthorizedResponse(auth, protectedResourceMetadataUrl(requestOrigin(request))), cors);
    // A wrong token still learns 401 above (retrying would not help it); the body is read only with a slot.
    const slot = slots.take(request.signal);
    if (slot === undefined) return withCors(overloadedResponse(slots.max), cors);
    let response: Response;
    try {
      response = request.method === "POST" ? await post(request, slot) : await handler.fetch(request);
    } catch (error) {
      slot.release();
      throw error;
    }
    // Like stdio after `initialized`: the background work waits until a client was answered.
    host.startBackground();
    return withCors(whenDelivered(response, slot.release), cors);
  };

  /** A POST: read the body once (capped), file it for cancellation, hand it to the SDK parsed. */
  const post = async (request: Request, slot: Slot): Promise<Response> => {
    const contentType = request.headers.get("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) return await handler.fetch(request);
    const read = await readBody(request).catch(() => undefined);
    if (read === undefined) return jsonRpcError(400, "Parse error: the request body could not be read", {}, -32700);
    if (read.tooLarge) return jsonRpcError(413, `Payload Too Large: a request body may have at most ${MAX_BODY_BYTES} bytes`);
    let message: unknown;
    try {
      message = JSON.parse(read.text);
    } catch {
      return jsonRpcError(400, "Parse error: the request body is not JSON", {}, -32700);
    }
    // A listen stream stays open as long as its client wants, costs next to nothing, and the SDK
    // caps how many there are: it must not hold a call's slot.
    if (isListen(message)) slot.release();
    const controller = new AbortController();
    const abort = () => controller.abort();
    request.signal.addEventListener("abort", abort, { once: true });
    const release = calls.file(request.headers.get(SESSION_HEADER), message, controller);
    const done = () => {
      release();
      request.signal.removeEventListener("abort", abort);
    };
    let response: Response;
    try {
      // A plain tools/call is answered without an SDK server (direct_call.ts writes the SDK's answer).
      const call = options.direct === false ? undefined : directCallOf(request.headers, message);
      response = call !== undefined
        ? await answerCall(call, { tier, call: (name, args, extras) => host.call(name, args, extras), signal: controller.signal, logger })
        : await handler.fetch(new Request(request.url, { method: "POST", headers: request.headers, signal: controller.signal }), { parsedBody: message });
    } catch (error) {
      done();
      throw error;
    }
    if (isInitialize(message) && response.ok && !response.headers.has(SESSION_HEADER)) response = withHeader(response, SESSION_HEADER, calls.newLabel());
    return whenDelivered(response, done);
  };

  const server = await serveHttp(async (request) => {
    inFlight++;
    const path = new URL(request.url).pathname;
    let response: Response;
    try {
      response = await answer(request, path);
    } catch (error) {
      logger.warn("request failed", { error: error instanceof Error ? error.message : String(error) });
      response = jsonRpcError(500, "Internal error");
    }
    logger.debug(`${request.method} ${path} → ${response.status}`);
    return whenDelivered(response, () => inFlight--);
  }, { hostname: options.address.hostname, port: options.address.port, idleTimeoutSeconds: 255 }).catch(async (error) => {
    await host.close();
    throw error;
  });
  guard = requestGuard({ address: options.address, port: server.port, ...lists(options) });
  const url = localMcpUrl(options.address, server.port);

  if (warning !== undefined) say(`runos: warning: ${warning}`);
  say(`runos: serving \`${SERVER_NAMES[tier]}\` (${serveCommand(tier)}) over MCP Streamable HTTP at ${url}`);
  if (token.source === "generated") {
    say(`runos: clients must send "Authorization: Bearer <token>"; this run's token (shown once; set ${TOKEN_ENV} or --token-file to choose one): ${token.value}`);
  } else {
    say(`runos: clients must send "Authorization: Bearer <token>" with the token from ${token.source === "file" ? "--token-file" : TOKEN_ENV}`);
  }

  let stopping: Promise<void> | undefined;
  let cutNow: (() => void) | undefined;
  const shutdown = async (shutdownOptions: { graceMs?: number } = {}): Promise<void> => {
    const graceMs = shutdownOptions.graceMs ?? DRAIN_MS;
    if (stopping !== undefined) {
      if (graceMs === 0) cutNow?.();
      return await stopping;
    }
    draining = true;
    stopping = (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cut = new Promise<void>((resolve) => {
        cutNow = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([server.drain(), cut]);
      clearTimeout(timer);
      await handler.close().catch(() => {});
      await server.close().catch(() => {});
      await host.close();
    })();
    return await stopping;
  };
  return { url, port: server.port, token, inFlight: () => inFlight, slotsHeld: () => slots.held(), shutdown };
}

/**
 * Serve `tier` over HTTP until SIGINT or SIGTERM; the first signal finishes the calls in flight, a
 * second one stops at once.
 */
export async function serveTierOverHttp(tier: Tier, options: HttpServeOptions): Promise<void> {
  const say = options.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const running = await startHttpTierServer(tier, { ...options, stderr: say });
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: string) => {
      signals++;
      if (signals === 1) {
        const busy = running.inFlight();
        say(`runos: ${signal}: stopping${busy > 0 ? `, finishing ${busy} request${busy === 1 ? "" : "s"} in flight (${signal} again stops at once)` : ""}`);
        void running.shutdown().then(() => {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          say("runos: stopped");
          resolve();
        });
      } else {
        void running.shutdown({ graceMs: 0 });
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/**
 * A POST's body as text, or that it is longer than {@link MAX_BODY_BYTES}. With a Content-Length
 * within the cap (every client we know sends one) the runtime reads it whole, natively, and holds it
 * to that length; a chunked body is read chunk by chunk and given up past the cap (the SDK's reader).
 */
async function readBody(request: Request): ReturnType<typeof readRequestBody> {
  const length = request.headers.get("content-length");
  if (length === null || !/^\d+$/.test(length)) return await readRequestBody(request, MAX_BODY_BYTES);
  if (Number(length) > MAX_BODY_BYTES) return { tooLarge: true };
  return { tooLarge: false, text: await request.text() };
}

function lists(options: HttpServeOptions): { allowHosts: readonly string[]; allowOrigins: readonly string[] } {
  return { allowHosts: options.allowHosts ?? [], allowOrigins: options.allowOrigins ?? [] };
}

function isInitialize(message: unknown): boolean {
  return message !== null && typeof message === "object" && (message as { method?: unknown }).method === "initialize";
}

function isListen(message: unknown): boolean {
  return message !== null && typeof message === "object" && (message as { method?: unknown }).method === "subscriptions/listen";
}


