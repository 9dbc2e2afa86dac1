/**
 * The C# adapter's AP103 facts: how a data access picks its records (entity, conditions
 * and where each value comes from), which ownership checks cover it, and the calls it is
 * reached through, asserted on the file model.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { DataOperation, ValueOrigin } from "../lib/core/model.js";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import { csharpModel } from "./helpers/model.js";

const USINGS = "using Microsoft.AspNetCore.Authorization;\nusing Microsoft.AspNetCore.Mvc;\n\n";

function origin(o: ValueOrigin): string {
  switch (o.kind) {
    case "client":
    case "principal":
      return `${o.kind}(${o.via})`;
    case "parameter":
      return `parameter(${o.index}${o.path.map((p) => `.${p}`).join("")})`;
    default:
      return "other";
  }
}

/** `kind entity: field=origin & …` with `(incomplete)`, `own: kind name`, `through: A.b` as they apply. */
function access(op: DataOperation): string {
  const parts = [`${op.kind} ${op.entity ?? "?"}`];
  if (op.selection) {
    const conditions = op.selection.conditions.map((c) => `${c.field}=${origin(c.origin)}`).join(" & ");
    parts.push(`: ${conditions}${op.selection.complete ? "" : " (incomplete)"}`);
  }
  for (const check of op.ownership ?? []) parts.push(` | own: ${check.kind} ${check.name}`);
  if (op.through) parts.push(` | through: ${op.through.map((s) => s.function).join(" > ")}`);
  return parts.join("");
}

/** The accesses of every endpoint that select something, as `handler → access`. */
function accesses(code: string, settings: ApiPostureSettings = {}, filename = "Controller.cs"): string[] {
  return csharpModel(code, settings, filename).endpoints.flatMap((e) =>
    e.dataOperations.filter((op) => op.selection).map((op) => `${e.handler ?? e.path} → ${access(op)}`),
  );
}

/** A controller with one action whose body is `statements`. */
function action(statements: string, parameters = "Guid id", members = "") {
  return `${USINGS}[ApiController]
[Authorize]
[Route("api/invoices")]
public sealed class InvoicesController(BillingDbContext db, IDbConnection connection, ICurrentUserService currentUser, UserManager<AppUser> userManager, IAuthorizationService authorization) : ControllerBase
{
${members}
    [HttpPost("{id}")]
    public async Task<IActionResult> Run(${parameters})
    {
${statements}
        return NoContent();
    }
}
`;
}

