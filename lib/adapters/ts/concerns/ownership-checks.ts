/**
 * The steps of a function that tie a record to the caller (AP103), as found in its
 * syntax, before anyone knows which of its values are the caller:
 *
 * - a comparison in an `if` that denies (`if (invoice.ownerId !== req.user.id) return
 *   res.sendStatus(403)`, `if (!invoice || invoice.userId !== user.id) notFound()`), or in
 *   an `if` whose block does the work (`if (invoice.userId === user.id) { … }`);
 * - a load followed by a denial when nothing is found (`if (!project) throw …`): it
 *   counts when the load is scoped to the caller;
 * - an authorization call: CASL's `ability.can(…)` / `cannot(…)` in a denying `if`,
 *   `ForbiddenError.from(ability).throwUnlessCan(…)`, helpers named in
 *   `settings.ownershipChecks`, and helpers named `assert…Owner`, `authorize…`,
 *   `can…Access`, `ensure…Access`, … that deny.
 *
 * Each comes with what it is about (`subjects`, or the two sides of a comparison) as
 * sources; record-access.ts decides which data operations it covers.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { Loc, OwnershipCheck } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  callText,
  locOf,
  memberPath,
  propertyName,
  shortSource,
  terminalName,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
} from "../ast.js";
import type { FileFacts } from "../facts.js";
import { OTHER, type OriginContext, type RecordLoad, type Source, type ValueOrigins } from "./value-origins.js";

/** A step of a function's ownership logic, with positions inside the function. */
export interface CheckFact {
  kind: OwnershipCheck["kind"];
  name: string;
  loc: Loc;
  /** Where it takes effect: operations after it are covered by it. Positions are offsets, one per call level. */
  at: number[];
  /** What an authorization call is about: records and values. */
  subjects: Source[];
  /** A comparison: it counts when one side is the caller; the other side is what it is about. */
  pair?: [Source, Source];
  /** A denial when a load finds nothing: it counts when that load is scoped to the caller. */
  scopedLoad?: RecordLoad;
  /** A denial when a lookup by these arguments finds nothing: it counts when one of them is the caller, and is about the others. */
  lookup?: Source[];
  /** Covers only the operations made between these positions (the block of an `if` that compares). */
  region?: [number[], number[]];
}

/**
 * Throwing helpers: `assertInvoiceOwner(…)`, `authorize(…)`, `throwUnlessCan(…)`,
 * `ensureProjectAccess(…)`, `fetchAndCheckIsMember(…)`, `getAuthorizedOrganizationMembership(…)`.
 */
const THROWING_CHECK =
  /^(?:\w*authori[sz](?:e|ed|ation)\w*|throwUnlessCan|assert\w*Can\w*|\w*(?:assert|ensure|verify|check|require|enforce|validate)\w*(?:Owner|Ownership|Access(?!Token)|Permissions?|Member|Membership|Admin)(?:(?:To|For|On|Of)\w+)?)$/i;
/** Answering helpers used in a denying `if`: CASL `can`/`cannot`, `canAccessInvoice`, `isOwner`, `hasAccess`. */
const ANSWERING_CHECK =
  /^(?:can|cannot|can\w*(?:Access|Edit|View|Manage|Delete|Update|Read)\w*|(?:is|has)\w*(?:Owner|Access(?!Token)|Permissions?|Allowed|Authori[sz]ed)(?:(?:To|For|On|Of)\w+)?)$/i;
/** Calls that end the request when the handler calls them: Next.js `notFound()`, Koa `ctx.throw(403)`. */
const DENYING_CALLS = new Set([
  "notFound",
  "forbidden",
  "unauthorized",
  "redirect",
  "permanentRedirect",
  "throw",
  "abort",
]);
/** Deepest `||` / `&&` / `!` nesting read in an `if` test. */
const MAX_TEST_DEPTH = 8;

export class OwnershipChecks {
  constructor(
    private readonly facts: FileFacts,
    private readonly origins: ValueOrigins,
    private readonly settings: ResolvedSettings,
  ) {}

  /** The ownership steps of `fn` (nested callbacks included), with sources resolved in `context`. */
  find(fn: FunctionNode, context: OriginContext): CheckFact[] {
    const out: CheckFact[] = [];
    const inIfTests = new Set<Node>();
    for (const c of this.facts.collectedWithin(T.IfStatement, fn)) {
      const statement = c.node as TSESTree.IfStatement;
      this.ifChecks(statement, c.scope, context, out, inIfTests);
    }
    for (const c of this.facts.collectedWithin(T.CallExpression, fn)) {
      const call = c.node as TSESTree.CallExpression;
      if (inIfTests.has(call)) continue;
      const name = checkName(call);
      if (name === undefined) continue;
      if (!THROWING_CHECK.test(name) && !this.configured(call, name)) continue;
      out.push({
        kind: "authorization-call",
        name: checkDisplayName(this.facts.text, call),
        loc: locOf(call),
        at: [call.range[1]],
        subjects: this.subjects(call, c.scope, context),
      });
    }
    return out;
  }

