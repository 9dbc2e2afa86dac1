/**
 * The one walk of the TS/JS adapter (lib/adapters/ts/facts.ts): it keeps parents only for
 * files that need them, and every pass sees the file through it, so the parser's own
 * visitor keys decide what is walked.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "@typescript-eslint/parser";
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { collectFacts, type WalkInterests } from "../lib/adapters/ts/facts.js";
import { buildTsModel } from "../lib/adapters/ts/index.js";
import { resolveSettings } from "../lib/core/settings.js";

const NOTHING: WalkInterests = {
  memberCallNames: new Set(),
  dataCallNames: new Set(),
  isDenySignal: () => false,
  nodeTypes: new Set([T.MemberExpression]),
};

function parse(code: string) {
  return parseForESLint(code, { range: true, loc: true, sourceType: "module" });
}

/** Puts `node` inside a node of a type only the given visitor keys know, as a parser with extensions would. */
function wrapped(node: TSESTree.Node): TSESTree.Node {
  return { type: "Wrapper", inner: node, range: node.range, loc: node.loc } as unknown as TSESTree.Node;
}

describe("the walk", () => {
  it("keeps parents and identifiers by name only when asked, for the files that need them", () => {
    const code = "const a = b.c;\nfunction f() { return a + b; }\n";
    const { ast, visitorKeys } = parse(code);
    const plain = collectFacts({ ast, text: code, visitorKeys }, NOTHING);
    assert.equal(plain.keepsParents, false);
    assert.throws(() => plain.parentOf(ast.body[0]), /kept no parents/);
    assert.throws(() => plain.identifiersNamed("b"), /kept no identifiers/);

    const kept = collectFacts(
      { ast, text: code, visitorKeys },
      { ...NOTHING, keepParents: (text) => text.includes("function") },
    );
    const member = kept.collected.get(T.MemberExpression)![0].node;
    assert.equal(kept.parentOf(member)?.type, T.VariableDeclarator);
    assert.equal(kept.parentOf(ast), undefined);
    assert.deepEqual(
      kept.identifiersNamed("b").map((id) => id.range[0]),
      [10, 41],
    );
    assert.deepEqual(kept.identifiersNamed("missing"), []);
  });

  it("JWT: follows a decoded token into nodes only the parser's visitor keys know", () => {
    const code = [
      'import jwt from "jsonwebtoken";',
      "export function load(req) {",
      "  const claims = jwt.decode(req.headers.authorization);",
      "  claims.sub;",
      "}",
    ].join("\n");
    const { ast, visitorKeys } = parse(code);
    const load = (ast.body[1] as TSESTree.ExportNamedDeclaration).declaration as TSESTree.FunctionDeclaration;
    const statement = load.body.body[1] as TSESTree.ExpressionStatement;
    statement.expression = wrapped(statement.expression) as TSESTree.Expression;
    const keys = { ...visitorKeys, Wrapper: ["inner"] };
    const model = buildTsModel({ ast, text: code, visitorKeys: keys }, resolveSettings({}), "auth.ts");
    assert.deepEqual(
      model.jwt.map((f) => (f.kind === "unverified-read" ? f.use : f.kind)),
      ["claims.sub is read"],
    );
  });

  it("CORS: a check of the origin inside such a node guards the header written after it", () => {
    const code = [
      'const origin = request.headers.get("origin");',
      'if (allowed.includes(origin)) headers.set("Access-Control-Allow-Origin", origin);',
      'headers.set("Access-Control-Allow-Origin", origin);',
      'headers.set("Access-Control-Allow-Credentials", "true");',
    ].join("\n");
    const { ast, visitorKeys } = parse(code);
    ast.body[1] = wrapped(ast.body[1]) as TSESTree.Statement;
    const keys = { ...visitorKeys, Wrapper: ["inner"] };
    const model = buildTsModel({ ast, text: code, visitorKeys: keys }, resolveSettings({}), "edge.ts");
    assert.deepEqual(
      model.cors.map((p) => `${p.origins[0].kind} ${String(p.credentials.allowed)} ${String(p.guarded)}`),
      ["reflect true true", "reflect true true"],
    );
  });

  it("CORS: module-level header writes pair with the credentials on their own branch arm only", () => {
    const code = [
      'const origin = request.headers.get("origin");',
      "if (allowed.has(origin)) {",
      '  headers.set("Access-Control-Allow-Origin", origin);',
      '  headers.set("Access-Control-Allow-Credentials", "true");',
      "} else {",
      '  headers.set("Access-Control-Allow-Origin", "https://app.example.com");',
      "}",
    ].join("\n");
    const { ast, visitorKeys } = parse(code);
    const model = buildTsModel({ ast, text: code, visitorKeys }, resolveSettings({}), "edge.ts");
    assert.deepEqual(
      model.cors.map(
        (p) => `${p.loc.start.line} ${p.origins[0].kind} ${String(p.credentials.allowed)} ${String(p.guarded)}`,
      ),
      ["3 reflect true true", "6 restricted false false"],
    );
  });
});
