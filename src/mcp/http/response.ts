/**
 * The HTTP answers the tier server builds itself (refusals in the SDK's JSON-RPC error shape), and
 * the one wrapper that learns when a streamed answer (SSE) has been sent in full, which is when a
 * call stops being "in flight" for cancellation and for draining on shutdown.
 */

/** A JSON-RPC error answer, as the SDK words its own HTTP refusals. */
export function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}, code = -32000): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

/** `response` with header `name` set to `value`. */
export function withHeader(response: Response, name: string, value: string): Response {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** `response`, calling `done` once its body was sent in full or given up (at once when it has none). */
export function whenDelivered(response: Response, done: () => void): Response {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  if (response.body === null) {
    finish();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          finish();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason).catch(() => {});
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
