/**
 * The C# half of the benchmark corpus: two ASP.NET Core projects. Shop.Api is
 * controllers over EF Core; Shop.Backoffice mixes controllers, minimal-API endpoint
 * groups and Dapper repositories, sets a FallbackPolicy, and holds the one
 * 2,000-line controller the per-file budget is measured on. Authorization is applied
 * the ways real code bases do: `[Authorize]` on the class with `[AllowAnonymous]`
 * reads, policies, per-action attributes (with the odd one forgotten), a base
 * controller, and none at all.
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

type AuthMode = "class" | "policy" | "action" | "base-class" | "none";
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
  | "sub-delete"
  | "sub-action";

interface ProjectSpec {
  name: string;
  dir: string;
  /** C# type of entity ids and its route constraint. */
  id: "int" | "Guid";
  dapper: boolean;
}

const PROJECTS: readonly ProjectSpec[] = [
  { name: "Shop.Api", dir: "csharp/Shop.Api", id: "int", dapper: false },
  { name: "Shop.Backoffice", dir: "csharp/Shop.Backoffice", id: "Guid", dapper: true },
];

/** The per-file budget is measured on this file: a controller of exactly 2,000 lines. */
export const LARGE_CSHARP_LINES = 2000;

interface Action {
  op: Op;
  verb: "HttpGet" | "HttpPost" | "HttpPut" | "HttpPatch" | "HttpDelete";
  /** Route template relative to the controller, without the surrounding attribute. */
  template: string;
  name: string;
  sub?: Noun;
  action?: string;
}

interface Resource {
  noun: Noun;
  fields: Field[];
  authMode: AuthMode;
  actions: Action[];
  /** Reads open to anonymous callers by design. */
  publicReads: boolean;
}

function csType(f: Field): string {
  switch (f.kind) {
    case "int":
      return "int";
    case "decimal":
      return "decimal";
    case "bool":
      return "bool";
    case "date":
      return "DateTime?";
    default:
      return "string";
  }
}

/** The request-side type: every field optional on updates. */
function csOptional(f: Field): string {
  const t = csType(f);
  return t.endsWith("?") ? t : `${t}?`;
}

/** State transitions on a nested entry (`POST {id}/items/{itemId}/approve`). */
const SUB_ACTIONS = ["approve", "reject", "close", "reopen"];

function candidateActions(rng: Rng, n: Noun, idRoute: string, idType: string): Action[] {
  const subRoute = (sub: Noun) => `${idRoute}/${sub.kebabs}/{${sub.camel}Id:${idType}}`;
  const act = (op: Op, verb: Action["verb"], template: string, name: string, extra: Partial<Action> = {}): Action => ({
    op,
    verb,
    template,
    name,
    ...extra,
  });
  const base = [
    act("list", "HttpGet", "", "GetAll"),
    act("get", "HttpGet", idRoute, "GetById"),
    act("create", "HttpPost", "", "Create"),
    act("update", rng.chance(0.7) ? "HttpPut" : "HttpPatch", idRoute, "Update"),
    act("delete", "HttpDelete", idRoute, "Delete"),
  ];
  const extras = [
    act("search", "HttpGet", "search", "Search"),
    act("stats", "HttpGet", "stats", "GetStats"),
    act("export", "HttpGet", "export", "Export"),
    act("bulk-delete", "HttpPost", "bulk-delete", "BulkDelete"),
    ...ACTIONS.map((a) =>
      act("action", "HttpPost", `${idRoute}/${a}`, a.charAt(0).toUpperCase() + a.slice(1), { action: a }),
    ),
    ...subResourcesOf(n).flatMap((sub) => [
      act("sub-list", "HttpGet", `${idRoute}/${sub.kebabs}`, `List${sub.Pascals}`, { sub }),
      act("sub-get", "HttpGet", subRoute(sub), `Get${sub.Pascal}`, { sub }),
      act("sub-create", "HttpPost", `${idRoute}/${sub.kebabs}`, `Add${sub.Pascal}`, { sub }),
      act("sub-update", "HttpPut", subRoute(sub), `Update${sub.Pascal}`, { sub }),
      act("sub-delete", "HttpDelete", subRoute(sub), `Remove${sub.Pascal}`, { sub }),
      ...SUB_ACTIONS.map((a) =>
        act(
          "sub-action",
          "HttpPost",
          `${subRoute(sub)}/${a}`,
          `${a.charAt(0).toUpperCase() + a.slice(1)}${sub.Pascal}`,
          { sub, action: a },
        ),
      ),
    ]),
  ];
  return [...base, ...rng.shuffle(extras)];
}

/** Wraps a file's body in a namespace: file-scoped in newer code, a block in older code. */
function inNamespace(usings: string[], ns: string, body: Lines, blockScoped: boolean): string {
  const lines = new Lines().push(...usings, "");
  if (blockScoped) {
    lines.push(`namespace ${ns}`, "{");
    lines.indented("    ", body.text().replace(/\n$/, "").split("\n"));
    lines.push("}");
  } else {
    lines.push(`namespace ${ns};`, "");
    lines.push(...body.text().replace(/\n$/, "").split("\n"));
  }
  return lines.text();
}

/** The body of one controller action, with the attributes and comments real actions carry. */
class ActionWriter {
  constructor(
    private readonly rng: Rng,
    private readonly project: ProjectSpec,
    private readonly resource: Resource,
  ) {}

  private get n(): Noun {
    return this.resource.noun;
  }

  write(action: Action, authAttributes: string[]): string[] {
    const lines: string[] = [];
    if (this.rng.chance(0.35)) lines.push("/// <summary>", `/// ${this.summary(action)}`, "/// </summary>");
    lines.push(`[${action.verb}${action.template ? `("${action.template}")` : ""}]`);
    lines.push(...authAttributes.map((a) => `[${a}]`));
    if (this.rng.chance(0.4)) lines.push(...this.produces(action));
    lines.push(...this.method(action));
    return lines;
  }

  private summary(action: Action): string {
    const what = action.sub ? `${action.sub.words} entries of a ${this.n.words}` : `${this.n.words} records`;
    return `${action.name.replace(/([a-z])([A-Z])/g, "$1 $2")} for ${what}.`;
  }

  private produces(action: Action): string[] {
    switch (action.op) {
      case "create":
      case "sub-create":
        return [
          "[ProducesResponseType(StatusCodes.Status201Created)]",
          "[ProducesResponseType(StatusCodes.Status400BadRequest)]",
        ];
      case "update":
      case "delete":
      case "action":
        return [
          "[ProducesResponseType(StatusCodes.Status204NoContent)]",
          "[ProducesResponseType(StatusCodes.Status404NotFound)]",
        ];
      default:
        return ["[ProducesResponseType(StatusCodes.Status200OK)]"];
    }
  }

