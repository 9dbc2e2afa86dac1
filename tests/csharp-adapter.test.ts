/**
 * The C# adapter's file model for ASP.NET Core MVC: controllers, actions, routes,
 * protections, anonymous markers and data operations, asserted exactly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import type { Endpoint } from "../lib/core/model.js";
import { csharpModel } from "./helpers/model.js";
import { recommendedEslint } from "./helpers/lint.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

interface Shape {
  route: string;
  handler: string | undefined;
  line: number;
  protections: string[];
  anonymous: string[];
  data: string[];
}

/** An endpoint as `METHODS /path`, its handler, report line and requirements as `source name`. */
function shape(endpoint: Endpoint): Shape {
  return {
    route: `${endpoint.methods.join(",")} ${endpoint.path}`,
    handler: endpoint.handler,
    line: endpoint.loc.start.line,
    protections: endpoint.protections.map((p) => `${p.source} ${p.name}`),
    anonymous: endpoint.anonymous.map((a) => `${a.source} ${a.name}`),
    data: endpoint.dataOperations.map((d) => `${d.kind} ${d.call}`),
  };
}

function endpoints(code: string, settings?: ApiPostureSettings): Shape[] {
  return csharpModel(code, settings).endpoints.map(shape);
}

/** `METHODS /path handler` per endpoint, for tests about discovery and routing only. */
function routes(code: string, settings?: ApiPostureSettings): string[] {
  return endpoints(code, settings).map((e) => `${e.route} ${e.handler}`);
}

const USINGS = "using Microsoft.AspNetCore.Authorization;\nusing Microsoft.AspNetCore.Mvc;\n\n";

describe("controller discovery", () => {
  it("finds [ApiController] classes, ControllerBase/Controller subclasses and public *Controller classes", () => {
    const code = `${USINGS}namespace Shop.Api;

[ApiController]
[Route("api/health")]
public class Health { [HttpGet] public string Get() => "ok"; }

public class Reports : ControllerBase { [HttpPost("reports")] public IActionResult Run() => Ok(); }

public class HomeController { public string Index() => "home"; }

public class PriceCalculator { public decimal Total(decimal net) => net * 1.2m; }
`;
    assert.deepEqual(routes(code), [
      "GET /api/health Health.Get",
      "POST /reports Reports.Run",
      "ANY /Home/Index HomeController.Index",
    ]);
  });

  it("follows base classes declared in the same file, including generic ones", () => {
    const code = `${USINGS}public abstract class ApiBase<TEntity> : ControllerBase where TEntity : class { }
public class Products : ApiBase<Product> { [HttpDelete("products/{id}")] public IActionResult Remove(int id) => NoContent(); }
public class Invoices : BaseApiController<Invoice> { [HttpPut("invoices/{id}")] public IActionResult Put(int id) => NoContent(); }
`;
    assert.deepEqual(routes(code), ["DELETE /products/{id} Products.Remove", "PUT /invoices/{id} Invoices.Put"]);
  });

  it("leaves out [NonController], abstract, static, generic and non-public classes", () => {
    const code = `${USINGS}[NonController] public class LegacyController : Controller { public IActionResult Index() => View(); }
public abstract class BaseController : Controller { public IActionResult Ping() => Ok(); }
public class CrudController<T> : Controller { public IActionResult List() => Ok(); }
internal class InternalController : Controller { public IActionResult Index() => View(); }
class ImplicitlyInternalController : Controller { public IActionResult Index() => View(); }
public static class RoutesController { public static string Name() => "x"; }
[NonController] public abstract class HiddenBase : ControllerBase { }
public class StillHiddenController : HiddenBase { public IActionResult Get() => Ok(); }
`;
    assert.deepEqual(routes(code), []);
  });

  it("reads block, nested and file-scoped namespaces, partial classes and primary constructors", () => {
    const code = `${USINGS}namespace Shop { namespace Api.Controllers {
  [Route("api/carts")]
  public partial class CartsController(ShopDbContext db) : ControllerBase
  {
    [HttpPost] public IActionResult Add(CartItem item) { db.CartItems.Add(item); return Ok(); }
  }
  [Authorize]
  public partial class CartsController
  {
    [HttpDelete("{id}")] public IActionResult Clear(int id) => NoContent();
  }
} }
`;
    assert.deepEqual(endpoints(code), [
      {
        route: "POST /api/carts",
        handler: "CartsController.Add",
        line: 8,
        protections: ["class [Authorize]"],
        anonymous: [],
        data: ["write db.CartItems.Add(…)"],
      },
      {
        route: "DELETE /api/carts/{id}",
        handler: "CartsController.Clear",
        line: 13,
        protections: ["class [Authorize]"],
        anonymous: [],
        data: [],
      },
    ]);
    const fileScoped = `${USINGS}namespace Shop.Api.Controllers;\n\npublic class TagsController : Controller\n{\n    [HttpPost] public IActionResult Create(string name) => Ok();\n}\n`;
    assert.deepEqual(routes(fileScoped), ["POST /Tags/Create TagsController.Create"]);
  });
});

