/**
 * Semgrep-style fixture annotations: `// ruleid: AP101` directly above a line that must
 * be reported by AP101, `// ok: AP101` above one that must not. Several comment lines
 * (annotations, eslint directives) may be stacked above the target line.
 */

export interface Expectation {
  kind: "ruleid" | "ok";
  id: string;
  /** 1-based line the annotation is about. */
  line: number;
  /** 1-based line of the annotation itself. */
  annotationLine: number;
}

const ANNOTATION = /^\s*(?:\/\/|\/\*|#)\s*(ruleid|ok)\s*:\s*(AP\d{3}(?:\s*,\s*AP\d{3})*)/u;
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*|#pragma\b)/u;

export function parseAnnotations(text: string): Expectation[] {
  const lines = text.split(/\r?\n/u);
  const expectations: Expectation[] = [];
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (!match) return;
    let target = index + 1;
    while (target < lines.length && COMMENT_LINE.test(lines[target])) target++;
    for (const id of match[2].split(",")) {
      expectations.push({
        kind: match[1] as "ruleid" | "ok",
        id: id.trim(),
        line: target + 1,
        annotationLine: index + 1,
      });
    }
  });
  return expectations;
}

export interface Finding {
  id: string;
  line: number;
  message: string;
}

/** Compares findings with annotations; returns a list of human-readable mismatches. */
export function compareWithAnnotations(text: string, findings: readonly Finding[]): string[] {
  const expectations = parseAnnotations(text);
  const problems: string[] = [];
  const expected = new Set(expectations.filter((e) => e.kind === "ruleid").map((e) => `${e.id}@${e.line}`));
  const forbidden = new Set(expectations.filter((e) => e.kind === "ok").map((e) => `${e.id}@${e.line}`));
  const found = new Set(findings.map((f) => `${f.id}@${f.line}`));
  for (const e of expectations) {
    const key = `${e.id}@${e.line}`;
    if (e.kind === "ruleid" && !found.has(key))
      problems.push(`line ${e.line}: expected ${e.id} (annotated on line ${e.annotationLine}), not reported`);
  }
  for (const f of findings) {
    const key = `${f.id}@${f.line}`;
    if (forbidden.has(key)) problems.push(`line ${f.line}: ${f.id} reported on a line annotated ok: ${f.message}`);
    else if (!expected.has(key)) problems.push(`line ${f.line}: unannotated ${f.id} report: ${f.message}`);
  }
  return problems;
}
