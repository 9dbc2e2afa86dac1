/**
 * How a data-layer call picks its records (AP103): the equality conditions of its
 * `where` object, key argument or query-builder chain, each with the expression that
 * gives its value, and the entity it works on. Only syntax is read here; where each
 * value comes from is for value-origins.ts, and which calls are data calls is for
 * data-layer.ts, which hands over the call with the family its receiver belongs to.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { propertyName, staticString, terminalName, unwrap, unwrapAwait, type Node } from "../ast.js";
import type { FileFacts } from "../facts.js";
import type { ResultUses } from "./result-use.js";
import { parseSql, placeholderValue, sqlSource, type SqlSource } from "./sql-text.js";

/** The kinds of receiver a data call is made on (data-layer.ts decides which). */
export type DataFamily =
  | "prisma" // prisma.invoice.findUnique({ where })
  | "repository" // TypeORM / MikroORM repository or entity manager
  | "model" // Mongoose / Sequelize / Objection model class
  | "collection" // MongoDB driver collection
  | "chain" // knex, TypeORM query builder, Objection query, Drizzle
  | "drizzle-query" // db.query.invoices.findFirst({ where })
  | "instance" // a loaded record: invoice.destroy()
  | "sql"; // SQL text

/** One condition as written: the field and the expression its value comes from. */
export interface RawCondition {
  /** As written; a relation filter's fields are dotted (`owner.id`); `(key)` for a primary-key argument. */
  field: string;
  value: Node;
  /** The function (or Program) the value is read in. */
  scope: Node;
}

/** What the syntax of one data call says about the records it picks. */
export interface RawAccess {
  entity?: string;
  /** Undefined when the call picks nothing (`create`, `insert`) or its selection is not read (SQL text). */
  selection?: { conditions: RawCondition[]; complete: boolean };
  /** The record the call acts on, when it acts on a loaded one (`invoice.destroy()`, `repo.remove(invoice)`). */
  record?: { value: Node; scope: Node };
  /** The call only counts the records it picks (`SELECT count(*) …`). */
  counts?: true;
}

/** Nesting followed inside one `where` object. */
const MAX_FILTER_DEPTH = 6;
/** Links of a query chain read for its conditions. */
const MAX_CHAIN_LINKS = 40;

/** Keys that combine filters (each branch read as more conditions) and keys that exclude (read as none). */
const COMBINATORS = new Set(["AND", "OR", "$and", "$or"]);
const EXCLUDERS = new Set(["NOT", "$not", "$nor", "$text", "$comment"]);
/** MongoDB keys whose condition is code or an expression (`$where: "this.userId == …"`): the filter cannot be read. */
const OPAQUE_KEYS = new Set(["$where", "$expr", "$jsonSchema"]);
/** Words of a relation filter that only say how a list relation matches (`members: { some: { userId } }`). */
const RELATION_WORDS = new Set(["some", "every", "none", "is", "isNot"]);
/** Operator objects (`{ equals: x }`, `{ $in: ids }`): `equals`-like ones select by the value, the rest do not pick one record. */
const EQUALITY_OPERATORS = new Set(["equals", "$eq", "in", "$in", "eq"]);
const OTHER_OPERATORS = new Set([
  "not",
  "notIn",
  "lt",
  "lte",
  "gt",
  "gte",
  "contains",
  "startsWith",
  "endsWith",
  "mode",
  "search",
  "has",
  "hasSome",
  "hasEvery",
  "isEmpty",
  "$ne",
  "$nin",
  "$lt",
  "$lte",
  "$gt",
  "$gte",
  "$exists",
  "$regex",
  "$options",
  "$elemMatch",
  "$size",
  "$all",
  "$type",
]);
/** TypeORM find operators whose argument is the value matched (`id: In(ids)`, `ownerId: Equal(userId)`). */
const TYPEORM_EQUALITY = new Set(["In", "Equal", "Any"]);
/** Options of a TypeORM `find*` call that do not select (a call with only these picks every record). */
const FIND_OPTIONS = new Set([
  "relations",
  "select",
  "order",
  "skip",
  "take",
  "withDeleted",
  "cache",
  "lock",
  "loadEagerRelations",
  "loadRelationIds",
  "relationLoadStrategy",
  "transaction",
  "comment",
]);

const PRISMA_SELECTING = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
  "count",
  "aggregate",
  "groupBy",
]);

/** Repository methods whose first argument is a filter (`findOneBy({ id })`). */
const REPOSITORY_FILTER_FIRST = new Set([
  "findBy",
  "findOneBy",
  "findOneByOrFail",
  "countBy",
  "existsBy",
  "findAndCountBy",
  "sumBy",
  "averageBy",
  "minimumBy",
  "maximumBy",
]);
/** Repository methods whose first argument is find options with `where`, or (MikroORM, TypeORM 0.2) a filter or an id. */
const REPOSITORY_OPTIONS_FIRST = new Set([
  "find",
  "findOne",
  "findOneOrFail",
  "findAndCount",
  "count",
  "exist",
  "exists",
]);
/** Repository methods whose first argument is criteria: an id, ids, or a filter. */
const REPOSITORY_CRITERIA_FIRST = new Set([
  "update",
  "delete",
  "softDelete",
  "restore",
  "increment",
  "decrement",
  "nativeUpdate",
  "nativeDelete",
]);
/** Repository methods that act on a loaded entity passed to them. */
const REPOSITORY_ENTITY_FIRST = new Set([
  "remove",
  "softRemove",
  "save",
  "removeAndFlush",
  "persist",
  "persistAndFlush",
]);