  private method(action: Action): string[] {
    const n = this.n;
    const id = this.project.id;
    const sig = (ret: string, params: string) => `public async Task<${ret}> ${action.name}(${params})`;
    const ct = "CancellationToken cancellationToken";
    const body = (...lines: string[]) => ["{", ...lines.map((l) => (l ? `    ${l}` : l)), "}"];
    switch (action.op) {
      case "list":
        return [
          sig(`ActionResult<PagedResult<${n.Pascal}Dto>>`, `[FromQuery] ${n.Pascal}Query query, ${ct}`),
          ...body(...this.list()),
        ];
      case "get":
        return [
          sig(`ActionResult<${n.Pascal}Dto>`, `${id} id, ${ct}`),
          ...body(
            `var entity = await _context.${n.Pascals}.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);`,
            ...this.notFound("entity"),
            ...this.ownership("entity"),
            "return Ok(entity.ToDto());",
          ),
        ];
      case "create":
        return [
          sig(`ActionResult<${n.Pascal}Dto>`, `[FromBody] Create${n.Pascal}Request request, ${ct}`),
          ...body(...this.create()),
        ];
      case "update":
        return [
          sig("IActionResult", `${id} id, [FromBody] Update${n.Pascal}Request request, ${ct}`),
          ...body(...this.update()),
        ];
      case "delete":
        return [sig("IActionResult", `${id} id, ${ct}`), ...body(...this.remove())];
      case "search":
        return [
          sig(`ActionResult<IReadOnlyList<${n.Pascal}Dto>>`, `[FromQuery] string q, ${ct}`),
          ...body(
            "if (string.IsNullOrWhiteSpace(q) || q.Length < 2)",
            "{",
            '    return BadRequest("Query must be at least 2 characters.");',
            "}",
            `var results = await _context.${n.Pascals}`,
            "    .AsNoTracking()",
            '    .Where(x => EF.Functions.ILike(x.Name, $"%{q}%"))',
            "    .OrderBy(x => x.Name)",
            "    .Take(25)",
            "    .Select(x => x.ToDto())",
            "    .ToListAsync(cancellationToken);",
            "return Ok(results);",
          ),
        ];
      case "stats":
        return [
          sig("ActionResult<object>", ct),
          ...body(
            `var byStatus = await _context.${n.Pascals}`,
            "    .AsNoTracking()",
            "    .GroupBy(x => x.Status)",
            "    .Select(g => new { Status = g.Key, Count = g.Count() })",
            "    .ToListAsync(cancellationToken);",
            "return Ok(new { Total = byStatus.Sum(x => x.Count), ByStatus = byStatus, GeneratedAt = DateTime.UtcNow });",
          ),
        ];
      case "export": {
        const columns = ["Id", ...this.resource.fields.slice(0, 6).map((f) => f.Pascal)];
        return [
          sig("IActionResult", ct),
          ...body(
            `var rows = await _context.${n.Pascals}.AsNoTracking().OrderBy(x => x.CreatedAt).ToListAsync(cancellationToken);`,
            "var csv = new StringBuilder();",
            `csv.AppendLine("${columns.join(",")}");`,
            "foreach (var row in rows)",
            "{",
            `    csv.AppendLine(string.Join(",", ${columns.map((c) => `Escape(row.${c})`).join(", ")}));`,
            "}",
            `_logger.LogInformation("Exported {Count} ${n.words} rows", rows.Count);`,
            `return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", "${n.kebabs}.csv");`,
          ),
        ];
      }
      case "bulk-delete":
        return [
          sig("IActionResult", `[FromBody] BulkDeleteRequest request, ${ct}`),
          ...body(
            "if (request.Ids.Count is 0 or > 100)",
            "{",
            '    return BadRequest("Provide between 1 and 100 ids.");',
            "}",
            `var deleted = await _context.${n.Pascals}.Where(x => request.Ids.Contains(x.Id)).ExecuteDeleteAsync(cancellationToken);`,
            ...this.audit("bulk-delete", "string.Join(',', request.Ids)"),
            `_logger.LogInformation("Deleted {Count} ${n.words} records", deleted);`,
            "return NoContent();",
          ),
        ];
      case "action":
        return [
          sig("IActionResult", `${id} id, [FromBody] ActionReasonRequest? request, ${ct}`),
          ...body(
            `var result = await _${n.camel}Service.${action.name}Async(id, CurrentUserId, request?.Reason, cancellationToken);`,
            ...(this.rng.chance(0.4)
              ? [`_logger.LogInformation("${action.name} on ${n.words} {Id}: {Result}", id, result);`]
              : []),
            "return result switch",
            "{",
            "    ServiceResult.NotFound => NotFound(),",
            '    ServiceResult.Conflict => Conflict(new ProblemDetails { Title = "The record is not in a state that allows this." }),',
            "    _ => NoContent(),",
            "};",
          ),
        ];
      default:
        return this.sub(action, sig, body);
    }
  }

  private sub(
    action: Action,
    sig: (ret: string, params: string) => string,
    body: (...lines: string[]) => string[],
  ): string[] {
    const n = this.n;
    const sub = action.sub!;
    const id = this.project.id;
    const ct = "CancellationToken cancellationToken";
    const dto = `${n.Pascal}${sub.Pascal}Dto`;
    const subId = `${sub.camel}Id`;
    switch (action.op) {
      case "sub-list":
        return [
          sig(`ActionResult<IReadOnlyList<${dto}>>`, `${id} id, ${ct}`),
          ...body(
            `var ${sub.camels} = await _${n.camel}Service.List${sub.Pascals}Async(id, cancellationToken);`,
            `return Ok(${sub.camels});`,
          ),
        ];
      case "sub-get":
        return [
          sig(`ActionResult<${dto}>`, `${id} id, ${id} ${subId}, ${ct}`),
          ...body(
            `var ${sub.camel} = await _${n.camel}Service.Get${sub.Pascal}Async(id, ${subId}, cancellationToken);`,
            `return ${sub.camel} is null ? NotFound() : Ok(${sub.camel});`,
          ),
        ];
      case "sub-create":
        return [
          sig(`ActionResult<${dto}>`, `${id} id, [FromBody] Create${n.Pascal}${sub.Pascal}Request request, ${ct}`),
          ...body(
            ...this.validation(),
            `var ${sub.camel} = await _${n.camel}Service.Add${sub.Pascal}Async(id, request, CurrentUserId, cancellationToken);`,
            ...this.notFound(sub.camel),
            ...this.audit(`${sub.kebab}.create`, "id.ToString()"),
            `return Created($"api/${n.kebabs}/{id}/${sub.kebabs}/{${sub.camel}.Id}", ${sub.camel});`,
          ),
        ];
      case "sub-update":
        return [
          sig(
            "IActionResult",
            `${id} id, ${id} ${subId}, [FromBody] Create${n.Pascal}${sub.Pascal}Request request, ${ct}`,
          ),
          ...body(
            ...this.validation(),
            `var updated = await _${n.camel}Service.Update${sub.Pascal}Async(id, ${subId}, request, CurrentUserId, cancellationToken);`,
            ...this.audit(`${sub.kebab}.update`, "id.ToString()"),
            "return updated ? NoContent() : NotFound();",
          ),
        ];
      case "sub-action": {
        const state = action.action!.endsWith("e") ? `${action.action}d` : `${action.action}ed`;
        return [
          sig("IActionResult", `${id} id, ${id} ${subId}, ${ct}`),
          ...body(
            `var entry = await _context.${n.Pascal}${sub.Pascals}.FirstOrDefaultAsync(x => x.${n.Pascal}Id == id && x.Id == ${subId}, cancellationToken);`,
            ...this.notFound("entry"),
            `if (entry.Status == "${state}")`,
            "{",
            `    return Conflict(new ProblemDetails { Title = "The ${sub.words} is already ${state}." });`,
            "}",
            `entry.Status = "${state}";`,
            "await _context.SaveChangesAsync(cancellationToken);",
            ...this.audit(`${sub.kebab}.${action.action}`, `${subId}.ToString()`),
            "return NoContent();",
          ),
        ];
      }
      default:
        return [
          sig("IActionResult", `${id} id, ${id} ${subId}, ${ct}`),
          ...body(
            `var removed = await _${n.camel}Service.Remove${sub.Pascal}Async(id, ${subId}, CurrentUserId, cancellationToken);`,
            ...this.audit(`${sub.kebab}.delete`, "id.ToString()"),
            "return removed ? NoContent() : NotFound();",
          ),
        ];
    }
  }

  private list(): string[] {
    const n = this.n;
    const lines = [`var source = _context.${n.Pascals}.AsNoTracking();`];
    const filterable = this.resource.fields.filter((f) => f.kind === "enum" || f.kind === "string");
    for (const f of this.rng.sample(filterable, this.rng.int(1, 3))) {
      lines.push(
        `if (!string.IsNullOrWhiteSpace(query.${f.Pascal}))`,
        "{",
        `    source = source.Where(x => x.${f.Pascal} == query.${f.Pascal});`,
        "}",
      );
    }
    if (!this.resource.publicReads && this.rng.chance(0.5))
      lines.push("source = source.Where(x => x.OwnerId == CurrentUserId);");
    lines.push(
      "var total = await source.CountAsync(cancellationToken);",
      "var items = await source",
      "    .OrderByDescending(x => x.CreatedAt)",
      "    .Skip((query.Page - 1) * query.PageSize)",
      "    .Take(query.PageSize)",
      "    .Select(x => x.ToDto())",
      "    .ToListAsync(cancellationToken);",
      `return Ok(new PagedResult<${n.Pascal}Dto>(items, total, query.Page, query.PageSize));`,
    );
    return lines;
  }

  private create(): string[] {
    const n = this.n;
    const lines = [...this.validation()];
    if (this.rng.chance(0.3)) {
      lines.push(
        `if (await _context.${n.Pascals}.AnyAsync(x => x.Name == request.Name, cancellationToken))`,
        "{",
        `    return Conflict(new ProblemDetails { Title = "A ${n.words} with this name already exists." });`,
        "}",
      );
    }
    lines.push(`var entity = new ${n.Pascal}`, "{");
    for (const f of this.resource.fields) lines.push(`    ${f.Pascal} = request.${f.Pascal},`);
    lines.push("    OwnerId = CurrentUserId,", "    CreatedAt = DateTime.UtcNow,", "};");
    lines.push(`_context.${n.Pascals}.Add(entity);`, "await _context.SaveChangesAsync(cancellationToken);");
    lines.push(...this.audit("create", "entity.Id.ToString()"));
    if (this.rng.chance(0.5)) lines.push(`_logger.LogInformation("Created ${n.words} {Id}", entity.Id);`);
    lines.push("return CreatedAtAction(nameof(GetById), new { id = entity.Id }, entity.ToDto());");
    return lines;
  }

