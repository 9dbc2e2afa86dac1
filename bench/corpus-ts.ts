/**
 * The TypeScript half of the benchmark corpus: three Express services the way teams
 * write them, one per ORM (Mongoose, Prisma, TypeORM). Each resource has a router
 * (inline handlers, `asyncHandler` wrappers or named controller functions), a service,
 * a model / entity / repository and zod DTOs; each service has its app, auth
 * middleware, auth routes and utilities. Auth is applied in all the ways real code
 * does it: per route, `router.use` at the top, `router.use` after the public routes,
 * at the mount in app.ts, and sometimes not at all.
 */
import {
  ACTIONS,
  Lines,
  RESOURCES,
  STATUSES,
  fieldsFor,
  subResourcesOf,
  type Field,
  type FileSet,
  type Noun,
  type Rng,
} from "./corpus-kit.js";

type Orm = "mongoose" | "prisma" | "typeorm";
type AuthMode = "per-route" | "router" | "after-public" | "mounted";
type HandlerStyle = "inline" | "async-handler" | "controller";
type Method = "get" | "post" | "put" | "patch" | "delete";
type Op =
  | "list"
  | "get"
  | "create"
  | "update"
  | "delete"
  | "search"
  | "stats"
  | "export"
  | "bulk-delete"
  | "action"
  | "sub-list"
  | "sub-get"
  | "sub-create"
  | "sub-update"
  | "sub-delete";

interface ServiceSpec {
  dir: string;
  orm: Orm;
  /** The middleware expression that authenticates a request. */
  guard: string;
  /** A role/permission check middleware expression. */
  roleGuard: string;
  authImports: string[];
}

const SERVICES: readonly ServiceSpec[] = [
  {
    dir: "ts/orders-api",
    orm: "mongoose",
    guard: "requireAuth",
    roleGuard: 'requireRole("admin")',
    authImports: ['import { requireAuth, requireRole } from "../middleware/auth";'],
  },
  {
    dir: "ts/billing-api",
    orm: "prisma",
    guard: 'passport.authenticate("jwt", { session: false })',
    roleGuard: 'authorize("billing:admin")',
    authImports: ['import passport from "passport";', 'import { authorize } from "../middleware/authorize";'],
  },
  {
    dir: "ts/catalog-api",
    orm: "typeorm",
    guard: "authenticate",
    roleGuard: 'hasPermission("catalog:manage")',
    authImports: ['import { authenticate, hasPermission } from "../middleware/auth";'],
  },
];

interface Route {
  method: Method;
  path: string;
  op: Op;
  /** Handler function name in controller style: `createOrder`. */
  name: string;
  sub?: Noun;
  action?: string;
  /** Reads that are public by design (catalog browsing). */
  publicRead: boolean;
}

interface Resource {
  noun: Noun;
  fields: Field[];
  authMode: AuthMode;
  style: HandlerStyle;
  routes: Route[];
}

/** Expressions for the data layer of one ORM, for one resource. */
interface OrmCalls {
  findMany(where: string): string;
  findAll(): string;
  search(q: string): string;
  findById(id: string): string;
  create(data: string): string;
  update(id: string, data: string, existing: string): string;
  remove(id: string): string;
  removeMany(ids: string): string;
  count(where: string): string;
  subList(parentId: string, sub: Noun): string;
  subCreate(parentId: string, sub: Noun, data: string): string;
  subUpdate(parentId: string, sub: Noun, subId: string, data: string): string;
  subRemove(parentId: string, sub: Noun, subId: string): string;
}

function ormCalls(orm: Orm, n: Noun, repository: string): OrmCalls {
  const idWhere = (id: string) => (id === "id" ? "{ id }" : `{ id: ${id} }`);
  switch (orm) {
    case "mongoose":
      return {
        findMany: (where) => `${n.Pascal}.find(${where}).sort({ createdAt: -1 }).skip(skip).limit(limit).lean()`,
        findAll: () => `${n.Pascal}.find({}).lean()`,
        search: (q) => `${n.Pascal}.find({ name: { $regex: ${q}, $options: "i" } }).limit(25).lean()`,
        findById: (id) => `${n.Pascal}.findById(${id})`,
        create: (data) => `${n.Pascal}.create(${data})`,
        update: (id, data) => `${n.Pascal}.findByIdAndUpdate(${id}, ${data}, { new: true, runValidators: true })`,
        remove: (id) => `${n.Pascal}.findByIdAndDelete(${id})`,
        removeMany: (ids) => `${n.Pascal}.deleteMany({ _id: { $in: ${ids} } })`,
        count: (where) => `${n.Pascal}.countDocuments(${where})`,
        subList: (parentId, sub) => `${n.Pascal}.findById(${parentId}).select("${sub.camels}").lean()`,
        subCreate: (parentId, sub, data) =>
          `${n.Pascal}.findByIdAndUpdate(${parentId}, { $push: { ${sub.camels}: ${data} } }, { new: true })`,
        subUpdate: (parentId, sub, subId, data) =>
          `${n.Pascal}.updateOne({ _id: ${parentId}, "${sub.camels}._id": ${subId} }, { $set: { "${sub.camels}.$": ${data} } })`,
        subRemove: (parentId, sub, subId) =>
          `${n.Pascal}.updateOne({ _id: ${parentId} }, { $pull: { ${sub.camels}: { _id: ${subId} } } })`,
      };
    case "prisma":
      return {
        findMany: (where) =>
          `prisma.${n.camel}.findMany({ where: ${where}, skip, take: limit, orderBy: { createdAt: "desc" } })`,
        findAll: () => `prisma.${n.camel}.findMany()`,
        search: (q) =>
          `prisma.${n.camel}.findMany({ where: { name: { contains: ${q}, mode: "insensitive" } }, take: 25 })`,
        findById: (id) => `prisma.${n.camel}.findUnique({ where: ${idWhere(id)} })`,
        create: (data) => `prisma.${n.camel}.create({ data: ${data} })`,
        update: (id, data) => `prisma.${n.camel}.update({ where: ${idWhere(id)}, data: ${data} })`,
        remove: (id) => `prisma.${n.camel}.delete({ where: ${idWhere(id)} })`,
        removeMany: (ids) => `prisma.${n.camel}.deleteMany({ where: { id: { in: ${ids} } } })`,
        count: (where) => `prisma.${n.camel}.count({ where: ${where} })`,
        subList: (parentId, sub) => `prisma.${n.camel}${sub.Pascal}.findMany({ where: { ${n.camel}Id: ${parentId} } })`,
        subCreate: (parentId, sub, data) =>
          `prisma.${n.camel}${sub.Pascal}.create({ data: { ...${data}, ${n.camel}Id: ${parentId} } })`,
        subUpdate: (parentId, sub, subId, data) =>
          `prisma.${n.camel}${sub.Pascal}.updateMany({ where: { id: ${subId}, ${n.camel}Id: ${parentId} }, data: ${data} })`,
        subRemove: (parentId, sub, subId) =>
          `prisma.${n.camel}${sub.Pascal}.deleteMany({ where: { id: ${subId}, ${n.camel}Id: ${parentId} } })`,
      };
    case "typeorm":
      return {
        findMany: (where) => `${repository}.find({ where: ${where}, skip, take: limit, order: { createdAt: "DESC" } })`,
        findAll: () => `${repository}.find()`,
        search: (q) => `${repository}.find({ where: { name: ILike(\`%\${${q}}%\`) }, take: 25 })`,
        findById: (id) => `${repository}.findOneBy(${idWhere(id)})`,
        create: (data) => `${repository}.save(${repository}.create(${data}))`,
        update: (_id, data, existing) => `${repository}.save({ ...${existing}, ...${data} })`,
        remove: (id) => `${repository}.delete(${idWhere(id)})`,
        removeMany: (ids) => `${repository}.delete(${ids})`,
        count: (where) => `${repository}.count({ where: ${where} })`,
        subList: (parentId, sub) =>
          `AppDataSource.getRepository("${n.Pascal}${sub.Pascal}").find({ where: { ${n.camel}Id: ${parentId} } })`,
        subCreate: (parentId, sub, data) =>
          `AppDataSource.getRepository("${n.Pascal}${sub.Pascal}").save({ ...${data}, ${n.camel}Id: ${parentId} })`,
        subUpdate: (parentId, sub, subId, data) =>
          `AppDataSource.getRepository("${n.Pascal}${sub.Pascal}").update({ id: ${subId}, ${n.camel}Id: ${parentId} }, ${data})`,
        subRemove: (parentId, sub, subId) =>
          `AppDataSource.getRepository("${n.Pascal}${sub.Pascal}").delete({ id: ${subId}, ${n.camel}Id: ${parentId} })`,
      };
  }
}