/** Model methods that take a primary key. */
const MODEL_KEY_FIRST = new Set([
  "findById",
  "findByIdAndUpdate",
  "findByIdAndDelete",
  "findByIdAndRemove",
  "findByPk",
]);
/** Model methods whose first argument is a Mongoose filter or Sequelize options. */
const MODEL_FILTER_FIRST = new Set([
  "find",
  "findOne",
  "findAll",
  "findAndCountAll",
  "count",
  "countDocuments",
  "exists",
  "deleteOne",
  "deleteMany",
  "updateOne",
  "updateMany",
  "replaceOne",
  "findOneAndUpdate",
  "findOneAndDelete",
  "findOneAndReplace",
  "findOneAndRemove",
  "destroy",
  "remove",
  "update",
  "increment",
  "decrement",
]);

/** The MongoDB driver's methods, with those of its 3.x API (`update`, `remove`, `count`, `findAndModify`) that NeDB and MarsDB keep. */
const COLLECTION_FILTER_FIRST = new Set([
  "find",
  "findOne",
  "update",
  "remove",
  "count",
  "findAndModify",
  "findAndRemove",
  "updateOne",
  "updateMany",
  "replaceOne",
  "deleteOne",
  "deleteMany",
  "findOneAndUpdate",
  "findOneAndDelete",
  "findOneAndReplace",
  "countDocuments",
]);

/** Chain links that add conditions. */
const WHERE_LINKS = new Set(["where", "andWhere", "orWhere", "whereIn", "andWhereIn", "orWhereIn", "whereInIds"]);
/** Chain links that make a condition the chain cannot be read from. */
const OPAQUE_WHERE_LINKS = new Set(["whereRaw", "andWhereRaw", "orWhereRaw", "whereExists", "modify"]);
/** Objection's by-key links: `Model.query().findById(id)`, `.deleteById(id)`, `.patchAndFetchById(id, …)`. */
const KEY_LINKS = new Set(["findById", "deleteById", "patchAndFetchById", "updateAndFetchById", "findByIds"]);
/** Chain links that write rows they create rather than pick. */
const INSERT_LINKS = new Set(["insert", "insertAndFetch", "insertGraph", "values", "upsertGraph", "insertInto"]);

export class RecordSelections {
  constructor(
    private readonly facts: FileFacts,
    private readonly uses: ResultUses,
  ) {}

  /** The entity and selection of a data call of `family` made with `method`. */
  read(family: DataFamily, call: TSESTree.CallExpression, method: string, scope: Node): RawAccess {
    switch (family) {
      case "prisma":
        return this.prisma(call, method, scope);
      case "repository":
        return this.repository(call, method, scope);
      case "model":
        return this.model(call, method, scope);
      case "collection":
        return this.collection(call, method, scope);
      case "chain":
        return this.chain(call, scope);
      case "drizzle-query":
        return this.drizzleQuery(call, scope);
      case "instance": {
        const receiver = (unwrap(call.callee) as TSESTree.MemberExpression).object;
        return { record: { value: receiver, scope } };
      }
      case "sql":
        return this.sql(call, method, scope);
    }
  }

  // ---------------------------------------------------------------------------------
  // SQL text: `pool.query("SELECT … WHERE id = $1", [id])`, `db.execute(sql\`… ${id}\`)`
  // ---------------------------------------------------------------------------------

  private sql(call: TSESTree.CallExpression, method: string, scope: Node): RawAccess {
    const source = sqlSource(call.arguments[0], scope, this.facts);
    const parsed = source ? parseSql(source.text) : undefined;
    if (!source || !parsed) return {};
    const values = this.sqlValues(call, method, source, scope);
    const conditions: RawCondition[] = [];
    let complete = parsed.complete;
    for (const condition of parsed.conditions) {
      if (condition.value === "literal") {
        // A constant: the text itself stands for it (an origin of its own, not the client's).
        conditions.push({ field: condition.column, value: source.node, scope: source.scope });
        continue;
      }
      const value = placeholderValue(condition.value, source, values, this.facts);
      if (!value) {
        complete = false;
        continue;
      }
      const at = condition.value.startsWith("i:") ? source.scope : values.scope;
      conditions.push({ field: condition.column, value, scope: at });
    }
    return {
      ...entityOnly(parsed.table),
      selection: { conditions, complete },
      ...(parsed.counts ? { counts: true as const } : {}),
    };
  }

  /**
   * The values a statement's placeholders take: the array or object after the text, a
   * config object's `values`, Sequelize's `replacements` / `bind`, Prisma's rest arguments
   * (`$queryRawUnsafe(sql, id)`), or pg-promise's single value.
   */
  private sqlValues(
    call: TSESTree.CallExpression,
    method: string,
    source: SqlSource,
    scope: Node,
  ): { list?: readonly (Node | null)[]; object?: TSESTree.ObjectExpression; single?: Node; scope: Node } {
    if (method.startsWith("$")) return { list: call.arguments.slice(1), scope };
    let node: Node | undefined = source.values ?? call.arguments[1];
    let at = source.values ? source.scope : scope;
    for (let step = 0; node && step < 3; step++) {
      const value = unwrap(node);
      if (value.type === T.ArrayExpression) return { list: value.elements, scope: at };
      if (value.type === T.Identifier) {
        const b = this.facts.resolve(value.name, at);
        if (b?.kind !== "var" || !b.init) return { single: value, scope: at };
        const init = unwrap(b.init);
        if (init.type !== T.ArrayExpression && init.type !== T.ObjectExpression) return { single: value, scope: at };
        node = init;
        at = b.scope;
        continue;
      }
      if (value.type !== T.ObjectExpression) return { single: value, scope: at };
      const options = this.facts.objectProperty(value, "replacements") ?? this.facts.objectProperty(value, "bind");
      if (!options) return { object: value, scope: at };
      node = options.value;
    }
    return { scope: at };
  }

  // ---------------------------------------------------------------------------------
  // Prisma
  // ---------------------------------------------------------------------------------

