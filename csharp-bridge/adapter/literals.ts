/**
 * String literals of a C# file for AP201, with where they go: the field, property,
 * local, parameter default, named argument, attribute argument, object-initializer
 * member or dictionary key they are assigned to; the key or credential constructor
 * they are passed to (`new SymmetricSecurityKey(Encoding.UTF8.GetBytes("…"))`,
 * `new NetworkCredential(user, "…")`, HMAC, AWS and Azure credentials); and the
 * source text that would read the value from configuration instead. Literals that go
 * nowhere in particular are kept only when long enough to hold a provider credential.
 */
import type { StringLiteral } from "../../lib/core/model.js";
import { MIN_SECRET_LENGTH, mayBeNamedSecret } from "../../lib/core/secrets/index.js";
import { secretNameKind } from "../../lib/core/secrets/names.js";
import { mentionsProviderKeyword } from "../../lib/core/secrets/providers.js";
import type { SyntaxNode } from "../parser.js";
import { MAX_NAME_LENGTH, simpleName, stringLiteralValue, unescape } from "./syntax.js";
import { checkAnalysisClock } from "./clock.js";

const STRING_TYPES = ["string_literal", "verbatim_string_literal", "raw_string_literal"];
const TYPE_DECLARATIONS = ["class_declaration", "record_declaration", "struct_declaration"];

/** A literal that goes nowhere named is worth keeping only if it could hold a credential. */
const MIN_UNTARGETED_LENGTH = 16;

interface Placement {
  target?: string;
  owners: string[];
  fallback: boolean;
  sink?: string;
  /** The configuration key the value belongs under, `Section:Name`, when known from a sink. */
  configKey?: string;
  /** Where only a compile-time constant may stand: `const`, attribute arguments, parameter defaults. */
  constantOnly: boolean;
  /** Compared (`==`, `!=`) with request input (`Request.Headers["X-Api-Key"]`) or with another value. */
  compared?: "request" | "value";
}

/** Constructors and calls that take a key, password or token positionally: argument index, words, configuration key. */
const SINKS: ReadonlyMap<string, { index: number; sink: string; configKey: string }> = new Map([
  ["SymmetricSecurityKey", { index: 0, sink: "key of new SymmetricSecurityKey()", configKey: "Jwt:SigningKey" }],
  ["NetworkCredential", { index: 1, sink: "password of new NetworkCredential()", configKey: "Credentials:Password" }],
  ["HMACSHA1", { index: 0, sink: "key of new HMACSHA1()", configKey: "Hmac:Key" }],
  ["HMACSHA256", { index: 0, sink: "key of new HMACSHA256()", configKey: "Hmac:Key" }],
  ["HMACSHA384", { index: 0, sink: "key of new HMACSHA384()", configKey: "Hmac:Key" }],
  ["HMACSHA512", { index: 0, sink: "key of new HMACSHA512()", configKey: "Hmac:Key" }],
  ["HMACMD5", { index: 0, sink: "key of new HMACMD5()", configKey: "Hmac:Key" }],
  ["BasicAWSCredentials", { index: 1, sink: "secret key of new BasicAWSCredentials()", configKey: "AWS:SecretKey" }],
  [
    "StorageSharedKeyCredential",
    { index: 1, sink: "account key of new StorageSharedKeyCredential()", configKey: "Storage:AccountKey" },
  ],
  ["AzureKeyCredential", { index: 0, sink: "key of new AzureKeyCredential()", configKey: "Azure:Key" }],
  [
    "ClientSecretCredential",
    { index: 2, sink: "client secret of new ClientSecretCredential()", configKey: "AzureAd:ClientSecret" },
  ],
  ["ApiKeyCredential", { index: 0, sink: "key of new ApiKeyCredential()", configKey: "OpenAI:ApiKey" }],
  ["SendGridClient", { index: 0, sink: "API key of new SendGridClient()", configKey: "SendGrid:ApiKey" }],
]);

/** Calls that turn a string into key bytes on its way to a sink. */
const BYTE_CONVERSIONS = new Set(["GetBytes", "FromBase64String", "FromHexString", "ToArray"]);

/** Owner names too generic to name a configuration section. */
const GENERIC_OWNERS =
  /^(?:Program|Startup|Constants?|Settings|Options|Config|Configuration|AppSettings|Globals?|Defaults?|Helpers?|Utils?|Extensions?|Dictionary|ConcurrentDictionary|SortedDictionary|List|HashSet|KeyValuePair|NameValueCollection|[a-z_].*)$/;
const OWNER_SUFFIX =
  /(?:Settings|Options|Config|Configuration|Controller|Service|Client|Constants|Extensions|Helper|Provider|Factory|Handler)$/;

