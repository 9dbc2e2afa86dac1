/**
 * What a C# route handler checks about the request itself, beyond the session:
 *
 *  - a signature that proves who sent it (a webhook): a library call that verifies one
 *    (Stripe.net's `EventUtility.ConstructEvent(…)`, svix's `Webhook.Verify(…)`, Twilio's
 *    `RequestValidator.Validate(…)` and `[ValidateRequest]`), a method the user names in
 *    `settings["api-posture"].signatureVerifiers`, or the hand-written form, an HMAC
 *    (`HMACSHA256`) compared with `CryptographicOperations.FixedTimeEquals`, in the handler
 *    or in methods of its class it calls (two calls deep). Such a route counts as protected.
 *  - a password it takes from the request body (a body parameter whose type, declared in the
 *    file, has a `Password` property, or whose `.Password` the handler reads) or hashes
 *    (`IPasswordHasher.HashPassword`, `UserManager.CreateAsync(user, password)`): the facts
 *    lib/core/public-flows.ts reads to tell a sign-up written as `POST /users` from other writes.
 *
 * Library knowledge comes from the records' `signatures` and `passwords` sections. Like the
 * data layer, calls are found in the method's text and confirmed in the tree, once per method.
 */
import type { Loc } from "../../lib/core/model.js";
import type { HandlerChecks } from "../../lib/core/adapter-utils.js";
import type { SyntaxNode } from "../parser.js";
import { callSites, dotBefore, receiverBefore, receiverChain } from "./call-sites.js";
import { checkAnalysisClock } from "./clock.js";
import type { ClassDecl, MethodDecl } from "./declarations.js";
import { readAttributes } from "./attributes.js";
import { MAX_NAME_LENGTH, nodeLoc, simpleName } from "./syntax.js";
import { LIBRARIES } from "./libraries/index.js";
import type { CSharpFile, CSharpPasswordKnowledge, CSharpSignatureKnowledge } from "./libraries/library.js";

/** How many calls deep methods of the handler's class are followed (`if (!IsSigned(body)) …`). */
const MAX_HELPER_DEPTH = 2;
/** Words without which a file verifies no signature and hashes no password with the known libraries. */
const MAY_CALL_CHECKS =
  /Signature|HMAC|EventUtility|Webhook|RequestValidator|ValidateRequest|ValidateTwilioRequest|FixedTimeEquals|IsAuthenticWebhook|HashPassword|UserManager|userManager/;
/** Without it no parameter carries a password. */
const MAY_NAME_PASSWORD = /Password/;
/** Parameter attributes that bind from somewhere other than the request body. */
const NOT_BODY = new Set(["FromQuery", "FromRoute", "FromHeader", "FromServices", "FromKeyedServices"]);
/** Types that never carry a request body's fields. */
const SIMPLE_TYPES = new Set([
  "string",
  "int",
  "long",
  "short",
  "byte",
  "bool",
  "decimal",
  "double",
  "float",
  "Guid",
  "DateTime",
  "DateTimeOffset",
  "CancellationToken",
  "HttpContext",
  "HttpRequest",
  "HttpResponse",
  "ClaimsPrincipal",
  "IFormFile",
  "IFormFileCollection",
]);
/** `model.Password`, `request?.NewPassword`: a password read from a parameter. */
const PASSWORD_MEMBER = "(?:Password|NewPassword|PlainPassword|PlainTextPassword)";
/** A password property of a type: `public string Password { get; set; }`, `record Register(string Email, string Password)`. */
const PASSWORD_PROPERTY = new RegExp(String.raw`\b(?:string|SecureString)\??\s+${PASSWORD_MEMBER}\b`);

interface Verification {
  name: string;
  loc: Loc;
}

/** What one method or lambda shows itself, without the methods it calls. */
interface OwnChecks {
  verification?: Verification;
  hmac: boolean;
  compare?: Verification;
  hashes?: string;
  /** Names of methods of the class it calls. */
  calls: string[];
}

