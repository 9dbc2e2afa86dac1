/**
 * AP103 across C# files: what a handler tells the project index about its calls to other
 * files (`Endpoint.calls`), what a service, repository or MediatR handler tells about itself
 * (`FileSummary.functions`, in its own terms), the keys the index finds implementations and
 * handlers by, and the linked verdicts on small projects.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CallArgument, ExternalCall, ValueOrigin } from "../lib/core/model.js";
import type { FunctionFlow } from "../lib/core/project/summary.js";
import { csharpSummarizer } from "../csharp-bridge/project.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { csharpModel } from "./helpers/model.js";

function origin(o: CallArgument): string {
  switch (o.kind) {
    case "client":
    case "principal":
      return `${o.kind}(${o.via})`;
    case "parameter":
      return `parameter(${o.index}${o.path.map((p) => `.${p}`).join("")})`;
    case "object": {
      const properties = Object.entries(o.properties).map(([k, v]) => `${k}: ${origin(v)}`);
      const positional = (o.positional ?? []).map((v: ValueOrigin) => origin(v));
      return `${o.type ?? ""}{${[...positional, ...properties].join(", ")}}`;
    }
    default:
      return o.kind;
  }
}

function call(c: ExternalCall): string {
  const target =
    "request" in c.target
      ? `request ${c.target.request}`
      : "type" in c.target
        ? `${c.target.type}${c.target.property ? `.${c.target.property}` : ""}.${c.target.member}`
        : c.function;
  const checks = c.resultChecks?.length ? ` | checks: ${c.resultChecks.map((k) => k.kind).join(", ")}` : "";
  return `${target}(${c.args.map(origin).join(", ")})${checks}`;
}

/** Every endpoint's calls towards other files, as `handler → target(args)`. */
function calls(code: string, filename = "Controller.cs"): string[] {
  return csharpModel(code, {}, filename).endpoints.flatMap((e) =>
    (e.calls ?? []).map((c) => `${e.handler ?? e.path} → ${call(c)}`),
  );
}

function summarize(code: string, file = "/project/Service.cs"): FunctionFlow[] {
  return csharpSummarizer.summarize(file, code, {})?.functions ?? [];
}

const CONTROLLER = (body: string, members = "private readonly IOrderService _orders;") => `using System.Security.Claims;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

[ApiController]
[Authorize]
[Route("api/orders")]
public class OrdersController : ControllerBase
{
    ${members}
    private readonly IMediator _mediator;
    private readonly ILogger<OrdersController> _logger;

${body}
}
`;

