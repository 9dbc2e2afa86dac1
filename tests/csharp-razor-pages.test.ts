/**
 * The C# adapter's file model for ASP.NET Core Razor Pages: page models, handlers, page
 * paths from the file's location, class-level authorization and the AddRazorPages
 * conventions.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { csharpModel } from "./helpers/model.js";
import { recommendedEslint } from "./helpers/lint.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

const USINGS =
  "using Microsoft.AspNetCore.Authorization;\nusing Microsoft.AspNetCore.Mvc;\nusing Microsoft.AspNetCore.Mvc.RazorPages;\n\n";

/** `METHODS path handler`, then the protections and markers as `source name`, per endpoint. */
function summary(code: string, filename = "Pages/Orders/Edit.cshtml.cs"): string[] {
  return csharpModel(code, {}, filename)
    .endpoints.filter((e) => e.framework === "razor-pages")
    .map(
      (e) =>
        `${e.methods.join(",")} ${e.path} ${e.handler}${e.protections.map((p) => ` | ${p.source} ${p.name}`).join("")}${e.anonymous.map((a) => ` | anonymous ${a.source} ${a.name}`).join("")}`,
    );
}

describe("page models and handlers", () => {
  it("turn On{Verb}[Name][Async] methods into endpoints on the page's path", () => {
    const code = `${USINGS}namespace Shop.Web.Pages.Orders;

public class EditModel(ShopDbContext db) : PageModel
{
    [BindProperty] public Order Order { get; set; } = default!;

    public async Task<IActionResult> OnGetAsync(int id) { Order = (await db.Orders.FindAsync(id))!; return Page(); }
    public async Task<IActionResult> OnPostAsync() { db.Update(Order); await db.SaveChangesAsync(); return RedirectToPage("./Index"); }
    public IActionResult OnPostDelete(int id) => RedirectToPage("./Index");
    public IActionResult OnPutArchiveAsync() => Page();
    public void OnDelete() { }
    [NonHandler] public IActionResult OnPostCopy() => Page();
    public static IActionResult OnPostStatic() => null!;
    private IActionResult OnPostHidden() => Page();
    public IActionResult OnFooBar() => Page();
    public IActionResult Online() => Page();
    public IActionResult Save() => Page();
}
`;
    assert.deepEqual(summary(code), [
      "GET /Orders/Edit EditModel.OnGetAsync",
      "POST /Orders/Edit EditModel.OnPostAsync",
      "POST /Orders/Edit?handler=Delete EditModel.OnPostDelete",
      "PUT /Orders/Edit?handler=Archive EditModel.OnPutArchiveAsync",
      "DELETE /Orders/Edit EditModel.OnDelete",
    ]);
    const [, post] = csharpModel(code, {}, "Pages/Orders/Edit.cshtml.cs").endpoints;
    assert.deepEqual(
      post.dataOperations.map((d) => `${d.kind} ${d.call}`),
      ["write db.Update(…)", "write db.SaveChangesAsync()"],
    );
    assert.deepEqual(post.loc.start, { line: 12, column: 37 });
  });

  it("find page models through same-file bases and bases named like one, not abstract or other classes", () => {
    const code = `${USINGS}public abstract class ShopPageModel : PageModel
{
    public IActionResult OnPostLogout() => SignOut();
}
public class CartModel : ShopPageModel { public IActionResult OnPost() => Page(); }
public class WishlistModel : TenantPageModel { public IActionResult OnPost() => Page(); }
public class ErrorViewModel { public IActionResult OnPost() => null!; }
internal class HiddenModel : PageModel { public IActionResult OnPost() => Page(); }
`;
    assert.deepEqual(summary(code, "src/Shop.Web/Models/Cart.cs"), [
      "POST /Cart CartModel.OnPost",
      "POST /Cart?handler=Logout CartModel.OnPostLogout",
      "POST /Wishlist WishlistModel.OnPost",
    ]);
  });

  it("take the page path from Pages/ and Areas/*/Pages/, with Index pages on their folder", () => {
    const page = (name: string) =>
      `${USINGS}public class ${name} : PageModel { public IActionResult OnPost() => Page(); }\n`;
    const cases: Array<[string, string, string]> = [
      ["IndexModel", "/repo/src/Shop.Web/Pages/Index.cshtml.cs", "/"],
      ["IndexModel", "C:\\src\\Shop.Web\\Pages\\Orders\\Index.cshtml.cs", "/Orders"],
      ["DetailsModel", "Pages/Orders/Lines/Details.cshtml.cs", "/Orders/Lines/Details"],
      ["ApproveModel", "src/Backoffice/Areas/Finance/Pages/Refunds/Approve.cshtml.cs", "/Finance/Refunds/Approve"],
      ["EditModel", "src/Shop.Web/Features/Orders/EditModel.cs", "/Edit"],
      ["CheckoutPageModel", "Checkout.cs", "/Checkout"],
    ];
    for (const [name, filename, path] of cases) {
      assert.deepEqual(summary(page(name), filename), [`POST ${path} ${name}.OnPost`], filename);
    }
  });
});

