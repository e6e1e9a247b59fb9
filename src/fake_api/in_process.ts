/**
 * Run the fake API inside this process with msw/node: fetches to `api.baseUrl` are answered by
 * the handlers, and any other request fails (an error, never the network), so neither a test nor the
 * sandbox can reach anything but the fake API by mistake.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import type { FakeApi } from "./fake_api.ts";

/** A started in-process interception; `close()` restores the real fetch. */
export interface InProcessHandle {
  close(): Promise<void>;
}

/** Intercept requests to `api.baseUrl` in this process until `close()`. */
export function startFakeApiInProcess(api: FakeApi): Promise<InProcessHandle> {
  // A request to any other host fails as an unreachable one does (the caller says so in its own words),
  // rather than reaching the network, and without msw printing a block of its own to stderr.
  const server = setupServer(...api.handlers, http.all("*", () => HttpResponse.error()));
  server.listen({ onUnhandledRequest: "error" });
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
