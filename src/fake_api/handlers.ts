/**
 * The MSW handlers of the fake RunOS API and the dispatcher behind them: log → latency → injected
 * fault → settle jobs → auth → catalog routes → catalog command (validated) → JSON or error envelope.
 * One catch-all MSW handler per base URL, so in-process interception catches only our API.
 */
import { createHash } from "node:crypto";
import { http, type RequestHandler } from "msw";
import type { Catalog } from "../catalog/schema.ts";
import { authenticate } from "./auth.ts";
import type { Clock } from "./clock.ts";
import { ApiProblem, badRequest, forbidden, jsonResponse, notFound, problemResponse } from "./envelope.ts";
import type { FaultList } from "./faults.ts";
import { handlerFor } from "./resources/registry.ts";
import { jobById, settleJobs } from "./resources/jobs.ts";
import type { Router } from "./router.ts";
import type { FakeState, RequestLogEntry } from "./state.ts";
import { validateInput, validatePathParams } from "./validate.ts";

/** What the dispatcher works with; `createFakeApi` builds it. */
export interface Engine {
  readonly baseUrl: string;
  readonly state: FakeState;
  readonly clock: Clock;
  readonly log: RequestLogEntry[];
  readonly faults: FaultList;
  readonly latencyMs: number;
  readonly router: Router;
  /** Answer commands with no in-depth handler generically (when a chosen catalog is served). */
  readonly genericFallback: boolean;
}

/** MSW handlers answering every request under `engine.baseUrl`. */
export function createHandlers(engine: Engine): RequestHandler[] {
  return [http.all(`${engine.baseUrl}/*`, ({ request }) => handleRequest(engine, request))];
}

const etags = new WeakMap<Catalog, string>();

/** A strong ETag of the served catalog's bytes. */
export function manifestEtag(manifest: Catalog): string {
  let etag = etags.get(manifest);
  if (etag === undefined) {
    etag = `"${createHash("sha256").update(JSON.stringify(manifest)).digest("hex").slice(0, 32)}"`;
    etags.set(manifest, etag);
  }
  return etag;
}

/** Answer one request (used by MSW in-process and by the HTTP server alike). */
export async function handleRequest(engine: Engine, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const basePath = new URL(engine.baseUrl).pathname.replace(/\/$/, "");
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || "/" : url.pathname;
  const method = request.method.toUpperCase();
  const text = method === "GET" || method === "HEAD" ? "" : await request.text();
  let body: unknown;
  let bodyError = false;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    bodyError = true;
    body = text;
  }
  const entry: RequestLogEntry = { method, path, query: Object.fromEntries(url.searchParams), body, status: 0, at: engine.clock.now() };
  engine.log.push(entry);
  if (engine.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, engine.latencyMs));
  let response: Response;
  try {
    response = engine.faults.take(method, path) ??
      (bodyError ? problemResponse(badRequest("request body is not valid JSON")) : route(engine, request, entry, url.searchParams, body));
  } catch (error) {
    response = error instanceof ApiProblem
      ? problemResponse(error)
      : jsonResponse({ error: `internal error in the fake API: ${error instanceof Error ? error.message : String(error)}`, statusCode: 500 }, 500);
  }
  entry.status = response.status;
  return response;
}

function route(engine: Engine, request: Request, entry: RequestLogEntry, query: URLSearchParams, body: unknown): Response {
  const { state, clock } = engine;
  const { method, path } = entry;
  const now = clock.now();
  settleJobs(state, now);
  const caller = authenticate(state, request.headers.get("authorization"), now);
  const checkAccount = (aid: string) => {
    if (aid !== caller.accountId) throw forbidden(`this token cannot access account "${aid}"`);
  };

  const cli = /^(?:\/([^/]+))?\/cli\/(manifest|manifest-version)\/?$/.exec(path);
  if (cli !== null && method === "GET") {
    if (cli[1] !== undefined) checkAccount(decodeURIComponent(cli[1]));
    if (cli[2] === "manifest-version") return jsonResponse({ version: state.manifest.version });
    const etag = manifestEtag(state.manifest);
    const ifNoneMatch = request.headers.get("if-none-match");
    if (ifNoneMatch !== null && ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, "")).includes(etag)) {
      return new Response(null, { status: 304, headers: { etag } });
    }
    return jsonResponse(state.manifest, 200, { etag, "cache-control": "private, max-age=0, must-revalidate" });
  }
  const bareJob = /^\/jobs\/([^/]+)\/?$/.exec(path);
  if (bareJob !== null && method === "GET") {
    const view = jobById(state, decodeURIComponent(bareJob[1]!), now);
    if (view === undefined) throw notFound(`job "${bareJob[1]}" not found`);
    return jsonResponse(view);
  }

  const match = engine.router.match(method, path);
  if (match.kind === "none") throw notFound(`no route for ${method} ${path}`);
  if (match.kind === "wrong-method") {
    return jsonResponse({ error: `method ${method} not allowed here; use ${[...new Set(match.allowed)].join(" or ")}`, statusCode: 405 }, 405, { allow: [...new Set(match.allowed)].join(", ") });
  }
  const { route: found, params } = match;
  entry.command = found.command.command;
  if (params.aid !== undefined) checkAccount(params.aid);
  validatePathParams(params);
  const implementation = handlerFor(found.command.command, engine.genericFallback);
  if (implementation === undefined) {
    return jsonResponse({ error: `the fake API does not implement ${found.command.command}`, statusCode: 501 }, 501);
  }
  const { input, flags } = validateInput(found.command, query, body);
  const result = implementation.handle({ state, clock, command: found.command, params, input, flags });
  return jsonResponse(result);
}