describe("Razor Pages authorization", () => {
  it("comes from the page model class and its bases, never from handler methods", () => {
    const code = `${USINGS}[Authorize(Policy = "Staff")]
public abstract class StaffPageModel : PageModel { }

[Authorize(Roles = "Finance")]
public class ApproveModel : StaffPageModel
{
    public IActionResult OnPost() => Page();
}

public class ReviewModel : PageModel
{
    [Authorize]
    public IActionResult OnPost() => Page();
    [AllowAnonymous]
    public IActionResult OnPostPreview() => Page();
}

[AllowAnonymous]
public class ContactModel : PageModel
{
    public IActionResult OnPost() => Page();
}
`;
    assert.deepEqual(summary(code, "Pages/Misc.cs"), [
      'POST /Approve ApproveModel.OnPost | class [Authorize(Roles = "Finance")] | base-class [Authorize(Policy = "Staff")]',
      "POST /Review ReviewModel.OnPost",
      "POST /Review?handler=Preview ReviewModel.OnPostPreview",
      "POST /Contact ContactModel.OnPost | anonymous class [AllowAnonymous]",
    ]);
  });

  it("records the AddRazorPages conventions and applies them to the file's pages", () => {
    const code = `${USINGS}var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages(options =>
{
    options.Conventions.AuthorizeFolder("/Admin", "Staff");
    options.Conventions
        .AuthorizePage("/Orders/Index")
        .AllowAnonymousToPage("/Admin/Login");
    options.Conventions.AuthorizeAreaFolder("Identity", "/Account/Manage");
    options.Conventions.AllowAnonymousToFolder("/Public");
});
var app = builder.Build();
app.MapRazorPages();
app.Run();

public class UsersModel : PageModel { public IActionResult OnPost() => Page(); }
`;
    const model = csharpModel(code, {}, "Program.cs");
    assert.deepEqual(
      model.startup?.registrations.map(
        (r) =>
          `${r.effect} ${r.scope.kind === "pages" ? `${r.scope.folder ? "folder" : "page"} /${r.scope.route.segments.join("/")}` : r.scope.kind} ${r.name} ${r.requirement ?? ""}`,
      ),
      [
        'protect folder /Admin AuthorizeFolder("/Admin", "Staff") policy',
        'protect page /Orders AuthorizePage("/Orders/Index") authenticated',
        'allow-anonymous page /Admin/Login AllowAnonymousToPage("/Admin/Login") ',
        'protect folder /Identity/Account/Manage AuthorizeAreaFolder("Identity", "/Account/Manage") authenticated',
        'allow-anonymous folder /Public AllowAnonymousToFolder("/Public") ',
      ],
    );
    // The page model in Program.cs is placed by its class name: no convention covers /Users.
    assert.deepEqual(summary(code, "Program.cs"), ["POST /Users UsersModel.OnPost"]);
  });

  it("applies folder and page conventions by path, without regard to case", () => {
    const conventions = `${USINGS}public static class RazorPagesSetup
{
    public static IServiceCollection AddShopPages(this IServiceCollection services) =>
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/admin");
            o.Conventions.AuthorizePage("/Orders/Edit", "Orders.Write");
        }).Services;
}
`;
    const page = (name: string) => `public class ${name} : PageModel { public IActionResult OnPost() => Page(); }\n`;
    for (const [name, filename, expected] of [
      ["UsersModel", "Pages/Admin/Users.cshtml.cs", ['global AuthorizeFolder("/admin")']],
      ["EditModel", "Pages/Orders/Edit.cshtml.cs", ['global AuthorizePage("/Orders/Edit", "Orders.Write")']],
      ["EditLinesModel", "Pages/Orders/EditLines.cshtml.cs", []],
      ["AdministratorsModel", "Pages/Administrators.cshtml.cs", []],
    ] as const) {
      const [endpoint] = csharpModel(`${conventions}${page(name)}`, {}, filename).endpoints;
      assert.deepEqual(
        endpoint.protections.map((p) => `${p.source} ${p.name}`),
        expected,
        filename,
      );
    }
  });

  it("reads conventions on MapRazorPages() and the global MVC filters", () => {
    const code = `${USINGS}var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages().AddMvcOptions(o => o.Filters.Add(new AuthorizeFilter()));
var app = builder.Build();
app.MapRazorPages().RequireAuthorization("Staff");
app.Run();

public class UsersModel : PageModel { public IActionResult OnPost() => Page(); }
`;
    assert.deepEqual(summary(code, "Program.cs"), [
      'POST /Users UsersModel.OnPost | global Filters.Add(new AuthorizeFilter()) | global MapRazorPages().RequireAuthorization("Staff")',
    ]);
  });
});

describe("AP101 messages on Razor Pages", () => {
  for (const version of ESLINT_VERSIONS) {
    it(`name the page handler and the Razor Pages fix (${version.label})`, async () => {
      const eslint = recommendedEslint(version);
      const code = `${USINGS}namespace Shop.Web.Pages.Reviews;

public class CreateModel(IReviewService reviews) : PageModel
{
    [Authorize]
    public async Task<IActionResult> OnPostAsync(Review review)
    {
        await reviews.AddAsync(review);
        return RedirectToPage("./Index");
    }
}
`;
      const [result] = await eslint.lintText(code, { filePath: "src/Shop.Web/Pages/Reviews/Create.cshtml.cs" });
      assert.deepEqual(
        result.messages.map((m) => `${m.line}:${m.column} ${m.message}`),
        [
          "10:38 AP101 POST /Reviews/Create (CreateModel.OnPostAsync) changes state but nothing requires authorization: no [Authorize] on the page model and no AuthorizePage/AuthorizeFolder convention covers the page. SOC 2 CC6.1, CC6.3. Fix: add [Authorize] to the page model class (Razor Pages ignore it on handler methods) or cover the page with AuthorizePage/AuthorizeFolder in AddRazorPages.",
        ],
      );
    });
  }
});