  private update(): string[] {
    const n = this.n;
    const lines = [
      `var entity = await _context.${n.Pascals}.FindAsync(new object[] { id }, cancellationToken);`,
      ...this.notFound("entity"),
      ...this.ownership("entity"),
    ];
    lines.push(...this.validation());
    for (const f of this.resource.fields) lines.push(`entity.${f.Pascal} = request.${f.Pascal} ?? entity.${f.Pascal};`);
    lines.push("entity.UpdatedAt = DateTime.UtcNow;", "await _context.SaveChangesAsync(cancellationToken);");
    lines.push(...this.audit("update", "id.ToString()"));
    lines.push("return NoContent();");
    return lines;
  }

  private remove(): string[] {
    const n = this.n;
    if (this.rng.chance(0.35)) {
      return [
        `var deleted = await _context.${n.Pascals}.Where(x => x.Id == id).ExecuteDeleteAsync(cancellationToken);`,
        ...this.audit("delete", "id.ToString()"),
        "return deleted == 0 ? NotFound() : NoContent();",
      ];
    }
    return [
      `var entity = await _context.${n.Pascals}.FindAsync(new object[] { id }, cancellationToken);`,
      ...this.notFound("entity"),
      ...this.ownership("entity"),
      `_context.${n.Pascals}.Remove(entity);`,
      "await _context.SaveChangesAsync(cancellationToken);",
      ...this.audit("delete", "id.ToString()"),
      "return NoContent();",
    ];
  }

  private notFound(v: string): string[] {
    return [`if (${v} is null)`, "{", "    return NotFound();", "}"];
  }

  private ownership(v: string): string[] {
    if (!this.rng.chance(0.45)) return [];
    return [`if (${v}.OwnerId != CurrentUserId && !User.IsInRole("Admin"))`, "{", "    return Forbid();", "}"];
  }

  private validation(): string[] {
    if (!this.rng.chance(0.4)) return [];
    return ["if (!ModelState.IsValid)", "{", "    return ValidationProblem(ModelState);", "}"];
  }

  private audit(action: string, target: string): string[] {
    if (!this.rng.chance(0.45)) return [];
    return [`await _audit.RecordAsync(CurrentUserId, "${this.n.kebab}.${action}", ${target}, cancellationToken);`];
  }
}

function authAttributesFor(resource: Resource, action: Action, rng: Rng): string[] {
  const reads = action.verb === "HttpGet";
  const destructive = action.op === "delete" || action.op === "bulk-delete" || action.op === "export";
  switch (resource.authMode) {
    case "action": {
      // Teams that authorize action by action forget one now and then: those are the findings.
      if (reads) return resource.publicReads || rng.chance(0.4) ? [] : ["Authorize"];
      if (!rng.chance(0.88)) return [];
      return destructive && rng.chance(0.6) ? ['Authorize(Roles = "Admin")'] : ["Authorize"];
    }
    case "none":
      return [];
    default: {
      if (reads && resource.publicReads && (action.op === "list" || action.op === "get" || action.op === "search"))
        return ["AllowAnonymous"];
      if (destructive && rng.chance(0.5)) return ['Authorize(Roles = "Admin")'];
      // An anonymous write under a class-level [Authorize]: sometimes on purpose, sometimes not.
      if (!reads && rng.chance(0.03)) return ["AllowAnonymous"];
      return [];
    }
  }
}

interface Built {
  text: string;
  /** Service methods the controller calls, so the interface and implementation match. */
  serviceActions: Action[];
}

function controllerFile(project: ProjectSpec, resource: Resource, rng: Rng, target: number, exact: boolean): Built {
  const n = resource.noun;
  const writer = new ActionWriter(rng, project, resource);
  const body = new Lines();
  const classAttributes = [
    "[ApiController]",
    rng.chance(0.6) ? '[Route("api/[controller]")]' : `[Route("api/v1/${n.kebabs}")]`,
  ];
  if (resource.authMode === "class") classAttributes.push("[Authorize]");
  if (resource.authMode === "policy") classAttributes.push(`[Authorize(Policy = "Manage${n.Pascals}")]`);
  if (rng.chance(0.5)) classAttributes.push('[Produces("application/json")]');
  const base = resource.authMode === "base-class" ? "ApiControllerBase" : "ControllerBase";
  body.push(...classAttributes, `public class ${n.Pascals}Controller : ${base}`, "{");
  body.push(
    "    private readonly AppDbContext _context;",
    `    private readonly I${n.Pascal}Service _${n.camel}Service;`,
    "    private readonly IAuditLog _audit;",
    `    private readonly ILogger<${n.Pascals}Controller> _logger;`,
    "",
    `    public ${n.Pascals}Controller(AppDbContext context, I${n.Pascal}Service ${n.camel}Service, IAuditLog audit, ILogger<${n.Pascals}Controller> logger)`,
    "    {",
    "        _context = context;",
    `        _${n.camel}Service = ${n.camel}Service;`,
    "        _audit = audit;",
    "        _logger = logger;",
    "    }",
    "",
  );
  if (base === "ControllerBase") {
    body.push(
      "    private string CurrentUserId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new UnauthorizedAccessException();",
      "",
    );
  }
  // What the file needs around the actions: usings and namespace above; the Escape()
  // helper, the closing brace and (in the fixed-size file) the message table below.
  const header = CONTROLLER_USINGS(project).length + 3;
  const tail = 2 + (exact ? 4 : 0);
  const serviceActions: Action[] = [];
  for (const [i, action] of resource.actions.entries()) {
    const lines = writer.write(action, authAttributesFor(resource, action, rng));
    if (i >= 5 && header + body.count + lines.length + 1 + tail > target) break;
    body.indented("    ", lines).push("");
    if ((action.action || action.sub) && action.op !== "sub-action") serviceActions.push(action);
  }
  body.push(
    '    private static string Escape(object? value) => "\\"" + (value?.ToString() ?? string.Empty).Replace("\\"", "\\"\\"") + "\\"";',
  );
  if (exact) {
    // The fixed-size file ends with its error-message table, sized to land on the exact line count.
    const entries = target - header - body.count - 5;
    body.push(
      "",
      "    private static readonly IReadOnlyDictionary<string, string> ErrorMessages = new Dictionary<string, string>",
      "    {",
    );
    for (let i = 1; i <= entries; i++) {
      body.push(
        `        ["${n.Pascal.slice(0, 3).toUpperCase()}-${String(i).padStart(3, "0")}"] = "${rng.pick(ERROR_MESSAGES)} (${n.words}, rule ${i})",`,
      );
    }
    body.push("    };");
  }
  body.push("}");
  const text = inNamespace(CONTROLLER_USINGS(project), `${project.name}.Controllers`, body, false);
  const lineCount = text.split("\n").length - 1;
  if (exact && lineCount !== target)
    throw new Error(`the fixed-size controller came out at ${lineCount} lines instead of ${target}`);
  return { text, serviceActions };
}

const ERROR_MESSAGES = [
  "The record was changed by another user",
  "The requested state transition is not allowed",
  "A required field is missing",
  "The value is outside the allowed range",
  "The referenced record does not exist",
  "The operation exceeds the configured limit",
  "The record is locked for editing",
  "The currency does not match the account",
];

const CONTROLLER_USINGS = (project: ProjectSpec) => [
  "using System.Security.Claims;",
  "using System.Text;",
  "using Microsoft.AspNetCore.Authorization;",
  "using Microsoft.AspNetCore.Mvc;",
  "using Microsoft.EntityFrameworkCore;",
  `using ${project.name}.Common;`,
  `using ${project.name}.Data;`,
  `using ${project.name}.Dtos;`,
  `using ${project.name}.Models;`,
  `using ${project.name}.Services;`,
];