describe("C# handlers' calls to other files", () => {
  it("records calls to injected services with the origins of their arguments, and not framework services", () => {
    const code = CONTROLLER(`
    [HttpGet("{id:int}")]
    public async Task<IActionResult> Get(int id, [FromQuery] string? expand)
    {
        _logger.LogInformation("Reading {Id}", id);
        var order = await _orders.GetAsync(id, User.FindFirstValue(ClaimTypes.NameIdentifier), expand);
        return Ok(order);
    }`);
    assert.deepEqual(calls(code), [
      "OrdersController.Get → IOrderService.GetAsync(client(id), principal(User.FindFirstValue(ClaimTypes.NameIdentifier)), client([FromQuery] expand))",
    ]);
  });

  it("carries the handler's check on the record a call returns", () => {
    const code = CONTROLLER(`
    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Delete(int id)
    {
        var order = await _orders.GetAsync(id);
        if (order.BuyerId != User.FindFirstValue(ClaimTypes.NameIdentifier)) return Forbid();
        await _orders.DeleteAsync(id);
        return NoContent();
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Get(int id)
    {
        var order = await _orders.GetAsync(id);
        if (order is null) return NotFound();
        return Ok(order);
    }`);
    assert.deepEqual(calls(code), [
      "OrdersController.Delete → IOrderService.GetAsync(client(id)) | checks: compared",
      "OrdersController.Delete → IOrderService.DeleteAsync(client(id))",
      "OrdersController.Get → IOrderService.GetAsync(client(id))",
    ]);
  });

  it("names the request a mediator is sent, with the values the command is built from", () => {
    const code = CONTROLLER(`
    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Delete(int id)
    {
        await _mediator.Send(new DeleteOrderCommand(id));
        return NoContent();
    }

    [HttpPut("{id:int}/ship")]
    public async Task<IActionResult> Ship(int id)
    {
        var command = new ShipOrderCommand { OrderNumber = id, BuyerId = User.FindFirstValue("sub") };
        await _mediator.Send(command);
        return NoContent();
    }

    [HttpPost("archive")]
    public async Task<IActionResult> Archive([FromBody] Archive.Command command)
    {
        await _mediator.Send(command);
        return NoContent();
    }`);
    assert.deepEqual(calls(code), [
      "OrdersController.Delete → request DeleteOrderCommand(DeleteOrderCommand{client(id)})",
      'OrdersController.Ship → request ShipOrderCommand(ShipOrderCommand{OrderNumber: client(id), BuyerId: principal(User.FindFirstValue("sub"))})',
      "OrdersController.Archive → request Archive.Command(client([FromBody] command))",
    ]);
  });

  it("follows the file's own helpers to the calls they make, with the handler's origins", () => {
    const code = CONTROLLER(`
    [HttpGet("{id:int}")]
    public Task<Order> Get(int id) => Load(id);

    private Task<Order> Load(int orderId) => _orders.GetAsync(orderId);`);
    assert.deepEqual(calls(code), ["OrdersController.Get → IOrderService.GetAsync(client(id))"]);
  });

  it("reads Minimal API service parameters and [AsParameters] bundles", () => {
    const code = `using Microsoft.AspNetCore.Mvc;

var app = WebApplication.Create(args);
var api = app.MapGroup("api/orders").RequireAuthorization();
api.MapGet("{orderId:int}", async (int orderId, [AsParameters] OrderServices services) => await services.Queries.GetOrderAsync(orderId));
api.MapGet("{orderId:int}/items", async (int orderId, [FromServices] OrderItemsReader reader, OrderLine line) => await reader.ReadAsync(orderId, line.Sku));
api.MapPut("{orderId:int}/cancel", async (int orderId, ISender sender) => await sender.Send(new CancelOrderCommand(orderId)));
app.Run();
`;
    assert.deepEqual(calls(code, "Program.cs"), [
      "/api/orders/{orderId:int} → OrderServices.Queries.GetOrderAsync(client(orderId))",
      "/api/orders/{orderId:int}/items → OrderItemsReader.ReadAsync(client(orderId), client(line.Sku))",
      "/api/orders/{orderId:int}/cancel → request CancelOrderCommand(CancelOrderCommand{client(orderId)})",
    ]);
  });

  it("leaves the calls of a route whose filter checks its record before the action runs", () => {
    const code = CONTROLLER(`
    [HttpGet("{id:int}")]
    [TypeFilter(typeof(OrderOwnerFilter))]
    public async Task<IActionResult> Get(int id) => Ok(await _orders.GetAsync(id));`);
    assert.deepEqual(calls(code), []);
  });
});

