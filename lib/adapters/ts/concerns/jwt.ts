/**
 * JWT reads and verifications in TS/JS for AP203, for the libraries whose records have a
 * `jwt` section (jsonwebtoken, jose, express-jwt, passport-jwt, @nestjs/jwt):
 *  - decoders (`jwt.decode()`, `decodeJwt()`) whose result serves as identity;
 *  - verify calls with their key and options (`algorithms`, `ignoreExpiration`);
 *  - middleware (`expressjwt({...})`) and strategies (`new JwtStrategy({...}, verify)`, and
 *    NestJS's `class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({...}) } }`);
 *  - an injected service's `decode()` / `verify()` (`this.jwtService`).
 * Options objects are read inline or from a const in the same file (with spreads of such
 * consts). Callees count only when they come from the library's import or require.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type {
  JwtFact,
  JwtLibrary,
  TokenVerification,
  ValidationSetting,
  VerificationKey,
} from "../../../core/facts/jwt.js";
import {
  callText,
  isFunction,
  locOf,
  memberNames,
  nameWords,
  propertyName,
  shortSource,
  sourceText,
  staticString,
  terminalName,
  unwrap,
  unwrapAwait,
  type Node,
} from "../ast.js";
import { type Collected, type FileFacts } from "../facts.js";
import { matchesAny, originOf, type Origin } from "../imports.js";
import { libraries } from "../libraries/index.js";
import type { TsJwtKnowledge } from "../libraries/library.js";
import { lowerBound } from "../../../core/adapter-utils.js";

/** Node types the walk collects for this pass. */
export const JWT_NODE_TYPES: readonly string[] = [
  T.CallExpression,
  T.NewExpression,
  T.ClassDeclaration,
  T.ClassExpression,
];

interface JwtRecord {
  packages: readonly string[];
  library: JwtLibrary;
  jwt: TsJwtKnowledge;
}

interface Known {
  /** Records of the libraries that read or verify tokens. */
  libraries: readonly JwtRecord[];
  /** Packages whose keys are public keys (JWKS clients). */
  publicKeyPackages: ReadonlySet<string>;
}

let known: Known | undefined;

/** Read on first use: the records import this module's users, so they are complete only once loading ends. */
function knownLibraries(): Known {
  known ??= {
    libraries: libraries().flatMap(({ packages = [], jwt }) =>
      jwt?.library ? [{ packages, library: jwt.library, jwt }] : [],
    ),
    publicKeyPackages: new Set(libraries().flatMap(({ packages = [], jwt }) => (jwt?.publicKeys ? packages : []))),
  };
  return known;
}

/** Whether the walk must keep parents for this file: it may use a JWT library. */
export function jwtNeedsParents(text: string): boolean {
  return knownLibraries().libraries.some(({ packages }) => packages.some((p) => text.includes(p)));
}

/** Claims and fields that say who the caller is or what they may do. */
const IDENTITY_FIELDS = new Set([
  "sub",
  "id",
  "_id",
  "uid",
  "userId",
  "user_id",
  "userID",
  "user",
  "username",
  "userName",
  "email",
  "role",
  "roles",
  "permissions",
  "perms",
  "scope",
  "scopes",
  "isAdmin",
  "admin",
  "tenantId",
  "tenant_id",
  "tenant",
  "orgId",
  "org_id",
  "organizationId",
  "accountId",
  "account_id",
  "groups",
  "name",
  "preferred_username",
  "claims",
  "customerId",
  "memberId",
]);
/** Words of a name that holds the caller's identity: `req.user`, `currentUser`, `res.locals.principal`. */
const IDENTITY_WORDS = new Set([
  "user",
  "principal",
  "identity",
  "auth",
  "claims",
  "account",
  "member",
  "caller",
  "viewer",
  "actor",
  "me",
  "whoami",
  "session",
  "current",
  "authenticate",
  "authenticated",
]);
/** Objects whose properties carry per-request identity: `req.decoded = …` attaches the payload to the request. */
const REQUEST_OBJECTS = new Set(["req", "request", "locals", "state"]);
/** `done(null, user)`: passport-style callbacks that hand the identity on. */
const HANDOVER_CALLBACKS = new Set(["done", "cb", "callback", "verified"]);
const LOG_METHODS = new Set(["log", "info", "debug", "warn", "error", "trace", "verbose", "fatal"]);
const LOG_OBJECTS = new Set(["console", "logger", "log"]);
const LOOKUP_VERBS = new Set(["find", "get", "load", "fetch", "lookup", "retrieve"]);
const LOOKUP_NOUNS = new Set([
  "user",
  "users",
  "account",
  "member",
  "customer",
  "profile",
  "by",
  "one",
  "unique",
  "pk",
  "id",
]);
const PUBLIC_KEY_WORDS = new Set([
  "public",
  "pub",
  "pem",
  "cert",
  "certs",
  "certificate",
  "jwks",
  "jwk",
  "x509",
  "spki",
  "rsa",
  "ecdsa",
]);
const SECRET_WORDS = new Set(["secret", "hmac", "shared", "symmetric", "hs256"]);
const PUBLIC_PEM = /-----BEGIN (?:RSA )?(?:PUBLIC KEY|CERTIFICATE)-----/;
/** A key callback that fetches public keys. */
const PUBLIC_KEY_CALLBACK = /getSigningKey|getPublicKey|publicKey|jwks|\.pem\b|BEGIN (?:PUBLIC KEY|CERTIFICATE)/i;
/** Parameters and their types that carry a request to server code. */
const REQUEST_PARAMS = /^(?:req|request|ctx|context)$/;
const REQUEST_TYPES =
  /^(?:Request|NextRequest|NextApiRequest|FastifyRequest|IncomingMessage|ExecutionContext|Context|HttpRequest|APIGatewayProxyEvent)$/;