/** A minimal-API endpoint group: the other way ASP.NET Core code declares routes. */
function endpointsFile(project: ProjectSpec, resource: Resource, rng: Rng): string {
  const n = resource.noun;
  const id = project.id;
  const route = `{id:${id === "int" ? "int" : "guid"}}`;
  const groupAuth = resource.authMode === "none" ? "" : ".RequireAuthorization()";
  const body = new Lines().push(
    `public static class ${n.Pascals}Endpoints`,
    "{",
    `    public static RouteGroupBuilder Map${n.Pascals}Endpoints(this IEndpointRouteBuilder routes)`,
    "    {",
    `        var group = routes.MapGroup("/api/${n.kebabs}").WithTags("${n.Pascals}")${groupAuth};`,
    "",
    `        group.MapGet("/", ListAsync)${resource.publicReads ? ".AllowAnonymous()" : ""};`,
    `        group.MapGet("/${route}", GetAsync).WithName("Get${n.Pascal}");`,
    `        group.MapPost("/", CreateAsync);`,
    `        group.MapPut("/${route}", UpdateAsync);`,
    `        group.MapDelete("/${route}", DeleteAsync)${rng.chance(0.7) ? '.RequireAuthorization("admin")' : ""};`,
    "",
    "        return group;",
    "    }",
    "",
    `    private static async Task<Ok<List<${n.Pascal}Dto>>> ListAsync(AppDbContext db, CancellationToken cancellationToken)`,
    "    {",
    `        var items = await db.${n.Pascals}.AsNoTracking().OrderByDescending(x => x.CreatedAt).Take(100).Select(x => x.ToDto()).ToListAsync(cancellationToken);`,
    "        return TypedResults.Ok(items);",
    "    }",
    "",
    `    private static async Task<Results<Ok<${n.Pascal}Dto>, NotFound>> GetAsync(${id} id, AppDbContext db, CancellationToken cancellationToken)`,
    "    {",
    `        var entity = await db.${n.Pascals}.FindAsync(new object[] { id }, cancellationToken);`,
    "        return entity is null ? TypedResults.NotFound() : TypedResults.Ok(entity.ToDto());",
    "    }",
    "",
    `    private static async Task<Created<${n.Pascal}Dto>> CreateAsync(Create${n.Pascal}Request request, AppDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)`,
    "    {",
    `        var entity = new ${n.Pascal}`,
    "        {",
    ...resource.fields.map((f) => `            ${f.Pascal} = request.${f.Pascal},`),
    "            OwnerId = user.FindFirstValue(ClaimTypes.NameIdentifier)!,",
    "            CreatedAt = DateTime.UtcNow,",
    "        };",
    `        db.${n.Pascals}.Add(entity);`,
    "        await db.SaveChangesAsync(cancellationToken);",
    `        return TypedResults.Created($"/api/${n.kebabs}/{entity.Id}", entity.ToDto());`,
    "    }",
    "",
    `    private static async Task<Results<NoContent, NotFound>> UpdateAsync(${id} id, Update${n.Pascal}Request request, AppDbContext db, CancellationToken cancellationToken)`,
    "    {",
    `        var entity = await db.${n.Pascals}.FindAsync(new object[] { id }, cancellationToken);`,
    "        if (entity is null)",
    "        {",
    "            return TypedResults.NotFound();",
    "        }",
    ...resource.fields.map((f) => `        entity.${f.Pascal} = request.${f.Pascal} ?? entity.${f.Pascal};`),
    "        entity.UpdatedAt = DateTime.UtcNow;",
    "        await db.SaveChangesAsync(cancellationToken);",
    "        return TypedResults.NoContent();",
    "    }",
    "",
    `    private static async Task<Results<NoContent, NotFound>> DeleteAsync(${id} id, AppDbContext db, CancellationToken cancellationToken)`,
    "    {",
    `        var deleted = await db.${n.Pascals}.Where(x => x.Id == id).ExecuteDeleteAsync(cancellationToken);`,
    "        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();",
    "    }",
    "}",
  );
  return inNamespace(
    [
      "using System.Security.Claims;",
      "using Microsoft.AspNetCore.Http.HttpResults;",
      "using Microsoft.EntityFrameworkCore;",
      `using ${project.name}.Data;`,
      `using ${project.name}.Dtos;`,
      `using ${project.name}.Models;`,
    ],
    `${project.name}.Endpoints`,
    body,
    false,
  );
}

/** Service interface and implementation, covering the actions the controller calls plus core CRUD, up to `target`. */
function serviceFiles(
  project: ProjectSpec,
  resource: Resource,
  rng: Rng,
  called: Action[],
  target: number,
  blockScoped: boolean,
): [string, string] {
  const n = resource.noun;
  const id = project.id;
  const ct = "CancellationToken cancellationToken = default";
  const ctArg = "cancellationToken";
  interface Method {
    signature: string;
    body: string[];
  }
  const methods: Method[] = [
    {
      signature: `Task<${n.Pascal}Dto?> GetAsync(${id} id, ${ct})`,
      body: [
        `var entity = await _db.${n.Pascals}.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ${ctArg});`,
        "return entity?.ToDto();",
      ],
    },
    {
      signature: `Task<IReadOnlyList<${n.Pascal}Dto>> ListForOwnerAsync(string ownerId, ${ct})`,
      body: [
        `return await _db.${n.Pascals}.AsNoTracking().Where(x => x.OwnerId == ownerId).Select(x => x.ToDto()).ToListAsync(${ctArg});`,
      ],
    },
  ];
  const actionNames = new Set(called.filter((a) => a.action).map((a) => a.action!));
  const subs = new Map(called.filter((a) => a.sub).map((a) => [a.sub!.camel, a.sub!]));
  // A bigger service also carries what no controller in this file calls yet.
  for (const a of rng.shuffle(ACTIONS)) if (!actionNames.has(a) && rng.chance(0.3)) actionNames.add(a);
  for (const action of actionNames) {
    const Name = action.charAt(0).toUpperCase() + action.slice(1);
    const state = action.endsWith("e") ? `${action}d` : `${action}ed`;
    methods.push({
      signature: `Task<ServiceResult> ${Name}Async(${id} id, string actorId, string? reason, ${ct})`,
      body: [
        `var entity = await _db.${n.Pascals}.FindAsync(new object[] { id }, ${ctArg});`,
        "if (entity is null)",
        "{",
        "    return ServiceResult.NotFound;",
        "}",
        `if (entity.Status == "${state}")`,
        "{",
        "    return ServiceResult.Conflict;",
        "}",
        `entity.Status = "${state}";`,
        "entity.UpdatedAt = DateTime.UtcNow;",
        `await _db.SaveChangesAsync(${ctArg});`,
        `await _audit.RecordAsync(actorId, "${n.kebab}.${action}", id.ToString(), ${ctArg});`,
        `_logger.LogInformation("${n.Pascal} {Id} ${state} by {Actor}: {Reason}", id, actorId, reason ?? "-");`,
        "return ServiceResult.Success;",
      ],
    });
  }
  for (const sub of subs.values()) {
    const entity = `${n.Pascal}${sub.Pascal}`;
    const set = `${n.Pascal}${sub.Pascals}`;
    const dto = `${entity}Dto`;
    const parent = `${n.camel}Id`;
    const subId = `${sub.camel}Id`;
    const toDto = (v: string) => `new ${dto}(${v}.Id, ${v}.Body, ${v}.CreatedBy, ${v}.CreatedAt)`;
    methods.push(
      {
        signature: `Task<IReadOnlyList<${dto}>> List${sub.Pascals}Async(${id} ${parent}, ${ct})`,
        body: [
          `return await _db.${set}.AsNoTracking().Where(x => x.${n.Pascal}Id == ${parent}).Select(x => ${toDto("x")}).ToListAsync(${ctArg});`,
        ],
      },
      {
        signature: `Task<${dto}?> Get${sub.Pascal}Async(${id} ${parent}, ${id} ${subId}, ${ct})`,
        body: [
          `var entity = await _db.${set}.AsNoTracking().FirstOrDefaultAsync(x => x.${n.Pascal}Id == ${parent} && x.Id == ${subId}, ${ctArg});`,
          `return entity is null ? null : ${toDto("entity")};`,
        ],
      },
      {
        signature: `Task<${dto}?> Add${sub.Pascal}Async(${id} ${parent}, Create${entity}Request request, string actorId, ${ct})`,
        body: [
          `if (!await _db.${n.Pascals}.AnyAsync(x => x.Id == ${parent}, ${ctArg}))`,
          "{",
          "    return null;",
          "}",
          `var entity = new ${entity} { ${n.Pascal}Id = ${parent}, Body = request.Body, CreatedBy = actorId, CreatedAt = DateTime.UtcNow };`,
          `_db.${set}.Add(entity);`,
          `await _db.SaveChangesAsync(${ctArg});`,
          `return ${toDto("entity")};`,
        ],
      },
      {
        signature: `Task<bool> Update${sub.Pascal}Async(${id} ${parent}, ${id} ${subId}, Create${entity}Request request, string actorId, ${ct})`,
        body: [
          `var entity = await _db.${set}.FirstOrDefaultAsync(x => x.${n.Pascal}Id == ${parent} && x.Id == ${subId}, ${ctArg});`,
          "if (entity is null)",
          "{",
          "    return false;",
          "}",
          "entity.Body = request.Body;",
          `await _db.SaveChangesAsync(${ctArg});`,
          `await _audit.RecordAsync(actorId, "${n.kebab}.${sub.kebab}.update", ${subId}.ToString(), ${ctArg});`,
          "return true;",
        ],
      },
      {
        signature: `Task<bool> Remove${sub.Pascal}Async(${id} ${parent}, ${id} ${subId}, string actorId, ${ct})`,
        body: [
          `var removed = await _db.${set}.Where(x => x.${n.Pascal}Id == ${parent} && x.Id == ${subId}).ExecuteDeleteAsync(${ctArg});`,
          "if (removed > 0)",
          "{",
          `    await _audit.RecordAsync(actorId, "${n.kebab}.${sub.kebab}.delete", ${subId}.ToString(), ${ctArg});`,
          "}",
          "return removed > 0;",
        ],
      },
    );
  }
  for (const f of rng.shuffle(resource.fields)) {
    methods.push({
      signature: `Task<IReadOnlyList<${n.Pascal}Dto>> FindBy${f.Pascal}Async(${csType(f).replace("?", "")} value, ${ct})`,
      body: [
        `return await _db.${n.Pascals}`,
        "    .AsNoTracking()",
        `    .Where(x => x.${f.Pascal} == value)`,
        "    .OrderByDescending(x => x.CreatedAt)",
        "    .Select(x => x.ToDto())",
        `    .ToListAsync(${ctArg});`,
      ],
    });
  }

  const primaryConstructor = rng.chance(0.3);
  const impl = new Lines();
  if (primaryConstructor) {
    impl.push(
      `public sealed class ${n.Pascal}Service(AppDbContext _db, IAuditLog _audit, ILogger<${n.Pascal}Service> _logger) : I${n.Pascal}Service`,
      "{",
    );
  } else {
    impl.push(
      `public sealed class ${n.Pascal}Service : I${n.Pascal}Service`,
      "{",
      "    private readonly AppDbContext _db;",
      "    private readonly IAuditLog _audit;",
      `    private readonly ILogger<${n.Pascal}Service> _logger;`,
      "",
      `    public ${n.Pascal}Service(AppDbContext db, IAuditLog audit, ILogger<${n.Pascal}Service> logger)`,
      "    {",
      "        _db = db;",
      "        _audit = audit;",
      "        _logger = logger;",
      "    }",
      "",
    );
  }
  const kept: Method[] = [];
  const required = 2 + actionNames.size + subs.size * 5;
  for (const [i, m] of methods.entries()) {
    // What the controller calls is always there; the rest only as far as the file's size allows.
    if (i >= required && impl.count + m.body.length + 4 > target) break;
    kept.push(m);
    impl.push(`    public async ${m.signature}`, "    {");
    impl.indented("        ", m.body).push("    }", "");
  }
  impl.push("}");
  const usings = [
    "using Microsoft.EntityFrameworkCore;",
    `using ${project.name}.Common;`,
    `using ${project.name}.Data;`,
    `using ${project.name}.Dtos;`,
    `using ${project.name}.Models;`,
  ];
  const iface = new Lines().push(`public interface I${n.Pascal}Service`, "{");
  for (const [i, m] of kept.entries()) {
    if (i > 0) iface.push("");
    iface.push(`    ${m.signature};`);
  }
  iface.push("}");
  return [
    inNamespace(
      [`using ${project.name}.Common;`, `using ${project.name}.Dtos;`],
      `${project.name}.Services`,
      iface,
      blockScoped,
    ),
    inNamespace(usings, `${project.name}.Services`, impl, blockScoped),
  ];
}

