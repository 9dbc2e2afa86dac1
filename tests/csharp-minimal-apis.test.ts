/**
 * The C# adapter's file model for ASP.NET Core Minimal APIs: endpoints, route groups,
 * conventions, handler attributes, route functions and their callers, asserted exactly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Endpoint, RouteGroupCall } from "../lib/core/model.js";
import { csharpModel } from "./helpers/model.js";
import { recommendedEslint } from "./helpers/lint.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

interface Shape {
  route: string;
  handler: string | undefined;
  line: number;
  protections: string[];
  anonymous: string[];
}

/** An endpoint as `METHODS /path`, its handler, report line and requirements as `source name (requirement)`. */
function shape(endpoint: Endpoint): Shape {
  return {
    route: `${endpoint.methods.join(",")} ${endpoint.path}`,
    handler: endpoint.handler,
    line: endpoint.loc.start.line,
    protections: endpoint.protections.map((p) => `${p.source} ${p.name} (${p.requirement ?? "authenticated"})`),
    anonymous: endpoint.anonymous.map((a) => `${a.source} ${a.name}`),
  };
}

const PROGRAM = "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\n\n";

function endpoints(code: string, filename = "Program.cs"): Shape[] {
  return csharpModel(code, {}, filename)
    .endpoints.filter((e) => e.framework === "minimal-apis")
    .map(shape);
}

/** `METHODS /path` and the protections as `source name`, one string per endpoint. */
function summary(code: string): string[] {
  return endpoints(code).map(
    (e) =>
      `${e.route}${e.protections.map((p) => ` | ${p.replace(/ \((?:authenticated|role|policy)\)$/, "")}`).join("")}${e.anonymous.map((a) => ` | anonymous ${a}`).join("")}`,
  );
}

function groupCalls(code: string): Array<
  Omit<RouteGroupCall, "loc" | "prefix" | "protections" | "resultProtections" | "anonymous" | "resultAnonymous"> & {
    prefix: string;
    protections: string[];
    resultProtections: string[];
  }
> {
  return (csharpModel(code, {}, "Program.cs").routeGroupCalls ?? []).map((c) => ({
    name: c.name,
    position: c.position,
    prefix: `/${c.prefix.segments.join("/")}`,
    protections: c.protections.map((p) => p.name),
    resultProtections: c.resultProtections.map((p) => p.name),
    ...(c.registeredOn ? { registeredOn: c.registeredOn } : {}),
  }));
}