interface Knowledge {
  signatures: CSharpSignatureKnowledge[];
  passwords: CSharpPasswordKnowledge[];
  /** Method names worth confirming in the tree. */
  names: Set<string>;
  hmac: RegExp | undefined;
}

let knowledge: Knowledge | undefined;

function known(): Knowledge {
  if (knowledge) return knowledge;
  const k: Knowledge = { signatures: [], passwords: [], names: new Set(), hmac: undefined };
  const hmacTypes: string[] = [];
  for (const library of LIBRARIES) {
    const s = library.signatures;
    if (s) {
      k.signatures.push(s);
      for (const entry of [...(s.staticMethods ?? []), ...(s.instanceMethods ?? []), ...(s.constantTimeCompares ?? [])])
        for (const method of entry.methods) k.names.add(method);
      hmacTypes.push(...(s.hmacTypes ?? []));
    }
    const p = library.passwords;
    if (p) {
      k.passwords.push(p);
      for (const method of p.hashMethods ?? []) k.names.add(method);
      for (const create of p.createsWithPassword ?? []) k.names.add(create.method);
    }
  }
  k.hmac = hmacTypes.length > 0 ? new RegExp(String.raw`\b(?:${hmacTypes.join("|")})\b`) : undefined;
  knowledge = k;
  return k;
}

export interface RequestChecksIndex {
  /** A handler that is a method of a class: an MVC action, a Razor Pages handler, a Minimal API method group. */
  of(method: MethodDecl, owner: ClassDecl): HandlerChecks;
  /** A handler that is a lambda or a local function. */
  ofFunction(fn: SyntaxNode): HandlerChecks;
}

const NONE: HandlerChecks = { protections: [], importedFunctions: [] };
const perFile = new WeakMap<CSharpFile, RequestChecksIndex>();

/** The request checks of a file, shared by the libraries that build its endpoints. */
export function requestChecks(file: CSharpFile): RequestChecksIndex {
  let index = perFile.get(file);
  if (!index) perFile.set(file, (index = buildIndex(file)));
  return index;
}

function buildIndex(file: CSharpFile): RequestChecksIndex {
  const scansCalls = MAY_CALL_CHECKS.test(file.text) || file.settings.signatureVerifiers.configured;
  const readsPasswords = MAY_NAME_PASSWORD.test(file.text);
  if (!scansCalls && !readsPasswords) return { of: () => NONE, ofFunction: () => NONE };
  const own = new Map<number, OwnChecks>();
  const nothing: OwnChecks = { hmac: false, calls: [] };
  const ownChecks = (node: SyntaxNode, ownNames: ReadonlySet<string>, types: ReadonlyMap<string, string>) => {
    if (!scansCalls) return nothing;
    let checks = own.get(node.id);
    if (!checks) own.set(node.id, (checks = scan(file, node, ownNames, types)));
    return checks;
  };
  const parameters = (fn: SyntaxNode): ParameterWithAttributes[] => {
    let list = parameterLists.get(fn.id);
    if (!list) parameterLists.set(fn.id, (list = parametersWithAttributes(fn)));
    return list;
  };
  const parameterLists = new Map<number, ParameterWithAttributes[]>();
  const context: Context = { file, parameters, readsPasswords };
  const byClass = new Map<ClassDecl, Map<string, MethodDecl[]>>();
  const methodsOf = (owner: ClassDecl): Map<string, MethodDecl[]> => {
    let map = byClass.get(owner);
    if (!map) {
      map = new Map();
      for (const decl of [owner, ...file.declarations.baseChain(owner)])
        for (const method of decl.methods) {
          const list = map.get(method.name);
          if (list) list.push(method);
          else map.set(method.name, [method]);
        }
      byClass.set(owner, map);
    }
    return map;
  };
  return {
    of(method, owner) {
      const methods = methodsOf(owner);
      const names = new Set(methods.keys());
      const types = file.declarations.memberTypes(owner);
      const found: Combined = { hmac: false };
      const seen = new Set<MethodDecl>();
      let level: Array<{ method: MethodDecl; via: string | undefined }> = [{ method, via: undefined }];
      for (let depth = 0; depth <= MAX_HELPER_DEPTH && level.length > 0; depth++) {
        const next: typeof level = [];
        for (const { method: current, via } of level) {
          if (seen.has(current) || !current.hasBody) continue;
          seen.add(current);
          const checks = ownChecks(current.node, names, withParameters(types, parameters(current.node)));
          combine(found, checks, via);
          for (const name of checks.calls)
            for (const callee of methods.get(name) ?? []) next.push({ method: callee, via: via ?? name });
        }
        level = next;
      }
      const attribute = attributeVerification([...method.attributes, ...owner.attributes]);
      return result(context, found, attribute, method.node);
    },
    ofFunction(fn) {
      const found: Combined = { hmac: false };
      combine(found, ownChecks(fn, new Set(), withParameters(new Map(), parameters(fn))), undefined);
      const lists = fn.namedChildren.filter((c) => c.type === "attribute_list");
      return result(context, found, attributeVerification(readAttributes(lists)), fn);
    },
  };
}