/** A Dapper repository: hand-written SQL, the other common data-access style. */
function dapperRepository(project: ProjectSpec, resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const id = project.id;
  const columns = ["id", ...resource.fields.map((f) => snake(f.camel)), "owner_id", "created_at", "updated_at"];
  const body = new Lines().push(
    `public sealed class ${n.Pascal}Repository`,
    "{",
    `    private const string SelectColumns = "${columns.map((c) => `${c} AS ${pascalOf(c)}`).join(", ")}";`,
    "    private readonly IDbConnectionFactory _connections;",
    "",
    `    public ${n.Pascal}Repository(IDbConnectionFactory connections)`,
    "    {",
    "        _connections = connections;",
    "    }",
    "",
    `    public async Task<${n.Pascal}?> GetAsync(${id} id)`,
    "    {",
    "        using var connection = _connections.Create();",
    `        return await connection.QuerySingleOrDefaultAsync<${n.Pascal}>($"SELECT {SelectColumns} FROM ${n.snakes} WHERE id = @id", new { id });`,
    "    }",
    "",
    `    public async Task<int> InsertAsync(${n.Pascal} entity)`,
    "    {",
    '        const string sql = """',
    `            INSERT INTO ${n.snakes} (${columns.slice(1, -1).join(", ")})`,
    `            VALUES (${columns
      .slice(1, -1)
      .map((c) => `@${pascalOf(c)}`)
      .join(", ")})`,
    '            """;',
    "        using var connection = _connections.Create();",
    "        return await connection.ExecuteAsync(sql, entity);",
    "    }",
    "",
    `    public async Task<int> DeleteAsync(${id} id)`,
    "    {",
    "        using var connection = _connections.Create();",
    `        return await connection.ExecuteAsync("DELETE FROM ${n.snakes} WHERE id = @id", new { id });`,
    "    }",
    "",
  );
  for (const f of rng.shuffle(resource.fields)) {
    if (body.count + 12 > target) break;
    body.push(
      `    public async Task<IReadOnlyList<${n.Pascal}>> FindBy${f.Pascal}Async(${csType(f).replace("?", "")} value, int limit = 100)`,
      "    {",
      "        using var connection = _connections.Create();",
      `        var rows = await connection.QueryAsync<${n.Pascal}>(`,
      `            $"SELECT {SelectColumns} FROM ${n.snakes} WHERE ${snake(f.camel)} = @value ORDER BY created_at DESC LIMIT @limit",`,
      "            new { value, limit });",
      "        return rows.AsList();",
      "    }",
      "",
    );
  }
  body.push(
    `    public async Task<int> ArchiveOlderThanAsync(DateTime cutoff)`,
    "    {",
    "        using var connection = _connections.Create();",
    `        return await connection.ExecuteAsync("UPDATE ${n.snakes} SET status = 'archived', updated_at = now() WHERE updated_at < @cutoff", new { cutoff });`,
    "    }",
    "}",
  );
  return inNamespace(
    ["using Dapper;", `using ${project.name}.Data;`, `using ${project.name}.Models;`],
    `${project.name}.Repositories`,
    body,
    rng.chance(0.25),
  );
}

/** An EF Core repository with query helpers. */
function efRepository(project: ProjectSpec, resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const id = project.id;
  const body = new Lines().push(
    `public sealed class ${n.Pascal}Repository : I${n.Pascal}Repository`,
    "{",
    "    private readonly AppDbContext _db;",
    "",
    `    public ${n.Pascal}Repository(AppDbContext db) => _db = db;`,
    "",
    `    public Task<${n.Pascal}?> FindAsync(${id} id, CancellationToken cancellationToken = default) =>`,
    `        _db.${n.Pascals}.FirstOrDefaultAsync(x => x.Id == id, cancellationToken);`,
    "",
    `    public async Task AddAsync(${n.Pascal} entity, CancellationToken cancellationToken = default)`,
    "    {",
    `        _db.${n.Pascals}.Add(entity);`,
    "        await _db.SaveChangesAsync(cancellationToken);",
    "    }",
    "",
    `    public async Task RemoveAsync(${n.Pascal} entity, CancellationToken cancellationToken = default)`,
    "    {",
    `        _db.${n.Pascals}.Remove(entity);`,
    "        await _db.SaveChangesAsync(cancellationToken);",
    "    }",
    "",
  );
  const iface = [
    `public interface I${n.Pascal}Repository`,
    "{",
    `    Task<${n.Pascal}?> FindAsync(${id} id, CancellationToken cancellationToken = default);`,
    `    Task AddAsync(${n.Pascal} entity, CancellationToken cancellationToken = default);`,
    `    Task RemoveAsync(${n.Pascal} entity, CancellationToken cancellationToken = default);`,
  ];
  for (const f of rng.shuffle(resource.fields)) {
    if (body.count + iface.length + 10 > target) break;
    const signature = `Task<List<${n.Pascal}>> ListBy${f.Pascal}Async(${csType(f).replace("?", "")} value, CancellationToken cancellationToken = default)`;
    iface.push(`    ${signature};`);
    body.push(
      `    public ${signature} =>`,
      `        _db.${n.Pascals}`,
      "            .AsNoTracking()",
      `            .Where(x => x.${f.Pascal} == value)`,
      "            .OrderByDescending(x => x.CreatedAt)",
      "            .ToListAsync(cancellationToken);",
      "",
    );
  }
  body.push("}");
  iface.push("}", "");
  const all = new Lines().push(...iface).push(body.text().replace(/\n$/, ""));
  return inNamespace(
    ["using Microsoft.EntityFrameworkCore;", `using ${project.name}.Data;`, `using ${project.name}.Models;`],
    `${project.name}.Repositories`,
    all,
    rng.chance(0.25),
  );
}