/** Uses that put the value on the request or hand it to passport: server code whatever the function looks like. */
const ON_REQUEST_USE = /^(?:assigned to (?:req|request|ctx|res|context)\.|handed to )/;
/** A key callback that picks a shared secret: `done(null, tenantSecretFor(token))`. */
const SECRET_CALLBACK = /secret|hmac/i;
const MAX_DEPTH = 3;
/** References of a local looked at to find how it is used; a use as identity comes among the first. */
const MAX_REFERENCES = 64;

/** What a callee is to the library it comes from. */
type Role =
  | { role: "decode"; record: JwtRecord }
  | { role: "verify"; record: JwtRecord }
  | {
      role: "middleware";
      record: JwtRecord;
      keyOption: string;
      otherKeyOptions?: readonly string[];
      algorithmOption?: string;
    }
  | { role: "module"; record: JwtRecord }
  | { role: "strategy"; record: JwtRecord; keyOption: string; keyProviderOption: string };

export function collectJwtFacts(facts: FileFacts): JwtFact[] {
  if (!knownLibraries().libraries.some(({ packages }) => packages.some((p) => facts.imports(p)))) return [];
  return new JwtPass(facts).run();
}

class JwtPass {
  private classes: Map<Node, Collected> | undefined;
  private readonly out: JwtFact[] = [];
  /** Verify calls by the function they are in, with their token's source text. */
  private readonly verifications = new Map<Node, Set<string>>();

  constructor(private readonly facts: FileFacts) {}

  run(): JwtFact[] {
    const reads: { call: TSESTree.CallExpression; scope: Node; record: JwtRecord }[] = [];
    const strategiesImported = knownLibraries().libraries.some(
      ({ packages, jwt }) => jwt.strategies && packages.some((p) => this.facts.imports(p)),
    );
    for (const { node, scope } of this.facts.collected.get(T.CallExpression) ?? []) {
      if (node.type !== T.CallExpression) continue;
      if (node.callee.type === T.Super) {
        if (strategiesImported) this.nestStrategy(node, scope);
        continue;
      }
      const callee = this.roleOf(node.callee, scope);
      if (callee?.role === "decode") reads.push({ call: node, scope, record: callee.record });
      else if (callee?.role === "verify") this.verifyCall(node, scope, callee.record);
      else if (callee?.role === "middleware" && (callee.otherKeyOptions || callee.algorithmOption))
        this.verifierFactory(node, scope, callee);
      else if (callee?.role === "middleware")
        this.middleware(node, scope, callee.record.library, node.arguments[0], callee.keyOption, undefined);
      else if (callee?.role === "module") this.moduleRegistration(node, scope, callee.record);
    }
    for (const { node, scope } of this.facts.collected.get(T.NewExpression) ?? []) {
      if (node.type !== T.NewExpression) continue;
      const callee = this.roleOf(node.callee, scope);
      if (callee?.role === "strategy")
        this.middleware(
          node,
          scope,
          callee.record.library,
          node.arguments[0],
          callee.keyOption,
          callee.keyProviderOption,
        );
    }
    for (const read of reads) this.unverifiedRead(read.call, read.scope, read.record);
    return this.out.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
  }

