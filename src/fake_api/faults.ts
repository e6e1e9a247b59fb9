/**
 * Fault injection for client tests: the next matching request(s) get a 429, a 5xx, or an error
 * envelope sent with HTTP 200, instead of reaching the fake API's logic.
 */
import { jsonResponse } from "./envelope.ts";

/** A fault to inject. `path` is a RegExp or a substring of the request path (query excluded). */
export interface FaultSpec {
  readonly method?: string;
  readonly path?: RegExp | string;
  readonly status: number;
  /** How many requests it hits (default 1; `Infinity` for all). */
  readonly times?: number;
  /** Seconds for the `Retry-After` header. */
  readonly retryAfter?: number;
  /** Response body; defaults to a RunOS error envelope for the status. */
  readonly body?: unknown;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout",
};

/** The faults waiting to fire, first match wins. */
export class FaultList {
  private faults: { spec: FaultSpec; left: number }[] = [];

  /** Queue a fault. */
  add(spec: FaultSpec): void {
    this.faults.push({ spec, left: spec.times ?? 1 });
  }

  /** Drop every queued fault. */
  clear(): void {
    this.faults = [];
  }

  /** The fault response for this request, consuming one use, or undefined. */
  take(method: string, path: string): Response | undefined {
    const index = this.faults.findIndex(({ spec }) =>
      (spec.method === undefined || spec.method.toUpperCase() === method) &&
      (spec.path === undefined || (typeof spec.path === "string" ? path.includes(spec.path) : spec.path.test(path)))
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.left--;
    if (fault.left <= 0) this.faults.splice(index, 1);
    const { status, retryAfter } = fault.spec;
    const body = fault.spec.body ?? (status === 200
      ? { error: "upstream service failed", statusCode: 502 }
      : { error: DEFAULT_MESSAGES[status] ?? `HTTP ${status}`, statusCode: status });
    const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
    return jsonResponse(body, status, headers);
  }
}