describe("selections of EF Core queries", () => {
  it("read keys, predicates and Where chains, and name the entity by its set", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var a = await db.Invoices.FindAsync(id);
        var b = await db.Invoices.FindAsync([id], ct);
        var c = await db.Invoices.FindAsync(new object[] { id, number }, ct);
        var d = await db.Invoices.AsNoTracking().Include(i => i.Lines).ThenInclude(l => l.Product).FirstOrDefaultAsync(i => i.Id == id && i.TenantId == currentUser.TenantId, ct);
        var e = await db.Set<Invoice>().Where(i => i.Number == number).Where(i => !i.IsDeleted && i.Status != InvoiceStatus.Void).SingleAsync();
        var f = await db.Invoices.Where(i => id.Equals(i.Id)).Select(i => i.Total).ToListAsync();
        var g = await db.Invoices.AnyAsync(i => i.Id.Equals(id));`,
          "Guid id, int number, CancellationToken ct",
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: (key)=client(id)",
        "InvoicesController.Run → read Invoices: (key)=client(id)",
        "InvoicesController.Run → read Invoices: (key)=client(id) & (key)=client(number)",
        "InvoicesController.Run → read Invoices: Id=client(id) & TenantId=principal(currentUser.TenantId)",
        "InvoicesController.Run → read Invoice: Number=client(number) & IsDeleted=other & Status=other",
        "InvoicesController.Run → read Invoices: Id=client(id)",
        "InvoicesController.Run → read Invoices: Id=client(id)",
      ],
    );
  });

  it("mark what they cannot read as incomplete: method calls, ||, operators of the project's own", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var a = await db.Invoices.FirstOrDefaultAsync(i => i.Id == id && i.Tags.Contains("x"));
        var b = await db.Invoices.FirstOrDefaultAsync(i => i.Id == id || i.PublicId == id);
        var c = await db.Invoices.ForTenant(tenantId).Where(i => i.Id == id).ToListAsync();
        var d = await db.Invoices.FirstOrDefaultAsync(i => i.Id == id && i.Total > 10);
        var e = await db.Invoices.Where(predicate).FirstAsync();`,
          "Guid id, Guid tenantId",
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: Id=client(id) (incomplete)",
        "InvoicesController.Run → read Invoices:  (incomplete)",
        "InvoicesController.Run → read Invoices: Id=client(id) (incomplete)",
        "InvoicesController.Run → read Invoices: Id=client(id) (incomplete)",
        "InvoicesController.Run → read Invoices:  (incomplete)",
      ],
    );
  });

  it("leave out reads that select nothing and keep writes as they were", () => {
    const model = csharpModel(
      action(`        var all = await db.Invoices.ToListAsync();
        var count = await db.Invoices.CountAsync();
        db.Invoices.Add(new Invoice());
        await db.SaveChangesAsync();`),
    );
    assert.deepEqual(
      model.endpoints[0].dataOperations.map((op) => `${op.kind} ${op.call} ${op.selection ? "selects" : "-"}`),
      ["write db.Invoices.Add(…) -", "write db.SaveChangesAsync() -"],
    );
  });

  it("give Remove/Update/Attach the selection of the load, or of the record the client sent", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var invoice = await db.Invoices.SingleAsync(i => i.Number == number);
        db.Remove(invoice);
        db.Invoices.Update(body);
        db.Attach(new Invoice { Id = id, Status = InvoiceStatus.Paid });
        await db.Invoices.Where(i => i.Id == id).ExecuteDeleteAsync();`,
          "Guid id, int number, [FromBody] Invoice body",
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: Number=client(number)",
        "InvoicesController.Run → delete Invoices: Number=client(number)",
        "InvoicesController.Run → write Invoices: (key)=client([FromBody] body)",
        "InvoicesController.Run → write Invoice: Id=client(id) & Status=other",
        "InvoicesController.Run → delete Invoices: Id=client(id)",
      ],
    );
  });
});

describe("origins of the values", () => {
  it("follow bound parameters, DTO properties, locals and conversions; services and tokens are not the client's", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var invoiceId = Guid.Parse(rawId);
        var a = await db.Invoices.FindAsync(invoiceId);
        var b = await db.Invoices.FindAsync(command.InvoiceId);
        var c = await db.Invoices.FindAsync(id);
        var d = await db.Invoices.FirstAsync(i => i.Id == fromQuery.Value);
        var e = await db.Invoices.FindAsync(clock.Today);
        var f = await db.Invoices.FindAsync(Input.Id);`,
          "[FromRoute] Guid id, string rawId, UpdateInvoiceCommand command, [FromQuery] Guid? fromQuery, [FromServices] IClock clock",
          "    [BindProperty] public InvoiceInput Input { get; set; } = new();",
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: (key)=client(rawId)",
        "InvoicesController.Run → read Invoices: (key)=client(command.InvoiceId)",
        "InvoicesController.Run → read Invoices: (key)=client([FromRoute] id)",
        "InvoicesController.Run → read Invoices: Id=client([FromQuery] fromQuery)",
        "InvoicesController.Run → read Invoices: (key)=other",
        "InvoicesController.Run → read Invoices: (key)=client(Input.Id)",
      ],
    );
  });

  it("know the caller in claims, Identity, HttpContext and injected current-user services", () => {
    assert.deepEqual(
      accesses(
        action(`        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        var a = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerId == userId);
        var b = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerId == User.GetUserId());
        var c = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerName == User.Identity!.Name);
        var d = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerId == HttpContext.User.FindFirst("sub")!.Value);
        var e = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerId == userManager.GetUserId(User));
        var f = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerId == currentUser.UserId);
        var g = await db.Invoices.FirstAsync(i => i.Id == id && i.OwnerId == this.GetCurrentUserId());`),
      ),
      [
        "InvoicesController.Run → read Invoices: Id=client(id) & OwnerId=principal(User.FindFirstValue(ClaimTypes.NameIdentifier))",
        "InvoicesController.Run → read Invoices: Id=client(id) & OwnerId=principal(User.GetUserId())",
        "InvoicesController.Run → read Invoices: Id=client(id) & OwnerName=principal(User.Identity!.Name)",
        'InvoicesController.Run → read Invoices: Id=client(id) & OwnerId=principal(HttpContext.User.FindFirst("sub")!.Value)',
        "InvoicesController.Run → read Invoices: Id=client(id) & OwnerId=principal(userManager.GetUserId(User))",
        "InvoicesController.Run → read Invoices: Id=client(id) & OwnerId=principal(currentUser.UserId)",
        "InvoicesController.Run → read Invoices: Id=client(id) & OwnerId=principal(this.GetCurrentUserId())",
      ],
    );
  });

  it("bind Minimal API handler parameters: route values, [AsParameters], ClaimsPrincipal, services", () => {
    const code = `var app = WebApplication.Create(args);
app.MapGet("/invoices/{id}", async (int id, [AsParameters] InvoiceQuery query, ClaimsPrincipal user, BillingDb db, [AsParameters] BillingServices services) =>
{
    var a = await db.Invoices.FirstOrDefaultAsync(i => i.Id == id && i.OwnerId == user.FindFirstValue("sub"));
    var b = await services.Context.Invoices.FindAsync(query.Number);
    return Results.Ok();
}).RequireAuthorization();
app.Run();
`;
    assert.deepEqual(accesses(code, {}, "Program.cs"), [
      '/invoices/{id} → read Invoices: Id=client(id) & OwnerId=principal(user.FindFirstValue("sub"))',
      "/invoices/{id} → read Invoices: (key)=client(query.Number)",
    ]);
  });
});

