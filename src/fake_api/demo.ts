/**
 * The sandbox's fixed identity: where the fake API pretends to live, the token it accepts, and the
 * account it serves. Shared by `runos sandbox`, `--sandbox` sessions and tests.
 */

/** Base URL the fake API answers at in-process (`.invalid` never resolves, so nothing leaks out). */
export const SANDBOX_API_URL = "https://sandbox.runos.invalid";

/** The personal access token the sandbox accepts; not a secret, it only opens the fake API. */
export const DEMO_TOKEN = "runos_pat_sandbox_demo_0000000000000000";

/** The account the sandbox's fixtures describe. */
export const DEMO_ACCOUNT_ID = "acme";