interface Combined {
  verification?: Verification;
  hmac: boolean;
  hmacVia?: string;
  compare?: Verification;
  hashes?: string;
}

function combine(into: Combined, checks: OwnChecks, via: string | undefined): void {
  if (checks.verification && !into.verification)
    into.verification = via === undefined ? checks.verification : { name: via, loc: checks.verification.loc };
  if (checks.hmac && !into.hmac) {
    into.hmac = true;
    if (via !== undefined) into.hmacVia = via;
  }
  if (checks.compare && !into.compare)
    into.compare = via === undefined ? checks.compare : { name: via, loc: checks.compare.loc };
  into.hashes ??= checks.hashes;
}

interface Context {
  file: CSharpFile;
  parameters(fn: SyntaxNode): ParameterWithAttributes[];
  readsPasswords: boolean;
}

function result(context: Context, found: Combined, attribute: Verification | undefined, fn: SyntaxNode): HandlerChecks {
  const verification =
    attribute ??
    found.verification ??
    (found.hmac && found.compare
      ? {
          name: found.compare.name === COMPARE_NAME ? `${COMPARE_NAME} over an HMAC` : found.compare.name,
          loc: found.compare.loc,
        }
      : undefined);
  const checks: HandlerChecks = { protections: [], importedFunctions: [] };
  if (verification)
    checks.protections.push({
      name: verification.name,
      source: "route",
      loc: verification.loc,
      requirement: "authenticated",
      kind: "signature",
    });
  const passwordFromBody = context.readsPasswords && readsBodyPassword(context, fn);
  if (passwordFromBody || found.hashes !== undefined)
    checks.credentials = {
      ...(passwordFromBody ? { passwordFromBody: true } : {}),
      ...(found.hashes !== undefined ? { hashesPassword: found.hashes } : {}),
    };
  return checks;
}

const COMPARE_NAME = "CryptographicOperations.FixedTimeEquals";

/** An attribute that verifies the request before the handler runs: Twilio's `[ValidateRequest]`. */
function attributeVerification(
  attributes: readonly { name: string; text: string; loc: Loc }[],
): Verification | undefined {
  for (const s of known().signatures)
    for (const attribute of attributes)
      if (s.attributes?.includes(attribute.name)) return { name: attribute.text, loc: attribute.loc };
  return undefined;
}

/** The member types of the handler's class with its own typed parameters over them. */
function withParameters(
  types: ReadonlyMap<string, string>,
  parameters: readonly ParameterWithAttributes[],
): Map<string, string> {
  const out = new Map(types);
  for (const parameter of parameters) if (parameter.type) out.set(parameter.name, parameter.type);
  return out;
}