describe("actions", () => {
  it("are the public instance methods, minus [NonAction], generic methods, Dispose and framework overrides", () => {
    const code = `${USINGS}public class OrdersController : Controller
{
    public OrdersController(ShopDbContext db) { }
    public IActionResult Index() => View();
    [NonAction] public void Recalculate() { }
    [Microsoft.AspNetCore.Mvc.NonActionAttribute] public void Rebuild() { }
    public T Convert<T>(object value) => (T)value;
    public static IActionResult Shared() => null;
    private IActionResult Helper() => View();
    protected IActionResult Guarded() => View();
    internal IActionResult Internal() => View();
    public override void OnActionExecuting(ActionExecutingContext context) { }
    public override string ToString() => "orders";
    public new void Dispose() { }
    public string Dispose(bool disposing) => "a real action named Dispose";
    public abstract IActionResult Abstract();
    public int Count { get; set; }
}
`;
    assert.deepEqual(routes(code), [
      "ANY /Orders/Index OrdersController.Index",
      "ANY /Orders/Dispose OrdersController.Dispose",
    ]);
  });

  it("include actions inherited from a same-file base, unless the controller declares the name", () => {
    const code = `${USINGS}[Authorize]
public abstract class CrudController<T> : ControllerBase
{
    [HttpPost] public virtual IActionResult Create(T item) => Ok();
    [HttpDelete("{id}")] public IActionResult Delete(int id) => NoContent();
}

[Route("api/tags")]
public class TagsController : CrudController<Tag>
{
    [HttpPost("bulk")] public override IActionResult Create(Tag item) => Ok();
}
`;
    assert.deepEqual(endpoints(code), [
      {
        route: "POST /api/tags/bulk",
        handler: "TagsController.Create",
        line: 14,
        protections: ["base-class [Authorize]"],
        anonymous: [],
        data: [],
      },
      {
        route: "DELETE /api/tags/{id}",
        handler: "TagsController.Delete",
        line: 8,
        protections: ["base-class [Authorize]"],
        anonymous: [],
        data: [],
      },
    ]);
  });

  it("report at the method name", () => {
    const code = `${USINGS}public class PingController : ControllerBase\n{\n    [HttpPost("ping")]\n    public async Task<IActionResult> PingAsync() => Ok();\n}\n`;
    const [endpoint] = csharpModel(code).endpoints;
    assert.deepEqual(endpoint?.loc, { start: { line: 7, column: 37 }, end: { line: 7, column: 46 } });
  });
});

describe("HTTP methods", () => {
  const action = (attributes: string) =>
    `${USINGS}[Route("api/items")]\npublic class ItemsController : ControllerBase\n{\n    ${attributes}\n    public IActionResult Handle() => Ok();\n}\n`;

  for (const [attribute, method] of [
    ["[HttpGet]", "GET"],
    ["[HttpPost]", "POST"],
    ["[HttpPut]", "PUT"],
    ["[HttpPatch]", "PATCH"],
    ["[HttpDelete]", "DELETE"],
    ["[HttpHead]", "HEAD"],
    ["[HttpOptions]", "OPTIONS"],
    ["[HttpPostAttribute]", "POST"],
    ["[Microsoft.AspNetCore.Mvc.HttpDelete]", "DELETE"],
    ["[global::Microsoft.AspNetCore.Mvc.HttpPutAttribute]", "PUT"],
    ['[AcceptVerbs("POST", "put")]', "POST,PUT"],
    ["[AcceptVerbs(HttpVerbs.Post | HttpVerbs.Delete)]", "POST,DELETE"],
    ["[HttpGet, HttpHead]", "GET,HEAD"],
    ["", "ANY"],
    ['[Produces("application/json")]', "ANY"],
  ] as const) {
    it(`${attribute || "no verb attribute"} → ${method}`, () => {
      assert.deepEqual(routes(action(attribute)), [`${method} /api/items ItemsController.Handle`]);
    });
  }
});