  private ifChecks(
    statement: TSESTree.IfStatement,
    scope: Node,
    context: OriginContext,
    out: CheckFact[],
    inIfTests: Set<Node>,
  ): void {
    const denies = exits(statement.consequent);
    const leaves: { node: Node; negated: boolean }[] = [];
    collectLeaves(statement.test, false, leaves, 0);
    for (const leaf of leaves) {
      const node = unwrapAwait(leaf.node);
      if (node.type === T.CallExpression) inIfTests.add(node);
    }
    const at = [statement.range[1]];
    const region: [number[], number[]] = [[statement.consequent.range[0]], [statement.consequent.range[1]]];
    for (const { node: raw, negated } of leaves) {
      const node = this.followFlag(unwrapAwait(raw), scope);
      // `a !== b` denying, `a === b` around the work.
      if (node.type === T.BinaryExpression && isEquality(node.operator)) {
        const mismatch = (node.operator === "!==" || node.operator === "!=") !== negated;
        const nullTest = nullTested(node);
        if (nullTest) {
          // `if (invoice === null) throw …`: a denial when nothing is found.
          if (denies && !mismatch) this.scopedLoadCheck(nullTest, scope, context, statement, out);
          continue;
        }
        if (denies && !mismatch) continue;
        if (!denies && mismatch) continue;
        const pair: [Source, Source] = [
          this.origins.sourceOf(node.left, scope, context),
          this.origins.sourceOf(node.right, scope, context),
        ];
        out.push({
          kind: "compared",
          name: shortSource(this.facts.text, node, 80),
          loc: locOf(node),
          at,
          subjects: [],
          pair,
          ...(denies ? {} : { region }),
        });
        continue;
      }
      if (node.type === T.CallExpression) {
        const callee = unwrap(node.callee);
        const method = callee.type === T.MemberExpression ? propertyName(callee) : undefined;
        // `invoice.owner.equals(req.user._id)` (ObjectId), `isEqual(a, b)`.
        if ((method === "equals" || method === "isEqual") && node.arguments[0]) {
          const matches = !negated;
          if (denies === matches) continue;
          const object = (callee as TSESTree.MemberExpression).object;
          out.push({
            kind: "compared",
            name: shortSource(this.facts.text, node, 80),
            loc: locOf(node),
            at,
            subjects: [],
            pair: [
              this.origins.sourceOf(object, scope, context),
              this.origins.sourceOf(node.arguments[0], scope, context),
            ],
            ...(denies ? {} : { region }),
          });
          continue;
        }
        const name = checkName(node);
        if (name === undefined) continue;
        const known = THROWING_CHECK.test(name) || ANSWERING_CHECK.test(name) || this.configured(node, name);
        if (!known) continue;
        // `if (!ability.can(…)) throw`, `if (cannot(…)) throw`; `if (ability.can(…)) { … }` around the work.
        const allows = name === "cannot" ? negated : !negated;
        if (denies === allows) continue;
        out.push({
          kind: "authorization-call",
          name: checkDisplayName(this.facts.text, node),
          loc: locOf(node),
          at,
          subjects: this.subjects(node, scope, context),
          ...(denies ? {} : { region }),
        });
        continue;
      }
      // `if (!invoice) throw new NotFoundException()`
      if (denies && negated && (node.type === T.Identifier || node.type === T.MemberExpression)) {
        this.scopedLoadCheck(node, scope, context, statement, out);
        this.scopedLookupCheck(node, scope, context, statement, out);
      }
    }
  }

  /** A denial when the load a name holds found nothing: `if (!project) throw …`. */
  private scopedLoadCheck(
    node: Node,
    scope: Node,
    context: OriginContext,
    statement: TSESTree.IfStatement,
    out: CheckFact[],
  ): void {
    const source = this.origins.sourceOf(node, scope, context);
    if (source.kind !== "record" || source.path.some((s) => !/^\d+$/.test(s))) return;
    out.push({
      kind: "compared",
      name: shortSource(this.facts.text, statement.test, 80),
      loc: locOf(statement.test),
      at: [statement.range[1]],
      subjects: [source],
      scopedLoad: source.load,
    });
  }