  /**
   * What a callee is: a library export it comes from (`jwt.verify`, `verify`, `expressjwt`,
   * `require("express-jwt")`, `JwtStrategy`), or a method of an injected service (`this.jwtService.decode`).
   */
  private roleOf(node: Node, scope: Node): Role | undefined {
    const origin = originOf(this.facts, node, scope);
    if (origin) {
      const record = knownLibraries().libraries.find(({ packages }) => packages.includes(origin.module));
      if (record) return exportRole(record, origin);
    }
    const callee = unwrap(node);
    if (callee.type !== T.MemberExpression) return undefined;
    const name = propertyName(callee);
    const receiver = terminalName(callee.object);
    if (name === undefined || receiver === undefined) return undefined;
    for (const record of knownLibraries().libraries) {
      const service = record.jwt.service;
      if (!service?.name.test(receiver) || !record.packages.some((p) => this.facts.imports(p))) continue;
      if (service.decoders.includes(name)) return { role: "decode", record };
      if (service.verifiers.includes(name)) return { role: "verify", record };
    }
    return undefined;
  }

  /** `jwt.verify(token, key, options?, callback?)`, `jwtService.verify(token, options?)`. */
  private verifyCall(call: TSESTree.CallExpression, scope: Node, record: JwtRecord): void {
    const args = call.arguments;
    const token = args[0] ? sourceText(this.facts.text, args[0]) : "";
    const tokens = this.verifications.get(scope);
    if (tokens) tokens.add(token);
    else this.verifications.set(scope, new Set([token]));
    const key = record.jwt.verifyKey ?? { in: "argument" };
    if (key.in === "bound") {
      if (args[1] && this.isTokenKey(args[1], scope, record)) {
        // `jwtVerify(token, EmbeddedJWK, { algorithms })`: the key comes from the token itself.
        const options = args[2] ? this.readOptions(args[2], scope) : noOptions();
        const fact = this.verification(call, scope, record.library, options, undefined, undefined);
        fact.key = { kind: "token", text: shortSource(this.facts.text, args[1]), loc: locOf(args[1]) };
        this.out.push(fact);
      }
      return;
    }
    if (key.in === "options") {
      const options =
        args[1] && !isFunction(unwrap(args[1]))
          ? this.readOptions(args[1], scope)
          : { props: new Map<string, TSESTree.Property>(), complete: args.length < 2 };
      const keyOption = key.names.find((name) => options.props.has(name)) ?? key.names.at(-1);
      this.out.push(this.verification(call, scope, record.library, options, keyOption, undefined));
      return;
    }
    const algorithmAt = key.algorithm;
    if (algorithmAt !== undefined) {
      // `jws.verify(signature, algorithm, key)`; the old `jws.verify(signature, key)` lets the header choose.
      const given = args.length > algorithmAt + 1;
      const fact = this.verification(call, scope, record.library, noOptions(), undefined, undefined);
      const algorithm = given ? args[algorithmAt] : undefined;
      if (!algorithm) fact.algorithmFromToken = locOf(call);
      else if (this.fromTokenHeader(algorithm, scope)) fact.algorithmFromToken = locOf(algorithm);
      else fact.algorithms = { values: this.stringList(algorithm, scope), loc: locOf(algorithm) };
      fact.key = this.keyOf(args[given ? algorithmAt + 1 : algorithmAt], scope, call);
      this.out.push(fact);
      return;
    }
    const third = args[2] && !this.isCallback(args[2], scope) ? args[2] : undefined;
    const options = third ? this.readOptions(third, scope) : noOptions();
    const fact = this.verification(call, scope, record.library, options, undefined, undefined);
    fact.key = this.keyOf(args[1], scope, call);
    this.out.push(fact);
  }

  /** A key argument that is one of the record's `tokenKeys` (jose's `EmbeddedJWK`), directly or through a const. */
  private isTokenKey(node: Node, scope: Node, record: JwtRecord): boolean {
    const keys = record.jwt.tokenKeys;
    if (!keys) return false;
    const value = this.constValue(node, scope) ?? { node: unwrap(node), scope };
    const origin = originOf(this.facts, value.node, value.scope);
    return origin !== undefined && record.packages.includes(origin.module) && matchesAny(origin, keys);
  }

  /**
   * A factory that takes the one algorithm and the key in its options: jws's
   * `createVerify({ signature, algorithm, key })`. Without the algorithm option, or with the
   * token's own `header.alg`, the token picks how it is checked.
   */
  private verifierFactory(
    call: TSESTree.CallExpression,
    scope: Node,
    role: Extract<Role, { role: "middleware" }>,
  ): void {
    const optionsNode = call.arguments[0];
    if (!optionsNode) return;
    const options = this.readOptions(optionsNode, scope);
    const keyOption = [role.keyOption, ...(role.otherKeyOptions ?? [])].find((name) => options.props.has(name));
    const fact = this.verification(call, scope, role.record.library, options, keyOption, undefined);
    if (role.algorithmOption !== undefined) {
      delete fact.algorithms;
      const algorithm = options.props.get(role.algorithmOption);
      if (!algorithm) {
        if (options.complete) fact.algorithmFromToken = locOf(call);
      } else if (this.fromTokenHeader(algorithm.value, scope)) fact.algorithmFromToken = locOf(algorithm);
      else fact.algorithms = { values: this.stringList(algorithm.value, scope), loc: locOf(algorithm) };
    }
    this.out.push(fact);
  }