describe("Minimal API endpoints", () => {
  it("come from MapGet/MapPost/MapPut/MapDelete/MapPatch/MapMethods on the app", () => {
    const code = `${PROGRAM}app.MapGet("/todos", async (TodoDb db) => await db.Todos.ToListAsync());
app.MapPost("/todos", async (Todo todo, TodoDb db) => Results.Created($"/todos/{todo.Id}", todo));
app.MapPut("/todos/{id:int}", (int id, Todo input) => Results.NoContent());
app.MapDelete("/todos/{id:int}", (int id) => Results.NoContent());
app.MapPatch("todos/{id:int}/done", (int id) => Results.NoContent());
app.MapMethods("/todos/import", new[] { "POST", HttpMethods.Put }, (HttpContext context) => Results.Accepted());
app.MapMethods("/todos/probe", [HttpMethods.Head, "OPTIONS"], () => Results.Ok());
app.MapMethods("/todos/any", verbs, () => Results.Ok());
app.Run();
`;
    assert.deepEqual(
      endpoints(code).map((e) => `${e.route} @${e.line}`),
      [
        "GET /todos @4",
        "POST /todos @5",
        "PUT /todos/{id:int} @6",
        "DELETE /todos/{id:int} @7",
        "PATCH /todos/{id:int}/done @8",
        "POST,PUT /todos/import @9",
        "HEAD,OPTIONS /todos/probe @10",
        "ANY /todos/any @11",
      ],
    );
  });

  it("report at the Map method's name and name method-group handlers", () => {
    const code = `${PROGRAM}app.MapPost("/orders", OrderHandlers.CreateAsync);
app
    .MapDelete("/orders/{id}", DeleteOrder);

static IResult DeleteOrder(int id) => Results.NoContent();

public static class OrderHandlers
{
    public static Task<IResult> CreateAsync(CreateOrder command) => Task.FromResult(Results.Ok());
}
`;
    const model = csharpModel(code, {}, "Program.cs");
    assert.deepEqual(
      model.endpoints.map((e) => [e.handler, e.loc]),
      [
        ["OrderHandlers.CreateAsync", { start: { line: 4, column: 4 }, end: { line: 4, column: 11 } }],
        ["DeleteOrder", { start: { line: 6, column: 5 }, end: { line: 6, column: 14 } }],
      ],
    );
    assert.deepEqual(model.endpoints[0].route, { segments: ["orders"] });
  });

  it("leave out calls that are not routes: comments, strings, MapGroup alone, other Map methods", () => {
    const code = `${PROGRAM}// app.MapPost("/commented", () => 1);
var text = "app.MapDelete(\\"/in-a-string\\", () => 1)";
app.MapGroup("/empty");
app.MapHub<ChatHub>("/chat");
app.MapHealthChecks("/health");
app.MapFallbackToFile("index.html");
`;
    assert.deepEqual(endpoints(code), []);
  });

  it("record what lambda and method handlers write", () => {
    const code = `${PROGRAM}app.MapGet("/orders/{id}/cancel", async (int id, ShopDb db) =>
{
    var order = await db.Orders.FindAsync(id);
    db.Orders.Remove(order!);
    await db.SaveChangesAsync();
});
app.MapGet("/orders/{id}", (int id, OrderCache cache) => cache.Remove(id));
app.MapGet("/reports/rebuild", ReportHandlers.Rebuild);

public static class ReportHandlers
{
    public static IResult Rebuild(IReportRepository reports) { reports.DeleteAll(); return Results.Ok(); }
}
`;
    const model = csharpModel(code, {}, "Program.cs");
    assert.deepEqual(
      model.endpoints.map((e) => `${e.path}: ${e.dataOperations.map((d) => `${d.kind} ${d.call}`).join(" | ")}`),
      [
        "/orders/{id}/cancel: read db.Orders.FindAsync(…) | delete db.Orders.Remove(…) | write db.SaveChangesAsync()",
        "/orders/{id}: ",
        "/reports/rebuild: delete reports.DeleteAll()",
      ],
    );
  });
});