  /**
   * A denial when a call of another function that takes the caller found nothing:
   * `const account = await getEmailAccount({ userId: session.user.id, emailAccountId }); if (!account) return 403`.
   * It counts when one argument is the caller; it is about the others.
   */
  private scopedLookupCheck(
    node: Node,
    scope: Node,
    context: OriginContext,
    statement: TSESTree.IfStatement,
    out: CheckFact[],
  ): void {
    if (node.type !== T.Identifier) return;
    const b = this.facts.resolve(node.name, scope);
    if (b?.kind !== "var" || !b.init) return;
    const call = unwrapAwait(b.init);
    if (call.type !== T.CallExpression || context.result(call, b.scope)) return;
    const args = this.subjects(call, b.scope, context);
    if (args.length < 2) return;
    out.push({
      kind: "compared",
      name: shortSource(this.facts.text, statement.test, 80),
      loc: locOf(statement.test),
      at: [statement.range[1]],
      subjects: [],
      lookup: args,
    });
  }

  /** `if (!allowed)` with `const allowed = await canAccess(…)`: the call the flag holds. */
  private followFlag(node: Node, scope: Node): Node {
    if (node.type !== T.Identifier) return node;
    const b = this.facts.resolve(node.name, scope);
    if (b?.kind !== "var" || !b.init) return node;
    const init = unwrapAwait(b.init);
    if (init.type !== T.CallExpression) return node;
    const name = checkName(init);
    return name !== undefined &&
      (THROWING_CHECK.test(name) || ANSWERING_CHECK.test(name) || this.configured(init, name))
      ? init
      : node;
  }

  /** A helper named in `settings.ownershipChecks`, by its name or its dotted path (`policy.assertCanEdit`). */
  private configured(call: TSESTree.CallExpression, name: string): boolean {
    if (this.settings.ownershipChecks(name)) return true;
    const path = memberPath(call.callee);
    return path !== undefined && path !== name && this.settings.ownershipChecks(path.replace(/^this\./, ""));
  }

  /** What an authorization call is about: its arguments (CASL's `subject("Invoice", invoice)` as the record), object properties each. */
  private subjects(call: TSESTree.CallExpression, scope: Node, context: OriginContext): Source[] {
    const out: Source[] = [];
    const args: Node[] = [...call.arguments];
    // `ForbiddenError.from(ability).throwUnlessCan(…)`: the ability is not a subject.
    for (const arg of args) {
      let value = unwrapAwait(arg);
      if (value.type === T.SpreadElement) continue;
      if (value.type === T.CallExpression && terminalName(value.callee) === "subject") {
        const last = value.arguments[value.arguments.length - 1];
        if (!last) continue;
        value = unwrapAwait(last);
      }
      const source = this.origins.sourceOf(value, scope, context);
      if (source.kind === "object") out.push(...source.properties.values());
      else if (source !== OTHER) out.push(source);
    }
    return out;
  }
}

function isEquality(operator: string): boolean {
  return operator === "===" || operator === "==" || operator === "!==" || operator === "!=";
}

/** `x === null`, `null == x`, `x === undefined`: the tested value. */
function nullTested(node: TSESTree.BinaryExpression): Node | undefined {
  const isNull = (n: Node) => {
    const u = unwrap(n);
    return (u.type === T.Literal && u.value === null) || (u.type === T.Identifier && u.name === "undefined");
  };
  if (isNull(node.right)) return node.left;
  if (isNull(node.left)) return node.right;
  return undefined;
}

/** The leaves of an `if` test through `||`, `&&`, `!` and parentheses, each with whether it is negated. */
function collectLeaves(node: Node, negated: boolean, out: { node: Node; negated: boolean }[], depth: number): void {
  if (depth > MAX_TEST_DEPTH) return;
  const n = unwrap(node);
  if (n.type === T.LogicalExpression && (n.operator === "||" || n.operator === "&&")) {
    collectLeaves(n.left, negated, out, depth + 1);
    collectLeaves(n.right, negated, out, depth + 1);
    return;
  }
  if (n.type === T.UnaryExpression && n.operator === "!") {
    collectLeaves(n.argument, !negated, out, depth + 1);
    return;
  }
  out.push({ node: n, negated });
}

/** Does the statement end the request: `return …`, `throw …`, a block with one, `notFound()`, `ctx.throw(403)`? */
function exits(statement: TSESTree.Statement): boolean {
  if (statement.type === T.ReturnStatement || statement.type === T.ThrowStatement) return true;
  if (statement.type === T.BlockStatement) return statement.body.some((s) => exits(s));
  if (statement.type === T.ExpressionStatement) {
    const expr = unwrapAwait(statement.expression);
    if (expr.type !== T.CallExpression) return false;
    const name = terminalName(expr.callee);
    return name !== undefined && DENYING_CALLS.has(name);
  }
  return false;
}

/** The name that says what a call checks: `can`, `throwUnlessCan`, `assertInvoiceOwner`, `this.policy.authorize` → `authorize`. */
function checkName(call: TSESTree.CallExpression): string | undefined {
  return terminalName(call.callee);
}

function checkDisplayName(text: string, call: TSESTree.CallExpression): string {
  return memberPath(call.callee) ?? callText(text, call);
}
