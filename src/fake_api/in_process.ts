/**
 * Run the fake API inside this process with msw/node: fetches to `api.baseUrl` are answered by
 * the handlers, every other request passes through untouched.
 */
import { setupServer } from "msw/node";
import type { FakeApi } from "./fake_api.ts";

/** A started in-process interception; `close()` restores the real fetch. */
export interface InProcessHandle {
  close(): Promise<void>;
}

/** Intercept requests to `api.baseUrl` in this process until `close()`. */
export function startFakeApiInProcess(api: FakeApi): Promise<InProcessHandle> {
  const server = setupServer(...api.handlers);
  server.listen({ onUnhandledRequest: "bypass" });
  let closed = false;
  return Promise.resolve({
    close: () => {
      if (!closed) {
        closed = true;
        server.close();
      }
      return Promise.resolve();
    },
  });
}
