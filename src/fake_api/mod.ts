/**
 * The fake RunOS API: MSW handlers over fixture-seeded state, used in-process by tests and the
 * `--sandbox` flag, and over HTTP by `runos sandbox` and end-to-end tests.
 */
export { createFakeApi, type FakeApi, type FakeApiOptions } from "./fake_api.ts";
export { type InProcessHandle, startFakeApiInProcess } from "./in_process.ts";
export { type FakeApiServer, serveFakeApiHttp } from "./http.ts";
export { type Clock, manualClock, MANUAL_CLOCK_START, realClock } from "./clock.ts";
export { DEMO_ACCOUNT_ID, DEMO_TOKEN, SANDBOX_API_URL } from "./demo.ts";
export { FIXTURE_FILES, KNOWN_SECRETS } from "./seed.ts";
export { type CatalogFixtureName, loadCatalogFixture, SERVABLE_CATALOGS } from "./catalog_fixtures.ts";
export { genericSeedIds } from "./resources/generic_target.ts";
export type { FaultSpec } from "./faults.ts";
export type { FakeJob, FakeState, JobStatus, RequestLogEntry } from "./state.ts";
export { DONE_MS, type JobView, QUEUED_MS } from "./resources/jobs.ts";
export { FAILING_NAME } from "./resources/services.ts";
