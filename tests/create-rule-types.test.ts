/**
 * The rule factory's types: a definition is checked against its Options and MessageIds.
 * Each `@ts-expect-error` below is a mistake that must not compile; if the types stop
 * catching one, the build fails on the unused directive. The runtime tests check that
 * the definitions that do compile behave as typed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRule, type RuleDefinition } from "../lib/core/create-rule.js";
import { Linter } from "eslint";
import "../lib/adapters/index.js";

interface Options {
  ignoreRoutes: string[];
  strict: boolean;
}
type MessageIds = "found" | "foundTwice";

const descriptor = {
  id: "AP998",
  name: "typed-rule",
  title: "t",
  description: "d",
  severity: "low" as const,
  soc2: ["CC6.1"],
  owasp: [],
  cwe: "CWE-0",
  remediation: "Nothing to do.",
};

const schema: RuleDefinition<Options, MessageIds>["meta"]["schema"] = [
  {
    type: "object",
    properties: {
      ignoreRoutes: { description: "routes", type: "array", items: { type: "string" } },
      strict: { description: "strict", type: "boolean" },
    },
    additionalProperties: false,
  },
];

const loc = { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } };

/** A definition that compiles, with the mistakes the types must reject next to the right forms. */
function definition(): RuleDefinition<Options, MessageIds> {
  return {
    descriptor,
    meta: {
      type: "problem",
      messages: { found: "{{what}} found.", foundTwice: "{{what}} found twice." },
      schema,
      defaultOptions: [{ ignoreRoutes: [], strict: false }],
    },
    create(context) {
      if (context.options.strict && context.options.ignoreRoutes.length === 0) {
        context.report({ loc, messageId: "found", data: { what: "x" }, remedy: "remove it." });
      }
      // @ts-expect-error -- an option the rule does not declare
      if (context.options.ignoreRoute) return;
      // @ts-expect-error -- a messageId the rule does not declare
      context.report({ loc, messageId: "missing", data: { what: "x" }, remedy: "remove it." });
      // @ts-expect-error -- the remedy is the report's own field, never a placeholder value
      context.report({ loc, messageId: "found", data: { what: "x", remedy: "remove it." }, remedy: "r." });
      // @ts-expect-error -- every report says what to do about it
      context.report({ loc, messageId: "foundTwice", data: { what: "x" } });
    },
  };
}

// Wrong shapes of the definition itself.
export const wrongShapes: Array<RuleDefinition<Options, MessageIds>["meta"]> = [
  {
    type: "problem",
    // @ts-expect-error -- a declared messageId without a message
    messages: { found: "{{what}} found." },
    schema,
    defaultOptions: [{ ignoreRoutes: [], strict: false }],
  },
  {
    type: "problem",
    // @ts-expect-error -- a message for an undeclared messageId
    messages: { found: "a", foundTwice: "b", extra: "c" },
    schema,
    defaultOptions: [{ ignoreRoutes: [], strict: false }],
  },
  {
    type: "problem",
    messages: { found: "a", foundTwice: "b" },
    schema,
    // @ts-expect-error -- a default for an option the rule does not declare
    defaultOptions: [{ ignoreRoutes: [], strict: false, ignoreRoute: [] }],
  },
  {
    type: "problem",
    messages: { found: "a", foundTwice: "b" },
    schema: [
      {
        type: "object",
        // @ts-expect-error -- a schema that leaves an option out
        properties: { ignoreRoutes: { description: "routes", type: "array" } },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ ignoreRoutes: [], strict: false }],
  },
  {
    type: "problem",
    messages: { found: "a", foundTwice: "b" },
    schema: [
      {
        type: "object",
        properties: {
          ignoreRoutes: { description: "routes", type: "array" },
          strict: { description: "strict", type: "boolean" },
          // @ts-expect-error -- a schema property for an option the rule does not declare
          ignoreRoute: { description: "typo", type: "array" },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ ignoreRoutes: [], strict: false }],
  },
];

test("a typed definition becomes a rule whose messages name the remedy placeholder", () => {
  const rule = createRule(definition());
  assert.equal(rule.meta.messages.found, "AP998 {{what}} found. SOC 2 CC6.1. Fix: {{remedy}}");
  assert.deepEqual(rule.meta.schema, schema);
  assert.deepEqual(rule.meta.defaultOptions, [{ ignoreRoutes: [], strict: false }]);
  assert.equal(rule.meta.hasSuggestions, undefined);
});

test("the report's remedy ends the message, and nothing in data replaces it", () => {
  const rule = createRule<Options, MessageIds>({
    ...definition(),
    create(context) {
      // A cast past the types still cannot bring a remedy in through data.
      const data = { what: context.model.language, remedy: "from data" } as unknown as { what: string };
      context.report({ loc, messageId: "found", data, remedy: "from the report." });
    },
  });
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    "const a = 1;\n",
    [{ plugins: { t: { rules: { typed: rule } } }, rules: { "t/typed": ["warn", { strict: true }] } }] as never,
    "a.js",
  );
  assert.deepEqual(
    messages.map((m) => m.message),
    ["AP998 ts found. SOC 2 CC6.1. Fix: from the report."],
  );
});

test("suggestions need hasSuggestions, and hasSuggestions needs suggestion messages", () => {
  const base = definition();
  assert.throws(
    () => createRule<Options, MessageIds, "use">({ ...base, suggestionMessages: { use: "Use {{x}}" } }),
    /meta.hasSuggestions and suggestionMessages go together/,
  );
  assert.throws(
    () => createRule<Options, MessageIds>({ ...base, meta: { ...base.meta, hasSuggestions: true } }),
    /meta.hasSuggestions and suggestionMessages go together/,
  );
  const rule = createRule<Options, MessageIds, "use">({
    ...base,
    meta: { ...base.meta, hasSuggestions: true },
    suggestionMessages: { use: "Use {{x}}" },
  });
  assert.equal(rule.meta.hasSuggestions, true);
  assert.equal(rule.meta.messages.use, "Use {{x}}");
});
