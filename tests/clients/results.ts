/**
 * tests/clients/results.md: what the last full `make clients` run saw, client by client: the version
 * driven, every check, what runs unasked under the file runos writes, and the model-visible bytes.
 */
import type { CaseReport, ClientCase } from "./client_case.ts";

/** The results file's text for these reports. */
export function renderResults(reports: readonly { clientCase: ClientCase; report: CaseReport }[], when: Date): string {
  const lines = [
    "# Real clients, driven by a scripted model (`make clients`)",
    "",
    `Last full run: ${when.toISOString().slice(0, 10)}. Each client ran in a fresh home and project configured by`,
    "`runos mcp configure <client> --sandbox`, against a stand-in for its model API that records what the model",
    "is shown and answers from a script. The fake API's audit log says what ran.",
    "",
    "| client | version | runs unasked | checks passed | model-visible bytes per tool |",
    "|---|---|---|---|---|",
  ];
  for (const { clientCase, report } of reports) {
    const passed = report.checks.filter((check) => check.ok).length;
    const bytes = Object.entries(report.modelBytesPerTool ?? {}).map(([server, value]) => `${server} ${Math.round(value)}`).join(", ");
    lines.push(`| ${clientCase.displayName} | ${clientCase.npm.version} | ${cell(report.runsUnasked)} | ${passed}/${report.checks.length} | ${bytes === "" ? "—" : bytes} |`);
  }
  for (const { clientCase, report } of reports) {
    lines.push("", `## ${clientCase.displayName} (${clientCase.npm.name}@${clientCase.npm.version})`, "");
    for (const check of report.checks) lines.push(`- ${check.ok ? "✅" : "❌"} ${check.name}: ${check.detail}`);
    if (report.limits !== undefined) lines.push("", `Limits: ${report.limits}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Markers around the README's real-client table, which a full `make clients` run rewrites. */
export const README_BEGIN = "<!-- clients:begin (written by a full `make clients` run; do not edit) -->";
/** End marker of the README's real-client table. */
export const README_END = "<!-- clients:end -->";

/** The README's real-client table: per client, the version driven, what runs unasked, the checks passed. */
export function renderReadmeTable(reports: readonly { clientCase: ClientCase; report: CaseReport }[], when: Date): string {
  const rows = reports.map(({ clientCase, report }) => {
    const passed = report.checks.filter((check) => check.ok).length;
    return `| ${clientCase.displayName} | \`${clientCase.npm.name}@${clientCase.npm.version}\` | ${cell(report.runsUnasked)} | ${passed} of ${report.checks.length} |`;
  });
  return [
    README_BEGIN,
    "",
    `Last full run ${when.toISOString().slice(0, 10)}; every check and what each client's model got: \`tests/clients/results.md\`.`,
    "",
    "| client | driven | runs without asking, as the real client showed | checks passed |",
    "|---|---|---|---|",
    ...rows,
    "",
    README_END,
  ].join("\n");
}

/** `readme` with the text between the markers replaced by `table` (unchanged when the markers are missing). */
export function withReadmeTable(readme: string, table: string): string {
  const start = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return readme;
  return readme.slice(0, start) + table + readme.slice(end + README_END.length);
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
