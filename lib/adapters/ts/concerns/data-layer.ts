/**
 * Which calls read or change persistent data. A method name alone proves nothing
 * (`map.delete(k)`, `hash.update(data)`, `Object.create()`, `req.session.destroy()`), so
 * every table below applies only to a receiver shaped like its data layer: a model class
 * (Mongoose, Sequelize, Objection), a Prisma client delegate, a TypeORM/MikroORM
 * repository or entity manager, a MongoDB collection, a knex query, a model instance,
 * or a driver call whose SQL text says what it does.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { DataOperation, DataOperationKind } from "../../../core/model.js";
import { callText, locOf, propertyName, terminalName, unwrap, unwrapAwait, type Node } from "../ast.js";
import type { CallSite, FileFacts } from "../facts.js";
import { builtQuery, RecordSelections, type DataFamily, type RawAccess } from "./record-selection.js";
import { ResultUses } from "./result-use.js";
import { sqlSource } from "./sql-text.js";

type Table = ReadonlyMap<string, DataOperationKind>;

function table(entries: Record<DataOperationKind, string[]>): Table {
  const map = new Map<string, DataOperationKind>();
  for (const kind of ["read", "write", "delete"] as const) for (const name of entries[kind]) map.set(name, kind);
  return map;
}

/** Static model methods: Mongoose, Sequelize, Objection. */
const MODEL_METHODS = table({
  write: [
    "create",
    "insertMany",
    "bulkCreate",
    "update",
    "updateOne",
    "updateMany",
    "replaceOne",
    "findByIdAndUpdate",
    "findOneAndUpdate",
    "findOneAndReplace",
    "upsert",
    "increment",
    "decrement",
    "bulkWrite",
    "findOrCreate",
  ],
  delete: [
    "destroy",
    "deleteOne",
    "deleteMany",
    "findByIdAndDelete",
    "findOneAndDelete",
    "findByIdAndRemove",
    "findOneAndRemove",
    "remove",
    "truncate",
  ],
  read: [
    "find",
    "findOne",
    "findById",
    "findAll",
    "findByPk",
    "findAndCountAll",
    "count",
    "countDocuments",
    "aggregate",
    "exists",
    "distinct",
  ],
});

/** `prisma.<model>.<method>`. */
const PRISMA_METHODS = table({
  write: ["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert"],
  delete: ["delete", "deleteMany"],
  read: [
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
    "count",
    "aggregate",
    "groupBy",
  ],
});

/** TypeORM repositories and entity managers, MikroORM's `em`. `repo.create()` only builds an object. */
const REPOSITORY_METHODS = table({
  write: [
    "save",
    "insert",
    "update",
    "upsert",
    "increment",
    "decrement",
    "restore",
    "persist",
    "persistAndFlush",
    "flush",
    "nativeInsert",
    "nativeUpdate",
  ],
  delete: ["delete", "remove", "softDelete", "softRemove", "removeAndFlush", "nativeDelete"],
  read: [
    "find",
    "findOne",
    "findBy",
    "findOneBy",
    "findOneOrFail",
    "findOneByOrFail",
    "findAndCount",
    "findAndCountBy",
    "count",
    "countBy",
    "exist",
    "exists",
  ],
});

/**
 * MongoDB driver collections, with the 3.x driver's `insert` / `update` / `remove` /
 * `count` / `findAndModify` that code written for it (and NeDB, MarsDB) still calls.
 */
const COLLECTION_METHODS = table({
  write: [
    "insertOne",
    "insertMany",
    "updateOne",
    "updateMany",
    "replaceOne",
    "findOneAndUpdate",
    "findOneAndReplace",
    "bulkWrite",
    "insert",
    "update",
    "findAndModify",
  ],
  delete: ["deleteOne", "deleteMany", "findOneAndDelete", "remove", "findAndRemove"],
  read: ["find", "findOne", "countDocuments", "estimatedDocumentCount", "count", "aggregate", "distinct"],
});

