/**
 * Colour for people at a terminal, and nowhere else: a {@link Style} either wraps text in ANSI
 * codes or returns it as it is. Which one a command gets is decided once (global_options.ts: a TTY,
 * no `NO_COLOR`, no `--no-color`); rendering code never asks.
 */

/** Text decorations; each returns its input unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => (text === "" ? text : `\x1b[${open}m${text}\x1b[${close}m`);

/** ANSI colours. */
export const COLOR: Style = {
  enabled: true,
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const same = (text: string) => text;

/** No colour: every decoration is the identity. */
export const PLAIN: Style = { enabled: false, bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

/** The style for `color` (true: ANSI colours). */
export function styleFor(color: boolean): Style {
  return color ? COLOR : PLAIN;
}

const GOOD = /^(ok|pass|passed|healthy|running|ready|online|active|completed|succeeded|success|available|bound)$/i;
const WAIT = /^(pending|queued|provisioning|creating|starting|updating|deploying|degraded|warn|warning|unknown|draining|building)$/i;
const BAD = /^(failed|failure|error|errored|offline|unhealthy|crashloopbackoff|cancelled|canceled|deleted|revoked|fail)$/i;

/** A status word in the colour of what it means (green good, yellow in between, red bad); other text unchanged. */
export function statusColor(style: Style, text: string): string {
  if (!style.enabled) return text;
  if (GOOD.test(text)) return style.green(text);
  if (WAIT.test(text)) return style.yellow(text);
  if (BAD.test(text)) return style.red(text);
  return text;
}

/** Length of `text` as shown: ANSI codes do not count. */
export function visibleLength(text: string): number {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "").length;
}
