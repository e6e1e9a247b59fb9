/**
 * The last of the three gates for read tiers: an ApiClient wrapper that refuses PUT, PATCH, DELETE
 * and POST before anything reaches the network, whatever the catalog or the caller says. A POST
 * passes only when `allowPost` vouches for it (read-only `exec-sql`).
 */
import { PermissionDeniedError } from "../errors.ts";
import type { ApiClient, ApiRequest } from "./client.ts";

/** Options of {@link guardWrites}. */
export interface WriteGuardOptions {
  /** Lets through a POST known to only read (e.g. `exec-sql` with `readWrite` off). */
  readonly allowPost?: (request: ApiRequest) => boolean;
}

/** Whether the guard lets `request` through. */
export function isAllowedByGuard(request: ApiRequest, options: WriteGuardOptions = {}): boolean {
  if (request.method === "GET") return true;
  if (request.method === "POST") return options.allowPost?.(request) === true;
  return false;
}

/** Wrap `client` so that mutating requests fail with PermissionDeniedError before the network. */
export function guardWrites(client: ApiClient, options: WriteGuardOptions = {}): ApiClient {
  const check = (request: ApiRequest): void => {
    if (!isAllowedByGuard(request, options)) {
      throw new PermissionDeniedError(
        `permission denied: this read-only server never sends ${request.method} requests (${request.method} ${request.path})`,
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