  private prisma(call: TSESTree.CallExpression, method: string, scope: Node): RawAccess {
    const delegate = unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object);
    const entity = delegate.type === T.MemberExpression ? propertyName(delegate) : undefined;
    if (!PRISMA_SELECTING.has(method)) return entityOnly(entity);
    const args = this.objectOf(call.arguments[0], scope);
    if (!args) return { ...entityOnly(entity), selection: { conditions: [], complete: call.arguments.length === 0 } };
    const where = this.property(args.object, "where");
    if (where === null) return { ...entityOnly(entity), selection: { conditions: [], complete: false } };
    const conditions: RawCondition[] = [];
    const complete = where ? this.filter(where, args.scope, conditions) : true;
    return { ...entityOnly(entity), selection: { conditions, complete } };
  }

  // ---------------------------------------------------------------------------------
  // TypeORM / MikroORM
  // ---------------------------------------------------------------------------------

  private repository(call: TSESTree.CallExpression, method: string, scope: Node): RawAccess {
    const receiver = unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object);
    let args: readonly Node[] = call.arguments;
    let entity: string | undefined;
    // `em.findOne(Invoice, { where })`, `manager.delete(Invoice, id)`, `em.remove(entity)`.
    const first = args[0] ? unwrap(args[0]) : undefined;
    if (first && args.length >= 2 && isEntityClassArgument(first) && !REPOSITORY_ENTITY_FIRST.has(method)) {
      entity = first.type === T.Identifier ? first.name : staticString(first);
      args = args.slice(1);
    } else if (first && args.length === 1 && isEntityClassArgument(first) && REPOSITORY_OPTIONS_FIRST.has(method)) {
      // `em.find(Invoice)`: every record.
      return {
        entity: first.type === T.Identifier ? first.name : staticString(first),
        selection: { conditions: [], complete: true },
      };
    } else {
      entity = this.repositoryEntity(receiver, scope);
    }
    const arg = args[0];
    if (REPOSITORY_ENTITY_FIRST.has(method)) {
      if (!arg) return entityOnly(entity);
      const value = unwrap(arg);
      // `save({ ...dto })`, `save(repo.create(dto))`: a new or merged object, not a record picked by the call.
      if (value.type === T.ObjectExpression || value.type === T.ArrayExpression || value.type === T.CallExpression)
        return entityOnly(entity);
      return { ...entityOnly(entity), record: { value: arg, scope } };
    }
    if (REPOSITORY_FILTER_FIRST.has(method))
      return { ...entityOnly(entity), selection: this.filterArgument(arg, scope) };
    if (REPOSITORY_OPTIONS_FIRST.has(method)) {
      if (!arg) return { ...entityOnly(entity), selection: { conditions: [], complete: true } };
      const options = this.objectOf(arg, scope);
      if (!options) return { ...entityOnly(entity), selection: this.keyArgument(arg, scope) };
      const where = this.property(options.object, "where");
      if (where === null) return { ...entityOnly(entity), selection: { conditions: [], complete: false } };
      if (where) {
        const conditions: RawCondition[] = [];
        const complete = this.filter(where, options.scope, conditions);
        return { ...entityOnly(entity), selection: { conditions, complete } };
      }
      // No `where`: options alone pick every record; anything else is a MikroORM filter.
      const onlyOptions = options.object.properties.every(
        (p) => p.type === T.Property && !p.computed && FIND_OPTIONS.has(keyName(p) ?? ""),
      );
      if (onlyOptions) return { ...entityOnly(entity), selection: { conditions: [], complete: true } };
      return { ...entityOnly(entity), selection: this.filterArgument(arg, scope) };
    }
    if (REPOSITORY_CRITERIA_FIRST.has(method) || method === "findByIds") {
      if (!arg) return entityOnly(entity);
      return { ...entityOnly(entity), selection: this.criteria(arg, scope) };
    }
    return entityOnly(entity);
  }

  /** `this.invoiceRepository` typed `Repository<Invoice>` or injected with `@InjectRepository(Invoice)`, `getRepository(Invoice)`, or its name. */
  private repositoryEntity(receiver: Node, scope: Node): string | undefined {
    const r = unwrapAwait(receiver);
    if (r.type === T.CallExpression) return classArgument(r);
    if (r.type === T.Identifier) {
      const b = this.facts.resolve(r.name, scope);
      if (b?.kind === "var" && b.init) {
        const init = unwrapAwait(b.init);
        if (init.type === T.CallExpression) {
          const entity = classArgument(init);
          if (entity) return entity;
        }
      }
      if (b?.kind === "param") {
        const typed = typeArgument(b.node);
        if (typed) return typed;
      }
      return strippedName(r.name);
    }
    if (r.type === T.MemberExpression && unwrap(r.object).type === T.ThisExpression) {
      const field = propertyName(r);
      if (field === undefined) return undefined;
      const typed = this.fieldEntity(r, field);
      return typed ?? strippedName(field);
    }
    const name = terminalName(r);
    return name === undefined ? undefined : strippedName(name);
  }

  /**
   * What a field or parameter is declared as: a TypeORM / MikroORM repository or entity
   * manager (`Repository<Invoice>`, `@InjectRepository(Invoice)`, `EntityManager`), a
   * Mongoose model (`Model<InvoiceDocument>`, `@InjectModel(Invoice.name)`), or a MongoDB
   * collection (`Collection<Order>` in a file that imports mongodb, a field the class sets
   * to `db.collection("orders")`).
   */
  declaredKind(receiver: Node, scope: Node): "repository" | "model" | "collection" | undefined {
    const r = unwrap(receiver);
    let declaration: Node | undefined;
    if (r.type === T.MemberExpression && unwrap(r.object).type === T.ThisExpression) {
      const field = propertyName(r);
      if (field === undefined) return undefined;
      declaration = this.fieldDeclaration(r, field);
      if (!declaration) return this.assignedCollection(r, field) ? "collection" : undefined;
    } else if (r.type === T.Identifier) {
      const b = this.facts.resolve(r.name, scope);
      if (b?.kind === "param") declaration = b.node;
    }
    if (!declaration) return undefined;
    const injected = injectorName(declaration);
    if (injected === "InjectRepository" || injected === "InjectEntityManager") return "repository";
    if (injected === "InjectModel") return "model";
    const type = typeName(declaration);
    if (type !== undefined) {
      if (/^(?:Repository|MongoRepository|TreeRepository|EntityRepository|EntityManager|SqlEntityManager)$/.test(type))
        return "repository";
      if (type === "Model" || /^(?:ModelStatic|ModelCtor|ModelType)$/.test(type)) return "model";
      if (type === "Collection" && this.facts.imports("mongodb")) return "collection";
    }
    const field = r.type === T.MemberExpression ? propertyName(r) : undefined;
    return field !== undefined && this.assignedCollection(r, field) ? "collection" : undefined;
  }

  /** `this.orders = db.collection("orders")` in the class, or a field initialised so. */
  private assignedCollection(member: Node, field: string): boolean {
    const cls = this.enclosingClass(member);
    if (!cls) return false;
    for (const m of this.facts.classMembers(cls, field)) {
      const value = m.type === T.AssignmentExpression ? m.right : m.type === T.PropertyDefinition ? m.value : null;
      const call = value ? unwrapAwait(value) : undefined;
      if (call?.type === T.CallExpression && terminalName(call.callee) === "collection") return true;
    }
    return false;
  }

  /** The constructor parameter property or class field that declares `this.<field>`. */
  private fieldDeclaration(member: Node, field: string): Node | undefined {
    const cls = this.enclosingClass(member);
    if (!cls) return undefined;
    for (const m of this.facts.classMembers(cls, "constructor")) {
      if (m.type !== T.MethodDefinition) continue;
      for (const param of m.value.params) {
        const target = param.type === T.TSParameterProperty ? param.parameter : param;
        if (target.type === T.Identifier && target.name === field) return param;
      }
    }
    for (const m of this.facts.classMembers(cls, field)) if (m.type === T.PropertyDefinition) return m;
    return undefined;
  }

  /** The entity a class field or constructor parameter property names in its type or `@InjectRepository(X)` / `@InjectModel(X.name)`. */
  private fieldEntity(member: Node, field: string): string | undefined {
    const declaration = this.fieldDeclaration(member, field);
    return declaration ? (injectedEntity(declaration) ?? typeArgument(declaration)) : undefined;
  }

  private classes: { cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression; range: [number, number] }[] | undefined;

  /** The innermost class around a node, from the classes the walk saw. */
  private enclosingClass(node: Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
    this.classes ??= (
      [
        ...(this.facts.collected.get(T.ClassDeclaration) ?? []),
        ...(this.facts.collected.get(T.ClassExpression) ?? []),
      ] as { node: Node }[]
    )
      .map((c) => ({ cls: c.node as TSESTree.ClassDeclaration, range: c.node.range }))
      .sort((a, b) => a.range[0] - b.range[0]);
    let found: TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined;
    for (const c of this.classes) {
      if (c.range[0] > node.range[0]) break;
      if (node.range[1] <= c.range[1]) found = c.cls;
    }
    return found;
  }

  // ---------------------------------------------------------------------------------
  // Mongoose / Sequelize / Objection models, MongoDB collections
  // ---------------------------------------------------------------------------------

  private model(call: TSESTree.CallExpression, method: string, scope: Node): RawAccess {
    const receiver = unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object);
    const entity = this.modelEntity(receiver);
    const [first, second] = call.arguments;
    if (MODEL_KEY_FIRST.has(method))
      return {
        ...entityOnly(entity),
        selection: first ? this.keyArgument(first, scope) : { conditions: [], complete: false },
      };
    if (!MODEL_FILTER_FIRST.has(method)) return entityOnly(entity);
    // Sequelize: `update(values, { where })`, `increment(fields, { where })`; `destroy({ where })`, `findOne({ where })`.
    const secondOptions = second ? this.objectOf(second, scope) : undefined;
    if (secondOptions && this.property(secondOptions.object, "where") !== undefined)
      return { ...entityOnly(entity), selection: this.whereOf(secondOptions) };
    if (method === "update" || method === "increment" || method === "decrement") {
      // Mongoose's `update(filter, doc)`; Sequelize's update with its options built elsewhere.
      if (second && !secondOptions && !first) return entityOnly(entity);
    }
    if (!first) return { ...entityOnly(entity), selection: { conditions: [], complete: true } };
    const options = this.objectOf(first, scope);
    if (options && this.property(options.object, "where") !== undefined)
      return { ...entityOnly(entity), selection: this.whereOf(options) };
    if (options && isSequelizeOptionsOnly(options.object))
      return { ...entityOnly(entity), selection: { conditions: [], complete: true } };
    return { ...entityOnly(entity), selection: this.filterArgument(first, scope) };
  }

  /** `Invoice`, `db.Invoice`, `this.invoiceModel` → `invoice`. */
  private modelEntity(receiver: Node): string | undefined {
    const name = terminalName(receiver);
    if (name === undefined) return undefined;
    return /^[A-Z]/.test(name) ? name : strippedName(name);
  }

  private collection(call: TSESTree.CallExpression, method: string, scope: Node): RawAccess {
    const receiver = unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object);
    let entity: string | undefined;
    const source = receiver.type === T.Identifier ? this.initOf(receiver, scope) : receiver;
    if (source?.type === T.CallExpression && terminalName(source.callee) === "collection")
      entity = staticString(source.arguments[0]);
    else {
      const name = terminalName(receiver);
      entity = name === undefined ? undefined : name.replace(/Collection$/i, "") || name;
    }
    if (method === "distinct")
      return { ...entityOnly(entity), selection: this.filterArgument(call.arguments[1], scope) };
    if (!COLLECTION_FILTER_FIRST.has(method)) return entityOnly(entity);
    return { ...entityOnly(entity), selection: this.filterArgument(call.arguments[0], scope) };
  }

  // ---------------------------------------------------------------------------------
  // Query chains: knex, TypeORM's query builder, Objection, Drizzle
  // ---------------------------------------------------------------------------------

  /** The conditions of every link of the chain the call is part of, inside and outside it. */
  private chain(call: TSESTree.CallExpression, scope: Node): RawAccess {
    const links: TSESTree.CallExpression[] = [];
    let root: Node | undefined;
    let followed = false;
    for (let current: Node = call; links.length < MAX_CHAIN_LINKS;) {
      const c = unwrapAwait(current);
      if (c.type === T.CallExpression) {
        links.push(c);
        const callee = unwrap(c.callee);
        if (callee.type !== T.MemberExpression) break;
        current = callee.object;
      } else if (c.type === T.MemberExpression && unwrapAwait(c.object).type === T.CallExpression) {
        current = c.object;
      } else {
        // `const query = db.selectFrom("invoices").where(…); await query.execute()`: the chain goes on in the name's value.
        const built = followed ? undefined : builtQuery(this.facts, this.uses, c, scope);
        if (built) {
          followed = true;
          current = built;
          continue;
        }
        root = c;
        break;
      }
    }
    for (
      let outer = this.facts.outerCall(call);
      outer && links.length < MAX_CHAIN_LINKS;
      outer = this.facts.outerCall(outer)
    )
      links.push(outer);
    const conditions: RawCondition[] = [];
    let complete = true;
    let selects = false;
    let inserts = false;
    let entity: string | undefined;
    let parameters: TSESTree.ObjectExpression[] = [];
    const typeormWheres: { text: string; scope: Node }[] = [];
    for (const link of links) {
      const callee = unwrap(link.callee);
      const name =
        callee.type === T.MemberExpression
          ? propertyName(callee)
          : callee.type === T.Identifier
            ? callee.name
            : undefined;
      if (name === undefined) continue;
      const args = link.arguments;
      if (entity === undefined) entity = this.chainEntity(name, link, callee);
      if (INSERT_LINKS.has(name)) inserts = true;
      if (KEY_LINKS.has(name)) {
        selects = true;
        if (args[0]) conditions.push({ field: "(key)", value: args[0], scope });
        continue;
      }
      if (name === "setParameter" && args[1]) {
        const key = staticString(args[0]);
        // Kept as `:name` until the `where` text that uses it is read.
        if (key !== undefined) conditions.push({ field: `:${key}`, value: args[1], scope });
        continue;
      }
      if (name === "setParameters" && args[0]) {
        const object = this.objectOf(args[0], scope);
        if (object) parameters = [...parameters, object.object];
        continue;
      }
      if (OPAQUE_WHERE_LINKS.has(name)) {
        selects = true;
        complete = false;
        continue;
      }
      if (!WHERE_LINKS.has(name)) continue;
      selects = true;
      if (name === "whereInIds") {
        if (args[0]) conditions.push({ field: "(key)", value: args[0], scope });
        continue;
      }
      const [a, b, c] = args;
      if (!a) continue;
      const first = unwrap(a);
      const text = staticString(first);
      if (text !== undefined && b && !c) {
        const params = this.objectOf(b, scope);
        if (params && /:\w/.test(text)) {
          // TypeORM: `.where("invoice.id = :id", { id })`.
          complete &&= this.typeormWhere(text, params.object, params.scope, conditions);
        } else {
          // knex: `.where("id", id)`.
          conditions.push({ field: lastSegment(text), value: b, scope });
        }
        continue;
      }
      if (text !== undefined && b && c) {
        // knex: `.where("id", "=", id)`.
        if (staticString(b) === "=") conditions.push({ field: lastSegment(text), value: c, scope });
        continue;
      }
      if (text !== undefined) {
        // TypeORM with parameters set elsewhere in the chain (`.setParameter("id", id)`).
        if (/:\w/.test(text)) typeormWheres.push({ text, scope });
        continue;
      }
      if (first.type === T.CallExpression || first.type === T.Identifier) {
        const drizzle = this.drizzleCondition(first, scope, conditions, 0);
        if (drizzle !== undefined) {
          complete &&= drizzle;
          continue;
        }
      }
      if (first.type === T.ObjectExpression || first.type === T.Identifier) {
        complete &&= this.filter(first, scope, conditions);
        continue;
      }
      complete = false;
    }
    for (const { text } of typeormWheres) {
      for (const [field, parameter] of typeormPairs(text)) {
        const set = conditions.find((c) => c.field === `:${parameter}`);
        if (set) conditions.push({ field, value: set.value, scope: set.scope });
        else {
          const value = parameters.map((p) => this.property(p, parameter)).find((v) => v);
          if (value) conditions.push({ field, value, scope });
          else complete = false;
        }
      }
    }
    // In the order the code writes them, whichever end of the chain the call is at.
    const picked = conditions
      .filter((c) => !c.field.startsWith(":"))
      .sort((a, b) => a.value.range[0] - b.value.range[0]);
    if (entity === undefined && root) entity = this.chainRootEntity(root, scope);
    if (inserts && !selects) return entityOnly(entity);
    return { ...entityOnly(entity), selection: { conditions: picked, complete } };
  }

  /** `knex("invoices")`, `.from("invoices")`, `.table()`, `.into()`, `db.update(invoices)`, `createQueryBuilder(Invoice, "i")`, Kysely's `selectFrom("invoices")`. */
  private chainEntity(name: string, link: TSESTree.CallExpression, callee: Node): string | undefined {
    const arg = link.arguments[0] ? unwrap(link.arguments[0]) : undefined;
    if (!arg) return undefined;
    if (callee.type === T.Identifier) return staticString(arg);
    if (
      name === "from" ||
      name === "table" ||
      name === "into" ||
      name === "update" ||
      name === "delete" ||
      name === "createQueryBuilder" ||
      // Kysely
      name === "selectFrom" ||
      name === "updateTable" ||
      name === "deleteFrom" ||
      name === "insertInto"
    ) {
      if (arg.type === T.Identifier) return arg.name;
      const text = staticString(arg);
      // `selectFrom("invoices as i")`, knex's `from("invoices as i")`: the table without its alias.
      if (text !== undefined && name !== "createQueryBuilder") return text.split(/\s+as\s+/i)[0];
    }
    return undefined;
  }

  /** The repository or model a chain starts from: `this.invoiceRepository.createQueryBuilder("i")`, `Invoice.query()`. */
  private chainRootEntity(root: Node, scope: Node): string | undefined {
    const name = terminalName(root);
    if (name === undefined || name === "this") return undefined;
    if (/^[A-Z]/.test(name)) return name;
    return this.repositoryEntity(root, scope);
  }

  /** `invoice.id = :id AND invoice.userId = :userId` with its parameters. False when a parameter is not found. */
  private typeormWhere(text: string, params: TSESTree.ObjectExpression, scope: Node, out: RawCondition[]): boolean {
    let complete = true;
    for (const [field, parameter] of typeormPairs(text)) {
      const value = this.property(params, parameter);
      if (value) out.push({ field, value, scope });
      else complete = false;
    }
    return complete;
  }

  /**
   * Drizzle's condition builders: `eq(invoices.id, id)`, `and(…)`, `or(…)`, `inArray(t.id, ids)`.
   * Undefined when the expression is none of them; false when part of it cannot be read (`sql\`…\``).
   */
  private drizzleCondition(node: Node, scope: Node, out: RawCondition[], depth: number): boolean | undefined {
    if (depth > MAX_FILTER_DEPTH) return false;
    let n = unwrap(node);
    if (n.type === T.Identifier) {
      const init = this.initOf(n, scope);
      if (!init || init.type !== T.CallExpression) return undefined;
      n = init;
    }
    if (n.type === T.TaggedTemplateExpression) return false;
    if (n.type !== T.CallExpression) return undefined;
    const name = terminalName(n.callee);
    if (name === "eq" || name === "inArray") {
      const [column, value] = n.arguments;
      const field = column ? columnName(column) : undefined;
      if (field === undefined || !value) return false;
      out.push({ field, value, scope });
      return true;
    }
    if (name === "and" || name === "or") {
      let complete = true;
      for (const arg of n.arguments) {
        if (arg.type === T.SpreadElement) {
          complete = false;
          continue;
        }
        const inner = this.drizzleCondition(arg, scope, out, depth + 1);
        if (inner === false) complete = false;
      }
      return complete;
    }
    if (name !== undefined && DRIZZLE_OTHER.has(name)) return true;
    return undefined;
  }

  /** `db.query.invoices.findFirst({ where: eq(invoices.id, id) })`, `where: (t, { eq }) => eq(t.id, id)`, or a `where` object (Drizzle v2). */
  private drizzleQuery(call: TSESTree.CallExpression, scope: Node): RawAccess {
    const table = unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object);
    const entity = table.type === T.MemberExpression ? propertyName(table) : undefined;
    const args = this.objectOf(call.arguments[0], scope);
    if (!args) return { ...entityOnly(entity), selection: { conditions: [], complete: call.arguments.length === 0 } };
    const where = this.property(args.object, "where");
    if (where === null) return { ...entityOnly(entity), selection: { conditions: [], complete: false } };
    if (!where) return { ...entityOnly(entity), selection: { conditions: [], complete: true } };
    const conditions: RawCondition[] = [];
    let expr = unwrap(where);
    let exprScope = args.scope;
    if (
      (expr.type === T.ArrowFunctionExpression || expr.type === T.FunctionExpression) &&
      expr.body.type !== T.BlockStatement
    ) {
      exprScope = expr;
      expr = unwrap(expr.body);
    }
    if (expr.type === T.ObjectExpression) {
      const complete = this.filter(expr, exprScope, conditions);
      return { ...entityOnly(entity), selection: { conditions, complete } };
    }
    const complete = this.drizzleCondition(expr, exprScope, conditions, 0);
    return { ...entityOnly(entity), selection: { conditions, complete: complete === true } };
  }

  // ---------------------------------------------------------------------------------
  // Filters
  // ---------------------------------------------------------------------------------

  private whereOf(options: { object: TSESTree.ObjectExpression; scope: Node }): {
    conditions: RawCondition[];
    complete: boolean;
  } {
    const where = this.property(options.object, "where");
    if (where === null) return { conditions: [], complete: false };
    if (!where) return { conditions: [], complete: true };
    const conditions: RawCondition[] = [];
    const complete = this.filter(where, options.scope, conditions);
    return { conditions, complete };
  }

  /** A filter argument: an object (or a name bound to one) read as conditions; anything else is not read. */
  private filterArgument(arg: Node | undefined, scope: Node): { conditions: RawCondition[]; complete: boolean } {
    if (!arg) return { conditions: [], complete: true };
    const conditions: RawCondition[] = [];
    const complete = this.filter(arg, scope, conditions);
    return { conditions, complete };
  }

  /** A primary key argument: `findById(id)`, `findByPk(req.params.id)`. */
  private keyArgument(arg: Node, scope: Node): { conditions: RawCondition[]; complete: boolean } {
    return { conditions: [{ field: "(key)", value: arg, scope }], complete: true };
  }

  /** TypeORM criteria: an id, an array of ids, or a filter object. */
  private criteria(arg: Node, scope: Node): { conditions: RawCondition[]; complete: boolean } {
    const value = unwrap(arg);
    if (value.type === T.ObjectExpression) return this.filterArgument(value, scope);
    if (value.type === T.Identifier) {
      const object = this.objectOf(value, scope);
      if (object) return this.filterArgument(object.object, object.scope);
    }
    return this.keyArgument(arg, scope);
  }

  /**
   * The equality conditions of a `where` object into `out`; false when part of it cannot be
   * read (a spread, a computed key, a filter built elsewhere). Relation filters nest with
   * dotted fields (`owner.id`), combinators (`AND`, `$or`, `[Op.and]`) add their branches.
   */
  private filter(node: Node, scope: Node, out: RawCondition[], prefix: readonly string[] = [], depth = 0): boolean {
    if (depth > MAX_FILTER_DEPTH) return false;
    const n = unwrap(node);
    if (n.type === T.ArrayExpression) {
      // TypeORM `where: [{ … }, { … }]`, `AND: [ … ]`.
      let complete = true;
      for (const element of n.elements) {
        if (!element || element.type === T.SpreadElement) {
          complete = false;
          continue;
        }
        complete = this.filter(element, scope, out, prefix, depth + 1) && complete;
      }
      return complete;
    }
    const object = this.objectOf(n, scope);
    if (!object) return false;
    let complete = true;
    for (const property of object.object.properties) {
      if (property.type === T.SpreadElement) {
        complete = false;
        continue;
      }
      const key = property.computed ? sequelizeOperator(property.key) : keyName(property);
      if (key === undefined) {
        complete = false;
        continue;
      }
      const value = unwrap(property.value);
      if (COMBINATORS.has(key)) {
        complete = this.filter(value, object.scope, out, prefix, depth + 1) && complete;
        continue;
      }
      if (EXCLUDERS.has(key)) continue;
      if (OPAQUE_KEYS.has(key)) {
        complete = false;
        continue;
      }
      if (RELATION_WORDS.has(key) && prefix.length > 0) {
        complete = this.filter(value, object.scope, out, prefix, depth + 1) && complete;
        continue;
      }
      const field = [...prefix, key].join(".");
      if (value.type === T.ObjectExpression) {
        const operators = operatorKeys(value);
        if (operators) {
          for (const p of value.properties) {
            if (p.type !== T.Property) continue;
            const op = p.computed ? sequelizeOperator(p.key) : keyName(p);
            if (op !== undefined && EQUALITY_OPERATORS.has(op))
              out.push({ field, value: p.value, scope: object.scope });
          }
          continue;
        }
        // Prisma's compound unique key (`userId_id: { userId, id }`): its parts are plain fields.
        const compound = key.includes("_") && compoundParts(key, value);
        complete = this.filter(value, object.scope, out, compound ? prefix : [...prefix, key], depth + 1) && complete;
        continue;
      }
      if (value.type === T.CallExpression) {
        const callee = terminalName(value.callee);
        if (callee !== undefined && TYPEORM_EQUALITY.has(callee)) {
          if (value.arguments[0]) out.push({ field, value: value.arguments[0], scope: object.scope });
          continue;
        }
      }
      out.push({ field, value, scope: object.scope });
    }
    return complete;
  }

  /** An object literal, or a name bound (once, here) to one. */
  private objectOf(
    node: Node | undefined,
    scope: Node,
  ): { object: TSESTree.ObjectExpression; scope: Node } | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    if (n.type === T.ObjectExpression) return { object: n, scope };
    if (n.type !== T.Identifier) return undefined;
    const b = this.facts.resolve(n.name, scope);
    if (b?.kind !== "var" || !b.init) return undefined;
    const init = unwrap(b.init);
    return init.type === T.ObjectExpression ? { object: init, scope: b.scope } : undefined;
  }

  /** The value of a plain key of an object; null when a spread might supply it. */
  private property(object: TSESTree.ObjectExpression, name: string): Node | null | undefined {
    const p = this.facts.objectProperty(object, name);
    if (p) return p.value;
    return object.properties.some((q) => q.type === T.SpreadElement) ? null : undefined;
  }

  private initOf(node: TSESTree.Identifier, scope: Node): Node | undefined {
    const b = this.facts.resolve(node.name, scope);
    return b?.kind === "var" && b.init ? unwrapAwait(b.init) : undefined;
  }
}

