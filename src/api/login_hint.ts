/**
 * What runos tells someone the API does not know: the hint to sign in, and the error every request
 * gets without a token. Apart from the response parsing (response.ts, which loads zod), so that code
 * which only needs to refuse early loads none of it.
 */
import { AuthError } from "../errors.ts";

/** The hint given whenever the API refuses the credentials. */
export const LOGIN_HINT = "run `runos login` (it asks for the token; or pipe it in: `runos login --with-token < token-file`), or set RUNOS_API_KEY and RUNOS_ACCOUNT_ID";

/** The error every request gets when no token is configured. */
export function notAuthenticated(): AuthError {
  return new AuthError("not authenticated: run `runos login`", { hint: LOGIN_HINT });
}
