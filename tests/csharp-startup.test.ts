/**
 * App-wide authorization in C# startup code: FallbackPolicy, global MVC filters,
 * conventions on MapControllers()/MapRazorPages(). Each is recorded in the file model's
 * `startup` for the rest of the project and applied to the file's own endpoints.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StartupRegistration } from "../lib/core/model.js";
import { csharpModel } from "./helpers/model.js";

const PROGRAM = "var builder = WebApplication.CreateBuilder(args);\n";

/** `effect scope name (requirement)` per registration. */
function registrations(code: string): string[] {
  return (csharpModel(code, {}, "Program.cs").startup?.registrations ?? []).map(describeRegistration);
}

function describeRegistration(r: StartupRegistration): string {
  const scope =
    r.scope.kind === "fallback"
      ? "fallback"
      : r.scope.kind === "frameworks"
        ? r.scope.frameworks.join("+")
        : `${r.scope.framework} ${r.scope.folder ? "folder" : "page"} /${r.scope.route.segments.join("/")}`;
  return `${r.effect} ${scope} ${r.name}${r.effect === "protect" ? ` (${r.requirement})` : ""}`;
}

/** `METHODS /path` and the protections and markers as `source name`, per endpoint. */
function summary(code: string): string[] {
  return csharpModel(code, {}, "Program.cs").endpoints.map(
    (e) =>
      `${e.methods.join(",")} ${e.path}${e.protections.map((p) => ` | ${p.source} ${p.name}`).join("")}${e.anonymous.map((a) => ` | anonymous ${a.source} ${a.name}`).join("")}`,
  );
}

describe("fallback policy", () => {
  it("is read from AddAuthorization, Configure<AuthorizationOptions> and AddAuthorizationBuilder", () => {
    const code = `${PROGRAM}builder.Services.AddAuthorization(options =>
{
    options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
});
builder.Services.AddAuthorization(o => o.FallbackPolicy = o.DefaultPolicy);
builder.Services.Configure<AuthorizationOptions>(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole("Staff").Build());
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("orders", p => p.RequireClaim("scope", "orders"))
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim("tenant").Build());
`;
    assert.deepEqual(registrations(code), [
      "protect fallback options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build() (authenticated)",
      "protect fallback o.FallbackPolicy = o.DefaultPolicy (authenticated)",
      'protect fallback o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole("Staff").Build() (role)',
      // Long names are shortened for messages.
      'protect fallback SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim("tenant"… (policy)',
    ]);
  });

  it("is not a default policy, a null policy, or a read of the setting", () => {
    const code = `${PROGRAM}builder.Services.AddAuthorization(options =>
{
    options.DefaultPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    options.FallbackPolicy = null;
});
builder.Services.AddAuthorizationBuilder().SetDefaultPolicy(policy).SetFallbackPolicy(null);
var fallback = options.FallbackPolicy;
// options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
`;
    assert.deepEqual(registrations(code), []);
  });

  it("covers the endpoints of the file with no protection and no anonymous marker of their own", () => {
    const code = `${PROGRAM}builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
var app = builder.Build();
app.MapPost("/notes", () => 1);
app.MapPost("/feedback", () => 1).AllowAnonymous();
app.MapDelete("/notes/{id}", () => 1).RequireAuthorization("Notes.Delete");

public class TagsController : ControllerBase
{
    [HttpPost("tags")] public IActionResult Create() => Ok();
}
`;
    const fallback = "global o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()";
    assert.deepEqual(summary(code), [
      `POST /tags | ${fallback}`,
      `POST /notes | ${fallback}`,
      "POST /feedback | anonymous route .AllowAnonymous()",
      'DELETE /notes/{id} | route .RequireAuthorization("Notes.Delete")',
    ]);
  });
});

describe("global MVC filters", () => {
  it("are read from Filters.Add in AddControllers, AddMvc, AddControllersWithViews and Configure<MvcOptions>", () => {
    const code = `${PROGRAM}var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole("Staff").Build();
builder.Services.AddControllers(options => options.Filters.Add(new AuthorizeFilter(policy)));
builder.Services.AddMvc(o => o.Filters.Add(new AuthorizeFilter()));
builder.Services.AddControllersWithViews(o =>
{
    o.Filters.Add<ApiKeyAuthorizationFilter>();
    o.Filters.Add(typeof(RequirePermissionFilter));
    o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
    o.Filters.Add<ExceptionFilter>();
});
builder.Services.Configure<MvcOptions>(o => o.Filters.Add(new AuthorizeFilter("Orders")));
builder.Services.AddControllers(o => o.Filters.Add(new AllowAnonymousFilter()));
GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute());
`;
    assert.deepEqual(registrations(code), [
      "protect aspnetcore-mvc+razor-pages Filters.Add(new AuthorizeFilter(policy)) (role)",
      "protect aspnetcore-mvc+razor-pages Filters.Add(new AuthorizeFilter()) (authenticated)",
      "protect aspnetcore-mvc+razor-pages Filters.Add<ApiKeyAuthorizationFilter>() (authenticated)",
      "protect aspnetcore-mvc+razor-pages Filters.Add(typeof(RequirePermissionFilter)) (policy)",
      'protect aspnetcore-mvc+razor-pages Filters.Add(new AuthorizeFilter("Orders")) (policy)',
      "allow-anonymous aspnetcore-mvc+razor-pages Filters.Add(new AllowAnonymousFilter())",
    ]);
  });

  it("protect the file's controller actions but not its Minimal API endpoints", () => {
    const code = `public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddControllers(options => options.Filters.Add(new AuthorizeFilter()));
    }

    public void Configure(IApplicationBuilder app)
    {
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapControllers();
            endpoints.MapPost("/cache/clear", () => Results.Ok());
        });
    }
}

[Route("api/reports")]
public class ReportsController : ControllerBase
{
    [HttpPost] public IActionResult Run() => Ok();
}
`;
    assert.deepEqual(summary(code), [
      "POST /api/reports | global Filters.Add(new AuthorizeFilter())",
      "POST /cache/clear",
    ]);
  });
});

describe("conventions on MapControllers()", () => {
  it("protect controller actions, not Minimal API endpoints", () => {
    const code = `${PROGRAM}var app = builder.Build();
app.MapControllers().RequireAuthorization();
app.MapDefaultControllerRoute().RequireAuthorization("Staff");
app.MapControllerRoute(name: "default", pattern: "{controller=Home}/{action=Index}/{id?}");
app.MapPost("/jobs/run", () => 1);

[Route("api/jobs")]
public class JobsController : ControllerBase
{
    [HttpPost] public IActionResult Start() => Ok();
    [HttpPost("public"), AllowAnonymous] public IActionResult Ping() => Ok();
}
`;
    assert.deepEqual(registrations(code), [
      "protect aspnetcore-mvc MapControllers().RequireAuthorization() (authenticated)",
      'protect aspnetcore-mvc MapDefaultControllerRoute().RequireAuthorization("Staff") (policy)',
    ]);
    assert.deepEqual(summary(code), [
      'POST /api/jobs | global MapControllers().RequireAuthorization() | global MapDefaultControllerRoute().RequireAuthorization("Staff")',
      'POST /api/jobs/public | global MapControllers().RequireAuthorization() | global MapDefaultControllerRoute().RequireAuthorization("Staff") | anonymous route [AllowAnonymous]',
      "POST /jobs/run",
    ]);
  });
});
