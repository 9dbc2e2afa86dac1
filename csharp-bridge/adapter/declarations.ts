/**
 * The classes and methods of one C# file. Partial class parts are merged; base classes
 * are resolved by name within the file. The members of a partial class's parts in other
 * files (its primary constructor's parameters, its fields and properties) come from the
 * project index, when the model is asked for with them (`PartMembers`).
 *
 * Recovery (after recovery.ts has repaired what it can): a stray `}` closes a class
 * early and leaves the members after it in the namespace, as methods or, at the top
 * level, as local functions. A local function cannot carry an access modifier, so one
 * with a modifier is taken for the member it was meant to be, and such members belong
 * to the class declared right before them.
 */
import type { Loc } from "../../lib/core/model.js";
import type { SyntaxNode, TreeCursor } from "../parser.js";
import { readAttributes, type CSharpAttribute } from "./attributes.js";
import { childrenThroughWrappers, isTransparent, modifiersOf, simpleName } from "./syntax.js";
import { checkAnalysisClock } from "./clock.js";

export interface MethodDecl {
  node: SyntaxNode;
  name: string;
  /** Where the method's name is: findings about the method are reported there. */
  nameLoc: Loc;
  nameStart: number;
  modifiers: Set<string>;
  attributes: CSharpAttribute[];
  isGeneric: boolean;
  hasParameters: boolean;
  /** False for abstract and extern methods. */
  hasBody: boolean;
  owner: ClassDecl;
}

export interface ClassDecl {
  name: string;
  /** Every part of a partial class, in document order. */
  nodes: SyntaxNode[];
  modifiers: Set<string>;
  attributes: CSharpAttribute[];
  isGeneric: boolean;
  /** The base class: the first base-list entry unless it is interface-shaped (`IFoo`). */
  baseName: string | undefined;
  /** Every base-list entry, simple names (`BaseApiController<T>` → `BaseApiController`). */
  baseTypes: string[];
  methods: MethodDecl[];
}

export interface FileDeclarations {
  classes: ClassDecl[];
  /** The same-file base classes of `decl`, nearest first. */
  baseChain: (decl: ClassDecl) => ClassDecl[];
  /**
   * Names of fields, properties and primary-constructor parameters of `decl` and its same-file
   * bases → simple type name; for a partial class, then those of its parts in other files.
   */
  memberTypes: (decl: ClassDecl) => Map<string, string>;
  /** `const` fields anywhere in the file by name → initializer, for route templates built from constants. */
  constant: (name: string) => SyntaxNode | undefined;
}

const MEMBER_ONLY_MODIFIERS = new Set([
  "public",
  "private",
  "protected",
  "internal",
  "override",
  "virtual",
  "abstract",
  "sealed",
  "new",
]);
const INTERFACE_SHAPED = /^I[A-Z]/;

/** Partial classes by name → the member types their parts in other files declare (name → simple type name). */
export type PartMembers = Readonly<Record<string, Readonly<Record<string, string>>>>;

export function collectDeclarations(root: SyntaxNode, elsewhere: PartMembers = {}): FileDeclarations {
  const classes: ClassDecl[] = [];
  const byName = new Map<string, ClassDecl>();

  const { classes: classNodes, strayMethods } = declarationNodes(root);
  const byNode = new Map<number, ClassDecl>();
  for (const node of classNodes) {
    const decl = readClass(node);
    const existing = byName.get(decl.name);
    const target = existing && existing.modifiers.has("partial") && decl.modifiers.has("partial") ? existing : decl;
    if (target === decl) {
      classes.push(decl);
      if (!existing) byName.set(decl.name, decl);
    } else {
      mergePartial(target, decl);
    }
    byNode.set(node.id, target);
    const body = node.childForFieldName("body");
    if (body) addMethods(target, body);
  }
  for (const { method, owner } of strayMethods) {
    const decl = byNode.get(owner.id);
    const read = decl ? readMethod(method, decl) : undefined;
    if (read) decl!.methods.push(read);
  }

  const chains = new Map<ClassDecl, ClassDecl[]>();
  const baseChain = (decl: ClassDecl): ClassDecl[] => {
    let chain = chains.get(decl);
    if (!chain) {
      chain = [];
      const seen = new Set<ClassDecl>([decl]);
      for (let base = lookupBase(decl); base && !seen.has(base); base = lookupBase(base)) {
        seen.add(base);
        chain.push(base);
      }
      chains.set(decl, chain);
    }
    return chain;
  };
  const lookupBase = (decl: ClassDecl) => (decl.baseName ? byName.get(decl.baseName) : undefined);

  const types = new Map<ClassDecl, Map<string, string>>();
  const memberTypes = (decl: ClassDecl): Map<string, string> => {
    let map = types.get(decl);
    if (!map) {
      map = new Map();
      for (const part of [decl, ...baseChain(decl)]) {
        for (const [name, type] of ownMemberTypes(part)) if (!map.has(name)) map.set(name, type);
      }
      // `partial class OrdersController(ShopDbContext db, ICurrentUser user)` in another file.
      const parts = decl.modifiers.has("partial") && Object.hasOwn(elsewhere, decl.name) ? elsewhere[decl.name] : {};
      for (const [name, type] of Object.entries(parts)) if (!map.has(name)) map.set(name, type);
      types.set(decl, map);
    }
    return map;
  };

  let constants: Map<string, SyntaxNode> | undefined;
  const constant = (name: string): SyntaxNode | undefined => {
    constants ??= collectConstants(classes);
    return constants.get(name);
  };

  return { classes, baseChain, memberTypes, constant };
}

