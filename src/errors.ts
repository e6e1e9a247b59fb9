/**
 * The few typed errors runos raises. Each carries a human message and, where there is one, the next
 * step to take. Only the outer layers turn them into exit codes (`cli/main.ts`) or MCP `isError`
 * results (`mcp/result.ts`).
 */

/**
 * The stable name of each kind of error, as `--json` envelopes and MCP `structuredContent.error.type`
 * report it. Spelled out here rather than taken from class names, which a minifier renames.
 */
export type ErrorKind =
  | "RunosError"
  | "UsageError"
  | "AuthError"
  | "PermissionDeniedError"
  | "NotFoundError"
  | "ConflictError"
  | "ValidationError"
  | "RateLimitError"
  | "ApiError"
  | "ConfigFileError"
  | "ConfirmationRequiredError"
  | "InterruptedError";

/** Base class: a message a person or a model can act on, plus an optional next step. */
export class RunosError extends Error {
  /** This class's {@link ErrorKind}; every subclass sets its own. */
  static readonly KIND: ErrorKind = "RunosError";
  /** What kind of error this is, stable across builds (`error.name` says the same). */
  readonly kind: ErrorKind;
  /** The command or action that fixes the problem, e.g. "run `runos login`". */
  readonly hint?: string;
  /** Process exit code when this error ends a CLI command: 1 failure, 2 usage. */
  readonly exitCode: number = 1;
  /** Extra machine-readable detail kept for `--json` output and MCP results. */
  readonly details?: Record<string, unknown>;

  constructor(message: string, options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = (new.target as typeof RunosError).KIND;
    this.name = this.kind;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** The command line or the tool arguments were wrong: exit code 2. */
export class UsageError extends RunosError {
  static override readonly KIND: ErrorKind = "UsageError";
  override readonly exitCode = 2;
}

/** No credentials, or the API refused them (401). */
export class AuthError extends RunosError {
  static override readonly KIND: ErrorKind = "AuthError";
}

/** The tier (MCP server) or the API (403) does not allow this operation. */
export class PermissionDeniedError extends RunosError {
  static override readonly KIND: ErrorKind = "PermissionDeniedError";
}

/** The thing asked for does not exist (404, unknown tool, unknown catalog command). */
export class NotFoundError extends RunosError {
  static override readonly KIND: ErrorKind = "NotFoundError";
}

/** The request conflicts with current state (409), e.g. a delete with dependents. */
export class ConflictError extends RunosError {
  static override readonly KIND: ErrorKind = "ConflictError";
}

/** The API rejected the input (400/422); `details.fields` lists the field errors when known. */
export class ValidationError extends RunosError {
  static override readonly KIND: ErrorKind = "ValidationError";
}

/** Too many requests (429); `retryAfterSeconds` when the API said. */
export class RateLimitError extends RunosError {
  static override readonly KIND: ErrorKind = "RateLimitError";
  readonly retryAfterSeconds?: number;
  constructor(message: string, options: { hint?: string; retryAfterSeconds?: number; details?: Record<string, unknown> } = {}) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Any other API failure: 5xx, a timeout, a network error, or an unexpected body. */
export class ApiError extends RunosError {
  static override readonly KIND: ErrorKind = "ApiError";
  readonly status?: number;
  constructor(message: string, options: { hint?: string; status?: number; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options);
    this.status = options.status;
  }
}

/** A config, credentials, cache or client config file could not be read, parsed or written. */
export class ConfigFileError extends RunosError {
  static override readonly KIND: ErrorKind = "ConfigFileError";
  readonly path: string;
  constructor(path: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.path = path;
  }
}

/** The user declined a confirmation, or a destructive action lacked `--yes` / its confirm token. */
export class ConfirmationRequiredError extends RunosError {
  static override readonly KIND: ErrorKind = "ConfirmationRequiredError";
}

/** The user interrupted a command (Ctrl-C): exit code 130, as shells expect. */
export class InterruptedError extends RunosError {
  static override readonly KIND: ErrorKind = "InterruptedError";
  override readonly exitCode = 130;
}

type ErrorOptions = { hint?: string; details?: Record<string, unknown> };

const MAKERS: Readonly<Record<ErrorKind, (message: string, options: ErrorOptions) => RunosError>> = {
  RunosError: (message, options) => new RunosError(message, options),
  UsageError: (message, options) => new UsageError(message, options),
  AuthError: (message, options) => new AuthError(message, options),
  PermissionDeniedError: (message, options) => new PermissionDeniedError(message, options),
  NotFoundError: (message, options) => new NotFoundError(message, options),
  ConflictError: (message, options) => new ConflictError(message, options),
  ValidationError: (message, options) => new ValidationError(message, options),
  RateLimitError: (message, options) => new RateLimitError(message, options),
  ApiError: (message, options) => new ApiError(message, options),
  ConfigFileError: (message, options) => new ConfigFileError(String(options.details?.path ?? ""), message, options),
  ConfirmationRequiredError: (message, options) => new ConfirmationRequiredError(message, options),
  InterruptedError: (message, options) => new InterruptedError(message, options),
};

/**
 * An error of the kind a result reported (`structuredContent.error.type`), so that `runos mcp call`
 * keeps the kind and exit code of the failure it prints. An unknown kind is a plain RunosError.
 */
export function errorOfKind(kind: unknown, message: string, options: ErrorOptions = {}): RunosError {
  const make = typeof kind === "string" && Object.hasOwn(MAKERS, kind) ? MAKERS[kind as ErrorKind] : MAKERS.RunosError;
  return make(message, options);
}