describe("C# summaries of services, repositories and request handlers", () => {
  it("lists a public method's operations in its own terms, what it returns and the checks that need the caller", () => {
    const functions = summarize(`using Microsoft.EntityFrameworkCore;

public class OrderService(ShopDbContext db, IOrderRepository repository) : IOrderService
{
    public async Task<Order> GetForBuyerAsync(int id, string buyerId)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == id) ?? throw new KeyNotFoundException();
        if (order.BuyerId != buyerId) throw new UnauthorizedAccessException();
        return order;
    }

    public Task<Order?> GetAsync(OrderQuery query) => repository.FindAsync(query.OrderId);

    public string Describe(Order order) => $"{order.Id}";

    private Task<Order?> Hidden(int id) => db.Orders.FindAsync(id).AsTask();
}
`);
    assert.deepEqual(
      functions.map((f) => ({
        name: f.name,
        operations: f.operations.map(
          (op) =>
            `${op.kind} ${op.entity}: ${op.selection?.conditions.map((c) => `${c.field}=${origin(c.origin)}`).join(" & ")}`,
        ),
        calls: f.calls.map(call),
        returns: f.returns,
        returnsCall: f.returnsCall,
        conditional: f.conditionalChecks?.map(
          (c) => `${c.check.name} when ${c.when.index}:${c.when.path.join(".")} covers ${c.covers.join(",")}`,
        ),
      })),
      [
        {
          name: "OrderService.GetForBuyerAsync",
          operations: ["read Orders: Id=parameter(0)"],
          calls: [],
          returns: 0,
          returnsCall: undefined,
          conditional: ["order.BuyerId != buyerId when 1: covers 0"],
        },
        {
          name: "OrderService.GetAsync",
          operations: [],
          calls: ["IOrderRepository.FindAsync(parameter(0.OrderId))"],
          returns: undefined,
          returnsCall: 0,
          conditional: undefined,
        },
      ],
    );
  });

  it("names what a MediatR handler handles, qualified by the feature class it is nested in, and its records' positions", () => {
    const summary = csharpSummarizer.summarize(
      "/project/Features/Articles/Delete.cs",
      `public class Delete
{
    public record Command(string Slug) : IRequest;

    public class Handler(ConduitContext context) : IRequestHandler<Command>
    {
        public async Task Handle(Command message, CancellationToken cancellationToken)
        {
            var article = await context.Articles.FirstOrDefaultAsync(x => x.Slug == message.Slug, cancellationToken);
            context.Articles.Remove(article!);
            await context.SaveChangesAsync(cancellationToken);
        }
    }

    public class Audit : IRequestHandler<AuditCommand>
    {
        public Task Handle(AuditCommand command, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public record CancelOrderCommand(int OrderNumber, string BuyerId) : IRequest<bool>;
`,
      {},
    );
    assert.deepEqual(
      summary?.functions?.map(
        (f) =>
          `${f.name} handles ${f.handles}: ${f.operations.map((op) => `${op.kind} ${op.selection?.conditions.map((c) => origin(c.origin)).join(",") ?? ""}`).join("; ")}`,
      ),
      [
        "Handler.Handle handles Delete.Command: read parameter(0.Slug); delete parameter(0.Slug); write ",
        "Audit.Handle handles Delete.AuditCommand: ",
      ],
    );
    assert.deepEqual(
      summary?.types?.filter((t) => t.positional).map((t) => `${t.name}(${t.positional!.join(", ")})`),
      ["Delete.Command(Slug)", "CancelOrderCommand(OrderNumber, BuyerId)"],
    );
  });

  it("offers the service-typed properties of a bundle, and leaves controllers out", () => {
    const summary = csharpSummarizer.summarize(
      "/project/Apis/OrderServices.cs",
      `public class OrderServices(IMediator mediator, IOrderQueries queries)
{
    public IMediator Mediator { get; } = mediator;
    public IOrderQueries Queries { get; } = queries;
    public string Region { get; set; } = "";
}

public class OrdersController(ShopDbContext db) : ControllerBase
{
    public async Task<IActionResult> Get(int id) => Ok(await db.Orders.FindAsync(id));
}
`,
      {},
    );
    assert.deepEqual(summary?.types?.find((t) => t.name === "OrderServices")?.members, {
      Mediator: "IMediator",
      Queries: "IOrderQueries",
    });
    assert.equal(summary?.functions, undefined);
  });

  it("declares, without parsing, the interfaces a class implements, the requests it handles and its query filters", () => {
    const scan = csharpSummarizer.scan(
      "/project/Data.cs",
      `public sealed class SqlOrderStore(ShopDbContext db, ILogger<SqlOrderStore> logger) : IOrderRepository, IDisposable { }
public class Repository<T> : IRepository<T> where T : class { }
public class CancelHandler : IRequestHandler<CancelOrderCommand, bool> { }
public class Db : DbContext { void M(ModelBuilder b) => b.Entity<Note>().HasQueryFilter(n => n.TenantId == 1); }
`,
    );
    assert.deepEqual(
      scan.declares.filter((d) => d.includes(":")),
      [
        "impl:IOrderRepository",
        "impl:IDisposable",
        "impl:IRepository",
        "impl:IRequestHandler",
        "impl:DbContext",
        "handles:CancelOrderCommand",
        "scope:data",
      ],
    );
  });
});

// ---------------------------------------------------------------- linked verdicts on small projects

