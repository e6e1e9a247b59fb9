/**
 * Doctor's account checks: where the token comes from, whether the API accepts it, and whether the
 * API answers at all (and how fast).
 */
import { credentialsPath } from "../../auth/credentials.ts";
import { type Session, signInProblem } from "../../auth/session.ts";
import { AuthError, NotFoundError, PermissionDeniedError, RunosError } from "../../errors.ts";
import { unreachableHint } from "../../api/origin.ts";
import { fetchFailure } from "../../runtime.ts";
import type { Check } from "./check.ts";

/** Where the session's token comes from, in words. */
export function tokenOrigin(session: Session): string {
  switch (session.tokenSource) {
    case "env":
      return "RUNOS_API_KEY";
    case "file":
      return session.configDir === undefined ? "the stored login" : `${credentialsPath(session.configDir)} (profile ${session.profile})`;
    case "sandbox":
      return "the sandbox's demo token";
    default:
      return "nowhere";
  }
}

/** How long a doctor request may take. */
const TIMEOUT_MS = 10_000;

/**
 * The API check (reachable, latency) and the authentication check (source, accepted). The API is
 * reached with an unauthenticated request first, so a network problem is told apart from a token one.
 */
export async function checkAccount(session: Session, fetchImpl: typeof fetch = fetch): Promise<{ checks: Check[]; signedIn: boolean; reachable: boolean }> {
  const checks: Check[] = [];
  let reachable = session.sandbox;
  if (session.sandbox) {
    checks.push({ id: "api", title: "RunOS API", status: "ok", summary: "the sandbox's fake API (no account; nothing leaves this machine)" });
  } else {
    const started = performance.now();
    try {
      const response = await fetchImpl(`${session.apiUrl}/cli/manifest-version`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      await response.body?.cancel().catch(() => {});
      reachable = true;
      checks.push({ id: "api", title: "RunOS API", status: "ok", summary: `${session.apiUrl} answered in ${Math.round(performance.now() - started)} ms` });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : fetchFailure(error).reason;
      checks.push({
        id: "api",
        title: "RunOS API",
        status: "fail",
        summary: `cannot reach ${session.apiUrl}: ${reason}`,
        symptom: "Server Not Starting",
        fix: unreachableHint(session.apiUrlOrigin),
      });
    }
  }

  const problem = signInProblem(session);
  if (problem !== undefined) {
    checks.push({
      id: "auth",
      title: "Authentication",
      status: "fail",
      summary: session.tokenSource === "none" ? problem.message : `${problem.message} (token from ${tokenOrigin(session)})`,
      symptom: "Server Not Starting",
      fix: problem instanceof NotFoundError || problem.message.startsWith("RUNOS_") ? problem.hint : "Ensure you're authenticated: runos login",
    });
    return { checks, signedIn: false, reachable };
  }
  if (!reachable) {
    checks.push({ id: "auth", title: "Authentication", status: "warn", summary: `token from ${tokenOrigin(session)}; not checked: the API cannot be reached` });
    return { checks, signedIn: true, reachable };
  }
  try {
    const started = performance.now();
    const account = await session.client.send({ method: "GET", path: `/${encodeURIComponent(session.accountId!)}/account`, idempotent: true, timeoutMs: TIMEOUT_MS }) as
      | { name?: unknown; user?: { email?: unknown } }
      | null;
    const user = typeof account?.user?.email === "string" ? `, as ${account.user.email}` : "";
    checks.push({
      id: "auth",
      title: "Authentication",
      status: "ok",
      summary: `token from ${tokenOrigin(session)}; the API accepts it for account ${session.accountId}${user} (${Math.round(performance.now() - started)} ms)`,
    });
    return { checks, signedIn: true, reachable };
  } catch (error) {
    const refused = error instanceof AuthError || error instanceof PermissionDeniedError || error instanceof NotFoundError;
    checks.push({
      id: "auth",
      title: "Authentication",
      status: "fail",
      summary: `token from ${tokenOrigin(session)}; ${refused ? "the API refuses it" : "the check failed"}: ${error instanceof RunosError ? error.message : String(error)}`,
      symptom: "Server Not Starting",
      // RUNOS_API_KEY wins over a login: `runos login` would not change what is sent.
      fix: !refused
        ? `retry in a moment; ${unreachableHint(session.apiUrlOrigin)}`
        : session.tokenSource === "env" && error instanceof RunosError && error.hint !== undefined
        ? `Ensure you're authenticated: ${error.hint}`
        : "Ensure you're authenticated: runos login (with a token of this account)",
    });
    return { checks, signedIn: false, reachable };
  }
}