function readClass(node: SyntaxNode): ClassDecl {
  const attributeLists: SyntaxNode[] = [];
  const modifiers = new Set<string>();
  let name = "";
  let isGeneric = false;
  let baseTypes: string[] = [];
  for (const child of node.namedChildren) {
    switch (child.type) {
      case "modifier":
        modifiers.add(child.text);
        break;
      case "identifier":
        name ||= child.text;
        break;
      case "type_parameter_list":
        isGeneric = true;
        break;
      case "base_list":
        baseTypes = child.namedChildren.filter((c) => c.type !== "argument_list").map((c) => simpleName(c));
        break;
      default:
        if (child.type === "attribute_list" || isTransparent(child)) attributeLists.push(child);
    }
  }
  const first = baseTypes[0];
  return {
    name,
    nodes: [node],
    modifiers,
    attributes: readAttributes(attributeLists),
    isGeneric,
    baseName: first !== undefined && !INTERFACE_SHAPED.test(first) ? first : undefined,
    baseTypes,
    methods: [],
  };
}

function mergePartial(into: ClassDecl, part: ClassDecl): void {
  into.nodes.push(...part.nodes);
  for (const m of part.modifiers) into.modifiers.add(m);
  into.attributes.push(...part.attributes);
  into.baseName ??= part.baseName;
  into.baseTypes.push(...part.baseTypes);
}

/**
 * Reads a method in one pass over its children with a cursor, materialising only the
 * attribute lists; undefined when error recovery left it without a name or parameters.
 */
function readMethod(node: SyntaxNode, owner: ClassDecl): MethodDecl | undefined {
  const attributeLists: SyntaxNode[] = [];
  const modifiers = new Set<string>();
  let name: { text: string; start: number; loc: Loc } | undefined;
  let parameters: string | undefined;
  let hasBody = false;
  let isGeneric = false;
  const cursor = node.walk();
  if (!cursor.gotoFirstChild()) return undefined;
  do {
    switch (cursor.nodeType) {
      case "modifier":
        modifiers.add(cursor.nodeText);
        break;
      case "identifier":
        // The return type may be an identifier too; the name is the last one before the parameters.
        if (parameters === undefined)
          name = { text: cursor.nodeText, start: cursor.startIndex, loc: cursorLoc(cursor) };
        break;
      case "type_parameter_list":
        isGeneric = true;
        break;
      case "parameter_list":
        parameters ??= cursor.nodeText;
        break;
      case "block":
      case "arrow_expression_clause":
        hasBody = true;
        break;
      case "attribute_list":
      case "preproc_if_in_attribute_list":
        attributeLists.push(cursor.currentNode);
        break;
    }
  } while (cursor.gotoNextSibling());
  if (!name || parameters === undefined) return undefined;
  return {
    node,
    name: name.text,
    nameLoc: name.loc,
    nameStart: name.start,
    modifiers,
    attributes: readAttributes(attributeLists),
    isGeneric,
    hasParameters: !/^\(\s*\)$/.test(parameters),
    hasBody,
    owner,
  };
}

function cursorLoc(cursor: TreeCursor): Loc {
  const start = cursor.startPosition;
  const end = cursor.endPosition;
  return { start: { line: start.row + 1, column: start.column }, end: { line: end.row + 1, column: end.column } };
}

/** A local function with a member-only modifier: a method tree-sitter misplaced while recovering. */
function isMisparsedMember(node: SyntaxNode): boolean {
  for (const child of node.namedChildren) {
    if (child.type === "modifier" && MEMBER_ONLY_MODIFIERS.has(child.text)) return true;
  }
  return false;
}

/** Node types whose children may declare classes, walked without entering method bodies. */
const CONTAINERS = new Set([
  "compilation_unit",
  "namespace_declaration",
  "file_scoped_namespace_declaration",
  "declaration_list",
  "struct_declaration",
  "record_declaration",
]);
/** Types whose body's methods are their own, not strays. */
const TYPES_WITH_METHODS = new Set(["class_declaration", "struct_declaration", "record_declaration"]);

