/**
 * The same MSW handlers over real HTTP (MSW's `getResponse` inside the runtime's server), so
 * end-to-end tests can point a spawned binary at a loopback port and `runos sandbox` can serve it.
 */
import { getResponse } from "msw";
import { type HttpServerHandle, serveHttp } from "../runtime.ts";
import { jsonResponse } from "./envelope.ts";
import type { FakeApi } from "./fake_api.ts";

/** A running fake API HTTP server and the URL to give clients. */
export type FakeApiServer = HttpServerHandle & { readonly url: string };

/** Serve `api` on `hostname:port` (port 0 picks a free one). */
export async function serveFakeApiHttp(api: FakeApi, options: { port: number; hostname: string }): Promise<FakeApiServer> {
  const handler = async (request: Request): Promise<Response> => {
    const incoming = new URL(request.url);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const rewritten = new Request(`${api.baseUrl}${incoming.pathname}${incoming.search}`, {
      method: request.method,
      headers: request.headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
    });
    const response = await getResponse(api.handlers, rewritten);
    return response ?? jsonResponse({ error: `no route for ${request.method} ${incoming.pathname}`, statusCode: 404 }, 404);
  };
  const server = await serveHttp(handler, options);
  const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
  return { port: server.port, close: () => server.close(), drain: () => server.drain(), url: `http://${host}:${server.port}` };
}