describe("Dapper", () => {
  it("takes the fields from the SQL's WHERE and the values from the parameter object", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var a = await connection.QueryFirstOrDefaultAsync<Invoice>("SELECT * FROM dbo.[Invoices] WHERE [Id] = @id AND TenantId = @tenantId AND IsDeleted = 0", new { id, tenantId = currentUser.TenantId });
        var b = await connection.QuerySingleAsync<Invoice>(ByNumber, new { Number = request.Number });
        await connection.ExecuteAsync(@"UPDATE Invoices SET Paid = 1 WHERE Id = @Id", request);
        var c = await connection.QueryAsync<Invoice>($"SELECT * FROM Invoices WHERE Id = {id}");
        var d = await connection.QueryAsync<Invoice>("SELECT * FROM Invoices WHERE Id = @id OR OwnerId = @id", new { id });
        var e = await connection.QueryAsync<Invoice>("SELECT * FROM Invoices ORDER BY Number");`,
          "Guid id, PayInvoiceRequest request",
          '    private const string ByNumber = "SELECT * FROM Invoices WHERE Number = @Number";',
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: Id=client(id) & TenantId=principal(currentUser.TenantId) & IsDeleted=other",
        "InvoicesController.Run → read Invoices: Number=client(request.Number)",
        "InvoicesController.Run → write Invoices: Id=client(request.Id)",
        "InvoicesController.Run → read ?:  (incomplete)",
        "InvoicesController.Run → read Invoices:  (incomplete)",
      ],
    );
  });
});

/** Each read of the action that selects by the client's id, as `entity exists` or `entity record`. */
function existence(code: string): string[] {
  return csharpModel(code).endpoints.flatMap((e) =>
    e.dataOperations
      .filter((op) => op.kind === "read" && op.selection)
      .map((op) => `${op.entity ?? "?"} ${op.existenceOnly ? "exists" : "record"}`),
  );
}

describe("existence checks", () => {
  it("mark Any, All, Count, LongCount and Exists reads, whatever is done with their result", () => {
    assert.deepEqual(
      existence(
        action(
          `        if (await db.Invoices.AnyAsync(i => i.Id == id)) return Conflict();
        var paid = await db.Payments.Where(p => p.InvoiceId == id).CountAsync(ct);
        var lines = db.Lines.LongCount(l => l.InvoiceId == id);
        var settled = await db.Refunds.AllAsync(r => r.InvoiceId == id && r.Settled);
        var archived = await db.Archives.ExistsAsync(a => a.InvoiceId == id);
        var invoice = await db.Orders.FirstOrDefaultAsync(o => o.InvoiceId == id);
        return Ok(new { paid, lines, settled, archived, invoice });`,
          "Guid id, CancellationToken ct",
        ),
      ),
      ["Invoices exists", "Payments exists", "Lines exists", "Refunds exists", "Archives exists", "Orders record"],
    );
  });

  it("mark a record only tested for null or compared, in place or through its local", () => {
    assert.deepEqual(
      existence(
        action(
          `        if (await db.Invoices.FirstOrDefaultAsync(i => i.Number == number) is not null) return Conflict();
        var order = await db.Orders.FindAsync(id).ConfigureAwait(false);
        if (order == null) return NotFound();
        var coupon = await db.Coupons.SingleOrDefaultAsync(c => c.Code == code);
        if (coupon is { }) return Conflict();
        var refund = await db.Refunds.FirstOrDefaultAsync(r => r.InvoiceId == id);
        if ((refund) != null || refund is null or { }) return BadRequest();
        if (await db.Credits.FindAsync(id) is Credit credit && credit is not null) return Conflict();`,
          "Guid id, int number, string code",
        ),
      ),
      ["Invoices exists", "Orders exists", "Coupons exists", "Refunds exists", "Credits exists"],
    );
  });

  it("leave a record that is returned, handed on, read into, changed or removed", () => {
    assert.deepEqual(
      existence(
        action(
          `        var invoice = await db.Invoices.FindAsync(id);
        if (invoice is null) return NotFound();
        var order = await db.Orders.FindAsync(id) ?? throw new KeyNotFoundException();
        var coupon = await db.Coupons.FindAsync(id);
        if (coupon?.Code == null) return NotFound();
        var refund = await db.Refunds.FindAsync(id);
        if (refund is null) return NotFound();
        refund.Reason = "duplicate";
        await db.SaveChangesAsync();
        var credit = await db.Credits.FindAsync(id);
        if (credit != null) db.Credits.Remove(credit);
        var note = await db.Notes.FindAsync(id);
        var copy = note;
        if (copy == null) return NotFound();
        var line = await db.Lines.FindAsync(id);
        if (line is { Paid: true }) return Conflict();
        var tag = await db.Tags.FindAsync(id);
        logger.LogInformation($"found {tag}");
        var draft = await db.Drafts.FindAsync(id);
        draft = await db.Drafts.FindAsync(number);
        if (draft == null) return NotFound();
        var unused = await db.Stamps.FindAsync(id);
        if (await db.Payments.FindAsync(id) is Payment payment) return Ok(payment);
        return Ok(invoice);`,
          "Guid id, int number",
        ),
      ),
      [
        "Invoices record",
        "Orders record",
        "Coupons record",
        "Refunds record",
        "Credits record",
        "Notes record",
        "Lines record",
        "Tags record",
        "Drafts record",
        "Drafts record",
        "Stamps record",
        "Payments record",
      ],
    );
  });

  it("read the uses in Minimal API handlers and in helpers the action calls", () => {
    const program = `var app = WebApplication.Create(args);
app.MapMethods("/todos/{id}", ["HEAD"], async (int id, TodoDb db) => await db.Todos.FindAsync(id) is not null ? Results.Ok() : Results.NotFound()).RequireAuthorization();
app.MapGet("/todos/{id}", async (int id, TodoDb db) => await db.Lists.FindAsync(id) is Todo todo ? Results.Ok(todo) : Results.NotFound()).RequireAuthorization();
app.Run();
`;
    assert.deepEqual(existence(program), ["Todos exists", "Lists record"]);
    assert.deepEqual(
      existence(
        action(
          `        if (!await InvoiceExistsAsync(id)) return NotFound();
        var order = await LoadOrderAsync(id);`,
          "Guid id",
          `    private async Task<bool> InvoiceExistsAsync(Guid invoiceId) => await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId) != null;
    private async Task<Order?> LoadOrderAsync(Guid orderId)
    {
        var order = await db.Orders.FindAsync(orderId);
        if (order is null) return null;
        return order;
    }`,
        ),
      ),
      ["Invoices exists", "Orders record"],
    );
  });

  it("mark Dapper counts and constants, and read ExecuteScalar of a SELECT as a read", () => {
    assert.deepEqual(
      existence(
        action(
          `        var n = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Invoices WHERE Id = @id", new { id });
        var one = connection.ExecuteScalar<int?>("SELECT TOP 1 1 FROM Orders WHERE Id = @id", new { id });
        var any = await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM Coupons WHERE Id = @id)", new { id });
        var total = await connection.QuerySingleAsync<long>("select count(1) as total from Refunds where InvoiceId = @id", new { id });
        var number = await connection.ExecuteScalarAsync<string>("SELECT Number FROM Credits WHERE Id = @id", new { id });
        var created = await connection.ExecuteScalarAsync<int>("INSERT INTO Notes (InvoiceId) VALUES (@id); SELECT CAST(SCOPE_IDENTITY() AS int)", new { id });
        return Ok(new { n, one, any, total, number, created });`,
        ),
      ),
      ["Invoices exists", "Orders exists", "Coupons exists", "Refunds exists", "Credits record"],
    );
  });
});

describe("ownership checks", () => {
  it("cover a load compared with the caller before a denial, and the later changes of that record", () => {
    assert.deepEqual(
      accesses(
        action(`        var invoice = await db.Invoices.FindAsync(id);
        if (invoice is null || invoice.OwnerId != currentUser.UserId) throw new ForbiddenAccessException();
        db.Invoices.Remove(invoice);
        await db.Invoices.Where(i => i.InvoiceId == id).ExecuteDeleteAsync();
        var other = await db.Invoices.FindAsync(id);
        other!.Paid = other.OwnerId == currentUser.UserId;`),
      ),
      [
        "InvoicesController.Run → read Invoices: (key)=client(id) | own: compared invoice.OwnerId != currentUser.UserId",
        "InvoicesController.Run → delete Invoices: (key)=client(id) | own: compared invoice.OwnerId != currentUser.UserId",
        "InvoicesController.Run → delete Invoices: InvoiceId=client(id) | own: compared invoice.OwnerId != currentUser.UserId",
        "InvoicesController.Run → read Invoices: (key)=client(id) | own: compared invoice.OwnerId != currentUser.UserId",
      ],
    );
  });

  it("need a denying branch, and a change before the check is not covered", () => {
    assert.deepEqual(
      accesses(
        action(`        var invoice = await db.Invoices.FindAsync(id);
        db.Invoices.Remove(invoice!);
        if (invoice!.OwnerId != currentUser.UserId) logger.LogWarning("someone else's invoice");
        if (invoice.OwnerId != currentUser.UserId) return Forbid();`),
      ),
      [
        "InvoicesController.Run → read Invoices: (key)=client(id) | own: compared invoice.OwnerId != currentUser.UserId",
        "InvoicesController.Run → delete Invoices: (key)=client(id)",
      ],
    );
  });

  it("read AuthorizeAsync with a denial on Succeeded, ownership helpers, and the caller's service asked about the id", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var a = await db.Invoices.FindAsync(first);
        if (!(await authorization.AuthorizeAsync(User, a, "InvoiceOwner")).Succeeded) return Forbid();
        var b = await db.Invoices.FindAsync(second);
        await EnsureCanEditAsync(b);
        var c = await db.Invoices.FindAsync(third);
        AssertInvoiceAccess(c);
        var d = await db.Projects.FindAsync(projectId);
        if (!await currentUser.IsMemberOf(projectId)) return NotFound();`,
          "Guid first, Guid second, Guid third, Guid projectId",
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: (key)=client(first) | own: authorization-call AuthorizeAsync",
        "InvoicesController.Run → read Invoices: (key)=client(second) | own: authorization-call EnsureCanEditAsync",
        "InvoicesController.Run → read Invoices: (key)=client(third) | own: authorization-call AssertInvoiceAccess",
        "InvoicesController.Run → read Projects: (key)=client(projectId) | own: authorization-call currentUser.IsMemberOf(projectId)",
      ],
    );
  });

  it("count any early answer as the denial, and a service call given both the id and the caller", () => {
    assert.deepEqual(
      accesses(
        action(
          `        var a = await db.Invoices.FindAsync(first);
        if (a?.OwnerId != currentUser.UserId) return BadRequest("not yours");
        if (!await projects.UserHasAccessAsync(projectId, User.GetUserId())) return View("AccessDenied");
        var b = await db.Projects.FindAsync(projectId);
        var c = await db.Projects.FindAsync(Request.Query["project"].ToString());`,
          "Guid first, Guid projectId",
        ),
      ),
      [
        "InvoicesController.Run → read Invoices: (key)=client(first) | own: compared a?.OwnerId != currentUser.UserId",
        "InvoicesController.Run → read Projects: (key)=client(projectId) | own: authorization-call projects.UserHasAccessAsync(projectId, User.GetUserId())",
        'InvoicesController.Run → read Projects: (key)=client(Request.Query["project"].ToString())',
      ],
    );
  });

  it("read a positive authorization test with the refusal in the other branch", () => {
    assert.deepEqual(
      accesses(
        action(`        var invoice = await db.Invoices.FindAsync(id);
        return (await authorization.AuthorizeAsync(User, invoice, "InvoiceReader")).Succeeded ? Ok(invoice) : Forbid();`),
      ),
      ["InvoicesController.Run → read Invoices: (key)=client(id) | own: authorization-call AuthorizeAsync"],
    );
  });

  it("take the ownership helpers the settings name", () => {
    const code = action(`        var invoice = await db.Invoices.FindAsync(id);
        policy.ThrowUnlessVisible(invoice);`);
    assert.deepEqual(accesses(code), ["InvoicesController.Run → read Invoices: (key)=client(id)"]);
    assert.deepEqual(accesses(code, { ownershipChecks: ["ThrowUnlessVisible"] }), [
      "InvoicesController.Run → read Invoices: (key)=client(id) | own: authorization-call ThrowUnlessVisible",
    ]);
  });

  it("count guard filters and attributes named for ownership on the action or the controller", () => {
    const code = `${USINGS}[ApiController]
[Authorize]
[Route("api/projects")]
[ServiceFilter(typeof(ProjectMemberFilter))]
public sealed class ProjectsController(AppDb db) : ControllerBase
{
    [HttpGet("{id}")]
    public async Task<Project?> Get(int id) => await db.Projects.FindAsync(id);
}

[ApiController]
[Authorize]
[Route("api/boards")]
public sealed class BoardsController(AppDb db) : ControllerBase
{
    [HttpGet("{id}")]
    [RequireBoardOwner]
    public async Task<Board?> Get(int id) => await db.Boards.FindAsync(id);

    [HttpGet("{id}/cards")]
    [Authorize(Policy = "BoardMember")]
    public async Task<Board?> Cards(int id) => await db.Boards.FindAsync(id);

    [HttpGet("{id}/labels")]
    [Authorize(Policy = "Labels.Read")]
    public async Task<Board?> Labels(int id) => await db.Boards.FindAsync(id);
}
`;
    assert.deepEqual(accesses(code), [
      "ProjectsController.Get → read Projects: (key)=client(id) | own: authorization-call [ServiceFilter(typeof(ProjectMemberFilter))]",
      "BoardsController.Get → read Boards: (key)=client(id) | own: authorization-call [RequireBoardOwner]",
      'BoardsController.Cards → read Boards: (key)=client(id) | own: authorization-call [Authorize(Policy = "BoardMember")]',
      "BoardsController.Labels → read Boards: (key)=client(id)",
    ]);
  });

  it("scope the entities of a same-file HasQueryFilter on an owner field, unless the query ignores filters", () => {
    const code = `${USINGS}public sealed class AppDb(DbContextOptions<AppDb> options, ITenantProvider tenants) : DbContext(options)
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Label> Labels { get; set; } = null!;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Project>(b => b.HasQueryFilter(p => p.TenantId == tenants.TenantId));
        modelBuilder.Entity<Label>().HasQueryFilter(l => !l.Archived);
    }
}

[ApiController]
[Authorize]
[Route("api/projects")]
public sealed class ProjectsController(AppDb db) : ControllerBase
{
    [HttpGet("{id}")]
    public async Task<Project?> Get(int id) => await db.Projects.FindAsync(id);

    [HttpGet("{id}/all")]
    public async Task<Project?> GetAny(int id) => await db.Projects.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == id);

    [HttpGet("labels/{id}")]
    public async Task<Label?> GetLabel(int id) => await db.Set<Label>().FirstOrDefaultAsync(l => l.Id == id);
}
`;
    const model = csharpModel(code);
    assert.deepEqual(
      model.endpoints.flatMap((e) => e.dataOperations.map(access)),
      [
        "read Projects: (key)=client(id) | own: scoped-data-access HasQueryFilter(p => p.TenantId == tenants.TenantId)",
        "read Projects: Id=client(id)",
        "read Label: Id=client(id)",
      ],
    );
    assert.deepEqual(
      model.queryFilterScopes?.map((s) => `${s.entity} [${s.sets.join(", ")}] ${s.name} @${s.loc.start.line}`),
      ["Project [Projects] HasQueryFilter(p => p.TenantId == tenants.TenantId) @11"],
    );
  });

  it("read a configuration class's EntityTypeBuilder<T>", () => {
    const code = `public sealed class OrderConfiguration(ICurrentTenant tenant) : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.HasKey(o => o.Id);
        builder.HasQueryFilter(o => o.TenantId == tenant.Id);
    }
}
`;
    assert.deepEqual(
      csharpModel(code, {}, "OrderConfiguration.cs").queryFilterScopes?.map((s) => s.entity),
      ["Order"],
    );
  });
});

