/**
 * createFakeApi(): the fake RunOS API as a value: MSW handlers over an in-memory state seeded from
 * the fixtures, a request log, a clock for jobs, fault injection and reset.
 */
import type { RequestHandler } from "msw";
import baselineJson from "../catalog/baseline.json" with { type: "json" };
import { type Catalog, type Command, parseCatalog } from "../catalog/schema.ts";
import { type Clock, realClock } from "./clock.ts";
import { SANDBOX_API_URL } from "./demo.ts";
import { FaultList, type FaultSpec } from "./faults.ts";
import { createHandlers, type Engine } from "./handlers.ts";
import { createRouter } from "./router.ts";
import { KNOWN_SECRETS, loadSeed } from "./seed.ts";
import { createState, type FakeState, replaceState, type RequestLogEntry } from "./state.ts";

/** Options of {@link createFakeApi}. */
export interface FakeApiOptions {
  /** Defaults to the real clock (with `advance()` as a skew); tests pass `manualClock()`. */
  readonly clock?: Clock;
  /** Where the API pretends to live; defaults to SANDBOX_API_URL. */
  readonly baseUrl?: string;
  /** Delay added to every response, in milliseconds (default 0). */
  readonly latencyMs?: number;
  /**
   * The catalog to serve at `/cli/manifest` (and route) instead of fixtures/catalog/manifest.json, e.g.
   * RunOS's full catalog: `createFakeApi({ catalog: await loadCatalogFixture("runos_full") })`. Its
   * commands the fake API does not model in depth are answered by the generic handler.
   */
  readonly catalog?: Catalog;
}

/** The fake RunOS API. */
export interface FakeApi {
  readonly baseUrl: string;
  /** MSW handlers: give them to `setupServer` or `getResponse`. */
  readonly handlers: RequestHandler[];
  /** The live state (same object across `reset()`). */
  readonly state: FakeState;
  /** Every request seen, oldest first (emptied by `reset()`). */
  readonly log: RequestLogEntry[];
  readonly clock: Clock;
  /** Reseed the state from the fixtures, empty the log and drop injected faults. */
  reset(): void;
  /** Make the next matching request(s) fail: 429, 5xx, or an error envelope with HTTP 200. */
  injectFault(fault: FaultSpec): void;
  /** Drop every injected fault. */
  clearFaults(): void;
  /** KNOWN_SECRETS plus every secret minted since start (new passwords, tokens, keys). */
  knownSecrets(): string[];
}

/**
 * The commands to route: the served catalog's, then the baseline's it lacks (so a client that has not
 * synced yet still works). Served ones first: where two share an endpoint, the served one answers.
 */
function routedCommands(state: FakeState): Command[] {
  const baseline = parseCatalog(baselineJson);
  const commands = new Map<string, Command>();
  for (const command of state.manifest.commands) commands.set(command.command, command);
  for (const command of baseline.ok ? baseline.catalog.commands : []) if (!commands.has(command.command)) commands.set(command.command, command);
  return [...commands.values()];
}

/** A freshly seeded state, serving the chosen catalog when there is one. */
function freshState(catalog: Catalog | undefined): FakeState {
  const state = createState(loadSeed());
  if (catalog !== undefined) state.manifest = catalog;
  return state;
}

/** Build a fake API with a freshly seeded state. */
export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const baseUrl = (options.baseUrl ?? SANDBOX_API_URL).replace(/\/+$/, "");
  const state = freshState(options.catalog);
  const engine: Engine = {
    baseUrl,
    state,
    clock: options.clock ?? realClock(),
    log: [],
    faults: new FaultList(),
    latencyMs: options.latencyMs ?? 0,
    router: createRouter(routedCommands(state)),
    genericFallback: options.catalog !== undefined,
  };
  return {
    baseUrl,
    handlers: createHandlers(engine),
    state,
    log: engine.log,
    clock: engine.clock,
    reset() {
      replaceState(state, freshState(options.catalog));
      engine.log.length = 0;
      engine.faults.clear();
    },
    injectFault: (fault) => engine.faults.add(fault),
    clearFaults: () => engine.faults.clear(),
    knownSecrets: () => [...KNOWN_SECRETS, ...state.generatedSecrets],
  };
}