  /**
   * `JwtModule.register({ secret, verifyOptions: { algorithms, ignoreExpiration } })`, and the
   * object `registerAsync({ useFactory: () => ({ … }) })`'s factory returns: the verify
   * options every `verify` of the injected service uses. Recorded when verify options are given.
   */
  private moduleRegistration(call: TSESTree.CallExpression, scope: Node, record: JwtRecord): void {
    const modules = record.jwt.modules;
    if (!modules || !call.arguments[0]) return;
    let options = this.readOptions(call.arguments[0], scope);
    let optionsScope = scope;
    const factory = options.props.get(modules.factoryOption);
    if (factory) {
      const returned = this.returnedObject(factory.value, scope);
      if (!returned) return;
      options = this.readOptions(returned.node, returned.scope);
      optionsScope = returned.scope;
    }
    const verifyOptions = options.props.get(modules.verifyOption);
    if (!verifyOptions) return;
    const verify = this.readOptions(verifyOptions.value, optionsScope);
    const fact = this.verification(call, optionsScope, record.library, verify, undefined, undefined);
    const keyOption = modules.keyOptions.find((name) => options.props.has(name));
    const keyProp = keyOption !== undefined ? options.props.get(keyOption) : undefined;
    if (keyProp) fact.key = this.keyOf(keyProp.value, optionsScope, keyProp);
    this.out.push(fact);
  }

  /** The object a factory returns: `() => ({ … })`, or a body ending in `return { … }` (a const holding one too). */
  private returnedObject(node: Node, scope: Node): { node: Node; scope: Node } | undefined {
    const value = this.constValue(node, scope);
    const fn = value?.node;
    if (!fn || (fn.type !== T.ArrowFunctionExpression && fn.type !== T.FunctionExpression)) return undefined;
    if (fn.body.type !== T.BlockStatement) {
      const body = unwrapAwait(fn.body);
      return body.type === T.ObjectExpression ? { node: body, scope: fn } : undefined;
    }
    const last = fn.body.body.at(-1);
    if (last?.type !== T.ReturnStatement || !last.argument) return undefined;
    const returned = unwrap(last.argument);
    return returned.type === T.ObjectExpression ? { node: returned, scope: fn } : undefined;
  }

  /** `decoded.header.alg`, or a const holding it: the algorithm the token names for itself. */
  private fromTokenHeader(node: Node, scope: Node): boolean {
    const value = this.constValue(node, scope)?.node;
    if (value?.type !== T.MemberExpression) return false;
    const names = memberNames(value);
    return names.at(-1) === "alg" && names.includes("header");
  }

  /** `verify(token, key, callback)`: a function, or a name bound to one or named like one (`cb`, `done`). */
  private isCallback(node: Node, scope: Node): boolean {
    const n = unwrap(node);
    if (isFunction(n)) return true;
    if (n.type !== T.Identifier) return false;
    const b = this.facts.resolve(n.name, scope);
    if (b?.kind === "function") return true;
    if (b?.kind === "var") return b.init !== undefined && isFunction(unwrap(b.init));
    return /^(?:cb|callback|done|next|fn)$|Callback$/i.test(n.name);
  }

  /** `expressjwt({ secret, algorithms })`, `new JwtStrategy({ secretOrKey, ignoreExpiration }, verify)`. */
  private middleware(
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    scope: Node,
    library: JwtLibrary,
    optionsNode: Node | undefined,
    keyOption: string,
    keyProviderOption: string | undefined,
  ): void {
    const options = optionsNode
      ? this.readOptions(optionsNode, scope)
      : { props: new Map<string, TSESTree.Property>(), complete: true };
    this.out.push(this.verification(call, scope, library, options, keyOption, keyProviderOption));
  }

  /** `class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({ … }) } }` with a JWT strategy class. */
  private nestStrategy(call: TSESTree.CallExpression, scope: Node): void {
    const owner = this.enclosingClass(call);
    if (!owner || (owner.node.type !== T.ClassDeclaration && owner.node.type !== T.ClassExpression)) return;
    const base = owner.node.superClass ? unwrap(owner.node.superClass) : undefined;
    if (base?.type !== T.CallExpression || terminalName(base.callee) !== "PassportStrategy" || !base.arguments[0])
      return;
    const strategy = this.roleOf(base.arguments[0], owner.scope);
    if (strategy?.role !== "strategy") return;
    const options = call.arguments[0]
      ? this.readOptions(call.arguments[0], scope)
      : { props: new Map<string, TSESTree.Property>(), complete: true };
    const fact = this.verification(
      call,
      scope,
      strategy.record.library,
      options,
      strategy.keyOption,
      strategy.keyProviderOption,
    );
    const name = owner.node.id?.name;
    if (name) fact.via = `super(…) of ${name}`;
    this.out.push(fact);
  }