describe("calls towards the access", () => {
  it("map a same-class helper's parameters to the action's values and name it in through", () => {
    const code = action(
      `        await ArchiveAsync(command.InvoiceId, currentUser.UserId);
        await LoadAsync(id);`,
      "Guid id, ArchiveInvoiceCommand command",
      `    private Task ArchiveAsync(Guid invoiceId, string ownerId) =>
        db.Invoices.Where(i => i.Id == invoiceId && i.OwnerId == ownerId).ExecuteDeleteAsync();

    private async Task<Invoice?> LoadAsync(Guid invoiceId) => await FindAsync(invoiceId);

    private ValueTask<Invoice?> FindAsync(Guid key) => db.Invoices.FindAsync(key);
`,
    );
    assert.deepEqual(accesses(code), [
      "InvoicesController.Run → delete Invoices: Id=client(command.InvoiceId) & OwnerId=principal(currentUser.UserId) | through: InvoicesController.ArchiveAsync",
      "InvoicesController.Run → read Invoices: (key)=client(id) | through: InvoicesController.LoadAsync > InvoicesController.FindAsync",
    ]);
  });

  it("cover a helper's load with the action's check on what it returns", () => {
    const code = action(
      `        var invoice = await LoadAsync(id);
        if (invoice?.OwnerId != currentUser.UserId) return NotFound();`,
      "Guid id",
      "    private ValueTask<Invoice?> LoadAsync(Guid invoiceId) => db.Invoices.FindAsync(invoiceId);\n",
    );
    assert.deepEqual(accesses(code), [
      "InvoicesController.Run → read Invoices: (key)=client(id) | own: compared invoice?.OwnerId != currentUser.UserId | through: InvoicesController.LoadAsync",
    ]);
  });

  it("follow a field typed as a class of the file, or an interface one class of the file implements", () => {
    const code = `${USINGS}public interface IInvoiceService { Task VoidAsync(Guid id); }

public sealed class InvoiceService(BillingDbContext db) : IInvoiceService
{
    public Task VoidAsync(Guid id) => db.Invoices.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Void, true));
}

[ApiController]
[Authorize]
[Route("api/invoices")]
public sealed class InvoicesController(IInvoiceService invoices) : ControllerBase
{
    [HttpPost("{invoiceId}/void")]
    public async Task<IActionResult> Void(Guid invoiceId)
    {
        await invoices.VoidAsync(invoiceId);
        return NoContent();
    }
}
`;
    assert.deepEqual(accesses(code), [
      "InvoicesController.Void → write Invoices: Id=client(invoiceId) | through: InvoiceService.VoidAsync",
    ]);
  });

  it("follow a MediatR request to its handler in the file, through constructor arguments and initializers", () => {
    const code = `${USINGS}public sealed record DeleteInvoice(Guid InvoiceId) : IRequest;
public sealed class PayInvoice : IRequest { public Guid Id { get; init; } public string? PaidBy { get; init; } }

public sealed class DeleteInvoiceHandler(BillingDbContext db) : IRequestHandler<DeleteInvoice>
{
    public async Task Handle(DeleteInvoice request, CancellationToken cancellationToken) =>
        await db.Invoices.Where(i => i.Id == request.InvoiceId).ExecuteDeleteAsync(cancellationToken);
}

public sealed class PayInvoiceHandler(BillingDbContext db) : IRequestHandler<PayInvoice>
{
    public async Task Handle(PayInvoice request, CancellationToken cancellationToken) =>
        await db.Invoices.Where(i => i.Id == request.Id && i.OwnerId == request.PaidBy).ExecuteUpdateAsync(s => s.SetProperty(i => i.Paid, true), cancellationToken);
}

[ApiController]
[Authorize]
[Route("api/invoices")]
public sealed class InvoicesController(ISender sender) : ControllerBase
{
    [HttpDelete("{id}")]
    public async Task Delete(Guid id) => await sender.Send(new DeleteInvoice(id));

    [HttpPost("{id}/pay")]
    public async Task Pay(Guid id)
    {
        var command = new PayInvoice { Id = id, PaidBy = User.FindFirstValue(ClaimTypes.NameIdentifier) };
        await sender.Send(command);
    }

    [HttpPost("pay")]
    public Task PayFromBody([FromBody] PayInvoice command) => sender.Send(command);
}
`;
    assert.deepEqual(accesses(code), [
      "InvoicesController.Delete → delete Invoices: Id=client(id) | through: DeleteInvoiceHandler.Handle",
      "InvoicesController.Pay → write Invoices: Id=client(id) & OwnerId=principal(User.FindFirstValue(ClaimTypes.NameIdentifier)) | through: PayInvoiceHandler.Handle",
      "InvoicesController.PayFromBody → write Invoices: Id=client([FromBody] command.Id) & OwnerId=client([FromBody] command.PaidBy) | through: PayInvoiceHandler.Handle",
    ]);
  });
});

