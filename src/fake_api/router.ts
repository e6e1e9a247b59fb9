/**
 * Endpoint templates (`/:aid/:cid/services/valkey/:id`) → matchers. A request path is matched against
 * every catalog command of its method; the most specific template (most literal segments) wins, so
 * `/apps/:id/secrets/reveal` beats a placeholder in the same place.
 */
import type { Command } from "../catalog/schema.ts";

/** One routable catalog command. */
export interface Route {
  readonly command: Command;
  readonly method: string;
  readonly names: readonly string[];
  readonly pattern: RegExp;
  /** Literal segments: higher is more specific. */
  readonly literals: number;
}

/** The outcome of matching a request. */
export type RouteMatch =
  | { readonly kind: "found"; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: "wrong-method"; readonly allowed: readonly string[] }
  | { readonly kind: "none" };

/** Compile one command's endpoint into a route. */
export function compileRoute(command: Command): Route {
  const names: string[] = [];
  let literals = 0;
  const source = command.endpoint.split("/").map((segment) => {
    const placeholder = /^(?::([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/.exec(segment);
    if (placeholder !== null) {
      names.push(placeholder[1] ?? placeholder[2]!);
      return "([^/]+)";
    }
    if (segment !== "") literals++;
    return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("/");
  return { command, method: command.method, names, pattern: new RegExp(`^${source}/?$`), literals };
}

/** A router over a list of commands. */
export interface Router {
  match(method: string, path: string): RouteMatch;
  readonly routes: readonly Route[];
}

/** Build a router; routes are tried most specific first. */
export function createRouter(commands: readonly Command[]): Router {
  const routes = commands.map(compileRoute).sort((a, b) => b.literals - a.literals);
  return {
    routes,
    match(method: string, path: string): RouteMatch {
      const allowed: string[] = [];
      for (const route of routes) {
        const found = route.pattern.exec(path);
        if (found === null) continue;
        if (route.method !== method) {
          allowed.push(route.method);
          continue;
        }
        const params: Record<string, string> = {};
        route.names.forEach((name, index) => {
          params[name] = safeDecode(found[index + 1]!);
        });
        return { kind: "found", route, params };
      }
      return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "none" };
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