/**
 * A string literal as the adapter hands it over: its place as a range of the text. The
 * location is worked out on the main thread from the range, and only for the literals a
 * rule reports (every node visited from JavaScript costs microseconds).
 */
export type CSharpStringLiteral = Omit<StringLiteral, "loc"> & { range: [number, number] };

export function collectLiterals(root: SyntaxNode, text: string): CSharpStringLiteral[] {
  const readers = new ConfigurationReaders(text);
  const source = new SourceText(text);
  const types = new EnclosingTypes(root, text);
  const out: CSharpStringLiteral[] = [];
  for (const node of stringLiterals(root, text)) {
    checkAnalysisClock();
    if (node.type === INTERPOLATED && hasInterpolation(node)) {
      out.push(...interpolatedParts(node, text));
      continue;
    }
    const value = literalValue(node, text);
    // Shorter values cannot hold a credential, wherever they go.
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    const context = placeContext(text, node);
    const placement =
      context === "argument" ||
      (context === "compared" && (mayBeSecretByValue(value) || mayBeNamedSecret(value))) ||
      (context === "named" &&
        (mayBeSecretByValue(value) || (mayBeNamedSecret(value) && mayNameASecret(text, node.startIndex))))
        ? placementOf(node, types, source)
        : undefined;
    if (!placement && value.length < MIN_UNTARGETED_LENGTH) continue;
    const range: [number, number] = [node.startIndex, node.endIndex];
    const fact: CSharpStringLiteral = { value, range };
    if (placement) {
      if (placement.target !== undefined) fact.target = placement.target;
      if (placement.sink !== undefined) fact.sink = placement.sink;
      if (placement.fallback) fact.fallback = true;
      if (placement.owners.length > 0) fact.owners = placement.owners;
      if (placement.compared) fact.compared = placement.compared;
      const key = placement.constantOnly ? undefined : configurationKey(placement);
      if (key) fact.suggestion = { range, text: readers.read(node, key) };
    }
    out.push(fact);
  }
  return out;
}

const INTERPOLATED = "interpolated_string_expression";
const STRING_TYPE_SET = new Set([...STRING_TYPES, INTERPOLATED]);

function hasInterpolation(node: SyntaxNode): boolean {
  return node.namedChildren.some((c) => c.type === "interpolation");
}

/**
 * The literal parts of an interpolated string (`$"Bearer sk_live_…{suffix}"`, `$"""…{x}…"""`),
 * each as a literal of its own marked `interpolated`: only a provider's credential written
 * in a part is judged, as the whole value is known only when the program runs. Parts
 * too short to hold a credential are dropped.
 */