/** The last call of a knex / Objection / TypeORM query-builder chain. */
const QUERY_BUILDER_METHODS = table({
  write: [
    "insert",
    "update",
    "upsert",
    "increment",
    "decrement",
    "patch",
    "patchAndFetchById",
    "updateAndFetchById",
    "insertAndFetch",
    "insertGraph",
    "upsertGraph",
    "merge",
  ],
  delete: ["del", "delete", "truncate", "deleteById"],
  // knex's `.first()`, the TypeORM query builder's getters.
  read: [
    "first",
    "getOne",
    "getOneOrFail",
    "getMany",
    "getManyAndCount",
    "getRawOne",
    "getRawMany",
    "getCount",
    "getExists",
  ],
});

/** Reads that answer only whether records exist, or how many. */
const COUNTING_METHODS = new Set([
  "count",
  "countBy",
  "countDocuments",
  "estimatedDocumentCount",
  "exists",
  "exist",
  "existsBy",
  "getCount",
  "getExists",
]);

/** Drizzle: `db.select().from(t)`, `db.update(t).set(…)`, `db.delete(t)`, `db.insert(t)`, in a file that imports drizzle-orm. */
const DRIZZLE_METHODS = table({
  write: ["insert", "update"],
  delete: ["delete"],
  read: ["select", "selectDistinct"],
});

/**
 * Kysely: a query is built from `db.selectFrom(t)`, `db.updateTable(t)`, `db.deleteFrom(t)` or
 * `db.insertInto(t)` and run by `.execute()` / `.executeTakeFirst()`; the first link says what it does.
 */
const KYSELY_ROOTS = table({
  write: ["updateTable", "insertInto", "replaceInto", "mergeInto"],
  delete: ["deleteFrom"],
  read: ["selectFrom"],
});
const KYSELY_RUNS = new Set(["execute", "executeTakeFirst", "executeTakeFirstOrThrow"]);
/** Links of a Kysely chain walked down to its first. */
const MAX_KYSELY_LINKS = 40;

/** Drizzle's relational queries: `db.query.invoices.findFirst(…)`. */
const DRIZZLE_QUERY_METHODS = table({ write: [], delete: [], read: ["findFirst", "findMany"] });

/** Methods of a loaded or new model instance. */
const INSTANCE_METHODS = table({
  write: ["save", "update", "updateOne", "increment", "decrement"],
  delete: ["destroy", "remove", "deleteOne", "softRemove"],
  read: [],
});

/** Driver calls that take SQL text. */
const SQL_METHODS = new Set([
  "query",
  "execute",
  "run",
  "exec",
  "none",
  "one",
  "oneOrNone",
  "many",
  "manyOrNone",
  "any",
  "raw",
  "$executeRawUnsafe",
  "$queryRawUnsafe",
]);

export const DATA_CALL_NAMES: ReadonlySet<string> = new Set([
  ...MODEL_METHODS.keys(),
  ...PRISMA_METHODS.keys(),
  ...REPOSITORY_METHODS.keys(),
  ...COLLECTION_METHODS.keys(),
  ...QUERY_BUILDER_METHODS.keys(),
  ...INSTANCE_METHODS.keys(),
  ...DRIZZLE_METHODS.keys(),
  ...SQL_METHODS,
  ...KYSELY_RUNS,
]);

/** Capitalised globals and libraries that are not models. */
const NOT_MODELS = new Set([
  "Object",
  "Array",
  "Promise",
  "Reflect",
  "JSON",
  "Math",
  "Date",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "Number",
  "String",
  "Boolean",
  "Symbol",
  "BigInt",
  "Intl",
  "Error",
  "RegExp",
  "URL",
  "URLSearchParams",
  "Buffer",
  "Proxy",
  "Atomics",
  "ArrayBuffer",
  "DataView",
  "Function",
  "Headers",
  "Request",
  "Response",
  "FormData",
  "Blob",
  "File",
  "Event",
  "EventEmitter",
  "AbortController",
  "TextEncoder",
  "TextDecoder",
  "Handlebars",
  "Joi",
  "Yup",
  "Ajv",
  "Axios",
  "Sentry",
  "Boom",
  "Stripe",
  "Redis",
  "Queue",
  "Bull",
  "Logger",
  "Cache",
  "Config",
  "Express",
  "Router",
  "React",
  "Vue",
]);

