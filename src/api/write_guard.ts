/**
 * The last of the three gates for read tiers: an ApiClient wrapper that judges each request by what
 * it is, before anything reaches the network, whatever the catalog or the caller says. A GET passes.
 * A POST passes only when it calls a catalog operation (its path matching that operation's endpoint)
 * that the mutation floor lets a read tier run: one that does not mutate, or one with a read-only
 * mode whose read-write flag is not set in this very request. PUT, PATCH and DELETE never pass.
 */
import type { Operation } from "../catalog/operation.ts";
import { PermissionDeniedError } from "../errors.ts";
import { hasReadOnlyMode, isMutating, READ_WRITE_FLAG } from "../policy/mutation.ts";
import type { ApiClient, ApiRequest } from "./client.ts";

/** Whether the guard lets `request` through. */
export function isAllowedByGuard(request: ApiRequest): boolean {
  if (request.method === "GET") return true;
  if (request.method !== "POST") return false;
  const operation = request.operation;
  if (operation === undefined || operation.method !== "POST" || !endpointMatches(operation, request.path)) return false;
  if (!isMutating(operation)) return true;
  return hasReadOnlyMode(operation) && !asksReadWrite(request);
}

/** The request's read-write flag, wherever it could travel: the body's `flags`, the body, the query. */
function asksReadWrite(request: ApiRequest): boolean {
  const body = request.body as { flags?: Record<string, unknown>; [READ_WRITE_FLAG]?: unknown } | undefined;
  const on = (value: unknown) => value !== undefined && value !== false && value !== "false";
  return on(body?.flags?.[READ_WRITE_FLAG]) || on(body?.[READ_WRITE_FLAG]) || on(request.query?.[READ_WRITE_FLAG]);
}

const matchers = new WeakMap<Operation, RegExp>();

/** Whether `path` is a URL path of the operation's endpoint template (each `:name` one segment). */
export function endpointMatches(operation: Operation, path: string): boolean {
  let matcher = matchers.get(operation);
  if (matcher === undefined) {
    const source = operation.endpoint.split("/").map((segment) => (segment.startsWith(":") ? "[^/]+" : escapeRegExp(segment))).join("/");
    matchers.set(operation, matcher = new RegExp(`^${source}$`));
  }
  return matcher.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Wrap `client` so that requests a read tier may not send fail with PermissionDeniedError before the network. */
export function guardWrites(client: ApiClient): ApiClient {
  const check = (request: ApiRequest): void => {
    if (!isAllowedByGuard(request)) {
      throw new PermissionDeniedError(
        `permission denied: this read-only server never sends ${request.method} requests that can change anything (${request.method} ${request.path})`,
        { hint: "enable `runos-write` (`runos mcp serve write`) for changes" },
      );
    }
  };
  const guarded: ApiClient = {
    send: (request) => {
      try {
        check(request);
      } catch (error) {
        return Promise.reject(error);
      }
      return client.send(request);
    },
  };
  const exchange = client.exchange;
  if (exchange !== undefined) {
    guarded.exchange = (request) => {
      try {
        check(request);
      } catch (error) {
        return Promise.reject(error);
      }
      return exchange.call(client, request);
    };
  }
  return guarded;
}