function interpolatedParts(node: SyntaxNode, text: string): CSharpStringLiteral[] {
  const out: CSharpStringLiteral[] = [];
  const raw = /^\$+"""/.test(text.slice(node.startIndex, node.startIndex + 8));
  const verbatim = /^(?:\$@|@\$)/.test(text.slice(node.startIndex, node.startIndex + 2));
  let start = -1;
  let end = -1;
  let value = "";
  const flush = () => {
    if (start !== -1 && value.length >= MIN_UNTARGETED_LENGTH)
      out.push({ value, range: [start, end], interpolated: true });
    start = -1;
    value = "";
  };
  for (const child of node.namedChildren) {
    if (child.type !== "string_content" && child.type !== "escape_sequence") {
      flush();
      continue;
    }
    const source = text.slice(child.startIndex, child.endIndex);
    if (start === -1) start = child.startIndex;
    end = child.endIndex;
    if (child.type === "escape_sequence") value += unescape(source);
    else if (raw) value += source;
    else
      value += source
        .replace(/\{\{/g, "{")
        .replace(/\}\}/g, "}")
        .replace(verbatim ? /""/g : /(?!)/g, '"');
  }
  flush();
  return out;
}

/**
 * The string literals of the file, in order. Found from the quotes in the text and
 * confirmed in the tree (one look-up in the WebAssembly tree per quote) rather than by visiting every
 * node: a walk over the whole tree costs more than everything done with its literals.
 */
function* stringLiterals(root: SyntaxNode, text: string): Generator<SyntaxNode> {
  const interpolated = new Set<number>();
  for (let i = text.indexOf('"'); i !== -1;) {
    checkAnalysisClock();
    // The opening quote is unnamed: the smallest named node there is the literal itself.
    const found = root.namedDescendantForIndex(i);
    let node: SyntaxNode | null = found;
    for (let up = 0; node && up < 2 && !STRING_TYPE_SET.has(node.type); up++) node = node.parent;
    if (node?.type === INTERPOLATED) {
      // Its holes may hold literals of their own: the search goes on inside it.
      if (!interpolated.has(node.startIndex)) {
        interpolated.add(node.startIndex);
        yield node;
      }
      i = text.indexOf('"', i + 1);
    } else if (node && STRING_TYPE_SET.has(node.type)) {
      yield node;
      i = text.indexOf('"', Math.max(node.endIndex, i + 1));
    } else {
      // A comment holds no literals; anything else (interpolated text, `'"'`) may have some further in.
      i = text.indexOf('"', found?.type === "comment" ? Math.max(found.endIndex, i + 1) : i + 1);
    }
  }
}

/** Sink calls, byte conversions and dictionary pairs, as they read just before a positional argument. */
const ARGUMENT_CONTEXT =
  /(?:\b(?:SymmetricSecurityKey|NetworkCredential|HMAC\w*|BasicAWSCredentials|StorageSharedKeyCredential|AzureKeyCredential|ClientSecretCredential|ApiKeyCredential|SendGridClient|TwilioClient|GetBytes|FromBase64String|FromHexString)\b[^;{}]*|\bnew\s*\([^;{}]*|\[\s*@?[A-Za-z_][\w.]*\s*\(\s*|\{\s*"[^"]*"\s*,\s*)$/;

/**
 * Whether the text before a literal allows it a place at all — after `=`, `:`, `=>`,
 * `??`, `?`, or as an argument of a sink or dictionary pair — so that most literals
 * (route templates, log messages, plain arguments) never touch the tree again:
 * every node visited from JavaScript costs microseconds.
 */
/** A connection string or provider credential is a finding whatever its target; the target still names the suggestion. */
function mayBeSecretByValue(value: string): boolean {
  return /[=;@]|:\/\//.test(value) || mentionsProviderKeyword(value);
}

/**
 * When the text shows the target plainly (`Status = "…"`, `title: "…"`), whether that
 * name could make the literal a secret; comparisons (`x == "…"`) never do. Anything
 * less plain is left to the tree.
 */
function mayNameASecret(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 96), start);
  // `x == "…"`: named for `x`, judged by the tree (placementOf) as a comparison.
  if (/[=!]=\s*$/.test(before)) return true;
  if (/[<>]=\s*$/.test(before)) return false;
  const plain = /(?:^|[^\w.?])(@?[A-Za-z_]\w*)\s*[=:]\s*$/.exec(before);
  return !plain || secretNameKind(plain[1].replace(/^@/, "")) !== undefined;
}

function placeContext(text: string, literal: SyntaxNode): "named" | "argument" | "compared" | undefined {
  let i = literal.startIndex - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  const previous = text[i];
  if (previous === "=" || previous === ":" || previous === ">" || previous === "?") return "named";
  // `"…".Equals(x)`, a switch-expression arm `"…" => …`.
  if (/^\s*(?:\.\s*Equals\s*\(|=>)/.test(text.slice(literal.endIndex, literal.endIndex + 24))) return "compared";
  // `x is "…"`, `is not "…"`, `or "…"`, `case "…":`.
  if (/\b(?:is|not|or|and|case)$/.test(text.slice(Math.max(0, i - 4), i + 1))) return "compared";
  if (previous !== "(" && previous !== ",") return undefined;
  const before = text.slice(Math.max(0, i - 160), i + 1);
  if (COMPARE_ARGUMENT.test(before)) return "compared";
  return ARGUMENT_CONTEXT.test(before) ? "argument" : undefined;
}

/** `a.Equals("…")`, `string.Equals(a, "…", …)`, `FixedTimeEquals(x, …)`, as they read before an argument. */
const COMPARE_ARGUMENT = /\b(?:Equals|FixedTimeEquals)\s*\([^;{}]*$/;

/** The value of a literal, read from the source text where escapes allow (a node's `.text` costs a call into the tree). */
function literalValue(node: SyntaxNode, text: string): string | undefined {
  if (node.type === "raw_string_literal") return stringLiteralValue(node);
  const source = text.slice(node.startIndex, node.endIndex);
  if (node.type === "string_literal" && !source.includes("\\") && source.startsWith('"') && source.endsWith('"'))
    return source.slice(1, -1);
  return stringLiteralValue(node);
}

function placementOf(literal: SyntaxNode, types: EnclosingTypes, source: SourceText): Placement | undefined {
  let current = literal;
  let fallback = false;
  /** The key a `lookup ?? "…"` reads: it says what the fallback stands for. */
  let lookup: string | undefined;
  const named = (target: string | undefined, at: SyntaxNode, constantOnly: boolean): Placement => ({
    target: (lookup ?? target)?.replace(/^@/, ""),
    owners: types.around(at),
    fallback,
    constantOnly,
  });
  for (let guard = 0; guard < 12; guard++) {
    const parent = current.parent;
    if (!parent) return undefined;
    switch (parent.type) {
      case "parenthesized_expression":
      case "cast_expression":
        current = parent;
        continue;
      case "binary_expression":
        if (!fallback && (parent.child(1)?.type === "==" || parent.child(1)?.type === "!=")) {
          const left = parent.childForFieldName("left");
          const other = left?.id === current.id ? parent.childForFieldName("right") : left;
          return comparedPlacement(parent, other, types, source);
        }
        if (parent.child(1)?.type !== "??" || parent.childForFieldName("right")?.id !== current.id) return undefined;
        fallback = true;
        lookup ??= lookupKey(parent.childForFieldName("left"));
        current = parent;
        continue;
      case "conditional_expression":
        if (parent.childForFieldName("condition")?.id === current.id) return undefined;
        current = parent;
        continue;
      case "variable_declarator":
        return named(parent.childForFieldName("name")?.text, parent, isConstDeclarator(parent));
      case "property_declaration":
        return named(parent.childForFieldName("name")?.text, parent, false);
      case "arrow_expression_clause": {
        const member = parent.parent;
        if (member?.type !== "property_declaration" && member?.type !== "method_declaration") return undefined;
        return named(member.childForFieldName("name")?.text, member, false);
      }
      case "assignment_expression": {
        if (parent.childForFieldName("right")?.id !== current.id) return undefined;
        const left = parent.childForFieldName("left");
        const placement = named(assignedName(left), parent, false);
        const owner = assignmentOwner(parent, left);
        if (owner) placement.owners.unshift(owner);
        return placement;
      }
      case "member_access_expression": {
        // `"…"u8.ToArray()`: the bytes of a UTF-8 literal go where the call goes.
        const call = parent.parent;
        if (parent.childForFieldName("expression")?.id !== current.id || call?.type !== "invocation_expression")
          return undefined;
        const method = simpleName(parent.childForFieldName("name"));
        // `"…".Equals(provided)`
        if (method === "Equals" && !fallback)
          return comparedPlacement(call, firstArguments(call)[0] ?? null, types, source);
        if (!BYTE_CONVERSIONS.has(method)) return undefined;
        current = call;
        continue;
      }
      case "constant_pattern":
      case "negated_pattern":
      case "or_pattern":
      case "and_pattern":
      case "parenthesized_pattern":
        current = parent;
        continue;
      case "is_pattern_expression":
        // `provided is "…"`, `is not "…"`, `is "a" or "b"`
        if (parent.childForFieldName("pattern")?.id !== current.id) return undefined;
        return comparedPlacement(parent, parent.childForFieldName("expression"), types, source);
      case "switch_section": {
        // `switch (provided) { case "…": … }`
        const statement = parent.parent?.type === "switch_body" ? parent.parent.parent : null;
        const colon = parent.children.find((c) => c.type === ":");
        if (statement?.type !== "switch_statement" || !colon || current.startIndex > colon.startIndex) return undefined;
        return comparedPlacement(parent, statement.childForFieldName("value"), types, source);
      }
      case "switch_expression_arm": {
        // `provided switch { "…" => …, _ => … }`
        const expression = parent.parent;
        if (expression?.type !== "switch_expression" || parent.firstNamedChild?.id !== current.id) return undefined;
        return comparedPlacement(parent, expression.firstNamedChild, types, source);
      }
      case "parameter":
        return named(parent.childForFieldName("name")?.text, parent, true);
      case "attribute_argument": {
        const name = parent.childForFieldName("name")?.text;
        if (name !== undefined) return named(name, parent, true);
        // `[ApiKey("…")]`: a lone positional argument is what the attribute is named after.
        const list = parent.parent;
        const attribute = list?.parent;
        if (attribute?.type !== "attribute" || list?.namedChildren.length !== 1) return named(undefined, parent, true);
        return named(simpleName(attribute.childForFieldName("name")).replace(/(?<=.)Attribute$/, ""), parent, true);
      }
      case "with_initializer":
        // `options with { SigningKey = "…" }`
        return named(
          parent.firstNamedChild?.type === "identifier" ? parent.firstNamedChild.text : undefined,
          parent,
          false,
        );
      case "argument": {
        const name = parent.childForFieldName("name");
        if (name) return named(name.text, parent, false);
        const call = parent.parent?.parent;
        const method = call?.type === "invocation_expression" ? simpleName(call.childForFieldName("function")) : "";
        if (call && BYTE_CONVERSIONS.has(method)) {
          current = call;
          continue;
        }
        if (call && !fallback && (method === "Equals" || method === "FixedTimeEquals"))
          return argumentComparison(call, parent, types, source);
        return sinkPlacement(parent, fallback, types);
      }
      case "anonymous_object_creation_expression": {
        const name = current.previousNamedSibling;
        return name?.type === "identifier" ? named(name.text, parent, false) : undefined;
      }
      case "initializer_expression": {
        // `{ "Jwt:Key", "…" }` inside a dictionary initializer.
        const parts = parent.namedChildren;
        // Only a pair inside a collection initializer, not a two-element array `new[] { "a", "b" }`.
        if (parent.parent?.type !== "initializer_expression" || parts.length !== 2 || parts[1].id !== current.id)
          return undefined;
        const key = stringLiteralValue(parts[0]);
        return key === undefined ? undefined : named(key, parent, false);
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The request's own values: what a client sends in a header, the query, a form or a cookie. */
const REQUEST_READ = /\bRequest\.(?:Headers|Query|Form|Cookies|RouteValues)\b/;
/** Calls that return the value compared in another form: `….ToString()`, `….Trim()`, `Encoding.UTF8.GetBytes(…)`. */
const SAME_VALUE = /^(?:ToString|FirstOrDefault|Trim|ToLowerInvariant|ToUpperInvariant|AsSpan)$/;
/** Parameters bound from the request: `[FromHeader(Name = "X-Api-Key")] string apiKey`. */
const REQUEST_BINDING = /^\[\s*(?:[\w.]+\.)?From(?:Header|Query|Form)(?:Attribute)?\b/;
/** Nodes whose parameters and body hold the locals a comparison may read. */
const FUNCTIONS = new Set([
  "method_declaration",
  "local_function_statement",
  "lambda_expression",
  "anonymous_method_expression",
  "constructor_declaration",
  "accessor_declaration",
  "operator_declaration",
]);
/** Where a member ends: the search for a function around a comparison stops there. */
const MEMBER_CONTAINERS = new Set([
  "class_declaration",
  "struct_declaration",
  "record_declaration",
  "declaration_list",
]);
/** How far back from a comparison the local it reads is looked for: its declaration is in the same method. */
const MAX_LOOK_BACK = 4000;

/**
 * A literal compared with a value, named for that value: `X-Api-Key` in
 * `Request.Headers["X-Api-Key"] == "…"` (request input: the literal is the credential a
 * request must present), `ApiKey` in `_options.ApiKey == "changeme"` (a placeholder check).
 * A local or parameter is followed to the request when the method reads it from there
 * (see {@link requestRead}).
 */
function comparedPlacement(
  comparison: SyntaxNode,
  compared: SyntaxNode | null,
  types: EnclosingTypes,
  source: SourceText,
): Placement | undefined {
  const other = comparedValue(compared);
  let target =
    assignedName(other) ?? (other && REQUEST_READ.test(other.text) ? readName(other.text, source) : undefined);
  if (!other || target === undefined) return undefined;
  let request = REQUEST_READ.test(other.text);
  if (!request && other.type === "identifier") {
    const read = requestRead(other, source);
    if (read !== undefined) {
      request = true;
      target = read || target;
    }
  }
  return {
    target: target.replace(/^@/, ""),
    owners: types.around(comparison),
    fallback: false,
    constantOnly: !request,
    compared: request ? "request" : "value",
  };
}

/** The value a comparison reads: `x` in `x.ToString()`, `Encoding.UTF8.GetBytes(x)`, `(string)x`. */
function comparedValue(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  for (let guard = 0; current && guard < 8; guard++) {
    if (current.type === "parenthesized_expression" || current.type === "cast_expression") {
      current = current.lastNamedChild;
      continue;
    }
    if (current.type !== "invocation_expression") return current;
    const fn = current.childForFieldName("function");
    const method = simpleName(fn);
    if (fn?.type === "member_access_expression" && SAME_VALUE.test(method))
      current = fn.childForFieldName("expression");
    else if (BYTE_CONVERSIONS.has(method)) current = firstArguments(current)[0] ?? null;
    else return current;
  }
  return current;
}

/** The expressions of a call's first two arguments. */
function firstArguments(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName("arguments");
  const out: SyntaxNode[] = [];
  for (const argument of list?.namedChildren ?? []) {
    if (argument.type !== "argument") continue;
    const value = argument.lastNamedChild;
    if (value) out.push(value);
    if (out.length === 2) break;
  }
  return out;
}

/**
 * A literal argument of an equality call, compared with the other operand:
 * `provided.Equals("…")`, `string.Equals(provided, "…", StringComparison.Ordinal)`,
 * `CryptographicOperations.FixedTimeEquals(GetBytes(provided), GetBytes("…"))`.
 */
function argumentComparison(
  call: SyntaxNode,
  argument: SyntaxNode,
  types: EnclosingTypes,
  source: SourceText,
): Placement | undefined {
  const fn = call.childForFieldName("function");
  const [first, second] = firstArguments(call);
  const value = argument.lastNamedChild;
  if (!value) return undefined;
  const receiver = fn?.type === "member_access_expression" ? fn.childForFieldName("expression") : null;
  const isStatic =
    simpleName(fn) === "FixedTimeEquals" ||
    !receiver ||
    receiver.type === "predefined_type" ||
    /^(?:System\.)?(?:String|Object)$/.test(receiver.text);
  // `provided.Equals("…", StringComparison.Ordinal)` compares with the receiver;
  // `StringComparer.Ordinal.Equals(provided, "…")` compares its two arguments.
  const comparer = second !== undefined && !/\bStringComparison\b/.test(second.text);
  if (!isStatic && !comparer)
    return first?.id === value.id ? comparedPlacement(call, receiver, types, source) : undefined;
  if (first?.id === value.id) return comparedPlacement(call, second ?? null, types, source);
  if (second?.id === value.id) return comparedPlacement(call, first ?? null, types, source);
  return undefined;
}

/**
 * Whether a local or parameter compared in a method holds the request's input, and the
 * name it was read under: `X-Api-Key` for `var key = Request.Headers["X-Api-Key"]`,
 * `Request.Headers.TryGetValue("X-Api-Key", out var provided)` or a parameter bound with
 * `[FromHeader(Name = "X-Api-Key")]` (an action's or a minimal API handler's); `""` when
 * read under a name the code does not spell out. The local's last assignment is looked
 * for in the text of the method before the comparison, at most {@link MAX_LOOK_BACK}
 * characters back.
 */
function requestRead(identifier: SyntaxNode, source: SourceText): string | undefined {
  const name = identifier.text;
  // The functions around the comparison, innermost first: a handler's lambda and the method it is in.
  let outermost: SyntaxNode | undefined;
  for (let node = identifier.parent, guard = 0; node && guard < 64; node = node.parent, guard++) {
    if (MEMBER_CONTAINERS.has(node.type)) break;
    if (!FUNCTIONS.has(node.type)) continue;
    outermost = node;
    const parameters = node.childForFieldName("parameters");
    for (const parameter of parameters?.type === "parameter_list" ? parameters.namedChildren : []) {
      if (parameter.type !== "parameter" || parameter.childForFieldName("name")?.text !== name) continue;
      const binding = parameter.namedChildren.find((c) => c.type === "attribute_list" && REQUEST_BINDING.test(c.text));
      return binding ? (/\bName\s*=\s*"([^"]+)"/.exec(binding.text)?.[1] ?? "") : undefined;
    }
  }
  // The name is built into patterns: one as long as a recovered line would make them too large.
  if (!outermost || name.length > MAX_NAME_LENGTH) return undefined;
  const from = Math.max(outermost.startIndex, identifier.startIndex - MAX_LOOK_BACK, 0);
  const before = source.text.slice(from, identifier.startIndex);
  const escaped = name.replace(/^@/, "@?");
  const assigned = new RegExp(`(?<![\\w.])${escaped}\\s*=(?![=>])\\s*([^;]{1,300});`, "g");
  const tried = new RegExp(
    `\\bRequest\\.(?:Headers|Query|Form|Cookies|RouteValues)\\s*\\.\\s*TryGetValue\\s*\\(\\s*(?:"([^"]*)"|([\\w.]+))\\s*,\\s*out\\s+(?:[\\w.<>?]+\\s+)?${escaped}\\b`,
    "g",
  );
  let last: { at: number; read: string | undefined } | undefined;
  for (const match of before.matchAll(assigned)) {
    const value = match[1];
    const read = REQUEST_READ.test(value) ? (readName(value, source) ?? "") : undefined;
    last = { at: match.index, read };
  }
  for (const match of before.matchAll(tried)) {
    if (!last || match.index > last.at)
      last = { at: match.index, read: match[1] ?? source.constant(match[2]?.split(".").pop()) ?? "" };
  }
  return last?.read;
}

/** The name a request value is read under: `X-Api-Key` in `Request.Headers["X-Api-Key"]` or `Request.Headers[HeaderName]`. */
function readName(expression: string, source: SourceText): string | undefined {
  const match = /\bRequest\.\w+\s*\[\s*(?:"([^"]+)"|(?:[\w.]+\.)?(\w+)\s*\])/.exec(expression);
  return match?.[1] ?? source.constant(match?.[2]);
}

/** The text of a file, with its string constants (`const string HeaderName = "X-Api-Key";`), read once when first asked for. */
class SourceText {
  readonly text: string;
  #constants: Map<string, string> | undefined;

  constructor(text: string) {
    this.text = text;
  }

  constant(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    if (!this.#constants) {
      this.#constants = new Map();
      for (const match of this.text.matchAll(/\bconst\s+string\s+@?(\w+)\s*=\s*"([^"\\\r\n]*)"/g))
        this.#constants.set(match[1], match[2]);
    }
    return this.#constants.get(name);
  }
}

/** `Jwt:Key` in `config["Jwt:Key"]`, `JWT_SECRET` in `Environment.GetEnvironmentVariable("JWT_SECRET")` or `GetValue<string>("…")`. */
function lookupKey(node: SyntaxNode | null): string | undefined {
  if (node?.type === "element_access_expression") return assignedName(node);
  if (node?.type !== "invocation_expression") return undefined;
  const first = node.childForFieldName("arguments")?.namedChildren.find((c) => c.type === "argument")?.firstNamedChild;
  return first ? stringLiteralValue(first) : undefined;
}

function isConstDeclarator(declarator: SyntaxNode): boolean {
  const statement = declarator.parent?.parent;
  return !!statement && statement.namedChildren.some((c) => c.type === "modifier" && c.text === "const");
}

/** `Password` in `x.Password = …`, `Jwt:Key` in `config["Jwt:Key"] = …` or `["Jwt:Key"] = …`. */
function assignedName(left: SyntaxNode | null): string | undefined {
  if (!left) return undefined;
  switch (left.type) {
    case "identifier":
      return left.text;
    case "member_access_expression":
      return left.childForFieldName("name")?.text;
    case "element_access_expression":
    case "element_binding_expression": {
      const subscript = left.type === "element_access_expression" ? left.childForFieldName("subscript") : left;
      const argument = subscript?.namedChildren.find((c) => c.type === "argument");
      const value = argument?.firstNamedChild;
      return value ? stringLiteralValue(value) : undefined;
    }
    default:
      return undefined;
  }
}

/** The object being set up: `JwtOptions` in `new JwtOptions { Key = "…" }`, `smtp` in `smtp.Password = …`. */
function assignmentOwner(assignment: SyntaxNode, left: SyntaxNode | null): string | undefined {
  if (left?.type === "member_access_expression") return simpleName(left.childForFieldName("expression"));
  const initializer = assignment.parent;
  const creation = initializer?.type === "initializer_expression" ? initializer.parent : undefined;
  if (creation?.type === "object_creation_expression") return simpleName(creation.childForFieldName("type"));
  return undefined;
}

/** A positional argument of a known key or credential constructor, or of `TwilioClient.Init`. */
function sinkPlacement(argument: SyntaxNode, fallback: boolean, types: EnclosingTypes): Placement | undefined {
  const list = argument.parent;
  const call = list?.parent;
  if (!list || !call) return undefined;
  const index = list.namedChildren.filter((c) => c.type === "argument").findIndex((c) => c.id === argument.id);
  let entry: { index: number; sink: string; configKey: string } | undefined;
  if (call.type === "object_creation_expression") entry = SINKS.get(simpleName(call.childForFieldName("type")));
  else if (call.type === "implicit_object_creation_expression") entry = SINKS.get(simpleName(targetType(call)));
  else if (
    call.type === "invocation_expression" &&
    /\bTwilioClient\s*\.\s*Init$/.test(call.childForFieldName("function")?.text ?? "")
  ) {
    entry = { index: 1, sink: "auth token of TwilioClient.Init()", configKey: "Twilio:AuthToken" };
  }
  if (!entry || entry.index !== index) return undefined;
  return { sink: entry.sink, configKey: entry.configKey, owners: types.around(call), fallback, constantOnly: false };
}

/**
 * The type a target-typed `new(…)` creates, where the code names it: the declared type of
 * the field, property or local it initialises (`SymmetricSecurityKey Key = new(…)`), the
 * type of an expression-bodied property or method it is the body of, or the return type
 * of the method it is returned from.
 */
function targetType(creation: SyntaxNode): SyntaxNode | null {
  let node = creation;
  let parent = node.parent;
  while (parent?.type === "parenthesized_expression") {
    node = parent;
    parent = node.parent;
  }
  switch (parent?.type) {
    case "variable_declarator": {
      const declaration = parent.parent;
      return declaration?.type === "variable_declaration" ? declaration.childForFieldName("type") : null;
    }
    case "property_declaration":
      return parent.childForFieldName("type");
    case "arrow_expression_clause":
    case "return_statement": {
      let member: SyntaxNode | null = parent.parent;
      for (let guard = 0; member && parent.type === "return_statement" && guard < 32; guard++) {
        if (member.type === "method_declaration" || member.type === "local_function_statement") break;
        if (member.type.includes("lambda") || member.type === "anonymous_method_expression") return null;
        member = member.parent;
      }
      if (member?.type === "property_declaration") return member.childForFieldName("type");
      if (member?.type === "method_declaration" || member?.type === "local_function_statement")
        return member.childForFieldName("returns") ?? member.childForFieldName("type");
      return null;
    }
    default:
      return null;
  }
}

/** Class, record and struct declarations by range, found once per file and only when a literal is placed. */
class EnclosingTypes {
  readonly #root: SyntaxNode;
  readonly #text: string;
  #declarations: { start: number; end: number; name: string }[] | undefined;

  constructor(root: SyntaxNode, text: string) {
    this.#root = root;
    this.#text = text;
  }

  /** Names of the types around `node`, innermost first. */
  around(node: SyntaxNode): string[] {
    this.#declarations ??= typeDeclarations(this.#root, this.#text);
    const { startIndex, endIndex } = node;
    return this.#declarations
      .filter((d) => d.name && d.start <= startIndex && endIndex <= d.end)
      .sort((a, b) => b.start - a.start)
      .map((d) => d.name);
  }
}

/**
 * Class, record and struct declarations with their ranges, found from their keywords in
 * the text and confirmed in the tree (cheaper than a walk of every node).
 */
function typeDeclarations(root: SyntaxNode, text: string): { start: number; end: number; name: string }[] {
  const out: { start: number; end: number; name: string }[] = [];
  for (const match of text.matchAll(/\b(?:class|record|struct)\s+@?[A-Za-z_]/g)) {
    const declaration = root.descendantForIndex(match.index)?.parent;
    if (declaration && TYPE_DECLARATIONS.includes(declaration.type)) {
      out.push({
        start: declaration.startIndex,
        end: declaration.endIndex,
        name: declaration.childForFieldName("name")?.text ?? "",
      });
    }
  }
  return out;
}

/** `Section:Name` for a placement: `Jwt:Secret` for `JwtSettings.Secret`, the key itself for `["Jwt:Key"]`. */
function configurationKey(placement: Placement): string | undefined {
  if (placement.configKey) return placement.configKey;
  const target = placement.target;
  if (!target || !/^[A-Za-z_][\w:.-]*$/.test(target)) return undefined;
  if (target.includes(":")) return target;
  const name = target.replace(/^_+/, "").replace(/^[a-z]/, (c) => c.toUpperCase());
  const owner = placement.owners.find((o) => !GENERIC_OWNERS.test(o));
  const section = owner?.replace(OWNER_SUFFIX, "");
  return section && section !== name ? `${section}:${name}` : `Secrets:${name}`;
}

/**
 * How code at a given place reads configuration: through an `IConfiguration` the
 * enclosing class holds or receives, through the `builder` of a minimal-hosting
 * `Program.cs`, or else from the environment (`Section__Name` is how ASP.NET Core
 * maps environment variables onto `Section:Name`).
 */
class ConfigurationReaders {
  readonly #text: string;
  readonly #byClass = new Map<number, string | null>();
  #builder: string | null | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  read(node: SyntaxNode, key: string): string {
    const cls = enclosingClass(node);
    const reader = cls ? this.#classReader(cls) : this.#builderReader();
    if (reader) return `${reader}["${key}"]`;
    return `Environment.GetEnvironmentVariable("${key.replace(/:/g, "__")}")`;
  }

  #classReader(cls: SyntaxNode): string | undefined {
    let name = this.#byClass.get(cls.startIndex);
    if (name === undefined) {
      const match = /\b(?:IConfiguration|IConfigurationRoot|ConfigurationManager)\s+(@?[A-Za-z_]\w*)\s*[;,)=]/.exec(
        this.#text.slice(cls.startIndex, cls.endIndex),
      );
      name = match ? match[1] : null;
      this.#byClass.set(cls.startIndex, name);
    }
    return name ?? undefined;
  }

  #builderReader(): string | undefined {
    if (this.#builder === undefined) {
      const match = /\b([A-Za-z_]\w*)\s*=\s*WebApplication\s*\.\s*Create(?:Slim|Empty)?Builder\b/.exec(this.#text);
      this.#builder = match ? `${match[1]}.Configuration` : null;
    }
    return this.#builder ?? undefined;
  }
}

function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = node.parent, guard = 0; n && guard < 256; n = n.parent, guard++) {
    if (n.type === "class_declaration" || n.type === "record_declaration" || n.type === "struct_declaration") return n;
  }
  return undefined;
}