describe("routes", () => {
  const controller = (classAttributes: string, members: string, name = "OrdersController") =>
    `${USINGS}${classAttributes}\npublic class ${name} : ControllerBase\n{\n${members}\n}\n`;

  it("combine the controller template with the action's and replace [controller] and [action]", () => {
    const code = controller(
      '[Route("api/[controller]")]',
      `    [HttpGet("{id:int}")] public IActionResult Get(int id) => Ok();
    [HttpPost("[action]")] public Task<IActionResult> SubmitAsync() => null;
    [HttpPut("{id:int}/[ACTION]")] [ActionName("Ship")] public IActionResult MarkShipped(int id) => Ok();
    [HttpGet("", Name = "ListOrders", Order = 2)] public IActionResult List() => Ok();
    [HttpDelete(template: "{id:guid}")] public IActionResult Delete(Guid id) => Ok();`,
    );
    assert.deepEqual(routes(code), [
      "GET /api/Orders/{id:int} OrdersController.Get",
      "POST /api/Orders/Submit OrdersController.SubmitAsync",
      "PUT /api/Orders/{id:int}/Ship OrdersController.MarkShipped",
      "GET /api/Orders OrdersController.List",
      "DELETE /api/Orders/{id:guid} OrdersController.Delete",
    ]);
  });

  it("take [Route] on the action, with the verbs next to it", () => {
    const code = controller(
      '[Route("api/orders")]',
      `    [Route("{id}/lines")] [HttpPost] public IActionResult AddLine(int id) => Ok();
    [Route("archive")] public IActionResult Archive() => Ok();
    [HttpGet] [HttpPost("search")] public IActionResult Search() => Ok();
    [AcceptVerbs("GET", "POST", Route = "lookup")] public IActionResult Lookup() => Ok();`,
    );
    assert.deepEqual(routes(code), [
      "POST /api/orders/{id}/lines OrdersController.AddLine",
      "ANY /api/orders/archive OrdersController.Archive",
      "POST /api/orders/search OrdersController.Search",
      "GET /api/orders OrdersController.Search",
      "GET,POST /api/orders/lookup OrdersController.Lookup",
    ]);
  });

  it("honour absolute action templates", () => {
    const code = controller(
      '[Route("api/orders")]',
      `    [HttpGet("~/health")] public IActionResult Health() => Ok();
    [HttpPost("/hooks/orders")] public IActionResult Hook() => Ok();`,
    );
    assert.deepEqual(routes(code), ["GET /health OrdersController.Health", "POST /hooks/orders OrdersController.Hook"]);
    const rooted = controller(
      '[Route("~/change-password-uri")]',
      '    [HttpGet("config")] public IActionResult Config() => Ok();',
    );
    assert.deepEqual(routes(rooted), ["GET /change-password-uri/config OrdersController.Config"]);
  });

  it("use the conventional /{area}/{controller}/{action} shape when no route attribute exists", () => {
    const code = `${USINGS}public class CartController : Controller
{
    [HttpPost] public IActionResult CheckoutAsync() => View();
    public IActionResult Index() => View();
}
[Area("Admin")]
public class UsersController : Controller
{
    [HttpPost] public IActionResult Lock(int id) => View();
}
`;
    assert.deepEqual(routes(code), [
      "POST /Cart/Checkout CartController.CheckoutAsync",
      "ANY /Cart/Index CartController.Index",
      "POST /Admin/Users/Lock UsersController.Lock",
    ]);
  });

  it("inherit [Route] and [Area] from a base class and replace [area]", () => {
    const code = `${USINGS}[Area("Billing")]
[Route("[area]/api/[controller]")]
public abstract class BillingControllerBase : ControllerBase { }
public class RefundsController : BillingControllerBase { [HttpPost] public IActionResult Issue() => Ok(); }
[Route("refunds-v2")]
public class RefundsV2Controller : BillingControllerBase { [HttpPost] public IActionResult Issue() => Ok(); }
`;
    assert.deepEqual(routes(code), [
      "POST /Billing/api/Refunds RefundsController.Issue",
      "POST /refunds-v2 RefundsV2Controller.Issue",
    ]);
  });

  it("give one endpoint per distinct path, merging methods on the same path", () => {
    const code = controller(
      '[Route("folders")]',
      `    [HttpPut("{id}")] [HttpPost("{id}")] public IActionResult Put(string id) => Ok();
    [HttpDelete("{id}")] [HttpPost("{id}/delete")] public IActionResult Delete(string id) => Ok();`,
      "FoldersController",
    );
    assert.deepEqual(routes(code), [
      "PUT,POST /folders/{id} FoldersController.Put",
      "DELETE /folders/{id} FoldersController.Delete",
      "POST /folders/{id}/delete FoldersController.Delete",
    ]);
  });

  it("resolve constants, concatenation, interpolation and nameof; keep unknown parts visible", () => {
    const code = `${USINGS}public static class ApiRoutes
{
    public const string Root = "api/v2";
    public const string Orders = Root + "/orders";
}
[Route(ApiRoutes.Orders)]
public class OrdersController : ControllerBase
{
    private const string Lines = "lines";
    [HttpPost($"{{id}}/{Lines}")] public IActionResult AddLine(int id) => Ok();
    [HttpPost(nameof(Cancel))] public IActionResult Cancel() => Ok();
    [HttpPost(@"exports\\csv")] public IActionResult Export() => Ok();
    [HttpPost(Settings.ImportPath)] public IActionResult Import() => Ok();
}
`;
    assert.deepEqual(routes(code), [
      "POST /api/v2/orders/{id}/lines OrdersController.AddLine",
      "POST /api/v2/orders/Cancel OrdersController.Cancel",
      "POST /api/v2/orders/exports\\csv OrdersController.Export",
      "POST /api/v2/orders/{Settings.ImportPath} OrdersController.Import",
    ]);
  });
});