/** Calls, HMACs and comparisons in one method's text, confirmed in the tree. */
function scan(
  file: CSharpFile,
  fn: SyntaxNode,
  ownNames: ReadonlySet<string>,
  types: ReadonlyMap<string, string>,
): OwnChecks {
  const { text, settings } = file;
  const k = known();
  const checks: OwnChecks = { hmac: false, calls: [] };
  const body = text.slice(fn.startIndex, fn.endIndex);
  checks.hmac = k.hmac !== undefined && k.hmac.test(body);
  const named = settings.signatureVerifiers.configured;
  for (const { name, index, paren } of callSites(text, fn.startIndex, fn.endIndex)) {
    checkAnalysisClock();
    const dot = dotBefore(text, index);
    const receiver = dot < 0 ? "" : receiverBefore(text, dot);
    const thisCall = dot < 0 || /^(?:this|base)$/.test(receiver);
    if (thisCall && ownNames.has(name)) {
      if (confirm(fn, index, paren)) checks.calls.push(name);
      continue;
    }
    const chain = receiverChain(receiver);
    const written = receiver === "" ? name : `${chain.names.slice().reverse().join(".") || receiver}.${name}`;
    if (named && !checks.verification && isNamedVerifier(settings.signatureVerifiers, written)) {
      const call = confirm(fn, index, paren);
      if (call) checks.verification = { name: written, loc: nodeLoc(call) };
      continue;
    }
    if (!k.names.has(name)) continue;
    const immediate = chain.names[0];
    for (const s of k.signatures) {
      const isStatic = s.staticMethods?.some((m) => m.type === immediate && m.methods.includes(name));
      const instanceType = instanceTypeOf(s, name, chain.root, receiver, types, body);
      const isCompare = s.constantTimeCompares?.some((m) => m.type === immediate && m.methods.includes(name));
      if (!isStatic && instanceType === undefined && !isCompare) continue;
      const call = confirm(fn, index, paren);
      if (!call) continue;
      if (isCompare) checks.compare ??= { name: `${immediate}.${name}`, loc: nodeLoc(call) };
      else checks.verification ??= { name: `${isStatic ? immediate : instanceType}.${name}`, loc: nodeLoc(call) };
    }
    if (checks.hashes === undefined) {
      for (const p of k.passwords) {
        const hashes = p.hashMethods?.includes(name);
        const creates = p.createsWithPassword?.find(
          (c) =>
            c.method === name &&
            (c.receiver.test(types.get(chain.root ?? "") ?? "") || c.receiver.test(chain.root ?? "")),
        );
        if (!hashes && !creates) continue;
        const call = confirm(fn, index, paren);
        if (!call) continue;
        if (creates && argumentCount(call) < creates.arguments) continue;
        checks.hashes = `${written}(…)`;
      }
    }
  }
  return checks;
}

/** The type of an instance a verifying method is called on: declared (`Webhook wh`), made in place or in the method (`var wh = new Webhook(…)`). */
function instanceTypeOf(
  knowledge: CSharpSignatureKnowledge,
  name: string,
  root: string | undefined,
  receiver: string,
  types: ReadonlyMap<string, string>,
  body: string,
): string | undefined {
  for (const { types: instanceTypes, methods } of knowledge.instanceMethods ?? []) {
    if (!methods.includes(name)) continue;
    for (const type of instanceTypes) {
      if (root !== undefined && types.get(root) === type) return type;
      if (new RegExp(String.raw`^new\s+(?:[\w.]+\.)?${type}\s*\(`).test(receiver)) return type;
      if (
        root !== undefined &&
        root.length <= MAX_NAME_LENGTH &&
        new RegExp(String.raw`\b${root}\s*=\s*new\s+(?:[\w.]+\.)?${type}\s*\(`).test(body)
      )
        return type;
    }
  }
  return undefined;
}

/** `Webhooks.Verify` matches `Webhooks.Verify` and `Verify`; `signatureVerifiers` entries match a call's last parts. */
function isNamedVerifier(matches: (name: string) => boolean, written: string): boolean {
  const parts = written.split(".");
  return parts.some((_, i) => matches(parts.slice(i).join(".")));
}

