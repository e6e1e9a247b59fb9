/**
 * Command descriptions with RunOS's spread of lengths: most are one or two sentences (80–300
 * characters), some are kilobytes of guidance, and a few pass 2,048 characters, the size where some
 * clients start truncating. The length class and the paragraphs are drawn per command, deterministically.
 */
import { type Topic, TOPICS } from "./prose_topics.ts";
import { randomFor } from "./random.ts";

/** How long a description is: short 80–300, medium ≈ 400–1,000, long ≈ 1,000–2,000, xlong > 2,048. */
export type LengthClass = "short" | "medium" | "long" | "xlong";

/** What a description is made of. */
export interface DescriptionSpec {
  /** The command path: seeds the choices. */
  readonly key: string;
  /** The first sentence(s): what the command does, specific to it. */
  readonly summary: string;
  /** Topics relevant to this command, most relevant first. */
  readonly topics?: readonly Topic[];
  /** A paragraph about the service type or resource. */
  readonly blurb?: string;
  /** A CLI example line. */
  readonly example?: string;
  /** Force a length class instead of drawing one. */
  readonly length?: LengthClass;
  /** Short sentences that may follow the summary of a short description that would be under 80 characters. */
  readonly tails?: readonly string[];
}

/** Topics any long description may fall back on once its own run out. */
const GENERAL: readonly Topic[] = ["ids", "output", "units", "affinity", "resourceClass"];

const TARGETS: Readonly<Record<Exclude<LengthClass, "short">, readonly [number, number]>> = {
  medium: [400, 1000],
  long: [1000, 2000],
  xlong: [2100, 3200],
};

/** The shortest description RunOS writes: one full sentence about what the command does. */
export const SHORT_MIN = 80;

/** Draw the length class of a command: about two in three are short, one in fifty passes 2 KB. */
export function lengthClassOf(key: string): LengthClass {
  const roll = randomFor(`length:${key}`).next();
  return roll < 0.68 ? "short" : roll < 0.88 ? "medium" : roll < 0.98 ? "long" : "xlong";
}

/** The summary, with tails added while it is under {@link SHORT_MIN} characters. */
function shortDescription(spec: DescriptionSpec): string {
  let text = spec.summary;
  for (const tail of spec.tails ?? []) {
    if (text.length >= SHORT_MIN) break;
    text = `${text} ${tail}`;
  }
  return text;
}

/** Build one description. */
export function describe(spec: DescriptionSpec): string {
  const random = randomFor(`prose:${spec.key}`);
  const length = spec.length ?? lengthClassOf(spec.key);
  if (length === "short") return shortDescription(spec);
  const [low, high] = TARGETS[length];
  const target = random.int(low, high);
  const parts = [shortDescription(spec)];
  const size = () => parts.join("\n\n").length;
  const own = [...(spec.topics ?? [])];
  const fallback = GENERAL.filter((topic) => !own.includes(topic));
  if (spec.blurb !== undefined) parts.push(spec.blurb);
  for (const topic of [...own, ...fallback]) {
    if (size() >= target) break;
    parts.push(random.pick(TOPICS[topic]));
  }
  // A class promises its floor: top up from the other topics, in a fixed order, until it is reached.
  for (const paragraphs of Object.values(TOPICS) as readonly (readonly string[])[]) {
    if (size() >= low) break;
    const unused = paragraphs.find((paragraph) => !parts.includes(paragraph));
    if (unused !== undefined) parts.push(unused);
  }
  if (spec.example !== undefined) parts.push(`Example: ${spec.example}`);
  return parts.join("\n\n");
}
