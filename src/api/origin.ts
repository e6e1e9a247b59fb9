/**
 * Where the API URL and the token of a client came from (a flag, a variable, the profile, `runos
 * login`), and the words that name them in an error's next step: an unreachable `--api-url` is the
 * flag's to fix, not RUNOS_API_URL's.
 */

/** Where the API URL came from: `--api-url`, RUNOS_API_URL, the profile's `api-url`, or runos's default. */
export type ApiUrlOrigin = "flag" | "env" | "profile" | "default";

/** Where the token came from: RUNOS_API_KEY, or the login `runos login` stored. */
export type TokenOrigin = "env" | "file";

/** What a client knows about its own settings, for the words of its errors. */
export interface ClientOrigin {
  readonly url?: ApiUrlOrigin;
  readonly token?: TokenOrigin;
}

/**
 * The setting that holds the API URL, as a next step names it: `the URL given with --api-url`,
 * `RUNOS_API_URL`, `the profile's API URL (…)`; undefined for the default URL, which nobody set.
 * Unknown origin: every place a URL may come from.
 */
function apiUrlSetting(origin: ApiUrlOrigin | undefined): string | undefined {
  switch (origin) {
    case "flag":
      return "the URL given with --api-url";
    case "env":
      return "RUNOS_API_URL";
    case "profile":
      return "the profile's API URL (`runos config get api-url`)";
    case "default":
      return undefined;
    default:
      return "the API URL (--api-url, RUNOS_API_URL or `runos config get api-url`)";
  }
}

/** The next step when the API at the URL could not be reached: the network, and the setting that chose the URL. */
export function unreachableHint(origin: ApiUrlOrigin | undefined): string {
  const setting = apiUrlSetting(origin);
  return setting === undefined ? "check your network connection" : `check ${setting} and your network connection`;
}

/** The next step when something at the URL answered, but not as the RunOS API does. */
export function notTheApiHint(origin: ApiUrlOrigin | undefined): string {
  const setting = apiUrlSetting(origin);
  return setting === undefined
    ? "this is not an answer the RunOS API gives: check that nothing on your network (a proxy) answers in its place"
    : `this is not an answer the RunOS API gives: check that ${setting} points at the RunOS API`;
}