  /** The innermost class around a node, with its scope, found by walking up from the node. */
  private enclosingClass(node: Node): Collected | undefined {
    if (!this.classes) {
      this.classes = new Map();
      for (const type of [T.ClassDeclaration, T.ClassExpression])
        for (const entry of this.facts.collected.get(type) ?? []) this.classes.set(entry.node, entry);
    }
    for (let current = this.facts.parentOf(node); current; current = this.facts.parentOf(current)) {
      const entry = this.classes.get(current);
      if (entry) return entry;
    }
    return undefined;
  }

  private verification(
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    scope: Node,
    library: JwtLibrary,
    options: Options,
    keyOption: string | undefined,
    keyProviderOption: string | undefined,
  ): TokenVerification {
    const fact: TokenVerification = {
      kind: "verification",
      library,
      via: callText(this.facts.text, call),
      loc: locOf(call),
      settings: [],
      complete: options.complete,
    };
    const algorithms = options.props.get("algorithms");
    if (algorithms) fact.algorithms = { values: this.stringList(algorithms.value, scope), loc: locOf(algorithms) };
    for (const [name, prop] of options.props) {
      const value = unwrap(prop.value);
      if (value.type === T.Literal && typeof value.value === "boolean")
        fact.settings.push({ name, value: value.value, loc: locOf(prop) } satisfies ValidationSetting);
    }
    const keyProp = keyOption ? options.props.get(keyOption) : undefined;
    const keyProvider = keyProviderOption !== undefined ? options.props.get(keyProviderOption) : undefined;
    if (keyProp) fact.key = this.keyOf(keyProp.value, scope, keyProp);
    else if (keyProvider) fact.key = this.keyOf(keyProvider.value, scope, call);
    return fact;
  }

  /** Properties of an options object literal, or of the const it names; spreads of such consts are followed. */
  private readOptions(node: Node, scope: Node, depth = 0): Options {
    const props = new Map<string, TSESTree.Property>();
    const value = this.constValue(node, scope);
    if (depth > MAX_DEPTH || value?.node.type !== T.ObjectExpression) return { props, complete: false };
    let complete = true;
    for (const property of value.node.properties) {
      if (property.type === T.SpreadElement) {
        const inner = this.readOptions(property.argument, value.scope, depth + 1);
        for (const [k, v] of inner.props) props.set(k, v);
        complete &&= inner.complete;
        continue;
      }
      const key = property.computed
        ? staticString(property.key)
        : property.key.type === T.Identifier
          ? property.key.name
          : staticString(property.key);
      if (key === undefined) complete = false;
      else props.set(key, property);
    }
    return { props, complete };
  }

  /** The node itself, or the initialiser of the const it names (with that const's scope). */
  private constValue(node: Node, scope: Node, depth = 0): { node: Node; scope: Node } | undefined {
    const n = unwrap(node);
    if (n.type !== T.Identifier) return { node: n, scope };
    const b = this.facts.resolve(n.name, scope);
    if (b?.kind !== "var" || !b.init || depth > MAX_DEPTH) return undefined;
    return this.constValue(b.init, b.scope, depth + 1);
  }

  /** `["RS256", "ES256"]`, or a const holding one; null when not readable. */
  private stringList(node: Node, scope: Node): string[] | null {
    const value = this.constValue(node, scope);
    if (value?.node.type === T.Literal && typeof value.node.value === "string") return [value.node.value];
    if (value?.node.type !== T.ArrayExpression) return null;
    const out: string[] = [];
    for (const element of value.node.elements) {
      const s = element && element.type !== T.SpreadElement ? staticString(unwrap(element)) : undefined;
      if (s === undefined) return null;
      out.push(s);
    }
    return out;
  }

  private keyOf(node: Node | undefined, scope: Node, owner: Node): VerificationKey {
    if (!node) return { kind: "missing", text: "no key", loc: locOf(owner) };
    const text = shortSource(this.facts.text, node);
    return { kind: this.keyKind(node, scope, 0), text, loc: locOf(node) };
  }