describe("Minimal API protections on the endpoint", () => {
  it("read RequireAuthorization, AllowAnonymous, WithMetadata and endpoint filters", () => {
    const code = `${PROGRAM}app.MapPost("/a", () => 1).RequireAuthorization();
app.MapPost("/b", () => 1).WithName("B").RequireAuthorization("Orders.Write", "Staff");
app.MapPost("/c", () => 1).RequireAuthorization(policy => policy.RequireRole("Admin"));
app.MapPost("/d", () => 1).RequireAuthorization(p => p.RequireClaim("scope", "orders"));
app.MapPost("/e", () => 1).RequireAuthorization(new AuthorizeAttribute { Roles = "Admin" });
app.MapPost("/f", () => 1).RequireAuthorization(Policies.Admin);
app.MapPost("/g", () => 1).WithMetadata(new AuthorizeAttribute("Billing"));
app.MapPost("/h", () => 1).AddEndpointFilter<ApiKeyEndpointFilter>();
app.MapPost("/i", () => 1).RequirePermission(Permissions.OrdersWrite);
app.MapPost("/j", () => 1).AllowAnonymous();
app.MapPost("/k", () => 1).WithMetadata(new AllowAnonymousAttribute());
app.MapPost("/l", () => 1).RequireCors("frontend").RequireRateLimiting("fixed").AddEndpointFilter<ValidationFilter<Todo>>();
`;
    assert.deepEqual(summary(code), [
      "POST /a | route .RequireAuthorization()",
      'POST /b | route .RequireAuthorization("Orders.Write", "Staff")',
      'POST /c | route .RequireAuthorization(policy => policy.RequireRole("Admin"))',
      'POST /d | route .RequireAuthorization(p => p.RequireClaim("scope", "orders"))',
      'POST /e | route .RequireAuthorization(new AuthorizeAttribute { Roles = "Admin" })',
      "POST /f | route .RequireAuthorization(Policies.Admin)",
      'POST /g | route .WithMetadata(new AuthorizeAttribute("Billing"))',
      "POST /h | route .AddEndpointFilter<ApiKeyEndpointFilter>()",
      "POST /i | route .RequirePermission(Permissions.OrdersWrite)",
      "POST /j | anonymous route .AllowAnonymous()",
      "POST /k | anonymous route .WithMetadata(new AllowAnonymousAttribute())",
      "POST /l",
    ]);
    assert.deepEqual(
      endpoints(code).flatMap((e) => e.protections.map((p) => /\((\w+)\)$/.exec(p)![1])),
      ["authenticated", "policy", "role", "policy", "role", "policy", "policy", "authenticated", "policy"],
    );
  });

  it("read [Authorize] and [AllowAnonymous] on lambdas, methods and local functions", () => {
    const code = `${PROGRAM}app.MapPost("/a", [Authorize(Policy = "Orders")] async (Order o) => Results.Ok());
app.MapPost("/b", [AllowAnonymous] () => Results.Ok());
app.MapPost("/c", Handlers.Create);
app.MapPost("/d", Ship);

[Authorize(Roles = "Warehouse")]
static IResult Ship(int id) => Results.Ok();

public static class Handlers
{
    [Authorize]
    public static IResult Create(Order o) => Results.Ok();
}
`;
    assert.deepEqual(summary(code), [
      'POST /a | route [Authorize(Policy = "Orders")]',
      "POST /b | anonymous route [AllowAnonymous]",
      "POST /c | route [Authorize]",
      'POST /d | route [Authorize(Roles = "Warehouse")]',
    ]);
  });

  it("keep conventions written on a local that holds the endpoint", () => {
    const code = `${PROGRAM}var create = app.MapPost("/orders", () => 1);
create.RequireAuthorization();
`;
    assert.deepEqual(summary(code), ["POST /orders | route .RequireAuthorization()"]);
  });
});

describe("route groups", () => {
  it("prefix their endpoints and pass their conventions on, nested and held in locals", () => {
    const code = `${PROGRAM}var api = app.MapGroup("/api").RequireAuthorization();
var admin = api.MapGroup("admin").RequireAuthorization(p => p.RequireRole("Admin"));
admin.MapPost("/reset", () => 1);
api.MapPost("/orders/", () => 1);
api.MapPost("/status", () => 1).AllowAnonymous();
app.MapGroup("/v2").MapGroup("/carts").MapPost("", () => 1);
RouteGroupBuilder tags = app.MapGroup("tags");
tags.MapPost("/", () => 1);
tags.WithTags("Tags").RequireAuthorization("Tags.Write");
`;
    assert.deepEqual(summary(code), [
      'POST /api/admin/reset | router .RequireAuthorization(p => p.RequireRole("Admin")) | router .RequireAuthorization()',
      "POST /api/orders | router .RequireAuthorization()",
      "POST /api/status | router .RequireAuthorization() | anonymous route .AllowAnonymous()",
      "POST /v2/carts",
      'POST /tags | router .RequireAuthorization("Tags.Write")',
    ]);
  });

  it("tell locals of the same name in different scopes apart", () => {
    const code = `${PROGRAM}var group = app.MapGroup("/public");
group.MapPost("/a", () => 1);

static void MapAdmin(WebApplication app)
{
    var group = app.MapGroup("/admin").RequireAuthorization();
    group.MapPost("/b", () => 1);
}
`;
    assert.deepEqual(summary(code), ["POST /public/a", "POST /admin/b | router .RequireAuthorization()"]);
  });

  it("take a group's conventions from later statements, also on a local named like a contextual keyword", () => {
    const code = `${PROGRAM}var group = app.MapGroup("/todos");
group.RequireAuthorization();
group.MapPost("/", () => 1);
var from = app.MapGroup("/feeds");
from.MapPost("/", () => 1);
from.RequireAuthorization("Reader");
var select = app.MapGroup("/open");
select.MapPost("/", () => 1);

internal static class TodoApi
{
    public static RouteGroupBuilder MapTodos(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/items");
        group.WithTags("Items");
        group.RequireAuthorization(pb => pb.RequireAuthenticatedUser());
        group.MapDelete("/{id}", (int id) => Results.NoContent());
        return group;
    }
}
`;
    assert.deepEqual(summary(code), [
      "POST /todos | router .RequireAuthorization()",
      'POST /feeds | router .RequireAuthorization("Reader")',
      "POST /open",
      "DELETE /items/{id} | router .RequireAuthorization(pb => pb.RequireAuthenticatedUser())",
    ]);
  });

  it("read groups in UseEndpoints and in classes", () => {
    const code = `public class Startup
{
    public void Configure(IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            var orders = endpoints.MapGroup("/orders").RequireAuthorization();
            orders.MapPost("/", () => Results.Ok());
            endpoints.MapDelete("/cache", () => Results.Ok());
        });
    }
}
`;
    assert.deepEqual(summary(code), ["POST /orders | router .RequireAuthorization()", "DELETE /cache"]);
  });
});