describe("protections", () => {
  const action = (attributes: string, classAttributes = "", extra = "") =>
    `${USINGS}${extra}${classAttributes}\n[Route("api/items")]\npublic class ItemsController : ControllerBase\n{\n    [HttpPost]\n    ${attributes}\n    public IActionResult Create() => Ok();\n}\n`;
  const protectionsOf = (code: string, settings?: ApiPostureSettings) => endpoints(code, settings)[0].protections;

  it("record [Authorize] on the action, the controller and a same-file base class with where it came from", () => {
    const code = `${USINGS}[Authorize(Policy = "Staff")]
public abstract class StaffController : ControllerBase { }
[Authorize(Roles = "Admin,Support")]
[Route("api/tickets")]
public class TicketsController : StaffController
{
    [HttpPost]
    [Authorize(AuthenticationSchemes = "Bearer")]
    public IActionResult Open() => Ok();
}
`;
    assert.deepEqual(protectionsOf(code), [
      'route [Authorize(AuthenticationSchemes = "Bearer")]',
      'class [Authorize(Roles = "Admin,Support")]',
      'base-class [Authorize(Policy = "Staff")]',
    ]);
  });

  for (const attribute of [
    "[Authorize]",
    "[AuthorizeAttribute]",
    "[Microsoft.AspNetCore.Authorization.Authorize]",
    '[global::Microsoft.AspNetCore.Authorization.AuthorizeAttribute("Admin")]',
    "[CustomAuthorize]",
    '[AuthorizeRoles("Admin")]',
    "[ApiKeyAuth]",
    "[JwtAuthentication]",
    '[RequiresPermission("orders:write")]',
    "[HasPermission(Permissions.OrdersWrite)]",
    '[RequireRole("Admin")]',
    '[ClaimRequirement(ClaimTypes.Role, "Admin")]',
    '[RequiredScope("orders.write")]',
    '[RequiredScopeOrAppPermission(new[] { "orders.write" }, new[] { "Orders.Write.All" })]',
    '[Permission("orders:write")]',
    "[ApiKey]",
    "[TypeFilter(typeof(ApiKeyAuthFilter))]",
    "[ServiceFilter<PermissionAuthorizationFilter>]",
  ]) {
    it(`recognise ${attribute}`, () => {
      assert.deepEqual(protectionsOf(action(attribute)), [`route ${attribute}`]);
    });
  }

  for (const attribute of [
    "[ValidateAntiForgeryToken]",
    "[RequireHttps]",
    "[RequireFeature(FeatureFlags.BulkExport)]",
    '[AuthorizeForScopes(Scopes = new[] { "user.read" })]',
    "[SkipAuthorization]",
    "[NoAuth]",
    "[AuthOptional]",
    '[Produces("application/json")]',
    "[ServiceFilter(typeof(AuditFilter))]",
    "[TypeFilter(typeof(LogActionFilter))]",
    "[Required]",
  ]) {
    it(`do not take ${attribute} for authorization`, () => {
      assert.deepEqual(protectionsOf(action(attribute)), []);
    });
  }

  it("recognise authorization attributes and filters declared in the same file", () => {
    const declarations = `public class AdminOnlyAttribute : AuthorizeAttribute { public AdminOnlyAttribute() => Roles = "Admin"; }
public abstract class SignedRequestBase : Attribute, IAsyncAuthorizationFilter { public abstract Task OnAuthorizationAsync(AuthorizationFilterContext context); }
public sealed class StripeSignatureAttribute : SignedRequestBase { public override Task OnAuthorizationAsync(AuthorizationFilterContext context) => Task.CompletedTask; }
public class TenantFilter : IAuthorizationFilter { public void OnAuthorization(AuthorizationFilterContext context) { } }
public class TenantMemberAttribute : TypeFilterAttribute { public TenantMemberAttribute() : base(typeof(TenantFilter)) { } }
public class TimingAttribute : TypeFilterAttribute { public TimingAttribute() : base(typeof(TimingFilter)) { } }
`;
    assert.deepEqual(protectionsOf(action("[AdminOnly]", "", declarations)), ["route [AdminOnly]"]);
    assert.deepEqual(protectionsOf(action("[StripeSignature]", "", declarations)), ["route [StripeSignature]"]);
    assert.deepEqual(protectionsOf(action("[TypeFilter(typeof(TenantFilter))]", "", declarations)), [
      "route [TypeFilter(typeof(TenantFilter))]",
    ]);
    assert.deepEqual(protectionsOf(action("[TenantMember]", "", declarations)), ["route [TenantMember]"]);
    assert.deepEqual(protectionsOf(action("[Timing]", "", declarations)), []);
  });

  it("recognise names from settings, with and without the Attribute suffix", () => {
    const settings: ApiPostureSettings = { auth: ["Gatekeeper", "TenantGuardAttribute", "/^Scoped\\w+Access$/"] };
    assert.deepEqual(protectionsOf(action("[Gatekeeper]"), settings), ["route [Gatekeeper]"]);
    assert.deepEqual(protectionsOf(action("[GatekeeperAttribute]"), settings), ["route [GatekeeperAttribute]"]);
    assert.deepEqual(protectionsOf(action("[Security.TenantGuard]"), settings), ["route [Security.TenantGuard]"]);
    assert.deepEqual(protectionsOf(action("[ScopedOrderAccess]"), settings), ["route [ScopedOrderAccess]"]);
    assert.deepEqual(protectionsOf(action("[TypeFilter(typeof(Gatekeeper))]"), settings), [
      "route [TypeFilter(typeof(Gatekeeper))]",
    ]);
    assert.deepEqual(protectionsOf(action("[Gatekeeper]")), []);
  });

  it("count [Authorize] inside #if blocks", () => {
    const code = `${USINGS}#if !DEBUG\n[Authorize]\n#endif\n[Route("api/items")]\npublic class ItemsController : ControllerBase\n{\n    [HttpPost] public IActionResult Create() => Ok();\n}\n`;
    assert.deepEqual(protectionsOf(code), ["class [Authorize]"]);
  });

  const requirementOf = (code: string) => csharpModel(code).endpoints[0].protections.map((p) => p.requirement);
  for (const [attribute, requirement] of [
    ["[Authorize]", "authenticated"],
    ['[Authorize(AuthenticationSchemes = "Bearer")]', "authenticated"],
    ['[Authorize(Roles = "Admin,Support")]', "role"],
    ['[Authorize("Orders.Write")]', "policy"],
    ['[Authorize(Policy = "Orders.Write")]', "policy"],
    ['[Authorize(Policy = "Orders.Write", Roles = "Admin")]', "policy"],
    ['[AuthorizeRoles("Admin")]', "role"],
    ['[RequireRole("Admin")]', "role"],
    ['[HasPermission("orders:write")]', "policy"],
    ['[ClaimRequirement(ClaimTypes.Role, "Admin")]', "policy"],
    ['[RequiredScope("orders.write")]', "policy"],
    ["[TypeFilter(typeof(PermissionAuthorizationFilter))]", "policy"],
    ["[ApiKeyAuth]", "authenticated"],
    ["[CustomAuthorize]", "authenticated"],
  ] as const) {
    it(`say that ${attribute} requires ${requirement === "authenticated" ? "a signed-in caller" : `a ${requirement}`}`, () => {
      assert.deepEqual(requirementOf(action(attribute)), [requirement]);
    });
  }

  it("read the role or policy a same-file AuthorizeAttribute subclass sets itself", () => {
    const declarations = `public class AdminOnlyAttribute : AuthorizeAttribute { public AdminOnlyAttribute() => Roles = "Admin"; }
public sealed class OrdersWriterAttribute : AuthorizeAttribute { public OrdersWriterAttribute() : base("Orders.Write") { } }
public sealed class SignedInAttribute : AuthorizeAttribute { }
public class TenantFilter : IAuthorizationFilter { public TenantFilter(ITenantContext tenants) : base() { } public void OnAuthorization(AuthorizationFilterContext context) { } }
`;
    assert.deepEqual(requirementOf(action("[AdminOnly]", "", declarations)), ["role"]);
    assert.deepEqual(requirementOf(action("[OrdersWriter]", "", declarations)), ["policy"]);
    assert.deepEqual(requirementOf(action("[SignedIn]", "", declarations)), ["authenticated"]);
    assert.deepEqual(requirementOf(action("[TypeFilter(typeof(TenantFilter))]", "", declarations)), ["authenticated"]);
  });
});