/**
 * The query a name holds when the function builds it and runs it at once: a variable of the
 * same function, never assigned again and read only there, whose value is a call chain. A
 * builder the code goes on changing (`qb.andWhere(…)` under an `if`, a helper it is passed to)
 * is not followed.
 */
export function builtQuery(
  facts: FileFacts,
  uses: ResultUses,
  node: Node,
  scope: Node,
): TSESTree.CallExpression | undefined {
  if (node.type !== T.Identifier) return undefined;
  const b = facts.resolve(node.name, scope);
  if (b?.kind !== "var" || !b.init || b.scope !== scope) return undefined;
  if ((facts.assignments.get(node.name) ?? []).some((a) => a.scope === scope)) return undefined;
  if (!uses.readOnce(node.name, scope)) return undefined;
  const init = unwrap(b.init);
  return init.type === T.CallExpression ? init : undefined;
}

/** Drizzle builders that filter without picking by a value (`isNull`, `gt`, …): readable, no condition. */
const DRIZZLE_OTHER = new Set([
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "isNull",
  "isNotNull",
  "like",
  "ilike",
  "notInArray",
  "between",
  "notBetween",
  "exists",
  "notExists",
  "not",
  "arrayContains",
]);

function entityOnly(entity: string | undefined): RawAccess {
  return entity !== undefined ? { entity } : {};
}