/** Every route a resource could expose, in the order a router file grows. */
function candidateRoutes(rng: Rng, n: Noun, publicReads: boolean): Route[] {
  const route = (method: Method, path: string, op: Op, name: string, extra: Partial<Route> = {}): Route => ({
    method,
    path,
    op,
    name,
    publicRead: false,
    ...extra,
  });
  const base = [
    route("get", "/", "list", `list${n.Pascals}`, { publicRead: publicReads }),
    route("get", "/:id", "get", `get${n.Pascal}`, { publicRead: publicReads }),
    route("post", "/", "create", `create${n.Pascal}`),
    route(rng.chance(0.5) ? "put" : "patch", "/:id", "update", `update${n.Pascal}`),
    route("delete", "/:id", "delete", `delete${n.Pascal}`),
  ];
  const extras = [
    route("get", "/search", "search", `search${n.Pascals}`, { publicRead: publicReads }),
    route("get", "/stats", "stats", `get${n.Pascal}Stats`),
    route("get", "/export", "export", `export${n.Pascals}`),
    route("post", "/bulk-delete", "bulk-delete", `bulkDelete${n.Pascals}`),
    ...ACTIONS.map((action) => route("post", `/:id/${action}`, "action", `${action}${n.Pascal}`, { action })),
    ...subResourcesOf(n).flatMap((sub) => [
      route("get", `/:id/${sub.kebabs}`, "sub-list", `list${n.Pascal}${sub.Pascals}`, { sub }),
      route("get", `/:id/${sub.kebabs}/:${sub.camel}Id`, "sub-get", `get${n.Pascal}${sub.Pascal}`, { sub }),
      route("post", `/:id/${sub.kebabs}`, "sub-create", `add${n.Pascal}${sub.Pascal}`, { sub }),
      route("patch", `/:id/${sub.kebabs}/:${sub.camel}Id`, "sub-update", `update${n.Pascal}${sub.Pascal}`, { sub }),
      route("delete", `/:id/${sub.kebabs}/:${sub.camel}Id`, "sub-delete", `remove${n.Pascal}${sub.Pascal}`, { sub }),
    ]),
  ];
  // Static paths must come before `/:id` in Express, so extras with a fixed first segment lead.
  const shuffled = rng.shuffle(extras);
  const fixed = shuffled.filter((r) => !r.path.startsWith("/:"));
  const nested = shuffled.filter((r) => r.path.startsWith("/:"));
  return [base[0], ...fixed, ...base.slice(1), ...nested];
}

/** Handler bodies: what each kind of route does, with the incidental code real handlers carry. */
class HandlerWriter {
  constructor(
    private readonly rng: Rng,
    private readonly n: Noun,
    private readonly fields: Field[],
    private readonly orm: OrmCalls,
    private readonly service: string,
  ) {}

  body(route: Route): string[] {
    switch (route.op) {
      case "list":
        return this.list(route.publicRead);
      case "get":
        return this.get();
      case "create":
        return this.create();
      case "update":
        return this.update();
      case "delete":
        return this.remove();
      case "search":
        return this.search();
      case "stats":
        return this.stats();
      case "export":
        return this.export();
      case "bulk-delete":
        return this.bulkDelete();
      case "action":
        return this.action(route.action!);
      case "sub-list":
      case "sub-get":
      case "sub-create":
      case "sub-update":
      case "sub-delete":
        return this.sub(route.op, route.sub!);
    }
  }

  private list(publicRead: boolean): string[] {
    const filterable = this.fields.filter((f) => f.kind === "enum" || f.kind === "string");
    const lines = [
      "const { page, limit, skip } = parsePagination(req.query);",
      "const filter: Record<string, unknown> = {};",
    ];
    for (const f of this.rng.sample(filterable, this.rng.int(0, 3))) {
      lines.push(`if (typeof req.query.${f.camel} === "string") {`, `  filter.${f.camel} = req.query.${f.camel};`, "}");
    }
    if (!publicRead && this.rng.chance(0.5)) lines.push("filter.ownerId = req.user!.id;");
    lines.push(
      "const [items, total] = await Promise.all([",
      `  ${this.orm.findMany("filter")},`,
      `  ${this.orm.count("filter")},`,
      "]);",
    );
    if (this.rng.chance(0.3)) {
      lines.push(`res.setHeader("X-Total-Count", String(total));`);
    }
    lines.push("res.json({ items, total, page, limit });");
    return lines;
  }

  private get(): string[] {
    const v = this.n.camel;
    const lines = ["const { id } = req.params;", `const ${v} = await ${this.orm.findById("id")};`, ...this.notFound(v)];
    if (this.rng.chance(0.5)) lines.push(...this.ownership(v));
    if (this.rng.chance(0.4)) {
      lines.push(...this.mapped(v, "body"), "res.json(body);");
    } else {
      lines.push(`res.json(${v});`);
    }
    return lines;
  }

  private create(): string[] {
    const v = this.n.camel;
    const lines = [`const payload = create${this.n.Pascal}Schema.parse(req.body);`];
    lines.push(...this.validations("payload"));
    if (this.rng.chance(0.3)) {
      lines.push(
        `const duplicate = await ${this.orm.count("{ name: payload.name }")};`,
        "if (duplicate > 0) {",
        `  res.status(409).json({ message: "A ${this.n.words} with this name already exists" });`,
        "  return;",
        "}",
      );
    }
    lines.push(`const ${v} = await ${this.orm.create("{ ...payload, ownerId: req.user!.id }")};`);
    lines.push(...this.sideEffects("create", `String(${v}.id)`));
    lines.push(`res.status(201).json(${v});`);
    return lines;
  }

  private update(): string[] {
    const lines = [
      "const { id } = req.params;",
      `const existing = await ${this.orm.findById("id")};`,
      ...this.notFound("existing"),
    ];
    if (this.rng.chance(0.5)) lines.push(...this.ownership("existing"));
    lines.push(`const changes = update${this.n.Pascal}Schema.parse(req.body);`);
    lines.push(...this.validations("changes"));
    lines.push(`const updated = await ${this.orm.update("id", "changes", "existing")};`);
    lines.push(...this.sideEffects("update", "id"));
    lines.push("res.json(updated);");
    return lines;
  }

  private remove(): string[] {
    const lines = ["const { id } = req.params;"];
    if (this.rng.chance(0.6)) {
      lines.push(`const existing = await ${this.orm.findById("id")};`, ...this.notFound("existing"));
      if (this.rng.chance(0.4)) lines.push(...this.ownership("existing"));
    }
    lines.push(`await ${this.orm.remove("id")};`);
    lines.push(...this.sideEffects("delete", "id"));
    lines.push("res.status(204).end();");
    return lines;
  }

  private search(): string[] {
    return [
      'const q = String(req.query.q ?? "").trim();',
      "if (q.length < 2) {",
      '  res.status(400).json({ message: "Query must be at least 2 characters" });',
      "  return;",
      "}",
      `const results = await ${this.orm.search("q")};`,
      "res.json({ items: results });",
    ];
  }

  private stats(): string[] {
    const lines = [
      "const [total, active, archived] = await Promise.all([",
      `  ${this.orm.count("{}")},`,
      `  ${this.orm.count('{ status: "active" }')},`,
      `  ${this.orm.count('{ status: "archived" }')},`,
      "]);",
    ];
    if (this.rng.chance(0.5))
      lines.push(`logger.debug({ total, active, archived }, "${this.n.words} stats computed");`);
    lines.push("res.json({ total, active, archived, generatedAt: new Date().toISOString() });");
    return lines;
  }

  private export(): string[] {
    const columns = ["id", ...this.fields.slice(0, 6).map((f) => f.camel)];
    return [
      `const rows = await ${this.orm.findAll()};`,
      `const header = ${JSON.stringify(columns)}.join(",");`,
      "const csv = [",
      "  header,",
      "  ...rows.map((row) =>",
      `    [${columns.map((c) => `row.${c}`).join(", ")}]`,
      '      .map((value) => JSON.stringify(value ?? ""))',
      '      .join(","),',
      "  ),",
      '].join("\\n");',
      'res.setHeader("Content-Type", "text/csv");',
      `res.setHeader("Content-Disposition", 'attachment; filename="${this.n.kebabs}.csv"');`,
      "res.send(csv);",
    ];
  }

  private bulkDelete(): string[] {
    return [
      "const ids: string[] = Array.isArray(req.body.ids) ? req.body.ids : [];",
      "if (ids.length === 0 || ids.length > 100) {",
      '  res.status(400).json({ message: "Provide between 1 and 100 ids" });',
      "  return;",
      "}",
      `await ${this.orm.removeMany("ids")};`,
      ...this.sideEffects("bulk-delete", 'ids.join(",")'),
      "res.status(204).end();",
    ];
  }

  private action(action: string): string[] {
    const withReason = this.rng.chance(0.4);
    const lines = ["const { id } = req.params;"];
    if (withReason)
      lines.push('const reason = typeof req.body.reason === "string" ? req.body.reason.slice(0, 500) : undefined;');
    lines.push(`const result = await ${this.service}.${action}(id, req.user!.id${withReason ? ", reason" : ""});`);
    lines.push(...this.notFound("result"));
    if (this.rng.chance(0.5)) lines.push(`events.emit("${this.n.kebab}.${action}", { id, actorId: req.user!.id });`);
    lines.push("res.json(result);");
    return lines;
  }

