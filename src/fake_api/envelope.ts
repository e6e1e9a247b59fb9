/**
 * RunOS error envelopes: `{"error", "statusCode", …}` with the extras the real API sends (401
 * `reason`, 409 `dependents`, 422 `fields`, 429 `Retry-After`). Resource handlers throw an
 * {@link ApiProblem}; the dispatcher turns it into a response.
 */

/** One field error of a 422 answer. */
export interface FieldProblem {
  readonly name: string;
  readonly message: string;
}

/** Something that uses a resource and blocks its deletion (409 `dependents[]`). */
export interface Dependent {
  readonly type: string;
  readonly id: string;
  readonly name: string;
  readonly alias?: string;
}

/** An error answer on its way out: HTTP status, envelope body and extra headers. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiProblem";
    this.status = status;
    this.body = { error: message, statusCode: status, ...extra };
    this.headers = headers;
  }
}

/** 400: the request is malformed (bad JSON, a SQL error). */
export function badRequest(message: string, extra: Record<string, unknown> = {}): ApiProblem {
  return new ApiProblem(400, message, extra);
}

/** 401 for a missing or unknown token: exactly the legacy body `{"error":"Invalid token"}`. */
export function invalidToken(): ApiProblem {
  const problem = new ApiProblem(401, "Invalid token");
  delete problem.body.statusCode;
  return problem;
}

/** 401 for a token that was revoked or has expired, with the newer `reason` and timestamp. */
export function refusedToken(reason: "revoked" | "expired", at: string): ApiProblem {
  return new ApiProblem(401, `Token ${reason}`, reason === "revoked" ? { reason, revokedAt: at } : { reason, expiredAt: at });
}

/** 403: the token is valid but not for this account. */
export function forbidden(message: string): ApiProblem {
  return new ApiProblem(403, message);
}

/** 404 for a missing thing, named by kind and id: `service "x1y2z" not found in cluster i4y`. */
export function notFound(message: string): ApiProblem {
  return new ApiProblem(404, message);
}

/** 409: a name is taken, or a delete is blocked by `dependents`. */
export function conflict(message: string, dependents?: readonly Dependent[]): ApiProblem {
  return new ApiProblem(409, message, dependents === undefined ? {} : { dependents });
}

/** 422: input failed validation; every failing field listed. */
export function unprocessable(fields: readonly FieldProblem[]): ApiProblem {
  const summary = fields.map((field) => `${field.name}: ${field.message}`).join("; ");
  return new ApiProblem(422, `validation failed: ${summary}`, { fields });
}

/** A JSON response with the RunOS content type. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** The response for a problem. */
export function problemResponse(problem: ApiProblem): Response {
  return jsonResponse(problem.body, problem.status, problem.headers);
}