function keyName(property: TSESTree.Property): string | undefined {
  if (property.computed) return undefined;
  return property.key.type === T.Identifier ? property.key.name : staticString(property.key);
}

/** Sequelize's `[Op.and]`, `[Op.or]`, `[Op.eq]`, `[Op.in]` as the plain key they stand for. */
function sequelizeOperator(key: Node): string | undefined {
  const k = unwrap(key);
  if (k.type !== T.MemberExpression || terminalName(k.object) !== "Op") return undefined;
  const name = propertyName(k);
  if (name === "and") return "AND";
  if (name === "or") return "OR";
  if (name === "not") return "NOT";
  if (name === "eq" || name === "in") return name;
  return name === undefined ? undefined : `$${name}`;
}

/** All keys are query operators: `{ equals: x }`, `{ in: ids }`, `{ $ne: y }`, `{ [Op.eq]: z }`. */
function operatorKeys(object: TSESTree.ObjectExpression): boolean {
  if (object.properties.length === 0) return false;
  return object.properties.every((p) => {
    if (p.type !== T.Property) return false;
    const key = p.computed ? sequelizeOperator(p.key) : keyName(p);
    return key !== undefined && (EQUALITY_OPERATORS.has(key) || OTHER_OPERATORS.has(key) || key.startsWith("$"));
  });
}