  private sub(op: Op, sub: Noun): string[] {
    const parent = `${this.n.camel}Id`;
    const subId = `req.params.${sub.camel}Id`;
    const lines = [`const ${parent} = req.params.id;`];
    switch (op) {
      case "sub-list":
        lines.push(
          `const ${sub.camels} = await ${this.service}.list${sub.Pascals}(${parent});`,
          `res.json({ items: ${sub.camels} });`,
        );
        break;
      case "sub-get":
        lines.push(
          `const ${sub.camel} = await ${this.service}.get${sub.Pascal}(${parent}, ${subId});`,
          ...this.notFound(sub.camel),
          `res.json(${sub.camel});`,
        );
        break;
      case "sub-create":
        lines.push(...this.bodyChecks(sub));
        lines.push(
          `const ${sub.camel} = await ${this.service}.add${sub.Pascal}(${parent}, { ...req.body, createdBy: req.user!.id });`,
          ...this.sideEffects(`${sub.kebab}.create`, parent),
          `res.status(201).json(${sub.camel});`,
        );
        break;
      case "sub-update":
        lines.push(...this.bodyChecks(sub));
        lines.push(
          `const ${sub.camel} = await ${this.service}.update${sub.Pascal}(${parent}, ${subId}, req.body);`,
          ...this.notFound(sub.camel),
          ...this.sideEffects(`${sub.kebab}.update`, parent),
          `res.json(${sub.camel});`,
        );
        break;
      default:
        lines.push(
          `await ${this.service}.remove${sub.Pascal}(${parent}, ${subId});`,
          ...this.sideEffects(`${sub.kebab}.delete`, parent),
          "res.status(204).end();",
        );
    }
    return lines;
  }

  /** The hand-written request checks nested endpoints tend to have instead of a schema. */
  private bodyChecks(sub: Noun): string[] {
    if (!this.rng.chance(0.6)) return [];
    return [
      'if (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)) {',
      `  res.status(400).json({ message: "Expected a ${sub.words} object" });`,
      "  return;",
      "}",
      ...(this.rng.chance(0.5)
        ? [
            'if (typeof req.body.comment === "string" && req.body.comment.length > 2000) {',
            '  res.status(422).json({ message: "comment is too long" });',
            "  return;",
            "}",
          ]
        : []),
    ];
  }

  private notFound(v: string): string[] {
    return [`if (!${v}) {`, `  res.status(404).json({ message: "${this.n.Pascal} not found" });`, "  return;", "}"];
  }

  private ownership(v: string): string[] {
    return [
      `if (String(${v}.ownerId) !== req.user!.id && req.user!.role !== "admin") {`,
      '  res.status(403).json({ message: "Forbidden" });',
      "  return;",
      "}",
    ];
  }

  private validations(v: string): string[] {
    const lines: string[] = [];
    for (const f of this.rng.sample(this.fields, this.rng.int(0, 3))) {
      switch (f.kind) {
        case "int":
        case "decimal":
          lines.push(
            `if (${v}.${f.camel} !== undefined && ${v}.${f.camel} < 0) {`,
            `  res.status(422).json({ message: "${f.camel} must not be negative" });`,
            "  return;",
            "}",
          );
          break;
        case "date":
          lines.push(
            `if (${v}.${f.camel} && new Date(${v}.${f.camel}).getTime() < Date.now()) {`,
            `  res.status(422).json({ message: "${f.camel} must be in the future" });`,
            "  return;",
            "}",
          );
          break;
        case "string":
        case "text":
          lines.push(
            `if (${v}.${f.camel} !== undefined && ${v}.${f.camel}.trim().length === 0) {`,
            `  res.status(422).json({ message: "${f.camel} must not be blank" });`,
            "  return;",
            "}",
          );
          break;
        default:
          break;
      }
    }
    return lines;
  }

  private sideEffects(action: string, target: string): string[] {
    const lines: string[] = [];
    if (this.rng.chance(0.45)) {
      lines.push(
        "await audit.record({",
        "  actor: req.user!.id,",
        `  action: "${this.n.kebab}.${action}",`,
        `  target: ${target},`,
        "  ip: req.ip,",
        "});",
      );
    }
    if (this.rng.chance(0.3)) lines.push(`await cache.invalidate(\`${this.n.kebabs}:\${${target}}\`);`);
    if (this.rng.chance(0.3)) lines.push(`events.emit("${this.n.kebab}.${action}d", { id: ${target} });`);
    if (this.rng.chance(0.5))
      lines.push(`logger.info({ id: ${target}, actor: req.user!.id }, "${this.n.words} ${action}");`);
    return lines;
  }

  private mapped(v: string, out: string): string[] {
    return [
      `const ${out} = {`,
      `  id: String(${v}.id),`,
      ...this.fields.map((f) =>
        f.kind === "date"
          ? `  ${f.camel}: ${v}.${f.camel} ? new Date(${v}.${f.camel}).toISOString() : null,`
          : `  ${f.camel}: ${v}.${f.camel},`,
      ),
      `  createdAt: ${v}.createdAt,`,
      `  updatedAt: ${v}.updatedAt,`,
      "};",
    ];
  }
}

function middlewareFor(
  resource: Resource,
  route: Route,
  spec: ServiceSpec,
  rng: Rng,
  authenticated: boolean,
): string[] {
  const mw: string[] = [];
  if (resource.authMode === "per-route") {
    // Teams that guard route by route forget one now and then: those are the findings.
    const writes = route.method !== "get";
    authenticated = route.publicRead ? false : writes ? rng.chance(0.88) : rng.chance(0.6);
    if (authenticated) mw.push(spec.guard);
  }
  if (
    authenticated &&
    (route.op === "delete" || route.op === "bulk-delete" || route.op === "export") &&
    rng.chance(0.6)
  ) {
    mw.push(spec.roleGuard);
  }
  if (route.op === "create") mw.push(`validateBody(create${resource.noun.Pascal}Schema)`);
  if (route.op === "update") mw.push(`validateBody(update${resource.noun.Pascal}Schema)`);
  if (route.op === "export" || route.op === "search") {
    if (rng.chance(0.5)) mw.push("rateLimit({ windowMs: 60_000, max: 30 })");
  }
  if (route.op === "sub-create" && route.sub?.camel === "attachment") mw.push('upload.single("file")');
  return mw;
}

function routerFile(
  spec: ServiceSpec,
  resource: Resource,
  rng: Rng,
  target: number,
  handlers: HandlerWriter,
): { router: string; controller?: string } {
  const n = resource.noun;
  const controllerStyle = resource.style === "controller";
  const lines = new Lines();
  lines.push(
    controllerStyle
      ? 'import { Router } from "express";'
      : 'import { Router, type Request, type Response, type NextFunction } from "express";',
  );
  lines.push(...spec.authImports);
  lines.push(
    'import rateLimit from "express-rate-limit";',
    'import multer from "multer";',
    'import { validateBody } from "../middleware/validate";',
  );
  if (!controllerStyle) {
    lines.push(
      'import { asyncHandler, parsePagination } from "../utils/http";',
      'import { audit, events, logger } from "../utils/observability";',
      'import { cache } from "../utils/cache";',
      ...ormImports(spec.orm, n, "../"),
      `import { ${n.Pascal}Service } from "../services/${n.kebab}.service";`,
    );
  }
  lines.push(`import { create${n.Pascal}Schema, update${n.Pascal}Schema } from "../dto/${n.kebab}.dto";`);
  if (controllerStyle) lines.push(`import * as ${n.camel}Controller from "../controllers/${n.kebab}.controller";`);
  lines.push("", "const router = Router();", "const upload = multer({ limits: { fileSize: 10 * 1024 * 1024 } });");
  if (!controllerStyle) {
    lines.push(`const ${n.camel}Service = new ${n.Pascal}Service();`);
    if (spec.orm === "typeorm") lines.push(`const ${n.camel}Repository = AppDataSource.getRepository(${n.Pascal});`);
  }
  lines.push("");
  if (resource.authMode === "router") lines.push(`router.use(${spec.guard});`, "");

  const controller = controllerStyle ? controllerHeader(spec, n) : undefined;
  const routes = resource.routes;
  let placedGuard = false;
  for (const [i, route] of routes.entries()) {
    const budget = controllerStyle ? controller! : lines;
    if (i >= 5 && budget.count >= target - 8) break;
    if (resource.authMode === "after-public" && !placedGuard && !route.publicRead) {
      lines.push("// Everything below requires a signed-in user.", `router.use(${spec.guard});`, "");
      placedGuard = true;
    }
    const authenticated = resource.authMode === "router" || resource.authMode === "mounted" || placedGuard;
    const mw = middlewareFor(resource, route, spec, rng, authenticated);
    const body = handlers.body(route);
    if (controllerStyle) {
      lines.push(
        `router.${route.method}(${[JSON.stringify(route.path), ...mw, `${n.camel}Controller.${route.name}`].join(", ")});`,
      );
      controller!.push(
        `export async function ${route.name}(req: Request, res: Response, next: NextFunction): Promise<void> {`,
        "  try {",
      );
      controller!.indented("    ", body);
      controller!.push("  } catch (err) {", "    next(err);", "  }", "}", "");
    } else if (resource.style === "async-handler") {
      lines.push(
        `router.${route.method}(`,
        `  ${JSON.stringify(route.path)},`,
        ...mw.map((m) => `  ${m},`),
        "  asyncHandler(async (req, res) => {",
      );
      lines.indented("    ", body);
      lines.push("  }),", ");", "");
    } else {
      lines.push(
        `router.${route.method}(${[JSON.stringify(route.path), ...mw, "async (req: Request, res: Response, next: NextFunction) => {"].join(", ")}`,
        "  try {",
      );
      lines.indented("    ", body);
      lines.push("  } catch (err) {", "    next(err);", "  }", "});", "");
    }
  }
  lines.push("export default router;");
  return { router: lines.text(), controller: controller?.text() };
}

