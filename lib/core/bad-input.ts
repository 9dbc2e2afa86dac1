/**
 * Content that is not source text at all, told apart before any parser sees it, so the
 * file gets one clear message and the rest of the run goes on.
 */

/** Share of control characters above which text is taken for binary content. */
const BINARY_CONTROL_SHARE = 0.1;

/** Why the text is not source text (binary, or UTF-16 read as UTF-8), or undefined. */
export function binaryReason(text: string): string | undefined {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  if (sample.length === 0) return undefined;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0)
      return "the file has binary content (NUL bytes), not source text; a UTF-16 file must be saved as UTF-8";
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) control++;
  }
  return control / sample.length > BINARY_CONTROL_SHARE ? "the file has binary content, not source text" : undefined;
}

export function formatSize(length: number): string {
  return `${(length / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Why a file is too large to lint, or undefined: the same words for every language.
 * `likely` names what such files usually are, `option` the setting that raises the limit.
 */
export function oversizeReason(length: number, max: number, likely: string, option: string): string | undefined {
  if (length <= max) return undefined;
  return `the file is ${formatSize(length)}, over the ${formatSize(max)} that can be linted safely (${likely}?); raise ${option} to lint it`;
}
