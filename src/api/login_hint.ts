/**
 * What runos tells someone the API does not know: the hint to sign in, the error every request gets
 * without a token, and the words for a token the API refused, which depend on where that token came
 * from. Apart from the response parsing (response.ts, which loads zod), so that code which only needs
 * to refuse early loads none of it.
 */
import { AuthError } from "../errors.ts";
import type { TokenOrigin } from "./origin.ts";

/** The hint given whenever the API refuses the credentials. */
export const LOGIN_HINT = "run `runos login` (it asks for the token; or pipe it in: `runos login --with-token < token-file`), or set RUNOS_API_KEY and RUNOS_ACCOUNT_ID";

/** The error every request gets when no token is configured. */
export function notAuthenticated(): AuthError {
  return new AuthError("not authenticated: no stored login, and RUNOS_API_KEY is not set", { hint: LOGIN_HINT });
}

/**
 * The API refused the token (401). `apiSaid` is its message, `reason` its word for why (`expired`,
 * `revoked`); `origin` names the token in the message and picks the next step: a refused RUNOS_API_KEY
 * is replaced or unset, a refused stored login is renewed with `runos login`.
 */
export function tokenRefused(apiSaid: string, reason: string | undefined, details: Record<string, unknown>, origin?: TokenOrigin): AuthError {
  const why = reason === undefined ? "" : ` (it was ${reason})`;
  switch (origin) {
    case "env":
      return new AuthError(`not authenticated: the RunOS API refused the key in RUNOS_API_KEY${why}; the API said: ${apiSaid}`, {
        hint: "replace the key in RUNOS_API_KEY with a valid personal access token of the account in RUNOS_ACCOUNT_ID, or unset RUNOS_API_KEY to use the login `runos login` stores",
        details,
      });
    case "file":
      return new AuthError(`not authenticated: the RunOS API refused the token stored by \`runos login\`${why}; the API said: ${apiSaid}`, {
        hint: "run `runos login` again with a valid token (it asks for it; or pipe it in: `runos login --with-token < token-file`)",
        details,
      });
    default:
      return new AuthError(`not authenticated: the RunOS API refused the token${why}; the API said: ${apiSaid}`, { hint: LOGIN_HINT, details });
  }
}