/** `userId_id: { userId, id }`: every inner key is a part of the compound name. */
function compoundParts(key: string, object: TSESTree.ObjectExpression): boolean {
  const parts = new Set(key.split("_"));
  return object.properties.every((p) => p.type === T.Property && parts.has(keyName(p) ?? ""));
}

/** Sequelize options that do not select: `findAll({ order, limit })`. */
function isSequelizeOptionsOnly(object: TSESTree.ObjectExpression): boolean {
  const OPTIONS = new Set([
    "attributes",
    "include",
    "order",
    "limit",
    "offset",
    "raw",
    "paranoid",
    "transaction",
    "group",
    "logging",
  ]);
  return (
    object.properties.length > 0 &&
    object.properties.every((p) => p.type === T.Property && OPTIONS.has(keyName(p) ?? ""))
  );
}

/** `invoice.id = :id`, `i.userId IN (:...ids)`: field and parameter name pairs. */
function typeormPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const re = /(?:[\w"`]+\.)?["`]?(\w+)["`]?\s*(?:=|\bin\b)\s*\(?\s*:(?:\.\.\.)?(\w+)/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) pairs.push([m[1], m[2]]);
  return pairs;
}

function lastSegment(field: string): string {
  const i = field.lastIndexOf(".");
  return i < 0 ? field : field.slice(i + 1);
}