function controllerHeader(spec: ServiceSpec, n: Noun): Lines {
  return new Lines().push(
    'import type { Request, Response, NextFunction } from "express";',
    'import { parsePagination } from "../utils/http";',
    'import { audit, events, logger } from "../utils/observability";',
    'import { cache } from "../utils/cache";',
    ...ormImports(spec.orm, n, "../"),
    `import { ${n.Pascal}Service } from "../services/${n.kebab}.service";`,
    `import { create${n.Pascal}Schema, update${n.Pascal}Schema } from "../dto/${n.kebab}.dto";`,
    "",
    `const ${n.camel}Service = new ${n.Pascal}Service();`,
    ...(spec.orm === "typeorm" ? [`const ${n.camel}Repository = AppDataSource.getRepository(${n.Pascal});`] : []),
    "",
  );
}

function ormImports(orm: Orm, n: Noun, up: string): string[] {
  switch (orm) {
    case "mongoose":
      return [`import { ${n.Pascal} } from "${up}models/${n.kebab}.model";`];
    case "prisma":
      return [`import { prisma } from "${up}db";`];
    case "typeorm":
      return [
        'import { ILike } from "typeorm";',
        `import { AppDataSource } from "${up}data-source";`,
        `import { ${n.Pascal} } from "${up}entities/${n.kebab}.entity";`,
      ];
  }
}

function serviceFile(spec: ServiceSpec, resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const repo = spec.orm === "typeorm" ? "this.repository" : "";
  const orm = ormCalls(spec.orm, n, repo);
  const lines = new Lines().push(
    ...ormImports(spec.orm, n, "../"),
    'import { HttpError } from "../utils/http";',
    'import { audit, logger } from "../utils/observability";',
    `import type { Create${n.Pascal}Input, Update${n.Pascal}Input } from "../dto/${n.kebab}.dto";`,
    "",
    `export interface ${n.Pascal}Filter {`,
    "  status?: string;",
    "  ownerId?: string;",
    "  search?: string;",
    "}",
    "",
    `export class ${n.Pascal}Service {`,
  );
  if (spec.orm === "typeorm")
    lines.push(`  private readonly repository = AppDataSource.getRepository(${n.Pascal});`, "");
  const methods: string[][] = [
    [
      `async findAll(filter: ${n.Pascal}Filter = {}, page = 1, limit = 20) {`,
      "  const skip = (page - 1) * limit;",
      "  const where: Record<string, unknown> = {};",
      "  if (filter.status) where.status = filter.status;",
      "  if (filter.ownerId) where.ownerId = filter.ownerId;",
      `  return ${orm.findMany("where")};`,
      "}",
    ],
    [`async findById(id: string) {`, `  return ${orm.findById("id")};`, "}"],
    [
      `async create(input: Create${n.Pascal}Input, actorId: string) {`,
      `  const ${n.camel} = await ${orm.create("{ ...input, ownerId: actorId }")};`,
      `  logger.info({ id: ${n.camel}.id, actorId }, "${n.words} created");`,
      `  return ${n.camel};`,
      "}",
    ],
    [
      `async update(id: string, input: Update${n.Pascal}Input, actorId: string) {`,
      `  const existing = await ${orm.findById("id")};`,
      `  if (!existing) throw new HttpError(404, "${n.Pascal} not found");`,
      `  const updated = await ${orm.update("id", "input", "existing")};`,
      `  await audit.record({ actor: actorId, action: "${n.kebab}.update", target: id });`,
      "  return updated;",
      "}",
    ],
    [
      `async remove(id: string, actorId: string) {`,
      `  await ${orm.remove("id")};`,
      `  await audit.record({ actor: actorId, action: "${n.kebab}.delete", target: id });`,
      "}",
    ],
    ...ACTIONS.map((action) => {
      const state = action.endsWith("e") ? `${action}d` : `${action}ed`;
      return [
        `async ${action}(id: string, actorId: string, reason?: string) {`,
        `  const ${n.camel} = await ${orm.findById("id")};`,
        `  if (!${n.camel}) return null;`,
        `  if (${n.camel}.status === "${state}") {`,
        `    throw new HttpError(409, "${n.Pascal} is already ${state}");`,
        "  }",
        `  const updated = await ${orm.update("id", `{ status: "${state}", updatedBy: actorId }`, n.camel)};`,
        `  await audit.record({ actor: actorId, action: "${n.kebab}.${action}", target: id, reason });`,
        "  return updated;",
        "}",
      ];
    }),
    ...subResourcesOf(n).flatMap((sub) => [
      [
        `async list${sub.Pascals}(${n.camel}Id: string) {`,
        spec.orm === "mongoose"
          ? `  const parent = await ${orm.subList(`${n.camel}Id`, sub)};`
          : `  return ${orm.subList(`${n.camel}Id`, sub)};`,
        ...(spec.orm === "mongoose" ? [`  return parent?.${sub.camels} ?? [];`] : []),
        "}",
      ],
      [
        `async get${sub.Pascal}(${n.camel}Id: string, ${sub.camel}Id: string) {`,
        `  const ${sub.camels} = await this.list${sub.Pascals}(${n.camel}Id);`,
        `  return ${sub.camels}.find((entry: { id?: unknown; _id?: unknown }) => String(entry.id ?? entry._id) === ${sub.camel}Id) ?? null;`,
        "}",
      ],
      [
        `async add${sub.Pascal}(${n.camel}Id: string, input: Record<string, unknown>) {`,
        `  return ${orm.subCreate(`${n.camel}Id`, sub, "input")};`,
        "}",
      ],
      [
        `async update${sub.Pascal}(${n.camel}Id: string, ${sub.camel}Id: string, input: Record<string, unknown>) {`,
        `  return ${orm.subUpdate(`${n.camel}Id`, sub, `${sub.camel}Id`, "input")};`,
        "}",
      ],
      [
        `async remove${sub.Pascal}(${n.camel}Id: string, ${sub.camel}Id: string) {`,
        `  await ${orm.subRemove(`${n.camel}Id`, sub, `${sub.camel}Id`)};`,
        "}",
      ],
    ]),
  ];
  const [core, rest] = [methods.slice(0, 5), rng.shuffle(methods.slice(5))];
  for (const method of [...core, ...rest]) {
    if (lines.count + method.length + 2 > target && lines.count > 20) break;
    lines.indented("  ", method).push("");
  }
  lines.push(
    `  private toResponse(${n.camel}: Record<string, any>) {`,
    "    return {",
    `      id: String(${n.camel}.id),`,
    ...resource.fields.map((f) => `      ${f.camel}: ${n.camel}.${f.camel},`),
    "    };",
    "  }",
    "}",
  );
  return lines.text();
}

function zodFor(f: Field): string {
  switch (f.kind) {
    case "string":
      return "z.string().trim().min(1).max(200)";
    case "text":
      return "z.string().max(5000)";
    case "int":
      return "z.number().int().nonnegative()";
    case "decimal":
      return "z.number().nonnegative()";
    case "bool":
      return "z.boolean()";
    case "date":
      return "z.coerce.date()";
    case "enum":
      return `z.enum(${JSON.stringify(STATUSES)})`;
    case "email":
      return "z.string().email()";
  }
}

function tsType(f: Field): string {
  switch (f.kind) {
    case "int":
    case "decimal":
      return "number";
    case "bool":
      return "boolean";
    case "date":
      return "string";
    case "enum":
      return `${JSON.stringify(STATUSES[0])} | ${STATUSES.slice(1)
        .map((s) => JSON.stringify(s))
        .join(" | ")}`;
    default:
      return "string";
  }
}

function dtoFile(resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const lines = new Lines().push('import { z } from "zod";', "", `export const create${n.Pascal}Schema = z.object({`);
  for (const f of resource.fields)
    lines.push(`  ${f.camel}: ${zodFor(f)}${f.camel === "name" || f.camel === "status" ? "" : ".optional()"},`);
  lines.push(
    "});",
    "",
    `export const update${n.Pascal}Schema = create${n.Pascal}Schema.partial();`,
    "",
    `export type Create${n.Pascal}Input = z.infer<typeof create${n.Pascal}Schema>;`,
    `export type Update${n.Pascal}Input = z.infer<typeof update${n.Pascal}Schema>;`,
    "",
    `export interface ${n.Pascal}Response {`,
    "  id: string;",
    ...resource.fields.map((f) => `  ${f.camel}${f.camel === "name" ? "" : "?"}: ${tsType(f)};`),
    "  createdAt: string;",
    "  updatedAt: string;",
    "}",
    "",
  );
  for (const sub of rng.shuffle(subResourcesOf(n))) {
    if (lines.count + 12 > target) break;
    const subFields = rng.sample(resource.fields, rng.int(1, 4));
    lines.push(`export const ${n.camel}${sub.Pascal}Schema = z.object({`);
    for (const f of subFields) lines.push(`  ${f.camel}: ${zodFor(f)}.optional(),`);
    lines.push(
      "  comment: z.string().max(2000).optional(),",
      "});",
      "",
      `export type ${n.Pascal}${sub.Pascal}Input = z.infer<typeof ${n.camel}${sub.Pascal}Schema>;`,
      "",
    );
  }
  lines.push(
    `export const ${n.camel}ListQuerySchema = z.object({`,
    "  page: z.coerce.number().int().min(1).default(1),",
    "  limit: z.coerce.number().int().min(1).max(100).default(20),",
    "});",
  );
  return lines.text();
}