const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-csflow-"));
  temps.push(dir);
  fs.writeFileSync(path.join(dir, "Shop.Api.csproj"), '<Project Sdk="Microsoft.NET.Sdk.Web" />\n');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const AP103 = "api-posture/require-ownership-check";

/** A feature folder's `Details` request and handler; `scoped` handlers read only the caller's records. */
const FEATURE = (feature: string, entity: string, scoped: boolean) => `namespace Shop.Features.${feature};

public class Details
{
    public record Query(string Slug) : IRequest<object>;

    public class QueryHandler(ShopContext context, ICurrentUser currentUser) : IRequestHandler<Query, object>
    {
        public async Task<object> Handle(Query message, CancellationToken cancellationToken) =>
            await context.${entity}.FirstAsync(x => x.Slug == message.Slug${scoped ? " && x.OwnerId == currentUser.Id" : ""}, cancellationToken);
    }
}
`;

/** A controller of a feature folder that sends its `Details.Query`. */
const SENDER = (feature: string) => `namespace Shop.Features.${feature};

[ApiController, Authorize, Route("${feature.toLowerCase()}")]
public class ${feature}Controller(IMediator mediator) : ControllerBase
{
    [HttpGet("{slug}")]
    public Task<object> Get(string slug) => mediator.Send(new Details.Query(slug));
}
`;

for (const version of ESLINT_VERSIONS) {
  describe(`C# data flow through the project index (${version.label})`, () => {
    it("finds the handler of the caller's own feature among requests of one name", async () => {
      const dir = project({
        "Features/Articles/ArticlesController.cs": SENDER("Articles"),
        "Features/Articles/Details.cs": FEATURE("Articles", "Articles", true),
        "Features/Profiles/ProfilesController.cs": SENDER("Profiles"),
        "Features/Profiles/Details.cs": FEATURE("Profiles", "Profiles", false),
      });
      const results = await recommendedEslint(version, [], { cwd: dir }).lintFiles([
        path.join(dir, "Features/Articles/ArticlesController.cs"),
        path.join(dir, "Features/Profiles/ProfilesController.cs"),
      ]);
      assert.deepEqual(
        results.map((r) =>
          r.messages.filter((m) => m.ruleId === AP103).map((m) => `${m.line} ${m.message.split(" with ")[0]}`),
        ),
        [
          [],
          [
            "7 AP103 Profiles is read by Slug from slug (in Mediator.Send(Details.Query): context.Profiles.FirstAsync(…))",
          ],
        ],
      );
    });

    it("follows an interface to the class whose base list names it, and applies another file's query filter", async () => {
      const dir = project({
        "Controllers/InvoicesController.cs": `[ApiController, Authorize, Route("invoices")]
public class InvoicesController(IInvoiceLookup invoices, BillingDb db) : ControllerBase
{
    [HttpGet("{id}")]
    public Task<Invoice?> Get(Guid id) => invoices.FindAsync(id);

    [HttpGet("{id}/lines")]
    public Task<List<Line>> Lines(Guid id) => db.Lines.Where(l => l.InvoiceId == id).ToListAsync();
}
`,
        "Data/EfInvoices.cs": `public class EfInvoices(BillingDb db) : IInvoiceLookup
{
    public Task<Invoice?> FindAsync(Guid id) => db.Invoices.FirstOrDefaultAsync(i => i.Id == id);
}
`,
        "Data/BillingDb.cs": `public class BillingDb(ITenantContext tenant) : DbContext
{
    public DbSet<Line> Lines => Set<Line>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    protected override void OnModelCreating(ModelBuilder b) => b.Entity<Line>().HasQueryFilter(l => l.TenantId == tenant.TenantId);
}
`,
      });
      const [result] = await recommendedEslint(version, [], { cwd: dir }).lintFiles([
        path.join(dir, "Controllers/InvoicesController.cs"),
      ]);
      assert.deepEqual(
        result.messages.filter((m) => m.ruleId === AP103).map((m) => `${m.line} ${m.message.split(" with ")[0]}`),
        ["5 AP103 Invoices is read by Id from id (in IInvoiceLookup.FindAsync: db.Invoices.FirstOrDefaultAsync(…))"],
      );
    });
  });
}