/** `invoices.userId` → `userId`. */
function columnName(node: Node): string | undefined {
  const n = unwrap(node);
  return n.type === T.MemberExpression ? propertyName(n) : undefined;
}

/** An entity class (`Invoice`) or entity name (`"Invoice"`) as the first argument of an entity-manager call. */
function isEntityClassArgument(node: Node): boolean {
  if (node.type === T.Identifier) return /^[A-Z]/.test(node.name);
  const text = staticString(node);
  return text !== undefined && /^[A-Z]\w*$/.test(text);
}

/** The class a factory is called with: `getRepository(Invoice)`, `dataSource.getRepository(Invoice)`. */
function classArgument(call: TSESTree.CallExpression): string | undefined {
  const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (arg?.type === T.Identifier && /^[A-Z]/.test(arg.name)) return arg.name;
  const text = staticString(arg);
  return text !== undefined && /^[A-Z]\w*$/.test(text) ? text : undefined;
}

/** The injecting decorator of a parameter or field: `InjectRepository`, `InjectModel`. */
function injectorName(node: Node): string | undefined {
  const decorators = "decorators" in node ? (node.decorators as TSESTree.Decorator[] | undefined) : undefined;
  for (const d of decorators ?? []) {
    const expr = unwrap(d.expression);
    const name = terminalName(expr.type === T.CallExpression ? expr.callee : expr);
    if (name !== undefined && /^Inject(?:Repository|Model|EntityManager)$/.test(name)) return name;
  }
  return undefined;
}

