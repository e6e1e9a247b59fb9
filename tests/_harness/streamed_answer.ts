/**
 * A streamed HTTP answer, as the SDK's handler makes one, whose chunks a test sends, and ends or fails,
 * when it likes: for the tests of when an answer counts as delivered.
 */

/** A `text/event-stream` answer driven by the test. */
export function streamedAnswer() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: new Response(body, { headers: { "Content-Type": "text/event-stream" } }),
    send: (text: string) => controller.enqueue(new TextEncoder().encode(text)),
    end: () => controller.close(),
    fail: () => controller.error(new Error("the call failed mid-stream")),
  };
}
