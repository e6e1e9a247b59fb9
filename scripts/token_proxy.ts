/**
 * A loopback proxy that adds `Authorization: Bearer <token>` to every request, for clients that
 * cannot send one (the MCP conformance suite). It is transparent otherwise: the body streams both
 * ways, and a Host or Origin naming the proxy is rewritten to name the server, so the request reaches
 * the server as if the client had dialled it; any other Host or Origin (the suite's DNS-rebinding
 * probe) passes unchanged, and the server's own checks answer it. Never weakens the server's auth:
 * whoever can reach the proxy holds the token, so it listens on 127.0.0.1 only.
 */
import http from "node:http";

/** A running proxy. */
export interface TokenProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Proxy 127.0.0.1:`port` (0: any free one) to `target` (an origin such as `http://127.0.0.1:8080`). */
export async function startTokenProxy(options: { readonly target: string; readonly token: string; readonly port?: number }): Promise<TokenProxy> {
  const target = new URL(options.target);
  let self = "";
  const server = http.createServer((incoming, outgoing) => {
    const headers: http.OutgoingHttpHeaders = { ...incoming.headers, authorization: `Bearer ${options.token}` };
    if (incoming.headers.host === self) headers.host = target.host;
    if (incoming.headers.origin === `http://${self}`) headers.origin = target.origin;
    const upstream = http.request({ host: target.hostname, port: Number(target.port), method: incoming.method, path: incoming.url, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on("error", (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end(`token proxy: ${error.message}`);
    });
    outgoing.on("close", () => upstream.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  self = `127.0.0.1:${port}`;
  return {
    origin: `http://${self}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