function mongooseType(f: Field): string {
  switch (f.kind) {
    case "int":
    case "decimal":
      return "{ type: Number, min: 0 }";
    case "bool":
      return "{ type: Boolean, default: false }";
    case "date":
      return "{ type: Date }";
    case "enum":
      return `{ type: String, enum: ${JSON.stringify(STATUSES)}, default: "draft", index: true }`;
    case "email":
      return "{ type: String, lowercase: true, trim: true }";
    default:
      return f.camel === "name" ? "{ type: String, required: true, trim: true }" : "{ type: String, trim: true }";
  }
}

function mongooseModel(resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const subs = rng.sample(subResourcesOf(n), rng.int(1, 4));
  const lines = new Lines().push('import { Schema, model, type InferSchemaType } from "mongoose";', "");
  for (const sub of subs) {
    lines.push(
      `const ${sub.camel}Schema = new Schema(`,
      "  {",
      "    body: { type: String, required: true },",
      '    createdBy: { type: Schema.Types.ObjectId, ref: "User" },',
      "  },",
      "  { timestamps: true },",
      ");",
      "",
    );
  }
  lines.push(`const ${n.camel}Schema = new Schema(`, "  {");
  for (const f of resource.fields) lines.push(`    ${f.camel}: ${mongooseType(f)},`);
  for (const sub of subs) lines.push(`    ${sub.camels}: [${sub.camel}Schema],`);
  lines.push(
    '    ownerId: { type: Schema.Types.ObjectId, ref: "User", required: true, index: true },',
    "  },",
    "  { timestamps: true },",
    ");",
    "",
  );
  lines.push(`${n.camel}Schema.index({ ownerId: 1, createdAt: -1 });`, "");
  for (const f of rng.shuffle(resource.fields)) {
    if (lines.count + 8 > target) break;
    lines.push(
      `${n.camel}Schema.statics.findBy${f.Pascal} = function (value: unknown) {`,
      `  return this.find({ ${f.camel}: value }).sort({ createdAt: -1 }).lean();`,
      "};",
      "",
    );
  }
  lines.push(
    `${n.camel}Schema.set("toJSON", {`,
    "  virtuals: true,",
    "  transform: (_doc, ret: Record<string, unknown>) => {",
    "    delete ret.__v;",
    "    return ret;",
    "  },",
    "});",
    "",
    `export type ${n.Pascal}Document = InferSchemaType<typeof ${n.camel}Schema>;`,
    `export const ${n.Pascal} = model("${n.Pascal}", ${n.camel}Schema);`,
  );
  return lines.text();
}

function typeormColumn(f: Field): string {
  switch (f.kind) {
    case "int":
      return '@Column({ type: "int", default: 0 })';
    case "decimal":
      return '@Column({ type: "numeric", precision: 12, scale: 2, default: 0 })';
    case "bool":
      return "@Column({ default: false })";
    case "date":
      return '@Column({ type: "timestamptz", nullable: true })';
    case "enum":
      return `@Column({ type: "enum", enum: ${JSON.stringify(STATUSES)}, default: "draft" })`;
    case "text":
      return '@Column({ type: "text", nullable: true })';
    default:
      return f.camel === "name" ? "@Column({ length: 200 })" : "@Column({ nullable: true })";
  }
}

function typeormEntity(resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const lines = new Lines().push(
    'import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";',
    "",
    `@Entity({ name: "${n.snakes}" })`,
    '@Index(["ownerId", "createdAt"])',
    `export class ${n.Pascal} {`,
    '  @PrimaryGeneratedColumn("uuid")',
    "  id!: string;",
    "",
  );
  for (const f of resource.fields)
    lines.push(`  ${typeormColumn(f)}`, `  ${f.camel}!: ${f.kind === "date" ? "Date | null" : tsType(f)};`, "");
  lines.push(
    '  @Column({ type: "uuid" })',
    "  ownerId!: string;",
    "",
    "  @CreateDateColumn()",
    "  createdAt!: Date;",
    "",
    "  @UpdateDateColumn()",
    "  updatedAt!: Date;",
    "",
  );
  for (const f of rng.shuffle(resource.fields)) {
    if (lines.count + 8 > target) break;
    const check =
      f.kind === "int" || f.kind === "decimal"
        ? `Number(this.${f.camel}) > 0`
        : f.kind === "date"
          ? `this.${f.camel} !== null && this.${f.camel}.getTime() > Date.now()`
          : `Boolean(this.${f.camel})`;
    lines.push(`  has${f.Pascal}(): boolean {`, `    return ${check};`, "  }", "");
  }
  lines.push(
    "  isEditable(): boolean {",
    '    return this.status !== "archived" && this.status !== "cancelled";',
    "  }",
    "}",
  );
  return lines.text();
}

function prismaRepository(resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const lines = new Lines().push(
    'import type { Prisma } from "@prisma/client";',
    'import { prisma } from "../db";',
    "",
    `export function find${n.Pascal}ById(id: string) {`,
    `  return prisma.${n.camel}.findUnique({ where: { id } });`,
    "}",
    "",
    `export function list${n.Pascals}ForOwner(ownerId: string, take = 50) {`,
    `  return prisma.${n.camel}.findMany({ where: { ownerId }, take, orderBy: { createdAt: "desc" } });`,
    "}",
    "",
    `export function create${n.Pascal}(data: Prisma.${n.Pascal}CreateInput) {`,
    `  return prisma.${n.camel}.create({ data });`,
    "}",
    "",
  );
  for (const f of rng.shuffle(resource.fields)) {
    if (lines.count + 10 > target) break;
    lines.push(
      `export async function find${n.Pascals}By${f.Pascal}(value: ${f.kind === "date" ? "Date" : tsType(f)}, ownerId?: string) {`,
      `  return prisma.${n.camel}.findMany({`,
      `    where: { ${f.camel}: value, ...(ownerId ? { ownerId } : {}) },`,
      '    orderBy: { createdAt: "desc" },',
      "  });",
      "}",
      "",
    );
  }
  lines.push(
    `export async function archiveStale${n.Pascals}(before: Date) {`,
    "  return prisma.$transaction(async (tx) => {",
    `    const stale = await tx.${n.camel}.findMany({ where: { updatedAt: { lt: before } }, select: { id: true } });`,
    `    await tx.${n.camel}.updateMany({ where: { id: { in: stale.map((s) => s.id) } }, data: { status: "archived" } });`,
    "    return stale.length;",
    "  });",
    "}",
  );
  return lines.text();
}

function appFile(spec: ServiceSpec, resources: Resource[]): string {
  const lines = new Lines().push(
    'import express from "express";',
    'import helmet from "helmet";',
    'import cors from "cors";',
    'import cookieParser from "cookie-parser";',
    ...spec.authImports.map((i) => i.replace("../", "./")),
    ...(spec.orm === "prisma" ? ['import "./middleware/passport";'] : []),
    'import { config } from "./config";',
    'import { errorHandler } from "./middleware/error-handler";',
    'import authRouter from "./routes/auth.routes";',
    'import healthRouter from "./routes/health.routes";',
    ...resources.map((r) => `import ${r.noun.camel}Router from "./routes/${r.noun.kebab}.routes";`),
    "",
    "export const app = express();",
    "",
    'app.disable("x-powered-by");',
    'app.set("trust proxy", 1);',
    "app.use(helmet());",
    "app.use(cors({ origin: config.allowedOrigins, credentials: true }));",
    'app.use(express.json({ limit: "1mb" }));',
    "app.use(cookieParser());",
    ...(spec.orm === "prisma" ? ["app.use(passport.initialize());"] : []),
    "",
    'app.use("/health", healthRouter);',
    'app.use("/auth", authRouter);',
  );
  for (const r of resources) {
    const guard = r.authMode === "mounted" ? `${spec.guard}, ` : "";
    lines.push(`app.use("/api/${r.noun.kebabs}", ${guard}${r.noun.camel}Router);`);
  }
  lines.push("", "app.use(errorHandler);");
  return lines.text();
}