interface DeclarationNodes {
  /** Every class declaration, outer before inner. */
  classes: SyntaxNode[];
  /**
   * Methods that error recovery pushed out of their class into the enclosing namespace,
   * each with the class declared right before it, where it was written.
   */
  strayMethods: Array<{ method: SyntaxNode; owner: SyntaxNode }>;
}

/**
 * Walks namespaces, type bodies, `#if` blocks and ERROR nodes only: method bodies, the
 * bulk of a file, are not entered.
 */
function declarationNodes(root: SyntaxNode): DeclarationNodes {
  const classes: SyntaxNode[] = [];
  const strayMethods: DeclarationNodes["strayMethods"] = [];
  // `inClassBody`: the node is (inside a wrapper in) a class body, whose methods addMethods reads.
  const stack: Array<{ node: SyntaxNode; inClassBody: boolean }> = [{ node: root, inClassBody: false }];
  while (stack.length > 0) {
    checkAnalysisClock();
    const { node, inClassBody } = stack.pop()!;
    if (node.type === "class_declaration") classes.push(node);
    const isType = TYPES_WITH_METHODS.has(node.type);
    const children = isType ? (node.childForFieldName("body")?.namedChildren ?? []) : node.namedChildren;
    const childrenInClassBody = isType || inClassBody;
    let previousClass: SyntaxNode | undefined;
    const next: Array<{ node: SyntaxNode; inClassBody: boolean }> = [];
    for (const child of children) {
      if (child.type === "class_declaration") {
        previousClass = child;
        next.push({ node: child, inClassBody: false });
      } else if (child.type === "method_declaration") {
        if (!childrenInClassBody && previousClass) strayMethods.push({ method: child, owner: previousClass });
      } else if (child.type === "global_statement") {
        // A member after a stray `}` reads as a top-level local function.
        const inner = child.firstNamedChild;
        if (inner?.type === "local_function_statement" && isMisparsedMember(inner) && previousClass)
          strayMethods.push({ method: inner, owner: previousClass });
      } else if (CONTAINERS.has(child.type) || isTransparent(child)) {
        next.push({ node: child, inClassBody: childrenInClassBody && isTransparent(child) });
      }
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
  return { classes, strayMethods };
}

/** The methods in a class body, including those inside `#if` blocks and ERROR nodes. */
function addMethods(owner: ClassDecl, body: SyntaxNode): void {
  for (const member of childrenThroughWrappers(body)) {
    if (member.type !== "method_declaration") continue;
    const method = readMethod(member, owner);
    if (method) owner.methods.push(method);
  }
}

function ownMemberTypes(decl: ClassDecl): Map<string, string> {
  const map = new Map<string, string>();
  for (const node of decl.nodes) {
    const primary = node.namedChildren.find((c) => c.type === "parameter_list");
    for (const parameter of primary?.namedChildren ?? []) {
      if (parameter.type === "parameter")
        addTyped(map, parameter.childForFieldName("name"), parameter.childForFieldName("type"));
    }
    const body = node.childForFieldName("body");
    if (!body) continue;
    for (const member of childrenThroughWrappers(body)) {
      if (member.type === "property_declaration") {
        addTyped(map, member.childForFieldName("name"), member.childForFieldName("type"));
      } else if (member.type === "field_declaration") {
        const declaration = member.namedChildren.find((c) => c.type === "variable_declaration");
        const type = declaration?.childForFieldName("type") ?? null;
        for (const declarator of declaration?.namedChildren ?? []) {
          if (declarator.type === "variable_declarator") addTyped(map, declarator.childForFieldName("name"), type);
        }
      }
    }
  }
  return map;
}

function addTyped(map: Map<string, string>, name: SyntaxNode | null, type: SyntaxNode | null): void {
  if (name && type && !map.has(name.text)) map.set(name.text, simpleName(type));
}

function collectConstants(classes: readonly ClassDecl[]): Map<string, SyntaxNode> {
  const constants = new Map<string, SyntaxNode>();
  for (const decl of classes) {
    for (const node of decl.nodes) {
      const body = node.childForFieldName("body");
      for (const member of body ? childrenThroughWrappers(body) : []) {
        if (member.type !== "field_declaration" || !modifiersOf(member).has("const")) continue;
        const declaration = member.namedChildren.find((c) => c.type === "variable_declaration");
        for (const declarator of declaration?.namedChildren ?? []) {
          if (declarator.type !== "variable_declarator") continue;
          const name = declarator.childForFieldName("name");
          const value = declarator.lastNamedChild;
          if (name && value && value.startIndex !== name.startIndex && !constants.has(name.text))
            constants.set(name.text, value);
        }
      }
    }
  }
  return constants;
}
