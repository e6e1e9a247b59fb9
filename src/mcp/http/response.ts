/**
 * The HTTP answers the tier server builds itself (refusals in the SDK's JSON-RPC error shape), and
 * how the server learns when an answer has been delivered (its body sent in full or given up), which
 * is when a call stops being "in flight" for cancellation, for its slot and for draining on shutdown.
 *
 * Several layers wait for one answer's delivery. An answer made here says itself when it is
 * delivered: a whole one ({@link wholeResponse}) at once, a streamed one ({@link streamedResponse})
 * when its maker says so. Any other answer (the SDK's) is wrapped once, by the first
 * {@link whenDelivered}; every later one only adds its waiter, and copies with other headers
 * ({@link sameDelivery}) keep it.
 */

/** What is known of the delivery of an answer. */
interface Delivery {
  over: boolean;
  readonly waiting: Array<() => void>;
}

const deliveries = new WeakMap<Response, Delivery>();

/** `response`, whose body is whole in memory: delivered, as far as any waiter here is concerned, once handed to the server. */
export function wholeResponse(response: Response): Response {
  deliveries.set(response, { over: true, waiting: [] });
  return response;
}

/** A streamed answer over `body`, and the function its maker calls once the body was read to its end or given up. */
export function streamedResponse(body: ReadableStream<Uint8Array>, init: ResponseInit): { response: Response; delivered: () => void } {
  const delivery: Delivery = { over: false, waiting: [] };
  const response = new Response(body, init);
  deliveries.set(response, delivery);
  return {
    response,
    delivered: () => {
      if (delivery.over) return;
      delivery.over = true;
      for (const done of delivery.waiting.splice(0)) done();
    },
  };
}

/** `copy`, made from `original` with other headers, delivered when `original` is. */
export function sameDelivery(original: Response, copy: Response): Response {
  const delivery = deliveries.get(original);
  if (delivery !== undefined) deliveries.set(copy, delivery);
  return copy;
}

/** A JSON-RPC error answer, as the SDK words its own HTTP refusals. */
export function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}, code = -32000): Response {
  return wholeResponse(Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers }));
}

/** `response` with header `name` set to `value`. */
export function withHeader(response: Response, name: string, value: string): Response {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return sameDelivery(response, new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
}

/** `response`, calling `done` once its body was sent in full or given up (at once when it has none). */
export function whenDelivered(response: Response, done: () => void): Response {
  const known = deliveries.get(response);
  if (known !== undefined) {
    if (known.over) done();
    else known.waiting.push(done);
    return response;
  }
  if (response.body === null) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  let delivered = () => {};
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          delivered();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        delivered();
        controller.error(error);
      }
    },
    cancel(reason) {
      delivered();
      return reader.cancel(reason).catch(() => {});
    },
  });
  const wrapped = streamedResponse(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  delivered = wrapped.delivered;
  return whenDelivered(wrapped.response, done);
}