describe("anonymous markers", () => {
  it("keep [AllowAnonymous] from the action, the controller and a base class next to the protections", () => {
    const code = `${USINGS}[AllowAnonymous]
public abstract class PublicApiController : ControllerBase { }
[Authorize]
[Route("api/newsletter")]
public class NewsletterController : PublicApiController
{
    [HttpPost("subscribe")]
    [AllowAnonymousAttribute]
    public IActionResult Subscribe(string email) => Ok();
}
`;
    const [endpoint] = endpoints(code);
    assert.deepEqual(endpoint?.protections, ["class [Authorize]"]);
    assert.deepEqual(endpoint?.anonymous, ["route [AllowAnonymousAttribute]", "base-class [AllowAnonymous]"]);
  });

  it("recognise configured public markers and same-file IAllowAnonymous attributes", () => {
    const code = `${USINGS}public sealed class PublicEndpointAttribute : Attribute, IAllowAnonymous { }
[Route("api/forms")]
public class FormsController : ControllerBase
{
    [HttpPost("contact")] [OpenEndpoint] public IActionResult Contact() => Ok();
    [HttpPost("feedback")] [PublicEndpoint] public IActionResult Feedback() => Ok();
}
`;
    assert.deepEqual(
      endpoints(code, { publicMarkers: ["OpenEndpoint"] }).map((e) => e.anonymous),
      [["route [OpenEndpoint]"], ["route [PublicEndpoint]"]],
    );
    assert.deepEqual(
      endpoints(code).map((e) => e.anonymous),
      [[], ["route [PublicEndpoint]"]],
    );
  });
});