describe("route functions", () => {
  it("give their endpoints the group of every caller in the file", () => {
    const code = `${PROGRAM}app.MapGroup("/orders").RequireAuthorization("Orders").MapOrders();
app.MapGroup("/admin/orders").MapOrders();
OrderEndpoints.MapOrders(app.MapGroup("/legacy").RequireAuthorization());
var carts = app.MapGroup("/carts");
MapCarts(carts);
carts.RequireAuthorization();

static void MapCarts(RouteGroupBuilder group) => group.MapPost("/", () => 1);

public static class OrderEndpoints
{
    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder group)
    {
        group.MapPost("/", () => Results.Ok());
        group.MapDelete("/{id}", (int id) => Results.NoContent()).AllowAnonymous();
        return group;
    }
}
`;
    assert.deepEqual(summary(code), [
      "POST /carts | router .RequireAuthorization()",
      'POST /orders | router .RequireAuthorization("Orders")',
      "POST /admin/orders",
      "POST /legacy | router .RequireAuthorization()",
      'DELETE /orders/{id} | router .RequireAuthorization("Orders") | anonymous route .AllowAnonymous()',
      "DELETE /admin/orders/{id} | anonymous route .AllowAnonymous()",
      "DELETE /legacy/{id} | router .RequireAuthorization() | anonymous route .AllowAnonymous()",
    ]);
  });

  it("apply what a caller chains on the builder the function returns", () => {
    const code = `${PROGRAM}app.MapTodos().RequireAuthorization();
app.MapGroup("/api").MapAccounts().RequireAuthorization("Accounts");

public static class Endpoints
{
    public static RouteGroupBuilder MapTodos(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/todos");
        group.MapPost("/", () => 1);
        routes.MapPost("/outside", () => 1);
        return group;
    }

    public static RouteHandlerBuilder MapAccounts(this RouteGroupBuilder group) => group.MapPost("/accounts", () => 1);
}
`;
    assert.deepEqual(summary(code), [
      "POST /todos | router .RequireAuthorization()",
      "POST /outside",
      'POST /api/accounts | router .RequireAuthorization("Accounts")',
    ]);
  });

  it("record the parameter when no caller is in the file, and apply the function's own conventions", () => {
    const code = `public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/orders").HasApiVersion(1.0);
        api.MapPut("/cancel", CancelOrderAsync);
        return api;
    }

    public static void MapAdmin(IEndpointRouteBuilder routes, RouteGroupBuilder admin)
    {
        admin.RequireAuthorization("Admin");
        admin.MapDelete("/{id}", (int id) => Results.NoContent());
    }

    public static Task<IResult> CancelOrderAsync(CancelOrderCommand command) => Task.FromResult(Results.Ok());
}
`;
    const model = csharpModel(code, {}, "Apis/OrdersApi.cs");
    assert.deepEqual(
      model.endpoints.map((e) => ({
        path: e.path,
        protections: e.protections.map((p) => p.name),
        registeredOn: e.registeredOn,
      })),
      [
        {
          path: "/api/orders/cancel",
          protections: [],
          registeredOn: {
            function: "OrdersApi.MapOrdersApiV1",
            name: "MapOrdersApiV1",
            parameter: "app",
            position: 0,
            returned: true,
          },
        },
        {
          path: "/{id}",
          protections: ['.RequireAuthorization("Admin")'],
          registeredOn: {
            function: "OrdersApi.MapAdmin",
            name: "MapAdmin",
            parameter: "admin",
            position: 1,
            returned: false,
          },
        },
      ],
    );
  });
});