describe("Razor Pages", () => {
  it("follow a bound command to its handler in the page's file (a vertical slice)", () => {
    const code = `using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace School.Pages.Students;

[Authorize]
public class Delete(IMediator mediator) : PageModel
{
    [BindProperty]
    public Command Data { get; set; } = default!;

    public async Task<IActionResult> OnPostAsync()
    {
        await mediator.Send(Data);
        return RedirectToPage("Index");
    }

    public record Command(int Id) : IRequest;

    public class CommandHandler(SchoolContext db) : IRequestHandler<Command>
    {
        public async Task Handle(Command message, CancellationToken token)
        {
            var student = await db.Students.FindAsync(message.Id);
            db.Students.Remove(student!);
        }
    }
}
`;
    assert.deepEqual(accesses(code, {}, "Pages/Students/Delete.cshtml.cs"), [
      "Delete.OnPostAsync → read Students: (key)=client(Data.Id) | through: CommandHandler.Handle",
      "Delete.OnPostAsync → delete Students: (key)=client(Data.Id) | through: CommandHandler.Handle",
    ]);
  });
});

describe("a method's own terms", () => {
  it("names its parameters' values by position and path, for its callers (or the project index) to fill in", async () => {
    const { loadCSharpParser, parseCSharp } = await import("../csharp-bridge/parser.js");
    const { CSharpFile } = await import("../csharp-bridge/adapter/libraries/library.js");
    const { methodFlow } = await import("../csharp-bridge/adapter/record-access.js");
    const { resolveSettings } = await import("../lib/core/settings.js");
    await loadCSharpParser();
    const code = `public sealed class InvoiceService(BillingDbContext db, ICurrentUser currentUser)
{
    public Task ArchiveAsync(ArchiveInvoice command, Guid id) =>
        db.Invoices.Where(i => i.Id == command.InvoiceId && i.OwnerId == currentUser.Id && i.BatchId == id.Value).ExecuteDeleteAsync();
}
`;
    const tree = parseCSharp(code);
    try {
      const file = new CSharpFile(tree.rootNode, code, resolveSettings({}), "InvoiceService.cs");
      const method = file.declarations.classes[0].methods[0];
      const values = ["command.InvoiceId", "currentUser.Id", "id.Value"].map((text) =>
        method.node.descendantsOfType("member_access_expression").find((n) => n.text === text)!,
      );
      assert.deepEqual(
        values.map((v) => methodFlow(method, "helper", file).originOf(v)),
        [
          { kind: "parameter", index: 0, path: ["InvoiceId"] },
          { kind: "principal", via: "currentUser.Id" },
          { kind: "parameter", index: 1, path: [] },
        ],
      );
      assert.deepEqual(
        values.map((v) => methodFlow(method, "handler", file).originOf(v)),
        [
          { kind: "client", via: "command.InvoiceId" },
          { kind: "principal", via: "currentUser.Id" },
          { kind: "client", via: "id" },
        ],
      );
    } finally {
      tree.delete();
    }
  });
});