  private keyKind(node: Node, scope: Node, depth: number): VerificationKey["kind"] {
    const n = unwrapAwait(node);
    switch (n.type) {
      case T.Literal:
        if (!n.value) return "falsy";
        return typeof n.value === "string" && PUBLIC_PEM.test(n.value) ? "public" : "other";
      case T.TemplateLiteral: {
        const s = staticString(n);
        if (s === "") return "falsy";
        return s !== undefined && PUBLIC_PEM.test(s) ? "public" : "other";
      }
      case T.UnaryExpression:
        return n.operator === "void" ? "falsy" : "other";
      case T.Identifier: {
        if (n.name === "undefined") return "falsy";
        if (publicName([n.name])) return "public";
        const b = this.facts.resolve(n.name, scope);
        if (b?.kind === "var" && b.init && depth < MAX_DEPTH) return this.keyKind(b.init, b.scope, depth + 1);
        if (b?.kind === "function") return this.callbackKind(b.node);
        if (b?.kind === "import" && this.isPublicKeySource(n, scope)) return "public";
        return "other";
      }
      case T.MemberExpression:
        return publicName(memberNames(n)) ? "public" : "other";
      case T.CallExpression: {
        const callee = unwrap(n.callee);
        const names = memberNames(callee);
        // A key read from a file is a PEM; a JWKS client or `getPublicKey()` serves public keys.
        if (names.some((name) => /^readFile(?:Sync)?$/.test(name)) || publicName(names)) return "public";
        if (callee.type === T.Identifier && this.isPublicKeySource(callee, scope)) return "public";
        if (
          callee.type === T.MemberExpression &&
          /^(?:toString|trim)$/.test(propertyName(callee) ?? "") &&
          depth < MAX_DEPTH
        )
          return this.keyKind(callee.object, scope, depth + 1);
        if (names.join(".") === "Buffer.from" && n.arguments[0] && depth < MAX_DEPTH)
          return this.keyKind(n.arguments[0], scope, depth + 1);
        return "other";
      }
      case T.FunctionExpression:
      case T.ArrowFunctionExpression:
        return this.callbackKind(n);
      default:
        return "other";
    }
  }

  /** A name that comes from a package of public keys: `passportJwtSecret` imported from jwks-rsa. */
  private isPublicKeySource(name: TSESTree.Identifier, scope: Node): boolean {
    const module = originOf(this.facts, name, scope)?.module;
    return module !== undefined && knownLibraries().publicKeyPackages.has(module);
  }

  /** A key callback (`(header, cb) => client.getSigningKey(header.kid, …)`) fetching public keys. */
  private callbackKind(fn: Node): VerificationKey["kind"] {
    const text = sourceText(this.facts.text, fn);
    if (PUBLIC_KEY_CALLBACK.test(text)) return "public";
    // In a file with a JWKS client, a callback is taken to serve its keys unless it names a secret.
    const importsKeys = [...knownLibraries().publicKeyPackages].some((p) => this.facts.imports(p));
    return importsKeys && !SECRET_CALLBACK.test(text) ? "public" : "other";
  }

  /** `jwt.decode(token)` / `decodeJwt(token)`: recorded when the result serves as identity. */
  private unverifiedRead(call: TSESTree.CallExpression, scope: Node, record: JwtRecord): void {
    const use = this.identityUse(call, 0, "");
    if (!use) return;
    if (record.jwt.decodesOnlyOnRequests && !ON_REQUEST_USE.test(use) && !this.servesRequest(call)) return;
    const token = call.arguments[0] ? sourceText(this.facts.text, call.arguments[0]) : "";
    let verifiedNearby = false;
    for (let s: Node | undefined = scope; s && !verifiedNearby; s = this.facts.outerScope(s)) {
      verifiedNearby = this.verifications.get(s)?.has(token) ?? false;
      if (s.type === T.Program) break;
    }
    this.out.push({
      kind: "unverified-read",
      library: record.library,
      call: callText(this.facts.text, call),
      use,
      verifiedNearby,
      loc: locOf(call),
    });
  }

  /**
   * Whether a function around the node takes a request (`req`, `request: NextRequest`, Koa's `ctx`,
   * NestJS's `context: ExecutionContext`, Hono's `c: Context`): the code runs on the server for a caller.
   */
  private servesRequest(node: Node): boolean {
    for (let current = this.facts.parentOf(node); current; current = this.facts.parentOf(current)) {
      if (!isFunction(current) || !("params" in current)) continue;
      for (const param of current.params) {
        const p = param.type === T.AssignmentPattern ? param.left : param;
        if (p.type === T.Identifier && REQUEST_PARAMS.test(p.name)) return true;
        const annotation = "typeAnnotation" in p ? p.typeAnnotation?.typeAnnotation : undefined;
        if (annotation?.type === T.TSTypeReference && REQUEST_TYPES.test(terminalName(annotation.typeName) ?? ""))
          return true;
      }
    }
    return false;
  }