describe("data operations", () => {
  const body = (statements: string, fields = "private readonly ShopDbContext _db;") =>
    `${USINGS}[Route("api/orders")]\npublic class OrdersController : ControllerBase\n{\n    ${fields}\n    [HttpGet("x")]\n    public async Task<IActionResult> Run(Order order, int id, CancellationToken ct)\n    {\n${statements}\n        return Ok();\n    }\n}\n`;
  const dataOf = (statements: string, fields?: string) => endpoints(body(statements, fields))[0].data;

  it("record EF Core writes on DbContext-shaped receivers", () => {
    assert.deepEqual(
      dataOf(`        _db.Orders.Add(order);
        await _db.Orders.AddRangeAsync(new[] { order }, ct);
        context.Update(order);
        _dbContext.Set<Order>().Remove(order);
        this._db.Orders.Attach(order);
        _db?.Orders.RemoveRange(order);
        await _db.SaveChangesAsync(ct);
        _db.SaveChanges();
        await _db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync(ct);
        _db.Orders.Where(o => o.Id == id).ExecuteUpdate(s => s.SetProperty(o => o.Total, 0));
        await _db.Database.ExecuteSqlRawAsync("delete from carts");
        var found = await _db.Orders.FindAsync(id);`),
      [
        "write _db.Orders.Add(…)",
        "write _db.Orders.AddRangeAsync(…)",
        "write context.Update(…)",
        "delete _dbContext.Set<Order>().Remove(…)",
        "write this._db.Orders.Attach(…)",
        "delete _db?.Orders.RemoveRange(…)",
        "write _db.SaveChangesAsync(…)",
        "write _db.SaveChanges()",
        "delete _db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync(…)",
        "write _db.Orders.Where(o => o.Id == id).ExecuteUpdate(…)",
        "write _db.Database.ExecuteSqlRawAsync(…)",
        "read _db.Orders.FindAsync(…)",
      ],
    );
  });

  it("judge a receiver by its declared type before its name", () => {
    const fields =
      "private readonly ShopStore _store; private readonly IHttpContextAccessor _context; private readonly CatalogDbContext _catalog;";
    assert.deepEqual(
      dataOf(
        '        _catalog.Products.Add(new Product());\n        _store.Orders.Add(order);\n        _context.HttpContext.Items.Add("k", 1);',
        fields,
      ),
      ["write _catalog.Products.Add(…)"],
    );
  });

  it("record repository, unit-of-work, Dapper and MongoDB writes", () => {
    const fields =
      "private readonly IOrderRepository _orders; private readonly IUnitOfWork _uow; private readonly IDbConnection _connection; private readonly IMongoCollection<Order> _orderDocuments;";
    assert.deepEqual(
      dataOf(
        `        await _orders.AddAsync(order);
        _orders.DeleteById(id);
        await _orderRepository.UpdateStatusAsync(id, "shipped");
        await _organizationPlanMigrationCohortAssignmentRepository.CreateAsync(order);
        _uow.Orders.Add(order);
        _uow.OrderRepository.Insert(order);
        await _uow.CommitAsync();
        await _connection.ExecuteAsync("delete from orders where id = @id", new { id });
        conn.Execute("update orders set total = 0");
        await _orderDocuments.InsertOneAsync(order);
        await _mongo.GetCollection<Order>("orders").DeleteManyAsync(o => o.Id == id);
        _auditCollection.UpdateOne(a => a.OrderId == id, update);
        var existing = await _orders.GetByIdAsync(id);
        await _connection.QueryAsync<Order>("select * from orders");
        await _orderService.DeleteManyAsync(new[] { id });
        await _notifier.InsertOneAsync(order);`,
        fields,
      ),
      [
        "write _orders.AddAsync(…)",
        "delete _orders.DeleteById(…)",
        "write _orderRepository.UpdateStatusAsync(…)",
        "write _organizationPlanMigrationCohortAssignmentRepository.CreateAsync(…)",
        "write _uow.Orders.Add(…)",
        "write _uow.OrderRepository.Insert(…)",
        "write _uow.CommitAsync()",
        "write _connection.ExecuteAsync(…)",
        "write conn.Execute(…)",
        "write _orderDocuments.InsertOneAsync(…)",
        'delete _mongo.GetCollection<Order>("orders").DeleteManyAsync(…)',
        "write _auditCollection.UpdateOne(…)",
      ],
    );
  });

  it("ignore collections, caches, builders, HTTP context and text that only looks like a call", () => {
    assert.deepEqual(
      dataOf(`        var list = new List<Order>();
        list.Add(order);
        var byId = new Dictionary<int, Order>();
        byId.Remove(id);
        order.Lines.Add(new OrderLine());
        _cache.Remove("orders");
        memoryCache.Remove(id);
        sb.Append("x");
        HttpContext.Items.Add("order", order);
        Response.Headers.Add("X-Order", id.ToString());
        ModelState.AddModelError("id", "bad");
        // _db.SaveChanges();
        var hint = "call _db.Orders.Add(order) later";
        /* _db.Orders.Remove(order); */`),
      [],
    );
  });

  it("follow calls of the controller's own helpers", () => {
    const code = `${USINGS}[Route("api/orders")]
public class OrdersController : ControllerBase
{
    private readonly ShopDbContext _db;
    [HttpGet("{id}/touch")] public IActionResult Touch(int id) { Persist(id); return Ok(); }
    [HttpGet("{id}/again")] public IActionResult Again(int id) { this.Touch(id); return Ok(); }
    [HttpGet("{id}")] public IActionResult Get(int id) => Ok(Load(id));
    private void Persist(int id) { Mark(id); _db.SaveChanges(); }
    private void Mark(int id) { Persist(id); }
    private Order Load(int id) => _db.Orders.Find(id);
}
`;
    assert.deepEqual(
      endpoints(code).map((e) => `${e.handler}: ${e.data.join(" | ")}`),
      [
        "OrdersController.Touch: write _db.SaveChanges()",
        "OrdersController.Again: write _db.SaveChanges()",
        "OrdersController.Get: read _db.Orders.Find(…)",
      ],
    );
  });

  it("record the location of the call", () => {
    const model = csharpModel(body("        _db.Orders.Add(order);"));
    assert.deepEqual(model.endpoints[0].dataOperations[0].loc, {
      start: { line: 11, column: 8 },
      end: { line: 11, column: 29 },
    });
  });
});