describe("convention functions", () => {
  it("put the authorization they add to a builder on the builder each caller in the file passes", () => {
    const code = `${PROGRAM}var staff = app.MapGroup("/staff").RequireStaff();
staff.MapPost("/rota", () => 1);
app.MapPost("/open", () => 1).RequireStaff();
var plain = app.MapGroup("/plain").WithDocs();
plain.MapPost("/x", () => 1);
AllowPartners(app.MapGroup("/partners")).MapPost("/orders", () => 1);

public static class AuthConventions
{
    public static RouteGroupBuilder RequireStaff(this RouteGroupBuilder group) => group.RequireAuthorization("Staff");
    public static RouteHandlerBuilder RequireStaff(this RouteHandlerBuilder endpoint) => endpoint.RequireAuthorization("Staff");
    public static RouteGroupBuilder WithDocs(this RouteGroupBuilder group) => group.WithTags("Docs").WithOpenApi();
    public static RouteGroupBuilder AllowPartners(RouteGroupBuilder group)
    {
        group.AllowAnonymous();
        return group;
    }
}
`;
    assert.deepEqual(summary(code), [
      "POST /staff/rota | router .RequireStaff()",
      "POST /open | route .RequireStaff()",
      "POST /plain/x",
      'POST /partners/orders | anonymous router AllowPartners(app.MapGroup("/partners"))',
    ]);
  });
});

describe("route group calls", () => {
  it("record builders handed to functions the file does not declare, with what the caller chains on the result", () => {
    const code = `${PROGRAM}app.MapGroup("/orders").RequireAuthorization("Orders").WithTags("Orders").MapOrders();
OrderRoutes.Map(app.MapGroup("/legacy"), settings);
var api = app.MapGroup("/api").RequireAuthorization();
api.MapCatalog();
CartEndpoints.Register(api);
app.NewVersionedApi("Orders").MapOrdersApiV1().RequireAuthorization();
app.MapControllers().RequireAuthorization();
app.UseAuthorization();
app.MapHealthChecks("/health").AllowAnonymous();
`;
    assert.deepEqual(groupCalls(code), [
      {
        name: "MapOrders",
        position: 0,
        prefix: "/orders",
        protections: ['.RequireAuthorization("Orders")'],
        resultProtections: [],
      },
      { name: "Map", position: 0, prefix: "/legacy", protections: [], resultProtections: [] },
      {
        name: "MapCatalog",
        position: 0,
        prefix: "/api",
        protections: [".RequireAuthorization()"],
        resultProtections: [],
      },
      {
        name: "Register",
        position: 0,
        prefix: "/api",
        protections: [".RequireAuthorization()"],
        resultProtections: [],
      },
      {
        name: "MapOrdersApiV1",
        position: 0,
        prefix: "/",
        protections: [],
        resultProtections: [".RequireAuthorization()"],
      },
    ]);
  });

  it("carry the parameter the builder came from inside a route function", () => {
    const code = `public static class Api
{
    public static void MapApi(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1").RequireAuthorization();
        v1.MapOrders();
    }
}
`;
    assert.deepEqual(groupCalls(code), [
      {
        name: "MapOrders",
        position: 0,
        prefix: "/v1",
        protections: [".RequireAuthorization()"],
        resultProtections: [],
        registeredOn: { function: "Api.MapApi", name: "MapApi", parameter: "routes", position: 0, returned: false },
      },
    ]);
  });
});