function authRoutesFile(spec: ServiceSpec): string {
  const user =
    spec.orm === "mongoose"
      ? "User.findOne({ email })"
      : spec.orm === "prisma"
        ? "prisma.user.findUnique({ where: { email } })"
        : "userRepository.findOneBy({ email })";
  const createUser =
    spec.orm === "mongoose"
      ? "User.create({ email, passwordHash })"
      : spec.orm === "prisma"
        ? "prisma.user.create({ data: { email, passwordHash } })"
        : "userRepository.save(userRepository.create({ email, passwordHash }))";
  const imports =
    spec.orm === "mongoose"
      ? ['import { User } from "../models/user.model";']
      : spec.orm === "prisma"
        ? ['import { prisma } from "../db";']
        : [
            'import { AppDataSource } from "../data-source";',
            'import { User } from "../entities/user.entity";',
            "",
            "const userRepository = AppDataSource.getRepository(User);",
          ];
  return new Lines()
    .push(
      'import { Router } from "express";',
      'import bcrypt from "bcrypt";',
      'import jwt from "jsonwebtoken";',
      'import { config } from "../config";',
      'import { asyncHandler } from "../utils/http";',
      'import { sendPasswordResetEmail } from "../utils/mailer";',
      ...imports,
      "",
      "const router = Router();",
      "",
      'router.post("/login", asyncHandler(async (req, res) => {',
      "  const { email, password } = req.body;",
      `  const user = await ${user};`,
      "  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {",
      '    res.status(401).json({ message: "Invalid credentials" });',
      "    return;",
      "  }",
      '  const token = jwt.sign({ sub: String(user.id) }, config.jwtSecret, { expiresIn: "1h", algorithm: "HS256" });',
      "  res.json({ token });",
      "}));",
      "",
      'router.post("/register", asyncHandler(async (req, res) => {',
      "  const { email, password } = req.body;",
      "  const passwordHash = await bcrypt.hash(password, 12);",
      `  const user = await ${createUser};`,
      "  res.status(201).json({ id: String(user.id), email });",
      "}));",
      "",
      'router.post("/forgot-password", asyncHandler(async (req, res) => {',
      "  const { email } = req.body;",
      `  const user = await ${user};`,
      "  if (user) await sendPasswordResetEmail(user.email);",
      "  res.status(202).end();",
      "}));",
      "",
      "export default router;",
    )
    .text();
}

/** Per-service files that are not about one resource: entry points, config, auth, utilities. */
function infraFiles(spec: ServiceSpec, resources: Resource[], rng: Rng): FileSet {
  const src = `${spec.dir}/src`;
  const files: FileSet = new Map([
    [`${spec.dir}/package.json`, packageJson(spec)],
    [`${src}/app.ts`, appFile(spec, resources)],
    [`${src}/server.ts`, serverFile()],
    [`${src}/config.ts`, configFile()],
    [`${src}/db.ts`, dbFile(spec)],
    [`${src}/routes/auth.routes.ts`, authRoutesFile(spec)],
    [`${src}/routes/health.routes.ts`, healthRoutes(spec)],
    [`${src}/middleware/${spec.orm === "prisma" ? "authorize" : "auth"}.ts`, authMiddleware(spec)],
    [`${src}/middleware/validate.ts`, validateMiddleware()],
    [`${src}/middleware/error-handler.ts`, errorHandler()],
    [`${src}/utils/http.ts`, httpUtils()],
    [`${src}/utils/observability.ts`, observability()],
    [`${src}/utils/cache.ts`, cacheUtils()],
    [`${src}/utils/mailer.ts`, mailer()],
    [`${src}/utils/format.ts`, formatUtils(rng, rng.size(30, 400))],
  ]);
  if (spec.orm === "prisma") files.set(`${src}/middleware/passport.ts`, passportSetup());
  if (spec.orm === "mongoose") files.set(`${src}/models/user.model.ts`, userModel());
  if (spec.orm === "typeorm") {
    files.set(`${src}/entities/user.entity.ts`, userEntity());
    files.set(`${src}/data-source.ts`, dataSource(resources));
  }
  return files;
}