function dtoFile(project: ProjectSpec, resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const id = project.id;
  const body = new Lines().push(
    `public sealed record ${n.Pascal}Dto(${[`${id} Id`, ...resource.fields.map((f) => `${csType(f)} ${f.Pascal}`), "DateTime CreatedAt"].join(", ")});`,
    "",
    `public sealed class Create${n.Pascal}Request`,
    "{",
  );
  for (const f of resource.fields) {
    if (f.camel === "name")
      body.push(
        "    [Required]",
        "    [StringLength(200)]",
        "    public string Name { get; init; } = string.Empty;",
        "",
      );
    else if (f.kind === "email") body.push("    [EmailAddress]", `    public string? ${f.Pascal} { get; init; }`, "");
    else if (f.kind === "int" || f.kind === "decimal")
      body.push("    [Range(0, 1_000_000)]", `    public ${csType(f)} ${f.Pascal} { get; init; }`, "");
    else if (f.kind === "enum")
      body.push(
        `    [AllowedValues(${STATUSES.map((s) => `"${s}"`).join(", ")})]`,
        `    public string ${f.Pascal} { get; init; } = "draft";`,
        "",
      );
    else
      body.push(
        `    public ${csType(f)}${csType(f).endsWith("?") ? "" : f.kind === "string" || f.kind === "text" ? "?" : ""} ${f.Pascal} { get; init; }`,
        "",
      );
  }
  body.push(
    "}",
    "",
    `public sealed record Update${n.Pascal}Request(${resource.fields.map((f) => `${csOptional(f)} ${f.Pascal}`).join(", ")});`,
    "",
  );
  body.push(
    `public sealed class ${n.Pascal}Query`,
    "{",
    "    [Range(1, int.MaxValue)]",
    "    public int Page { get; init; } = 1;",
    "",
    "    [Range(1, 100)]",
    "    public int PageSize { get; init; } = 20;",
    "",
    ...resource.fields
      .filter((f) => f.kind === "enum" || f.kind === "string")
      .map((f) => `    public string? ${f.Pascal} { get; init; }`),
    "}",
    "",
    `public static class ${n.Pascal}Mappings`,
    "{",
    `    public static ${n.Pascal}Dto ToDto(this ${n.Pascal} entity) =>`,
    `        new(${["entity.Id", ...resource.fields.map((f) => `entity.${f.Pascal}`), "entity.CreatedAt"].join(", ")});`,
    "}",
  );
  for (const sub of subResourcesOf(n)) {
    if (body.count + 6 > target) break;
    body.push(
      "",
      `public sealed record ${n.Pascal}${sub.Pascal}Dto(${id} Id, string Body, string CreatedBy, DateTime CreatedAt);`,
      "",
      `public sealed record Create${n.Pascal}${sub.Pascal}Request([property: Required, StringLength(2000)] string Body);`,
    );
  }
  return inNamespace(
    ["using System.ComponentModel.DataAnnotations;", `using ${project.name}.Models;`],
    `${project.name}.Dtos`,
    body,
    rng.chance(0.25),
  );
}