/** The written type's name: `Repository` for `Repository<Invoice>`, `Model` for `mongoose.Model<X>`. */
function typeName(node: Node): string | undefined {
  const target = node.type === T.TSParameterProperty ? node.parameter : node;
  const annotation =
    "typeAnnotation" in target ? (target.typeAnnotation as TSESTree.TSTypeAnnotation | undefined) : undefined;
  const type = annotation?.type === T.TSTypeAnnotation ? annotation.typeAnnotation : undefined;
  if (type?.type !== T.TSTypeReference) return undefined;
  const name = type.typeName;
  return name.type === T.Identifier ? name.name : name.type === T.TSQualifiedName ? name.right.name : undefined;
}

/** `@InjectRepository(Invoice)`, `@InjectModel(Invoice.name)`. */
function injectedEntity(node: Node): string | undefined {
  const decorators = "decorators" in node ? (node.decorators as TSESTree.Decorator[] | undefined) : undefined;
  for (const d of decorators ?? []) {
    const expr = unwrap(d.expression);
    if (expr.type !== T.CallExpression) continue;
    const name = terminalName(expr.callee);
    if (name !== "InjectRepository" && name !== "InjectModel") continue;
    const arg = expr.arguments[0] ? unwrap(expr.arguments[0]) : undefined;
    if (arg?.type === T.Identifier) return arg.name;
    if (arg?.type === T.MemberExpression && propertyName(arg) === "name") return terminalName(arg.object);
    const text = staticString(arg);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** `Repository<Invoice>`, `Model<InvoiceDocument>`, `EntityRepository<Invoice>`: the entity in the written type. */
function typeArgument(node: Node): string | undefined {
  const target = node.type === T.TSParameterProperty ? node.parameter : node;
  const annotation =
    "typeAnnotation" in target ? (target.typeAnnotation as TSESTree.TSTypeAnnotation | undefined) : undefined;
  const type = annotation?.type === T.TSTypeAnnotation ? annotation.typeAnnotation : undefined;
  if (type?.type !== T.TSTypeReference) return undefined;
  const arg = type.typeArguments?.params[0];
  if (arg?.type !== T.TSTypeReference || arg.typeName.type !== T.Identifier) return undefined;
  return arg.typeName.name.replace(/Document$/, "") || arg.typeName.name;
}

/** `invoiceRepository` → `invoice`, `usersRepo` → `users`, `orderModel` → `order`. */
function strippedName(name: string): string {
  const stripped = name.replace(/(Repository|Repo|Model|Collection|Table)$/, "");
  return stripped === "" ? name : stripped;
}