function packageJson(spec: ServiceSpec): string {
  const orm = {
    mongoose: { mongoose: "^8.4.0" },
    prisma: { "@prisma/client": "^5.14.0" },
    typeorm: { typeorm: "^0.3.20", pg: "^8.11.5" },
  }[spec.orm];
  const manifest = {
    name: spec.dir.split("/")[1],
    private: true,
    type: "module",
    scripts: { build: "tsc -p .", start: "node dist/server.js" },
    dependencies: {
      express: "^4.19.2",
      helmet: "^7.1.0",
      cors: "^2.8.5",
      jsonwebtoken: "^9.0.2",
      zod: "^3.23.8",
      pino: "^9.1.0",
      ...orm,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function serverFile(): string {
  return new Lines()
    .push(
      'import { app } from "./app";',
      'import { config } from "./config";',
      'import { connectDatabase, disconnectDatabase } from "./db";',
      'import { logger } from "./utils/observability";',
      "",
      "async function main(): Promise<void> {",
      "  await connectDatabase();",
      "  const server = app.listen(config.port, () => {",
      '    logger.info({ port: config.port }, "listening");',
      "  });",
      "",
      "  const shutdown = (signal: string) => {",
      '    logger.info({ signal }, "shutting down");',
      "    server.close(async () => {",
      "      await disconnectDatabase();",
      "      process.exit(0);",
      "    });",
      "    setTimeout(() => process.exit(1), 10_000).unref();",
      "  };",
      '  process.on("SIGTERM", () => shutdown("SIGTERM"));',
      '  process.on("SIGINT", () => shutdown("SIGINT"));',
      "}",
      "",
      "main().catch((err) => {",
      '  logger.error({ err }, "failed to start");',
      "  process.exit(1);",
      "});",
    )
    .text();
}

function configFile(): string {
  return new Lines()
    .push(
      "function required(name: string): string {",
      "  const value = process.env[name];",
      "  if (!value) throw new Error(`Missing environment variable ${name}`);",
      "  return value;",
      "}",
      "",
      "function integer(name: string, fallback: number): number {",
      "  const raw = process.env[name];",
      "  if (raw === undefined) return fallback;",
      "  const value = Number.parseInt(raw, 10);",
      "  if (Number.isNaN(value)) throw new Error(`${name} must be an integer`);",
      "  return value;",
      "}",
      "",
      "export const config = {",
      '  env: process.env.NODE_ENV ?? "development",',
      '  port: integer("PORT", 3000),',
      '  jwtSecret: required("JWT_SECRET"),',
      '  jwtIssuer: process.env.JWT_ISSUER ?? "https://auth.example.com",',
      '  databaseUrl: required("DATABASE_URL"),',
      '  allowedOrigins: (process.env.ALLOWED_ORIGINS ?? "").split(",").filter(Boolean),',
      '  logLevel: process.env.LOG_LEVEL ?? "info",',
      '  smtpUrl: process.env.SMTP_URL ?? "smtp://localhost:1025",',
      '  cacheTtlMs: integer("CACHE_TTL_MS", 60_000),',
      "} as const;",
      "",
      'export const isProduction = config.env === "production";',
    )
    .text();
}

function dbFile(spec: ServiceSpec): string {
  const [imports, connect, disconnect]: [string[], string, string] =
    spec.orm === "mongoose"
      ? [
          ['import mongoose from "mongoose";'],
          "await mongoose.connect(config.databaseUrl, { serverSelectionTimeoutMS: 5_000 });",
          "await mongoose.disconnect();",
        ]
      : spec.orm === "prisma"
        ? [
            [
              'import { PrismaClient } from "@prisma/client";',
              "",
              'export const prisma = new PrismaClient({ log: isProduction ? ["error"] : ["query", "error"] });',
            ],
            "await prisma.$connect();",
            "await prisma.$disconnect();",
          ]
        : [
            ['import { AppDataSource } from "./data-source";'],
            "await AppDataSource.initialize();",
            "await AppDataSource.destroy();",
          ];
  return new Lines()
    .push(
      'import { config, isProduction } from "./config";',
      'import { logger } from "./utils/observability";',
      ...imports,
      "",
      "const MAX_ATTEMPTS = 5;",
      "",
      "export async function connectDatabase(): Promise<void> {",
      "  for (let attempt = 1; ; attempt++) {",
      "    try {",
      `      ${connect}`,
      '      logger.info({ attempt, production: isProduction }, "database connected");',
      "      return;",
      "    } catch (err) {",
      "      if (attempt >= MAX_ATTEMPTS) throw err;",
      '      logger.warn({ err, attempt, url: config.databaseUrl.replace(/\\/\\/.*@/, "//***@") }, "database not ready, retrying");',
      "      await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));",
      "    }",
      "  }",
      "}",
      "",
      "export async function disconnectDatabase(): Promise<void> {",
      `  ${disconnect}`,
      "}",
    )
    .text();
}

function healthRoutes(spec: ServiceSpec): string {
  const ping =
    spec.orm === "mongoose"
      ? "await mongoose.connection.db?.admin().ping();"
      : spec.orm === "prisma"
        ? "await prisma.$queryRaw`SELECT 1`;"
        : 'await AppDataSource.query("SELECT 1");';
  const dbImport =
    spec.orm === "mongoose"
      ? 'import mongoose from "mongoose";'
      : spec.orm === "prisma"
        ? 'import { prisma } from "../db";'
        : 'import { AppDataSource } from "../data-source";';
  return new Lines()
    .push(
      'import { Router } from "express";',
      dbImport,
      'import { logger } from "../utils/observability";',
      "",
      "const router = Router();",
      "const startedAt = new Date();",
      "",
      'router.get("/", (_req, res) => {',
      '  res.json({ status: "ok", startedAt: startedAt.toISOString(), uptime: process.uptime() });',
      "});",
      "",
      'router.get("/ready", async (_req, res) => {',
      "  try {",
      `    ${ping}`,
      '    res.json({ status: "ready" });',
      "  } catch (err) {",
      '    logger.warn({ err }, "readiness check failed");',
      '    res.status(503).json({ status: "unavailable" });',
      "  }",
      "});",
      "",
      "export default router;",
    )
    .text();
}

function authMiddleware(spec: ServiceSpec): string {
  if (spec.orm === "prisma") {
    return new Lines()
      .push(
        'import type { NextFunction, Request, Response } from "express";',
        'import { logger } from "../utils/observability";',
        "",
        "function deny(req: Request, res: Response, permission: string): void {",
        '  logger.warn({ user: req.user?.id, permission, path: req.path }, "permission denied");',
        '  res.status(403).json({ message: "Forbidden" });',
        "}",
        "",
        "export function authorize(permission: string) {",
        "  return (req: Request, res: Response, next: NextFunction) => {",
        "    const permissions: string[] = req.user?.permissions ?? [];",
        "    if (!permissions.includes(permission)) {",
        "      deny(req, res, permission);",
        "      return;",
        "    }",
        "    next();",
        "  };",
        "}",
        "",
        "export function authorizeAny(...required: string[]) {",
        "  return (req: Request, res: Response, next: NextFunction) => {",
        "    const permissions: string[] = req.user?.permissions ?? [];",
        "    if (!required.some((p) => permissions.includes(p))) {",
        '      deny(req, res, required.join("|"));',
        "      return;",
        "    }",
        "    next();",
        "  };",
        "}",
      )
      .text();
  }
  const [guard, role] = spec.orm === "mongoose" ? ["requireAuth", "requireRole"] : ["authenticate", "hasPermission"];
  return new Lines()
    .push(
      'import type { NextFunction, Request, Response } from "express";',
      'import jwt from "jsonwebtoken";',
      'import { config } from "../config";',
      "",
      `export function ${guard}(req: Request, res: Response, next: NextFunction): void {`,
      '  const header = req.headers.authorization ?? "";',
      '  const token = header.startsWith("Bearer ") ? header.slice(7) : req.cookies?.session;',
      "  if (!token) {",
      '    res.status(401).json({ message: "Authentication required" });',
      "    return;",
      "  }",
      "  try {",
      '    const claims = jwt.verify(token, config.jwtSecret, { algorithms: ["HS256"], issuer: config.jwtIssuer }) as jwt.JwtPayload;',
      '    req.user = { id: String(claims.sub), role: claims.role ?? "user", permissions: claims.permissions ?? [] };',
      "    next();",
      "  } catch {",
      '    res.status(401).json({ message: "Invalid token" });',
      "  }",
      "}",
      "",
      `export function ${role}(required: string) {`,
      "  return (req: Request, res: Response, next: NextFunction) => {",
      "    const granted = req.user?.role === required || (req.user?.permissions ?? []).includes(required);",
      "    if (!granted) {",
      '      res.status(403).json({ message: "Forbidden" });',
      "      return;",
      "    }",
      "    next();",
      "  };",
      "}",
    )
    .text();
}

function validateMiddleware(): string {
  return new Lines()
    .push(
      'import type { NextFunction, Request, Response } from "express";',
      'import type { ZodSchema } from "zod";',
      "",
      'type Part = "body" | "query" | "params";',
      "",
      "function validate(part: Part, schema: ZodSchema) {",
      "  return (req: Request, res: Response, next: NextFunction) => {",
      "    const result = schema.safeParse(req[part]);",
      "    if (!result.success) {",
      "      res.status(422).json({",
      '        message: "Validation failed",',
      '        issues: result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),',
      "      });",
      "      return;",
      "    }",
      '    if (part === "body") req.body = result.data;',
      "    next();",
      "  };",
      "}",
      "",
      'export const validateBody = (schema: ZodSchema) => validate("body", schema);',
      'export const validateQuery = (schema: ZodSchema) => validate("query", schema);',
      'export const validateParams = (schema: ZodSchema) => validate("params", schema);',
    )
    .text();
}

function errorHandler(): string {
  return new Lines()
    .push(
      'import type { NextFunction, Request, Response } from "express";',
      'import { ZodError } from "zod";',
      'import { isProduction } from "../config";',
      'import { HttpError } from "../utils/http";',
      'import { logger } from "../utils/observability";',
      "",
      "export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {",
      "  if (err instanceof HttpError) {",
      "    res.status(err.status).json({ message: err.message, code: err.code });",
      "    return;",
      "  }",
      "  if (err instanceof ZodError) {",
      '    res.status(422).json({ message: "Validation failed", issues: err.issues });',
      "    return;",
      "  }",
      '  logger.error({ err, method: req.method, path: req.path }, "unhandled error");',
      "  res.status(500).json({",
      '    message: "Internal server error",',
      "    ...(isProduction ? {} : { detail: err instanceof Error ? err.message : String(err) }),",
      "  });",
      "}",
    )
    .text();
}

function httpUtils(): string {
  return new Lines()
    .push(
      'import type { NextFunction, Request, RequestHandler, Response } from "express";',
      "",
      "export class HttpError extends Error {",
      "  constructor(",
      "    readonly status: number,",
      "    message: string,",
      "    readonly code?: string,",
      "  ) {",
      "    super(message);",
      '    this.name = "HttpError";',
      "  }",
      "}",
      "",
      "export function asyncHandler(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {",
      "  return (req, res, next) => {",
      "    fn(req, res, next).catch(next);",
      "  };",
      "}",
      "",
      "export interface Pagination {",
      "  page: number;",
      "  limit: number;",
      "  skip: number;",
      "}",
      "",
      "export function parsePagination(query: Record<string, unknown>, maxLimit = 100): Pagination {",
      "  const page = Math.max(1, Number.parseInt(String(query.page ?? 1), 10) || 1);",
      "  const limit = Math.min(maxLimit, Math.max(1, Number.parseInt(String(query.limit ?? 20), 10) || 20));",
      "  return { page, limit, skip: (page - 1) * limit };",
      "}",
    )
    .text();
}

function observability(): string {
  return new Lines()
    .push(
      'import { EventEmitter } from "node:events";',
      'import pino from "pino";',
      "",
      "export const logger = pino({",
      '  level: process.env.LOG_LEVEL ?? "info",',
      '  redact: ["req.headers.authorization", "req.headers.cookie", "*.password"],',
      "});",
      "",
      "/** Domain events (`order.created`, …) for webhooks and projections. */",
      "export const events = new EventEmitter();",
      "events.setMaxListeners(50);",
      "",
      "export interface AuditEvent {",
      "  actor: string;",
      "  action: string;",
      "  target: string;",
      "  ip?: string;",
      "  reason?: string;",
      "}",
      "",
      "export const audit = {",
      "  async record(event: AuditEvent): Promise<void> {",
      '    logger.info({ audit: true, ...event, at: new Date().toISOString() }, "audit");',
      '    events.emit("audit", event);',
      "  },",
      "};",
    )
    .text();
}

function cacheUtils(): string {
  return new Lines()
    .push(
      'import { config } from "../config";',
      "",
      "interface Entry {",
      "  value: unknown;",
      "  expires: number;",
      "}",
      "",
      "const entries = new Map<string, Entry>();",
      "",
      "export const cache = {",
      "  get<T>(key: string): T | undefined {",
      "    const entry = entries.get(key);",
      "    if (!entry || entry.expires < Date.now()) return undefined;",
      "    return entry.value as T;",
      "  },",
      "  set(key: string, value: unknown, ttlMs: number = config.cacheTtlMs): void {",
      "    entries.set(key, { value, expires: Date.now() + ttlMs });",
      "  },",
      "  async getOrSet<T>(key: string, load: () => Promise<T>): Promise<T> {",
      "    const hit = this.get<T>(key);",
      "    if (hit !== undefined) return hit;",
      "    const value = await load();",
      "    this.set(key, value);",
      "    return value;",
      "  },",
      "  async invalidate(prefix: string): Promise<void> {",
      "    for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);",
      "  },",
      "};",
    )
    .text();
}

function mailer(): string {
  return new Lines()
    .push(
      'import nodemailer from "nodemailer";',
      'import { config } from "../config";',
      'import { logger } from "./observability";',
      "",
      "const transport = nodemailer.createTransport(config.smtpUrl);",
      "",
      "function mask(email: string): string {",
      '  return email.replace(/(.).*@/, "$1***@");',
      "}",
      "",
      "export async function sendPasswordResetEmail(email: string): Promise<void> {",
      "  await transport.sendMail({",
      '    from: "no-reply@example.com",',
      "    to: email,",
      '    subject: "Reset your password",',
      '    text: "Use the link in this message within one hour to choose a new password.",',
      "  });",
      '  logger.info({ to: mask(email) }, "password reset email sent");',
      "}",
      "",
      "export async function sendInvitationEmail(email: string, inviter: string): Promise<void> {",
      "  await transport.sendMail({",
      '    from: "no-reply@example.com",',
      "    to: email,",
      "    subject: `${inviter} invited you`,",
      '    text: "Accept the invitation to join the workspace.",',
      "  });",
      '  logger.info({ to: mask(email) }, "invitation sent");',
      "}",
    )
    .text();
}

function userModel(): string {
  return new Lines()
    .push(
      'import { Schema, model, type InferSchemaType } from "mongoose";',
      "",
      "const userSchema = new Schema(",
      "  {",
      "    email: { type: String, required: true, unique: true, lowercase: true, trim: true },",
      "    passwordHash: { type: String, required: true, select: false },",
      "    displayName: { type: String, trim: true },",
      '    role: { type: String, enum: ["user", "admin"], default: "user" },',
      "    permissions: [{ type: String }],",
      "    lastLoginAt: { type: Date },",
      "    disabled: { type: Boolean, default: false },",
      "  },",
      "  { timestamps: true },",
      ");",
      "",
      "userSchema.statics.findActiveByEmail = function (email: string) {",
      "  return this.findOne({ email: email.toLowerCase(), disabled: false });",
      "};",
      "",
      'userSchema.set("toJSON", {',
      "  transform: (_doc, ret: Record<string, unknown>) => {",
      "    delete ret.passwordHash;",
      "    delete ret.__v;",
      "    return ret;",
      "  },",
      "});",
      "",
      "export type UserDocument = InferSchemaType<typeof userSchema>;",
      'export const User = model("User", userSchema);',
    )
    .text();
}

function userEntity(): string {
  return new Lines()
    .push(
      'import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";',
      "",
      '@Entity({ name: "users" })',
      "export class User {",
      '  @PrimaryGeneratedColumn("uuid")',
      "  id!: string;",
      "",
      "  @Column({ unique: true })",
      "  email!: string;",
      "",
      "  @Column({ select: false })",
      "  passwordHash!: string;",
      "",
      "  @Column({ nullable: true })",
      "  displayName!: string | null;",
      "",
      '  @Column({ default: "user" })',
      "  role!: string;",
      "",
      '  @Column("text", { array: true, default: [] })',
      "  permissions!: string[];",
      "",
      "  @CreateDateColumn()",
      "  createdAt!: Date;",
      "",
      "  @UpdateDateColumn()",
      "  updatedAt!: Date;",
      "",
      "  isAdmin(): boolean {",
      '    return this.role === "admin";',
      "  }",
      "}",
    )
    .text();
}

function dataSource(resources: Resource[]): string {
  return new Lines()
    .push(
      'import { DataSource } from "typeorm";',
      'import { config, isProduction } from "./config";',
      'import { User } from "./entities/user.entity";',
      ...resources.map((r) => `import { ${r.noun.Pascal} } from "./entities/${r.noun.kebab}.entity";`),
      "",
      "export const AppDataSource = new DataSource({",
      '  type: "postgres",',
      "  url: config.databaseUrl,",
      `  entities: [User, ${resources.map((r) => r.noun.Pascal).join(", ")}],`,
      "  synchronize: false,",
      "  logging: !isProduction,",
      "  ssl: isProduction ? { rejectUnauthorized: true } : false,",
      '  migrations: ["dist/migrations/*.js"],',
      "});",
    )
    .text();
}

function passportSetup(): string {
  return new Lines()
    .push(
      'import passport from "passport";',
      'import { ExtractJwt, Strategy } from "passport-jwt";',
      'import { config } from "../config";',
      'import { prisma } from "../db";',
      "",
      "passport.use(",
      "  new Strategy(",
      "    {",
      "      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),",
      "      secretOrKey: config.jwtSecret,",
      "      issuer: config.jwtIssuer,",
      '      algorithms: ["HS256"],',
      "    },",
      "    async (payload: { sub: string }, done) => {",
      "      try {",
      "        const user = await prisma.user.findUnique({",
      "          where: { id: payload.sub },",
      "          select: { id: true, role: true, permissions: true, disabled: true },",
      "        });",
      "        done(null, user && !user.disabled ? user : false);",
      "      } catch (err) {",
      "        done(err, false);",
      "      }",
      "    },",
      "  ),",
      ");",
      "",
      "export default passport;",
    )
    .text();
}

/** A utility module of small pure helpers, the kind every service accumulates. */
function formatUtils(rng: Rng, target: number): string {
  const helpers: string[][] = [
    [
      'export function formatMoney(amount: number, currency = "USD", locale = "en-US"): string {',
      '  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);',
      "}",
    ],
    [
      "export function slugify(value: string): string {",
      "  return value",
      '    .normalize("NFKD")',
      "    .toLowerCase()",
      '    .replace(/[^a-z0-9]+/g, "-")',
      '    .replace(/^-+|-+$/g, "");',
      "}",
    ],
    [
      "export function truncate(value: string, max: number): string {",
      "  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;",
      "}",
    ],
    [
      "export function addDays(date: Date, days: number): Date {",
      "  const copy = new Date(date);",
      "  copy.setUTCDate(copy.getUTCDate() + days);",
      "  return copy;",
      "}",
    ],
    [
      "export function isWeekend(date: Date): boolean {",
      "  const day = date.getUTCDay();",
      "  return day === 0 || day === 6;",
      "}",
    ],
    [
      "export function chunk<T>(items: readonly T[], size: number): T[][] {",
      "  const out: T[][] = [];",
      "  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));",
      "  return out;",
      "}",
    ],
    [
      "export function groupBy<T, K extends string>(items: readonly T[], key: (item: T) => K): Record<K, T[]> {",
      "  const out = {} as Record<K, T[]>;",
      "  for (const item of items) (out[key(item)] ??= []).push(item);",
      "  return out;",
      "}",
    ],
    [
      "export function maskEmail(email: string): string {",
      '  const [user, domain] = email.split("@");',
      "  if (!user || !domain) return email;",
      "  return `${user[0]}***@${domain}`;",
      "}",
    ],
    [
      "export function percent(part: number, whole: number): string {",
      '  if (whole === 0) return "0%";',
      "  return `${Math.round((part / whole) * 1000) / 10}%`;",
      "}",
    ],
    [
      "export function toCsvValue(value: unknown): string {",
      '  const text = value === null || value === undefined ? "" : String(value);',
      '  return /[",\\n]/.test(text) ? `"${text.replace(/"/g, \'""\')}"` : text;',
      "}",
    ],
  ];
  const lines = new Lines();
  let round = 0;
  // Larger utility modules repeat the same shapes for more domain types.
  while (lines.count < target - 4) {
    for (const helper of rng.shuffle(helpers)) {
      if (lines.count + helper.length + 1 > target) break;
      const suffix = round === 0 ? "" : `V${round + 1}`;
      lines.push(...helper.map((l, i) => (i === 0 ? l.replace(/function (\w+)/, `function $1${suffix}`) : l)), "");
    }
    round++;
    if (round > 20) break;
  }
  return lines.text();
}

/** The TypeScript half of the corpus. The first router is the ~1,500-line outlier. */
export function generateTypeScript(root: Rng): FileSet {
  const files: FileSet = new Map();
  const resources = root.fork("ts-resources").shuffle(RESOURCES);
  let first = true;
  SERVICES.forEach((spec, s) => {
    const own = resources.filter((_, i) => i % SERVICES.length === s);
    const built: Resource[] = own.map((noun) => {
      const rng = root.fork(`ts:${spec.dir}:${noun.kebab}:shape`);
      const authMode = rng.pick<AuthMode>(["per-route", "per-route", "router", "after-public", "mounted"]);
      // Catalog reads are public by design; so are the reads a router lists before its `router.use(guard)`.
      const publicReads = authMode === "after-public" || (spec.orm === "typeorm" && rng.chance(0.5));
      return {
        noun,
        fields: fieldsFor(rng, 3, 14),
        authMode,
        style: rng.pick<HandlerStyle>(["inline", "inline", "async-handler", "controller"]),
        routes: candidateRoutes(rng, noun, publicReads),
      };
    });
    for (const resource of built) {
      const n = resource.noun;
      const rng = root.fork(`ts:${spec.dir}:${n.kebab}`);
      const src = `${spec.dir}/src`;
      const routeTarget = first ? 1500 : rng.size(40, 1300);
      first = false;
      const handlers = new HandlerWriter(
        rng,
        n,
        resource.fields,
        ormCalls(spec.orm, n, `${n.camel}Repository`),
        `${n.camel}Service`,
      );
      const { router, controller } = routerFile(spec, resource, rng, routeTarget, handlers);
      files.set(`${src}/routes/${n.kebab}.routes.ts`, router);
      if (controller) files.set(`${src}/controllers/${n.kebab}.controller.ts`, controller);
      files.set(`${src}/services/${n.kebab}.service.ts`, serviceFile(spec, resource, rng, rng.size(50, 700)));
      files.set(`${src}/dto/${n.kebab}.dto.ts`, dtoFile(resource, rng, rng.size(30, 200)));
      if (spec.orm === "mongoose")
        files.set(`${src}/models/${n.kebab}.model.ts`, mongooseModel(resource, rng, rng.size(30, 250)));
      if (spec.orm === "typeorm")
        files.set(`${src}/entities/${n.kebab}.entity.ts`, typeormEntity(resource, rng, rng.size(30, 250)));
      if (spec.orm === "prisma")
        files.set(`${src}/repositories/${n.kebab}.repository.ts`, prismaRepository(resource, rng, rng.size(30, 300)));
    }
    for (const [path, text] of infraFiles(spec, built, root.fork(`ts:${spec.dir}:infra`))) files.set(path, text);
  });
  return files;
}