/** The invocation whose method name is at `index`, or undefined (a declaration, a `new`, a comment). */
function confirm(fn: SyntaxNode, index: number, paren: number): SyntaxNode | undefined {
  const invocation = fn.namedDescendantForIndex(index, paren + 1);
  return invocation?.type === "invocation_expression" ? invocation : undefined;
}

function argumentCount(invocation: SyntaxNode): number {
  const list = invocation.childForFieldName("arguments");
  return list ? list.namedChildren.filter((c) => c.type === "argument").length : 0;
}

// ---------------------------------------------------------------------------------
// The request body.
// ---------------------------------------------------------------------------------

interface ParameterWithAttributes {
  name: string;
  type: string | undefined;
  attributes: string[];
}

function parametersWithAttributes(fn: SyntaxNode): ParameterWithAttributes[] {
  const list = fn.childForFieldName("parameters") ?? fn.namedChildren.find((c) => c.type === "parameter_list") ?? null;
  if (!list || list.type !== "parameter_list") return [];
  const out: ParameterWithAttributes[] = [];
  for (const parameter of list.namedChildren) {
    if (parameter.type !== "parameter") continue;
    const name = parameter.childForFieldName("name")?.text;
    if (!name) continue;
    const type = parameter.childForFieldName("type");
    const lists = parameter.namedChildren.filter((c) => c.type === "attribute_list");
    out.push({
      name,
      type: type ? simpleName(type) : undefined,
      attributes: readAttributes(lists).map((a) => a.name),
    });
  }
  return out;
}

/**
 * Does the handler take a password from the request body? A parameter bound from the body
 * (`[FromBody]`, `[FromForm]`, or a complex type without another binding source) whose
 * `.Password` it reads, or whose type, declared in this file, has a password property.
 */
function readsBodyPassword(context: Context, fn: SyntaxNode): boolean {
  const { file } = context;
  const body = file.text.slice(fn.startIndex, fn.endIndex);
  for (const parameter of context.parameters(fn)) {
    const type = parameter.type;
    if (type === undefined || SIMPLE_TYPES.has(type) || /^I[A-Z]/.test(type)) continue;
    // Names are built into patterns: one as long as a recovered line makes a pattern too large to compile.
    if (parameter.name.length > MAX_NAME_LENGTH || type.length > MAX_NAME_LENGTH) continue;
    if (parameter.attributes.some((a) => NOT_BODY.has(a))) continue;
    if (new RegExp(String.raw`\b${parameter.name}\s*[?!]?\.\s*${PASSWORD_MEMBER}\b`).test(body)) return true;
    if (declaredWithPassword(file, type)) return true;
  }
  return false;
}

const declaredTypes = new WeakMap<CSharpFile, Map<string, boolean>>();

/** Whether the file declares a class, record or struct of this name with a password property. */
function declaredWithPassword(file: CSharpFile, type: string): boolean {
  let cache = declaredTypes.get(file);
  if (!cache) declaredTypes.set(file, (cache = new Map<string, boolean>()));
  let answer = cache.get(type);
  if (answer === undefined) {
    answer = false;
    const declaration = new RegExp(String.raw`\b(?:class|record|struct)\s+${type}\b`, "g");
    for (let match = declaration.exec(file.text); match && !answer; match = declaration.exec(file.text)) {
      checkAnalysisClock();
      const node = file.root.descendantForIndex(match.index, match.index + match[0].length);
      let decl: SyntaxNode | null = node;
      for (let i = 0; decl && i < 4 && !/_declaration$/.test(decl.type); i++) decl = decl.parent;
      if (decl && /^(?:class|record|struct)_declaration$/.test(decl.type)) answer = PASSWORD_PROPERTY.test(decl.text);
    }
    cache.set(type, answer);
  }
  return answer;
}