const PRISMA_CLIENT = /^(prisma\w*|db|tx|trx)$/i;
const REPOSITORY = /(repo|repository|repositories)$/i;
const ENTITY_MANAGER = /^(manager|em|entityManager|orm)$|EntityManager$/i;
const REPOSITORY_FACTORIES = new Set([
  "getRepository",
  "getCustomRepository",
  "getMongoRepository",
  "getTreeRepository",
  "getManager",
  "getEntityManager",
  "fork",
]);
const MODEL_FACTORIES = new Set(["model", "define"]);
const KNEX = /^(knex|db|trx|database|qb|knexInstance)$/i;
const DRIZZLE_DB = /^(db|tx|trx|database|drizzle|client)$/i;
const SQL_VERB = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|replace|merge|upsert|truncate|select)\b/i;

function isPascalModelName(name: string): boolean {
  return /^[A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*$/.test(name) && !NOT_MODELS.has(name);
}

interface Classified {
  op: DataOperation;
  family: DataFamily;
  method: string;
  scope: Node;
  access?: RawAccess;
}

export class DataLayer {
  private readonly memo = new Map<Node, Classified | null>();
  private readonly selections: RecordSelections;
  private readonly uses: ResultUses;

  constructor(private readonly facts: FileFacts) {
    this.uses = new ResultUses(facts);
    this.selections = new RecordSelections(facts, this.uses);
  }

  /** The data operation this call performs, if it is one. */
  classify(site: CallSite): DataOperation | undefined {
    return this.classified(site)?.op;
  }

  /** What the call's syntax says about the records it picks (AP103), for a data call. */
  access(site: CallSite): RawAccess | undefined {
    return this.classified(site)?.access;
  }

  /** Is the call a data operation (for a call found other than through the walk's data calls)? */
  isDataCall(call: TSESTree.CallExpression, scope: Node): boolean {
    return this.classified({ call, scope, cls: undefined }) !== undefined;
  }

  private classified(site: CallSite): Classified | undefined {
    let found = this.memo.get(site.call);
    if (found === undefined) {
      found = null;
      const kind = this.kindOf(site.call, site.scope);
      if (kind) {
        const op: DataOperation = {
          kind: kind.kind,
          call: callText(this.facts.text, site.call),
          loc: locOf(site.call),
        };
        const access = this.selections.read(kind.family, site.call, kind.method, site.scope);
        if (access.entity !== undefined) op.entity = access.entity;
        if (kind.kind === "read" && this.existenceOnly(kind.method, site, access)) op.existenceOnly = true;
        found = { op, family: kind.family, method: kind.method, scope: site.scope, access };
      }
      this.memo.set(site.call, found);
    }
    return found ?? undefined;
  }

  /** A `count` / `exists` call, or a read by some condition whose result is only tested (`if (existing) throw …`). */
  private existenceOnly(method: string, site: CallSite, access: RawAccess): boolean {
    if (COUNTING_METHODS.has(method) || access.counts) return true;
    if (!access.selection?.conditions.length) return false;
    return this.uses.onlyTested(site.call, site.scope);
  }

  private kindOf(
    call: TSESTree.CallExpression,
    scope: Node,
  ): { kind: DataOperationKind; family: DataFamily; method: string } | undefined {
    const callee = unwrap(call.callee);
    if (callee.type !== T.MemberExpression) return undefined;
    const method = propertyName(callee);
    if (method === undefined) return undefined;
    const receiver = unwrap(callee.object);
    const of = (kind: DataOperationKind | undefined, family: DataFamily) =>
      kind ? { kind, family, method } : undefined;

    if (KYSELY_RUNS.has(method) && call.arguments.length === 0) {
      const kind = this.kyselyKind(receiver, scope);
      if (kind) return of(kind, "chain");
    }
    if (SQL_METHODS.has(method)) return of(this.sqlKind(call.arguments[0], scope), "sql");
    if (this.isCollection(receiver, scope)) return of(COLLECTION_METHODS.get(method), "collection");
    if (this.isPrismaDelegate(receiver)) return of(PRISMA_METHODS.get(method), "prisma");
    if (this.isRepository(receiver, scope)) return of(REPOSITORY_METHODS.get(method), "repository");
    if (this.isModel(receiver, scope)) return of(MODEL_METHODS.get(method), "model");
    // `this.invoices` declared `Repository<Invoice>`, `Collection<Invoice>` or injected with `@InjectRepository(Invoice)` / `@InjectModel(…)`.
    const declared = this.selections.declaredKind(receiver, scope);
    if (declared === "repository") return of(REPOSITORY_METHODS.get(method), "repository");
    if (declared === "model") return of(MODEL_METHODS.get(method), "model");
    if (declared === "collection") return of(COLLECTION_METHODS.get(method), "collection");
    // `knex("invoices").where(…).first()`, or `const query = knex("invoices").where(…); await query.first()`.
    const chain = receiver.type === T.CallExpression ? receiver : builtQuery(this.facts, this.uses, receiver, scope);
    if (chain && this.isQueryChain(chain, scope)) {
      const builder = QUERY_BUILDER_METHODS.get(method);
      if (builder) return of(builder, "chain");
      if (!this.isModel(this.facts.chainRoot(chain), scope)) return undefined;
      // Objection: `Invoice.query().findById(id)`, `.deleteById(id)` read as a chain.
      return of(MODEL_METHODS.get(method), "chain");
    }
    if (receiver.type === T.Identifier && this.isModelInstance(receiver, scope))
      return of(INSTANCE_METHODS.get(method), "instance");
    if (this.isDrizzle(receiver)) return of(DRIZZLE_METHODS.get(method), "chain");
    if (receiver.type === T.MemberExpression && this.isDrizzleQuery(receiver))
      return of(DRIZZLE_QUERY_METHODS.get(method), "drizzle-query");
    return undefined;
  }

  /**
   * What a Kysely chain does, from its first link: `db.selectFrom("invoices").selectAll().where(…)`
   * reads, also when the query was built in a variable first (`const query = db.selectFrom(…)`).
   */
  private kyselyKind(receiver: Node, scope: Node): DataOperationKind | undefined {
    let current = receiver;
    let followed = false;
    for (let i = 0; i < MAX_KYSELY_LINKS; i++) {
      if (current.type !== T.CallExpression) {
        const built = followed ? undefined : builtQuery(this.facts, this.uses, current, scope);
        if (!built) return undefined;
        followed = true;
        current = built;
      }
      const callee = unwrap(current.callee);
      if (callee.type !== T.MemberExpression) return undefined;
      const name = propertyName(callee);
      const kind = name === undefined ? undefined : KYSELY_ROOTS.get(name);
      if (kind) return kind;
      current = unwrap(callee.object);
    }
    return undefined;
  }

  /** `db` in a file that imports drizzle-orm. */
  private isDrizzle(receiver: Node): boolean {
    const name = terminalName(receiver);
    return name !== undefined && DRIZZLE_DB.test(name) && this.importsDrizzle();
  }

  /** `db.query.invoices`: a relational query table of a Drizzle database. */
  private isDrizzleQuery(receiver: TSESTree.MemberExpression): boolean {
    const query = unwrap(receiver.object);
    return query.type === T.MemberExpression && propertyName(query) === "query" && this.isDrizzle(unwrap(query.object));
  }

  private drizzleImported: boolean | undefined;

  private importsDrizzle(): boolean {
    this.drizzleImported ??= [...this.facts.moduleSources].some(
      (m) => m === "drizzle-orm" || m.startsWith("drizzle-orm/"),
    );
    return this.drizzleImported;
  }

  /** `pool.query("UPDATE …")`, `db.run(sql)` with `const sql = "DELETE …"`, `pool.query({ text, values })`, `db.execute(sql\`…\`)`. */
  private sqlKind(arg: Node | undefined, scope: Node): DataOperationKind | undefined {
    const sql = sqlSource(arg, scope, this.facts)?.text;
    const verb = sql === undefined ? undefined : SQL_VERB.exec(sql)?.[1]?.toLowerCase();
    if (verb === undefined) return undefined;
    if (verb === "select") return "read";
    return verb === "delete" || verb === "truncate" ? "delete" : "write";
  }

  /** `db.collection("orders")`, a variable bound to one, or a name ending in `Collection`. */
  private isCollection(receiver: Node, scope: Node): boolean {
    if (receiver.type === T.CallExpression) return terminalName(receiver.callee) === "collection";
    const name = terminalName(receiver);
    if (name !== undefined && /collection$/i.test(name)) return true;
    const init = this.initOf(receiver, scope);
    return init?.type === T.CallExpression && terminalName(init.callee) === "collection";
  }

  /** `prisma.order`, `this.prisma.order`, `tx.order`: a lower-case model under a Prisma client. */
  private isPrismaDelegate(receiver: Node): boolean {
    if (receiver.type !== T.MemberExpression) return false;
    const model = propertyName(receiver);
    const client = terminalName(receiver.object);
    return model !== undefined && /^[a-z]/.test(model) && client !== undefined && PRISMA_CLIENT.test(client);
  }

  private isRepository(receiver: Node, scope: Node): boolean {
    const r = unwrapAwait(receiver);
    if (r.type === T.CallExpression) {
      const factory = terminalName(r.callee);
      return factory !== undefined && REPOSITORY_FACTORIES.has(factory);
    }
    const name = terminalName(r);
    if (name !== undefined && (REPOSITORY.test(name) || ENTITY_MANAGER.test(name))) return true;
    const init = this.initOf(r, scope);
    if (init?.type !== T.CallExpression) return false;
    const factory = terminalName(init.callee);
    return factory !== undefined && REPOSITORY_FACTORIES.has(factory);
  }

  /** `Order`, `db.Order`, `models.User`, `userModel`, `this.orderModel`, or a name bound to `mongoose.model(...)`. */
  private isModel(receiver: Node, scope: Node): boolean {
    const name = terminalName(receiver);
    if (name === undefined || name === "this") return false;
    if (isPascalModelName(name)) {
      if (receiver.type !== T.Identifier) return true;
      const b = this.facts.resolve(name, scope);
      // A capitalised parameter or variable can hold anything; a class, an import or a model definition is a model.
      return (
        b === undefined || b.kind === "class" || b.kind === "import" || (b.kind === "var" && !this.isPlainValue(b.init))
      );
    }
    if (/Model$/.test(name)) return true;
    return receiver.type === T.Identifier && this.isModelDefinition(this.initOf(receiver, scope));
  }

  /** `new X()`, literals, objects, arrays and functions are values, not model classes. */
  private isPlainValue(init: Node | undefined): boolean {
    if (!init) return true;
    const n = unwrapAwait(init);
    return (
      n.type === T.NewExpression ||
      n.type === T.Literal ||
      n.type === T.ObjectExpression ||
      n.type === T.ArrayExpression ||
      n.type === T.ArrowFunctionExpression ||
      n.type === T.FunctionExpression ||
      n.type === T.TemplateLiteral
    );
  }

  private isModelDefinition(init: Node | undefined): boolean {
    if (!init) return false;
    const n = unwrapAwait(init);
    if (n.type === T.ClassExpression) return true;
    if (n.type !== T.CallExpression) return false;
    const name = terminalName(n.callee);
    return name !== undefined && MODEL_FACTORIES.has(name);
  }

  private readonly queryChains = new Map<Node, boolean>();

  /**
   * `knex("orders").where(…)`, `Order.query().where(…)`, `repo.createQueryBuilder()…`. The
   * answer is remembered for every call passed on the way down, so the data calls of one
   * long chain (`.find().find()…`) walk it once between them.
   */
  private isQueryChain(receiver: TSESTree.CallExpression, scope: Node): boolean {
    const passed: Node[] = [];
    let current: Node = receiver;
    let answer: boolean | undefined;
    while (answer === undefined) {
      if (current.type === T.CallExpression) {
        answer = this.queryChains.get(current);
        if (answer !== undefined) break;
        passed.push(current);
        const name = terminalName(current.callee);
        if (
          name === "createQueryBuilder" ||
          name === "query" ||
          name === "table" ||
          name === "from" ||
          name === "into"
        ) {
          if (current.callee.type === T.Identifier) answer = KNEX.test(name);
          else {
            const owner = unwrap((current.callee as TSESTree.MemberExpression).object);
            answer = name === "createQueryBuilder" || this.isKnex(owner, scope) || this.isModel(owner, scope);
          }
          break;
        }
        const callee = unwrap(current.callee);
        if (
          callee.type === T.Identifier ||
          (callee.type === T.MemberExpression && callee.object.type === T.ThisExpression)
        ) {
          answer = this.isKnex(callee, scope);
          break;
        }
        current = callee;
      } else if (current.type === T.MemberExpression) {
        current = unwrap(current.object);
      } else {
        answer = this.isModel(current, scope);
      }
    }
    for (const call of passed) this.queryChains.set(call, answer);
    return answer;
  }

  private isKnex(node: Node, scope: Node): boolean {
    const name = terminalName(node);
    if (name !== undefined && KNEX.test(name)) return true;
    if (node.type !== T.Identifier) return false;
    const b = this.facts.resolve(node.name, scope);
    if (b?.kind === "import") return b.source === "knex";
    const init = b?.kind === "var" && b.init ? unwrap(b.init) : undefined;
    if (init?.type !== T.CallExpression) return false;
    const root = this.facts.chainRoot(init);
    if (root.type !== T.Identifier) return false;
    if (root.name === "require") return true;
    return this.facts.resolve(root.name, b!.scope)?.source === "knex";
  }

  /** `const order = new Order(…)`, `await Order.findById(id)`, `await repo.findOneBy(…)`, `Order.build(…)`. */
  private isModelInstance(receiver: TSESTree.Identifier, scope: Node): boolean {
    const b = this.facts.resolve(receiver.name, scope);
    if (b?.kind !== "var" || !b.init) return false;
    const init = unwrapAwait(b.init);
    if (init.type === T.NewExpression) {
      const name = terminalName(init.callee);
      return name !== undefined && isPascalModelName(name) && this.isModel(unwrap(init.callee), b.scope);
    }
    if (init.type !== T.CallExpression) return false;
    // Walk down `Order.findById(id).populate("items")` to the data-layer call.
    let current: Node = init;
    while (current.type === T.CallExpression) {
      const callee = unwrap(current.callee);
      if (callee.type !== T.MemberExpression) return false;
      const method = propertyName(callee);
      const owner = unwrap(callee.object);
      if (method !== undefined && (method === "build" || MODEL_METHODS.has(method)) && this.isModel(owner, b.scope))
        return true;
      if (method !== undefined && REPOSITORY_METHODS.get(method) === "read" && this.isRepository(owner, b.scope))
        return true;
      current = owner;
    }
    return false;
  }

  private initOf(node: Node, scope: Node): Node | undefined {
    if (node.type !== T.Identifier) return undefined;
    const b = this.facts.resolve(node.name, scope);
    return b?.kind === "var" && b.init ? unwrapAwait(b.init) : undefined;
  }
}