  /**
   * How a value is used as the caller's identity, in words; undefined when it is not
   * (header reads, logging, expiry). `subject` names the value in the words: a local's
   * name, or "" for the call's own result.
   */
  private identityUse(value: Node, depth: number, subject: string): string | undefined {
    let node = value;
    let parent = this.facts.parentOf(node);
    while (parent && isTransparent(parent, node)) {
      node = parent;
      parent = this.facts.parentOf(parent);
    }
    if (!parent || depth > MAX_DEPTH) return undefined;
    switch (parent.type) {
      case T.MemberExpression: {
        if (parent.object !== node) return undefined;
        const name = propertyName(parent);
        if (name === "payload") return this.identityUse(parent, depth + 1, `${subject || "its "}.payload`);
        if (name === undefined || !IDENTITY_FIELDS.has(name) || this.isLogged(parent)) return undefined;
        return `${subject || "its "}.${name} is read`;
      }
      case T.VariableDeclarator:
        if (parent.init !== node) return undefined;
        if (parent.id.type === T.Identifier) return this.referencesUse(parent.id.name, parent, depth);
        if (parent.id.type === T.ObjectPattern) return this.destructuredUse(parent.id, parent, depth);
        return undefined;
      case T.AssignmentExpression: {
        if (parent.right !== node) return undefined;
        const path = memberNames(parent.left);
        if (identityName(path.at(-1)) || (path.length > 1 && path.slice(0, -1).some((p) => REQUEST_OBJECTS.has(p))))
          return `assigned to ${path.join(".")}`;
        if (parent.left.type === T.Identifier) return this.referencesUse(parent.left.name, parent, depth);
        return undefined;
      }
      case T.Property: {
        // `req.auth = { user: decoded }`, `return { user: decoded }` from getCurrentUser(): the object carries it on.
        const key = parent.value === node && !parent.computed ? terminalName(parent.key) : undefined;
        const object = this.facts.parentOf(parent);
        if (
          key === undefined ||
          !(identityName(key) || IDENTITY_FIELDS.has(key)) ||
          object?.type !== T.ObjectExpression
        )
          return undefined;
        return this.identityUse(object, depth + 1, subject);
      }
      case T.ReturnStatement:
        return this.returnedUse(this.enclosingFunction(parent));
      case T.ArrowFunctionExpression:
        return parent.body === node ? this.returnedUse(parent) : undefined;
      case T.CallExpression: {
        const index = parent.arguments.indexOf(node as TSESTree.CallExpressionArgument);
        if (index < 0) return undefined;
        const names = memberNames(parent.callee);
        const last = names.at(-1) ?? "";
        if (HANDOVER_CALLBACKS.has(last) && index === 1) return `handed to ${last}() as the user`;
        if (last === "login" || last === "logIn") return `passed to ${names.join(".")}()`;
        const words = nameWords(last);
        if (words.length > 1 && LOOKUP_VERBS.has(words[0]) && words.slice(1).some((w) => LOOKUP_NOUNS.has(w)))
          return `passed to ${names.join(".")}()`;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** The first identity use among the references to a local that holds the value. */
  private referencesUse(name: string, declaration: Node, depth: number): string | undefined {
    let scope: Node | undefined = this.facts.parentOf(declaration);
    while (scope && !isFunction(scope) && scope.type !== T.Program) scope = this.facts.parentOf(scope);
    if (!scope) return undefined;
    let looked = 0;
    for (const reference of this.identifiersIn(scope, name, declaration.range[1])) {
      if (++looked > MAX_REFERENCES) break;
      const use = this.identityUse(reference, depth + 1, name);
      if (use) return use;
    }
    return undefined;
  }

  private destructuredUse(pattern: TSESTree.ObjectPattern, declaration: Node, depth: number): string | undefined {
    for (const property of pattern.properties) {
      if (property.type !== T.Property) continue;
      const key = property.computed ? staticString(property.key) : terminalName(property.key);
      if (key === undefined) continue;
      if (IDENTITY_FIELDS.has(key)) return `destructures { ${key} }`;
      const local = property.value.type === T.AssignmentPattern ? property.value.left : property.value;
      if (key === "payload" && local.type === T.Identifier) {
        const use = this.referencesUse(local.name, declaration, depth);
        if (use) return use;
      }
    }
    return undefined;
  }

  /** Is the value only written to a log: `console.log(decoded.sub)`, `logger.info(\`user ${decoded.sub}\`)`? */
  private isLogged(node: Node): boolean {
    let current = node;
    for (let i = 0; i < 4; i++) {
      const parent = this.facts.parentOf(current);
      if (!parent) return false;
      if (parent.type === T.CallExpression) {
        if (!parent.arguments.includes(current as TSESTree.CallExpressionArgument)) return false;
        const names = memberNames(parent.callee);
        return LOG_METHODS.has(names.at(-1) ?? "") || LOG_OBJECTS.has(names[0] ?? "");
      }
      if (
        ![T.TemplateLiteral, T.BinaryExpression, T.Property, T.ObjectExpression, T.ArrayExpression].includes(
          parent.type,
        )
      )
        return false;
      current = parent;
    }
    return false;
  }

  private returnedUse(fn: Node | undefined): string | undefined {
    const name = fn ? this.functionName(fn) : undefined;
    return name !== undefined && nameWords(name).some((w) => IDENTITY_WORDS.has(w))
      ? `returned from ${name}()`
      : undefined;
  }

  private enclosingFunction(node: Node): Node | undefined {
    let current = this.facts.parentOf(node);
    while (current && !isFunction(current)) current = this.facts.parentOf(current);
    return current;
  }

  /** `function getUser()`, `const getUser = () =>`, `getUser() {}` in a class or object. */
  private functionName(fn: Node): string | undefined {
    if (fn.type === T.FunctionDeclaration && fn.id) return fn.id.name;
    const parent = this.facts.parentOf(fn);
    if (parent?.type === T.VariableDeclarator && parent.id.type === T.Identifier) return parent.id.name;
    if (
      (parent?.type === T.MethodDefinition || parent?.type === T.Property || parent?.type === T.PropertyDefinition) &&
      !parent.computed
    )
      return terminalName(parent.key);
    if (parent?.type === T.AssignmentExpression) return terminalName(parent.left);
    return undefined;
  }

  /** Identifiers named `name` in `scope` from offset `from` on, in source order (nested functions included, shadowing ignored). */
  private *identifiersIn(scope: Node, name: string, from: number): Generator<TSESTree.Identifier> {
    const list = this.facts.identifiersNamed(name);
    for (
      let i = lowerBound(list, Math.max(scope.range[0], from), (n) => n.range[0]);
      i < list.length && list[i].range[0] < scope.range[1];
      i++
    )
      yield list[i];
  }
}

/** The role of a library export: decoder, verifier, middleware factory or strategy class. */
function exportRole(record: JwtRecord, origin: Origin): Role | undefined {
  const { jwt } = record;
  if (matchesAny(origin, jwt.decoders ?? [])) return { role: "decode", record };
  if (matchesAny(origin, jwt.verifiers ?? [])) return { role: "verify", record };
  if (jwt.middleware && matchesAny(origin, jwt.middleware.factories))
    return { role: "middleware", record, keyOption: jwt.middleware.keyOption };
  if (jwt.verifierFactories && matchesAny(origin, jwt.verifierFactories.factories)) {
    const { keyOption, otherKeyOptions, algorithmOption } = jwt.verifierFactories;
    return {
      role: "middleware",
      record,
      keyOption,
      ...(otherKeyOptions ? { otherKeyOptions } : {}),
      ...(algorithmOption !== undefined ? { algorithmOption } : {}),
    };
  }
  if (jwt.modules && matchesAny(origin, jwt.modules.calls)) return { role: "module", record };
  if (jwt.strategies && matchesAny(origin, jwt.strategies.classes))
    return {
      role: "strategy",
      record,
      keyOption: jwt.strategies.keyOption,
      keyProviderOption: jwt.strategies.keyProviderOption,
    };
  return undefined;
}

interface Options {
  props: Map<string, TSESTree.Property>;
  complete: boolean;
}

/** No options given: nothing is set, and that is all there is. */
function noOptions(): Options {
  return { props: new Map(), complete: true };
}

/** Nodes a value passes through unchanged on its way to its use. */
function isTransparent(parent: Node, child: Node): boolean {
  switch (parent.type) {
    case T.AwaitExpression:
    case T.TSAsExpression:
    case T.TSNonNullExpression:
    case T.TSSatisfiesExpression:
    case T.TSTypeAssertion:
    case T.ChainExpression:
      return true;
    case T.LogicalExpression:
      return parent.left === child || parent.operator !== "&&";
    case T.ConditionalExpression:
      return parent.test !== child;
    case T.SpreadElement:
      return true;
    case T.ObjectExpression:
      // `{ ...decoded, source: "token" }` carries the claims on.
      return child.type === T.SpreadElement;
    default:
      return false;
  }
}

function identityName(name: string | undefined): boolean {
  return name !== undefined && nameWords(name).some((w) => IDENTITY_WORDS.has(w));
}

function publicName(names: readonly string[]): boolean {
  const words = names.flatMap((n) => nameWords(n));
  return words.some((w) => PUBLIC_KEY_WORDS.has(w)) && !words.some((w) => SECRET_WORDS.has(w));
}