describe("recovery from syntax errors", () => {
  it("finds the actions after an #if that splits a statement", () => {
    const code = `${USINGS}namespace Shop.Api.Controllers
{
    [Route("api/orders")]
    public class OrdersController : ControllerBase
    {
        [HttpPost]
        public IActionResult Create(Order order)
        {
#if DEBUG
            if (order == null) {
#else
            if (order is null) {
#endif
                return BadRequest();
            }
            return Ok();
        }

        [HttpDelete("{id}")]
        public IActionResult Delete(int id)
        {
            _db.Orders.Remove(_db.Orders.Find(id));
            return NoContent();
        }

        [HttpPut("{id}")]
        public IActionResult Put(int id) => NoContent();
    }
}
`;
    assert.deepEqual(endpoints(code), [
      {
        route: "POST /api/orders",
        handler: "OrdersController.Create",
        line: 10,
        protections: [],
        anonymous: [],
        data: [],
      },
      {
        route: "DELETE /api/orders/{id}",
        handler: "OrdersController.Delete",
        line: 23,
        protections: [],
        anonymous: [],
        data: ["delete _db.Orders.Remove(…)", "read _db.Orders.Find(…)"],
      },
      {
        route: "PUT /api/orders/{id}",
        handler: "OrdersController.Put",
        line: 30,
        protections: [],
        anonymous: [],
        data: [],
      },
    ]);
  });

  it("keeps the methods after a broken one", () => {
    const code = `${USINGS}[Authorize]\n[Route("api/orders")]\npublic class OrdersController : ControllerBase\n{\n    [HttpPost("broken")]\n    public IActionResult Broken(Order o)\n    {\n        var x = ;; foo(((;\n        return Ok();\n    }\n\n    [HttpDelete("{id}")]\n    public IActionResult Delete(int id) => NoContent();\n}\n`;
    assert.deepEqual(routes(code), [
      "POST /api/orders/broken OrdersController.Broken",
      "DELETE /api/orders/{id} OrdersController.Delete",
    ]);
  });

  it("analyses the rest of the file when an error makes tree-sitter give up on a whole class", () => {
    const code = `${USINGS}namespace Shop
{
    [ApiController, Route("api/orders")]
    [Authorize]
    public class OrdersController : ControllerBase
    {
        private readonly ShopDbContext _db;

        [HttpPost("broken")]
        public void Broken( { if (x == ) }

        [HttpPost]
        public IActionResult Create(OrderDto dto)
        {
            _db.Orders.Add(dto.ToOrder());
            return Ok();
        }
    }

    public class ReportsController : Controller
    {
        [HttpPost] public IActionResult Run() => View();
    }
}
`;
    assert.deepEqual(endpoints(code), [
      {
        route: "POST /api/orders",
        handler: "OrdersController.Create",
        line: 16,
        protections: ["class [Authorize]"],
        anonymous: [],
        data: ["write _db.Orders.Add(…)"],
      },
      {
        route: "POST /Reports/Run",
        handler: "ReportsController.Run",
        line: 25,
        protections: [],
        anonymous: [],
        data: [],
      },
    ]);
  });

  it("takes back the members a broken method swallowed", () => {
    const code = `${USINGS}namespace Shop
{
    [Route("api/orders")]
    public class OrdersController : ControllerBase
    {
        [HttpPost("broken")]
        public void Broken( { if (x == ) }

        [HttpPost]
        public IActionResult Create(OrderDto dto)
        {
            _db.Orders.Add(dto.ToOrder());
            return Ok();
        }
    }
}
`;
    assert.deepEqual(
      endpoints(code).map((e) => `${e.route} ${e.handler} ${e.line} ${e.data.join(" | ")}`),
      ["POST /api/orders OrdersController.Create 13 write _db.Orders.Add(…)"],
    );
  });

  it("ends a member whose braces never close where the next member starts", () => {
    const code = `${USINGS}[Route("api/orders")]
public class OrdersController : ControllerBase
{
    [HttpPost]
    public IActionResult Create(Order o)
    {
        if (o == null) {
            return BadRequest();

        return Ok();
    }

    [HttpDelete("{id}")]
    public IActionResult Delete(int id) => NoContent();
}
`;
    assert.deepEqual(routes(code), ["DELETE /api/orders/{id} OrdersController.Delete"]);
  });

  it("keeps the members after a stray closing brace with their class", () => {
    const code = `${USINGS}namespace Shop;
[Route("api/orders")]
public class OrdersController : ControllerBase
{
    [HttpGet] public IActionResult List() { return Ok(); } }

    [HttpPost("{id}/cancel")]
    public IActionResult Cancel(int id) { _db.Orders.Remove(_db.Orders.Find(id)); return NoContent(); }

    [HttpPost("{id}/archive")]
    public IActionResult Archive(int id) => NoContent();
}
`;
    assert.deepEqual(
      endpoints(code).map((e) => `${e.route} ${e.handler} ${e.line} ${e.data.join(" | ")}`),
      [
        "GET /api/orders OrdersController.List 8 ",
        "POST /api/orders/{id}/cancel OrdersController.Cancel 11 delete _db.Orders.Remove(…) | read _db.Orders.Find(…)",
        "POST /api/orders/{id}/archive OrdersController.Archive 14 ",
      ],
    );
  });

  it("survives deep nesting and large files", () => {
    const deep = `${USINGS}public class DeepController : Controller\n{\n    public int Index() => ${"(".repeat(5000)}1${")".repeat(5000)};\n}\n`;
    assert.deepEqual(routes(deep), ["ANY /Deep/Index DeepController.Index"]);
    const nestedNamespaces = `${"namespace N { ".repeat(2000)}public class NestedController : Controller { public IActionResult Index() => View(); }${" }".repeat(2000)}\n`;
    assert.deepEqual(routes(nestedNamespaces), ["ANY /Nested/Index NestedController.Index"]);
  });
});