function modelFile(project: ProjectSpec, resource: Resource, rng: Rng, target: number): string {
  const n = resource.noun;
  const id = project.id;
  const subs = rng.sample(subResourcesOf(n), rng.int(1, 5));
  const body = new Lines().push(`public class ${n.Pascal}`, "{", `    public ${id} Id { get; set; }`, "");
  for (const f of resource.fields) {
    if (f.kind === "string" || f.kind === "email") body.push(`    [MaxLength(${f.camel === "name" ? 200 : 320})]`);
    const init =
      f.kind === "string" || f.kind === "text" || f.kind === "email" || f.kind === "enum"
        ? f.kind === "enum"
          ? ' = "draft";'
          : " = string.Empty;"
        : "";
    body.push(`    public ${csType(f)} ${f.Pascal} { get; set; }${init}`, "");
  }
  body.push(
    "    public string OwnerId { get; set; } = string.Empty;",
    "",
    "    public DateTime CreatedAt { get; set; }",
    "",
    "    public DateTime? UpdatedAt { get; set; }",
    "",
  );
  for (const sub of subs)
    body.push(
      `    public ICollection<${n.Pascal}${sub.Pascal}> ${sub.Pascals} { get; set; } = new List<${n.Pascal}${sub.Pascal}>();`,
      "",
    );
  for (const action of rng.shuffle(ACTIONS)) {
    if (body.count + 10 > target) break;
    const state = action.endsWith("e") ? `${action}d` : `${action}ed`;
    body.push(
      `    public bool Can${action.charAt(0).toUpperCase() + action.slice(1)}() => Status is not "${state}" and not "archived";`,
      "",
    );
  }
  body.push("}");
  for (const sub of subs) {
    body.push(
      "",
      `public class ${n.Pascal}${sub.Pascal}`,
      "{",
      `    public ${id} Id { get; set; }`,
      "",
      `    public ${id} ${n.Pascal}Id { get; set; }`,
      "",
      `    public ${n.Pascal}? ${n.Pascal} { get; set; }`,
      "",
      "    public string Body { get; set; } = string.Empty;",
      "",
      "    public string CreatedBy { get; set; } = string.Empty;",
      "",
      '    public string Status { get; set; } = "open";',
      "",
      "    public DateTime CreatedAt { get; set; }",
      "}",
    );
  }
  return inNamespace(
    ["using System.ComponentModel.DataAnnotations;"],
    `${project.name}.Models`,
    body,
    rng.chance(0.25),
  );
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function pascalOf(snakeName: string): string {
  return snakeName.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

// Per-project files: Program.cs, DbContext, common types, auth and webhooks.

function programFile(project: ProjectSpec, resources: Resource[], endpointGroups: Resource[]): string {
  const backoffice = project.dapper;
  const lines = new Lines().push(
    "using System.Text;",
    "using Microsoft.AspNetCore.Authentication.JwtBearer;",
    "using Microsoft.AspNetCore.Authorization;",
    "using Microsoft.EntityFrameworkCore;",
    "using Microsoft.IdentityModel.Tokens;",
    `using ${project.name}.Data;`,
    `using ${project.name}.Infrastructure;`,
    ...(endpointGroups.length > 0 ? [`using ${project.name}.Endpoints;`] : []),
    "",
    "var builder = WebApplication.CreateBuilder(args);",
    "",
    "builder.Services.AddDbContext<AppDbContext>(options =>",
    '    options.UseNpgsql(builder.Configuration.GetConnectionString("Default")));',
    ...(backoffice ? ["builder.Services.AddSingleton<IDbConnectionFactory, NpgsqlConnectionFactory>();"] : []),
    "",
    "builder.Services",
    "    .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)",
    "    .AddJwtBearer(options =>",
    "    {",
    '        options.Authority = builder.Configuration["Auth:Authority"];',
    '        options.Audience = builder.Configuration["Auth:Audience"];',
    "        options.TokenValidationParameters = new TokenValidationParameters",
    "        {",
    "            ValidateIssuer = true,",
    "            ValidateAudience = true,",
    "            ValidateLifetime = true,",
    "            ClockSkew = TimeSpan.FromMinutes(1),",
    "        };",
    "    });",
    "",
    "builder.Services.AddAuthorization(options =>",
    "{",
    '    options.AddPolicy("admin", policy => policy.RequireRole("Admin"));',
    ...resources
      .filter((r) => r.authMode === "policy")
      .map(
        (r) =>
          `    options.AddPolicy("Manage${r.noun.Pascals}", policy => policy.RequireClaim("permission", "${r.noun.kebabs}:manage"));`,
      ),
    ...(backoffice
      ? [
          "    // Back-office endpoints are staff-only unless a route says otherwise.",
          "    options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();",
        ]
      : []),
    "});",
    "",
    "builder.Services.AddCors(options =>",
    "{",
    '    options.AddPolicy("frontend", policy => policy',
    '        .WithOrigins(builder.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? Array.Empty<string>())',
    "        .AllowAnyHeader()",
    "        .AllowAnyMethod()",
    "        .AllowCredentials());",
    "});",
    "",
    "builder.Services.AddControllers();",
    "builder.Services.AddProblemDetails();",
    "builder.Services.AddScoped<IAuditLog, EfAuditLog>();",
    "builder.Services.AddApplicationServices();",
    "",
    "var app = builder.Build();",
    "",
    "app.UseMiddleware<ExceptionHandlingMiddleware>();",
    "app.UseHttpsRedirection();",
    'app.UseCors("frontend");',
    "app.UseAuthentication();",
    "app.UseAuthorization();",
    "",
    'app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();',
    "app.MapControllers();",
    ...endpointGroups.map((r) => `app.Map${r.noun.Pascals}Endpoints();`),
    "",
    "app.Run();",
  );
  return lines.text();
}

function dbContextFile(project: ProjectSpec, resources: Resource[]): string {
  const body = new Lines().push(
    "public class AppDbContext : DbContext",
    "{",
    "    public AppDbContext(DbContextOptions<AppDbContext> options)",
    "        : base(options)",
    "    {",
    "    }",
    "",
    "    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();",
  );
  for (const r of resources) {
    body.push(`    public DbSet<${r.noun.Pascal}> ${r.noun.Pascals} => Set<${r.noun.Pascal}>();`);
  }
  body.push("", "    protected override void OnModelCreating(ModelBuilder modelBuilder)", "    {");
  for (const r of resources) {
    body.push(
      `        modelBuilder.Entity<${r.noun.Pascal}>(entity =>`,
      "        {",
      `            entity.ToTable("${r.noun.snakes}");`,
      "            entity.HasIndex(x => new { x.OwnerId, x.CreatedAt });",
      "            entity.Property(x => x.Name).HasMaxLength(200).IsRequired();",
      ...r.fields
        .filter((f) => f.kind === "decimal")
        .map((f) => `            entity.Property(x => x.${f.Pascal}).HasPrecision(12, 2);`),
      "        });",
      "",
    );
  }
  body.push("        base.OnModelCreating(modelBuilder);", "    }", "}");
  return inNamespace(
    ["using Microsoft.EntityFrameworkCore;", `using ${project.name}.Infrastructure;`, `using ${project.name}.Models;`],
    `${project.name}.Data`,
    body,
    false,
  );
}

function commonFile(project: ProjectSpec): string {
  const id = project.id;
  const body = new Lines().push(
    "public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)",
    "{",
    "    public int TotalPages => PageSize == 0 ? 0 : (int)Math.Ceiling(Total / (double)PageSize);",
    "}",
    "",
    `public sealed record BulkDeleteRequest([property: Required, MinLength(1)] IReadOnlyList<${id}> Ids);`,
    "",
    "public sealed record ActionReasonRequest([property: StringLength(500)] string? Reason);",
    "",
    "public enum ServiceResult",
    "{",
    "    Success,",
    "    NotFound,",
    "    Conflict,",
    "}",
    "",
    "/// <summary>Base for controllers that require a signed-in user.</summary>",
    "[ApiController]",
    "[Authorize]",
    "public abstract class ApiControllerBase : ControllerBase",
    "{",
    "    protected string CurrentUserId =>",
    "        User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new UnauthorizedAccessException();",
    "",
    '    protected bool IsAdmin => User.IsInRole("Admin");',
    "}",
  );
  return inNamespace(
    [
      "using System.ComponentModel.DataAnnotations;",
      "using System.Security.Claims;",
      "using Microsoft.AspNetCore.Authorization;",
      "using Microsoft.AspNetCore.Mvc;",
    ],
    `${project.name}.Common`,
    body,
    false,
  );
}

function infrastructureFiles(project: ProjectSpec, resources: Resource[]): FileSet {
  const ns = `${project.name}.Infrastructure`;
  const files: FileSet = new Map();
  files.set(
    `${project.dir}/Infrastructure/AuditLog.cs`,
    inNamespace(
      ["using Microsoft.EntityFrameworkCore;", `using ${project.name}.Data;`],
      ns,
      new Lines().push(
        "public interface IAuditLog",
        "{",
        "    Task RecordAsync(string actorId, string action, string target, CancellationToken cancellationToken = default);",
        "}",
        "",
        "public class AuditEntry",
        "{",
        "    public long Id { get; set; }",
        "    public string ActorId { get; set; } = string.Empty;",
        "    public string Action { get; set; } = string.Empty;",
        "    public string Target { get; set; } = string.Empty;",
        "    public DateTime At { get; set; }",
        "}",
        "",
        "public sealed class EfAuditLog : IAuditLog",
        "{",
        "    private readonly AppDbContext _db;",
        "",
        "    public EfAuditLog(AppDbContext db) => _db = db;",
        "",
        "    public async Task RecordAsync(string actorId, string action, string target, CancellationToken cancellationToken = default)",
        "    {",
        "        _db.AuditEntries.Add(new AuditEntry { ActorId = actorId, Action = action, Target = target, At = DateTime.UtcNow });",
        "        await _db.SaveChangesAsync(cancellationToken);",
        "    }",
        "}",
      ),
      false,
    ),
  );
  files.set(
    `${project.dir}/Infrastructure/ExceptionHandlingMiddleware.cs`,
    inNamespace(
      ["using Microsoft.AspNetCore.Mvc;"],
      ns,
      new Lines().push(
        "public sealed class ExceptionHandlingMiddleware",
        "{",
        "    private readonly RequestDelegate _next;",
        "    private readonly ILogger<ExceptionHandlingMiddleware> _logger;",
        "",
        "    public ExceptionHandlingMiddleware(RequestDelegate next, ILogger<ExceptionHandlingMiddleware> logger)",
        "    {",
        "        _next = next;",
        "        _logger = logger;",
        "    }",
        "",
        "    public async Task InvokeAsync(HttpContext context)",
        "    {",
        "        try",
        "        {",
        "            await _next(context);",
        "        }",
        "        catch (UnauthorizedAccessException)",
        "        {",
        "            context.Response.StatusCode = StatusCodes.Status401Unauthorized;",
        "        }",
        "        catch (Exception ex)",
        "        {",
        '            _logger.LogError(ex, "Unhandled exception for {Path}", context.Request.Path);',
        "            context.Response.StatusCode = StatusCodes.Status500InternalServerError;",
        '            await context.Response.WriteAsJsonAsync(new ProblemDetails { Title = "An unexpected error occurred." });',
        "        }",
        "    }",
        "}",
      ),
      false,
    ),
  );
  const registrations = new Lines().push(
    "public static class ServiceCollectionExtensions",
    "{",
    "    public static IServiceCollection AddApplicationServices(this IServiceCollection services)",
    "    {",
    ...resources.map((r) => `        services.AddScoped<I${r.noun.Pascal}Service, ${r.noun.Pascal}Service>();`),
    "        return services;",
    "    }",
    "}",
  );
  files.set(
    `${project.dir}/Infrastructure/ServiceCollectionExtensions.cs`,
    inNamespace([`using ${project.name}.Services;`], ns, registrations, false),
  );
  if (project.dapper) {
    files.set(
      `${project.dir}/Data/DbConnectionFactory.cs`,
      inNamespace(
        ["using System.Data;", "using Npgsql;"],
        `${project.name}.Data`,
        new Lines().push(
          "public interface IDbConnectionFactory",
          "{",
          "    IDbConnection Create();",
          "}",
          "",
          "public sealed class NpgsqlConnectionFactory : IDbConnectionFactory",
          "{",
          "    private readonly string _connectionString;",
          "",
          "    public NpgsqlConnectionFactory(IConfiguration configuration)",
          "    {",
          '        _connectionString = configuration.GetConnectionString("Default")',
          '            ?? throw new InvalidOperationException("ConnectionStrings:Default is not configured.");',
          "    }",
          "",
          "    public IDbConnection Create()",
          "    {",
          "        var connection = new NpgsqlConnection(_connectionString);",
          "        connection.Open();",
          "        return connection;",
          "    }",
          "}",
        ),
        false,
      ),
    );
  }
  return files;
}

function authControllerFile(project: ProjectSpec): string {
  const body = new Lines().push(
    "[ApiController]",
    '[Route("api/auth")]',
    "[AllowAnonymous]",
    "public class AuthController : ControllerBase",
    "{",
    "    private readonly UserManager<IdentityUser> _users;",
    "    private readonly ITokenService _tokens;",
    "",
    "    public AuthController(UserManager<IdentityUser> users, ITokenService tokens)",
    "    {",
    "        _users = users;",
    "        _tokens = tokens;",
    "    }",
    "",
    '    [HttpPost("login")]',
    "    public async Task<IActionResult> Login([FromBody] LoginRequest request)",
    "    {",
    "        var user = await _users.FindByEmailAsync(request.Email);",
    "        if (user is null || !await _users.CheckPasswordAsync(user, request.Password))",
    "        {",
    "            return Unauthorized();",
    "        }",
    "        return Ok(new { token = await _tokens.IssueAsync(user) });",
    "    }",
    "",
    '    [HttpPost("register")]',
    "    public async Task<IActionResult> Register([FromBody] RegisterRequest request)",
    "    {",
    "        var user = new IdentityUser { UserName = request.Email, Email = request.Email };",
    "        var result = await _users.CreateAsync(user, request.Password);",
    "        return result.Succeeded ? Ok() : ValidationProblem(new ValidationProblemDetails(result.Errors.ToDictionary(e => e.Code, e => new[] { e.Description })));",
    "    }",
    "",
    '    [HttpPost("forgot-password")]',
    "    public async Task<IActionResult> ForgotPassword([FromBody] ForgotPasswordRequest request)",
    "    {",
    "        var user = await _users.FindByEmailAsync(request.Email);",
    "        if (user is not null)",
    "        {",
    "            await _tokens.SendPasswordResetAsync(user);",
    "        }",
    "        return Accepted();",
    "    }",
    "}",
    "",
    "public sealed record LoginRequest([property: Required, EmailAddress] string Email, [property: Required] string Password);",
    "",
    "public sealed record RegisterRequest([property: Required, EmailAddress] string Email, [property: Required, MinLength(12)] string Password);",
    "",
    "public sealed record ForgotPasswordRequest([property: Required, EmailAddress] string Email);",
  );
  return inNamespace(
    [
      "using System.ComponentModel.DataAnnotations;",
      "using Microsoft.AspNetCore.Authorization;",
      "using Microsoft.AspNetCore.Identity;",
      "using Microsoft.AspNetCore.Mvc;",
      `using ${project.name}.Services;`,
    ],
    `${project.name}.Controllers`,
    body,
    false,
  );
}

function webhooksControllerFile(project: ProjectSpec): string {
  const body = new Lines().push(
    "[ApiController]",
    '[Route("api/webhooks")]',
    "public class WebhooksController : ControllerBase",
    "{",
    "    private readonly IConfiguration _configuration;",
    "    private readonly ILogger<WebhooksController> _logger;",
    "",
    "    public WebhooksController(IConfiguration configuration, ILogger<WebhooksController> logger)",
    "    {",
    "        _configuration = configuration;",
    "        _logger = logger;",
    "    }",
    "",
    "    /// <summary>Stripe calls this; the signature header authenticates it.</summary>",
    '    [HttpPost("stripe")]',
    "    [AllowAnonymous]",
    "    public async Task<IActionResult> Stripe()",
    "    {",
    "        using var reader = new StreamReader(Request.Body);",
    "        var payload = await reader.ReadToEndAsync();",
    '        var signature = Request.Headers["Stripe-Signature"].ToString();',
    '        var secret = _configuration["Stripe:WebhookSecret"] ?? string.Empty;',
    "        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));",
    "        var expected = Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(payload)));",
    "        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature.ToUpperInvariant())))",
    "        {",
    "            return Unauthorized();",
    "        }",
    '        _logger.LogInformation("Stripe event received ({Length} bytes)", payload.Length);',
    "        return Ok();",
    "    }",
    "}",
  );
  return inNamespace(
    [
      "using System.Security.Cryptography;",
      "using System.Text;",
      "using Microsoft.AspNetCore.Authorization;",
      "using Microsoft.AspNetCore.Mvc;",
    ],
    `${project.name}.Controllers`,
    body,
    false,
  );
}

/**
 * The C# half of the corpus. The first Backoffice controller is the one of exactly
 * `LARGE_CSHARP_LINES` lines; its path is returned alongside the files.
 */
export function generateCSharp(root: Rng): { files: FileSet; largeFile: string } {
  const files: FileSet = new Map();
  const resources = root.fork("cs-resources").shuffle(RESOURCES);
  let largeFile = "";
  let largest = true;
  PROJECTS.forEach((project, p) => {
    const idType = project.id === "int" ? "int" : "guid";
    const idRoute = `{id:${idType}}`;
    const own = resources.filter((_, i) => i % PROJECTS.length === p);
    const built: Resource[] = own.map((noun) => {
      const rng = root.fork(`cs:${project.name}:${noun.kebab}:shape`);
      // Back-office leans on its FallbackPolicy, so bare controllers are common there and rare in the public API.
      const modes: AuthMode[] = project.dapper
        ? ["class", "policy", "action", "base-class", "none", "none"]
        : ["class", "class", "class", "policy", "action", "action", "base-class", "base-class", "none"];
      return {
        noun,
        fields: fieldsFor(rng, 3, 12),
        authMode: rng.pick(modes),
        actions: candidateActions(rng, noun, idRoute, idType),
        publicReads: rng.chance(0.25),
      };
    });
    // Back-office exposes a few resources as minimal-API endpoint groups instead of controllers.
    const endpointGroups = project.dapper ? built.slice(-5) : [];
    for (const resource of built) {
      const n = resource.noun;
      const rng = root.fork(`cs:${project.name}:${n.kebab}`);
      let called: Action[] = [];
      if (endpointGroups.includes(resource)) {
        files.set(`${project.dir}/Endpoints/${n.Pascals}Endpoints.cs`, endpointsFile(project, resource, rng));
      } else {
        const exact = project.dapper && largest;
        const target = exact ? LARGE_CSHARP_LINES : rng.size(40, 1500);
        const path = `${project.dir}/Controllers/${n.Pascals}Controller.cs`;
        const controller = controllerFile(project, resource, rng, target, exact);
        if (exact) {
          largeFile = path;
          largest = false;
        }
        files.set(path, controller.text);
        called = controller.serviceActions;
      }
      const blockScoped = rng.chance(0.25);
      const [iface, impl] = serviceFiles(project, resource, rng, called, rng.size(60, 900), blockScoped);
      files.set(`${project.dir}/Services/I${n.Pascal}Service.cs`, iface);
      files.set(`${project.dir}/Services/${n.Pascal}Service.cs`, impl);
      files.set(`${project.dir}/Dtos/${n.Pascal}Dtos.cs`, dtoFile(project, resource, rng, rng.size(30, 200)));
      files.set(`${project.dir}/Models/${n.Pascal}.cs`, modelFile(project, resource, rng, rng.size(30, 250)));
      if (project.dapper || rng.chance(0.4)) {
        const repository = project.dapper
          ? dapperRepository(project, resource, rng, rng.size(40, 400))
          : efRepository(project, resource, rng, rng.size(40, 300));
        files.set(`${project.dir}/Repositories/${n.Pascal}Repository.cs`, repository);
      }
    }
    files.set(`${project.dir}/${project.name}.csproj`, csproj(project));
    files.set(`${project.dir}/Program.cs`, programFile(project, built, endpointGroups));
    files.set(`${project.dir}/Data/AppDbContext.cs`, dbContextFile(project, built));
    files.set(`${project.dir}/Common/ApiTypes.cs`, commonFile(project));
    files.set(`${project.dir}/Controllers/AuthController.cs`, authControllerFile(project));
    files.set(`${project.dir}/Controllers/WebhooksController.cs`, webhooksControllerFile(project));
    for (const [path, text] of infrastructureFiles(project, built)) files.set(path, text);
  });
  return { files, largeFile };
}

function csproj(project: ProjectSpec): string {
  return new Lines()
    .push(
      '<Project Sdk="Microsoft.NET.Sdk.Web">',
      "  <PropertyGroup>",
      "    <TargetFramework>net8.0</TargetFramework>",
      "    <Nullable>enable</Nullable>",
      "    <ImplicitUsings>enable</ImplicitUsings>",
      `    <RootNamespace>${project.name}</RootNamespace>`,
      "  </PropertyGroup>",
      "  <ItemGroup>",
      '    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer" Version="8.0.6" />',
      '    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.4" />',
      ...(project.dapper ? ['    <PackageReference Include="Dapper" Version="2.1.35" />'] : []),
      "  </ItemGroup>",
      "</Project>",
    )
    .text();
}
