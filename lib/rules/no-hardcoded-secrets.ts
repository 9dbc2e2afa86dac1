/**
 * AP201 no-hardcoded-secrets: a credential written into the code — a provider's
 * token, a key or password assigned to a secret-named target, a literal passed where
 * a signing key or password goes, a connection string with its password.
 */
import { createRule, type MessageData, type Suggestion } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import type { StringLiteral } from "../core/model.js";
import { judgeLiteral, mask, type SecretFinding } from "../core/secrets/index.js";
import { isTestFile } from "../core/test-files.js";

export const descriptor: RuleDescriptor = {
  id: "AP201",
  name: "no-hardcoded-secrets",
  title: "No secrets in source code",
  description:
    "A literal secret: provider tokens (AWS, GitHub, Stripe, Slack, Google, private keys, …), passwords and keys assigned to secret-named targets, JWT signing keys passed as literals, connection strings with passwords.",
  severity: "high",
  soc2: ["CC6.1", "CC6.2"],
  owasp: ["API8:2023 Security Misconfiguration"],
  cwe: "CWE-798",
  remediation:
    "Move the secret to the environment or a secret manager (process.env, IConfiguration, Key Vault, AWS Secrets Manager) and read it at run time; rotate the value that was committed, since it stays in the repository's history.",
};

/** Which findings test code gets: provider credentials only (a real token in a test is still a leak), all, or none. */
export type TestFilesMode = "providers" | "all" | "none";

export interface Options {
  testFiles: TestFilesMode;
  /** Regular expressions for values that are known not to be secrets (documented sandbox keys, fixtures). */
  allowValues: string[];
}

/**
 * Storybook stories are demos, and test runners' configurations set up test runs; neither
 * is deployed: their made-up values are judged like test code's.
 */
const STORYBOOK_FILE =
  /\.stor(?:y|ies)\.[cm]?[jt]sx?$|(?:^|[\\/])(?:playwright|vitest|jest|cypress)\.config\.[cm]?[jt]s$/u;

const KIND_WORDS: Record<string, string> = { password: "password", secret: "secret", token: "token" };

export type MessageIds = "provider" | "connection" | "sink" | "named" | "namedFallback" | "namedCompared";
export type SuggestionIds = "readFromConfiguration";

function describe(finding: SecretFinding, literal: StringLiteral): { messageId: MessageIds; data: MessageData } {
  const shown = mask(finding.secret);
  const where = literal.target !== undefined && finding.kind !== "named" ? ` (in \`${literal.target}\`)` : "";
  switch (finding.kind) {
    case "provider":
      return { messageId: "provider", data: { title: finding.title, shown, where } };
    case "connection":
      return { messageId: "connection", data: { form: finding.form, shown, where } };
    case "sink":
      return { messageId: "sink", data: { sink: finding.sink, shown } };
    case "named":
      return {
        messageId: literal.fallback ? "namedFallback" : literal.compared === "request" ? "namedCompared" : "named",
        data: { target: finding.target, what: KIND_WORDS[finding.nameKind] ?? "secret", shown },
      };
  }
}

function fixText(finding: SecretFinding, suggestion: StringLiteral["suggestion"]): string {
  const read =
    suggestion && finding.whole
      ? `read it from configuration (${suggestion.text}) or a secret store`
      : "read it from configuration or a secret store";
  return finding.kind === "provider"
    ? `revoke this credential with the provider, then ${read}.`
    : `${read}, and rotate the value that was committed.`;
}

export default createRule<Options, MessageIds, SuggestionIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      provider: "{{title}} `{{shown}}` is written into the code{{where}}.",
      connection: "A {{form}} with its password `{{shown}}` is written into the code{{where}}.",
      sink: "The {{sink}} is a literal `{{shown}}` written into the code.",
      named: "`{{target}}` is set to a literal {{what}} `{{shown}}` written into the code.",
      namedFallback: "`{{target}}` falls back to a literal {{what}} `{{shown}}` when the configured value is missing.",
      namedCompared:
        "The request's `{{target}}` is checked against a literal {{what}} `{{shown}}` written into the code: everyone who can read the source can present it.",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          testFiles: {
            description:
              'What test code is checked for: "providers" reports only provider credentials, "all" everything, "none" nothing.',
            enum: ["providers", "all", "none"],
          },
          allowValues: {
            description: "Regular expressions for values known not to be secrets (documented sandbox keys, fixtures).",
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ testFiles: "providers", allowValues: [] }],
  },
  suggestionMessages: {
    readFromConfiguration: "Read the value from configuration: {{text}}",
  },
  create(context) {
    const { options, filename } = context;
    const inTest = isTestFile(filename) || STORYBOOK_FILE.test(filename);
    if (inTest && options.testFiles === "none") return;
    const allowed = options.allowValues.map((source) => new RegExp(source, "u"));
    for (const literal of context.model.literals) {
      const finding = judgeLiteral(literal);
      if (!finding) continue;
      if (inTest && options.testFiles === "providers" && finding.kind !== "provider") continue;
      if (allowed.some((pattern) => pattern.test(literal.value))) continue;
      const { messageId, data } = describe(finding, literal);
      const suggest: Suggestion<SuggestionIds>[] =
        literal.suggestion && finding.whole
          ? [
              {
                messageId: "readFromConfiguration",
                data: { text: literal.suggestion.text },
                range: literal.suggestion.range,
                text: literal.suggestion.text,
              },
            ]
          : [];
      context.report({
        loc: literal.loc,
        messageId,
        data,
        remedy: fixText(finding, literal.suggestion),
        suggest,
      });
    }
  },
});