describe("AP101 messages on C# endpoints", () => {
  for (const version of ESLINT_VERSIONS) {
    it(`carry method, path and handler (${version.label})`, async () => {
      const eslint = recommendedEslint(version);
      const code = `${USINGS}namespace Shop.Api.Controllers;

[ApiController]
[Route("api/orders")]
public class OrdersController(ShopDbContext db) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> Create(Order order)
    {
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        return Ok();
    }

    [HttpGet("{id}/archive")]
    public IActionResult Archive(int id)
    {
        db.Orders.Remove(db.Orders.Find(id));
        return NoContent();
    }

    [HttpGet("{id}")]
    public IActionResult Get(int id) => Ok(db.Orders.Find(id));
}
`;
      const [result] = await eslint.lintText(code, { filePath: "Controllers/OrdersController.cs" });
      const fix = "Fix: add [Authorize] (with a role or policy where it fits) to the action or its controller.";
      assert.deepEqual(
        result.messages.map((m) => `${m.line}:${m.column} ${m.message}`),
        [
          `11:38 AP101 POST /api/orders (OrdersController.Create) changes state but nothing requires authorization: no [Authorize] on the action or controller. SOC 2 CC6.1, CC6.3. ${fix}`,
          `19:26 AP101 GET /api/orders/{id}/archive (OrdersController.Archive) writes through the data layer (db.Orders.Remove(…)) but nothing requires authorization: no [Authorize] on the action or controller. SOC 2 CC6.1, CC6.3. ${fix}`,
        ],
      );
    });
  }
});
