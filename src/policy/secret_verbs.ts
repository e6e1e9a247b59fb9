/**
 * The secrets floor's rule: whether an operation's shape says it reveals or handles secrets, so that
 * a server without the secrets power (`read`, `write`) never lists it, whatever the catalog's tags
 * say (RunOS's own catalog tagged several `credentials` commands `read` before manifest 45.0.0).
 *
 * An operation is secret-shaped when any literal segment of its command path or of its endpoint
 *  - is a verb that hands out secrets: `reveal`, `get-object` (an object's bytes can be anything),
 *    `kubeconfig`, `join-command` (carries a join token), `connection-string(s)`; or
 *  - has, among its hyphen-separated words, a secret noun: `credential(s)`, `secret(s)`, `password(s)`,
 *    `token(s)`, `api-key(s)` (the words `api` then `key(s)`), `private-key(s)`, `passphrase`.
 * So `credentials`, `user-credentials`, `rotate-credentials`, `api-keys/list`, `secrets/reveal`,
 * `secret-files/update`, `set-api-key` and `reset-password` are all secret-shaped. The rule fails
 * closed: a name that merely might be harmless (`secrets/list`, prometheus' `credentials` holding only a
 * URL) stays on the sensitive servers. Redaction still runs on every answer of the other two.
 */
import type { Operation } from "../catalog/operation.ts";

const SECRET_VERBS = new Set(["reveal", "get-object", "kubeconfig", "join-command", "connection-string", "connection-strings"]);
const SECRET_WORDS = new Set(["credential", "credentials", "secret", "secrets", "password", "passwords", "token", "tokens", "passphrase"]);
const KEY_WORDS = new Set(["key", "keys"]);
const KEY_QUALIFIERS = new Set(["api", "private", "access", "signing", "ssh"]);

/** Whether one path segment names a secret (see the module's rule). */
export function isSecretSegment(segment: string): boolean {
  const lower = segment.toLowerCase();
  if (SECRET_VERBS.has(lower)) return true;
  const words = lower.split(/[-_.]/);
  return words.some((word, index) => SECRET_WORDS.has(word) || (KEY_WORDS.has(word) && index > 0 && KEY_QUALIFIERS.has(words[index - 1]!)));
}

/** Whether `operation` reveals or handles secrets by its shape: its command path or its endpoint. */
export function revealsSecrets(operation: Pick<Operation, "verbPath" | "endpoint">): boolean {
  const endpointLiterals = operation.endpoint.split(/[/?]/).filter((segment) => segment !== "" && !segment.startsWith(":"));
  return [...operation.verbPath, ...endpointLiterals].some(isSecretSegment);
}