describe("many routes", () => {
  it("stay linear: thousands of groups, endpoints and route functions in one file", { timeout: 60_000 }, () => {
    const lines = [PROGRAM.trimEnd(), 'var api = app.MapGroup("/api").RequireAuthorization();'];
    const count = 3000;
    for (let i = 0; i < count; i++) {
      lines.push(`var group${i} = api.MapGroup("/g${i}");`);
      lines.push(
        `group${i}.MapPost("/items", async (Item item, ShopDb db) => { db.Items.Add(item); await db.SaveChangesAsync(); });`,
      );
      lines.push(`app.MapDelete("/open${i}", (int id) => Results.NoContent());`);
      lines.push(`group${i}.MapFeature${i % 50}();`);
    }
    lines.push("public static class Features {");
    for (let f = 0; f < 50; f++) {
      lines.push(
        `    public static void MapFeature${f}(this RouteGroupBuilder group) { var group2 = group.MapGroup("/f"); group2.MapPut("/", () => 1); }`,
      );
    }
    lines.push("}");
    const model = csharpModel(`${lines.join("\n")}\n`, {}, "Program.cs");
    assert.equal(model.endpoints.length, count * 3);
    const byPath = new Map(model.endpoints.map((e) => [e.path, e]));
    assert.deepEqual(
      byPath.get("/api/g1234/items")?.protections.map((p) => p.name),
      [".RequireAuthorization()"],
    );
    assert.deepEqual(byPath.get("/open1234")?.protections, []);
    assert.deepEqual(
      byPath.get("/api/g1234/f")?.protections.map((p) => p.name),
      [".RequireAuthorization()"],
    );
  });
});

describe("AP101 messages on Minimal API endpoints", () => {
  for (const version of ESLINT_VERSIONS) {
    it(`name the route, the handler and the Minimal API fix (${version.label})`, async () => {
      const eslint = recommendedEslint(version);
      const code = `${PROGRAM}app.MapPost("/orders", OrderHandlers.Create);
app.MapDelete("/orders/{id}", (int id) => Results.NoContent()).RequireAuthorization();
app.MapGet("/orders/{id}/cancel", async (int id, ShopDb db) => await db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync());

public static class OrderHandlers
{
    public static IResult Create(Order order) => Results.Ok();
}
`;
      const [result] = await eslint.lintText(code, { filePath: "Program.cs" });
      const fix =
        "Fix: call .RequireAuthorization() (with a policy where it fits) on the endpoint or its MapGroup(), or put [Authorize] on the handler.";
      const missing =
        "no RequireAuthorization() or [Authorize] on the endpoint or its route group, and no FallbackPolicy";
      assert.deepEqual(
        result.messages.map((m) => `${m.line}:${m.column} ${m.message}`),
        [
          `4:5 AP101 POST /orders (OrderHandlers.Create) changes state but nothing requires authorization: ${missing}. SOC 2 CC6.1, CC6.3. ${fix}`,
          `6:5 AP101 GET /orders/{id}/cancel writes through the data layer (db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync()) but nothing requires authorization: ${missing}. SOC 2 CC6.1, CC6.3. ${fix}`,
        ],
      );
    });
  }
});

describe("Minimal API names past any identifier's length", () => {
  it("a builder parameter with a huge name does not stop the analysis", () => {
    const huge = `app${"a".repeat(200_000)}`;
    const code = [
      "public static class OrdersApi",
      "{",
      `    public static void MapOrdersApi(this IEndpointRouteBuilder ${huge})`,
      "    {",
      `        ${huge}.MapGet("/orders", () => Results.Ok());`,
      "    }",
      "}",
    ].join("\n");
    const model = csharpModel(code, {}, "OrdersApi.cs");
    assert.ok(Array.isArray(model.endpoints));
  });
});
