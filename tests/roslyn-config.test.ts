/**
 * The Roslyn way of configuring the rules for C#: `.editorconfig` severities, `<NoWarn>` and
 * the warnings-as-errors switches of project files, and global suppressions
 * (`[assembly: SuppressMessage]`) through the project index, as ESLint runs them (Node API,
 * `lintText` with a `filePath` as editors call it) and as `api-posture scan` reports them.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import plugin from "../lib/index.js";
import type { ScanReport } from "../lib/cli/report.js";
import { parseTarget, reachOf } from "../csharp-bridge/roslyn/global-suppressions.js";
import { parseProjectFile, projectWarnings } from "../csharp-bridge/roslyn/msbuild.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { FIXTURES, ROOT } from "./helpers/paths.js";
import type { OutlineEntry } from "../csharp-bridge/scan.js";

const work = mkdtempSync(path.join(tmpdir(), "api-posture-roslyn-"));
after(() => rmSync(work, { recursive: true, force: true }));

let projects = 0;
/** A fresh folder with these files (paths relative to it). */
function project(files: Record<string, string>): string {
  const dir = path.join(work, `p${projects++}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const CSPROJ = `<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n`;

/** A controller with one unprotected write (AP101, an error in recommended-soc2). */
const CONTROLLER = (ns: string, name = "OrdersController") => `using Microsoft.AspNetCore.Mvc;

namespace ${ns};

[ApiController]
[Route("api/orders")]
public class ${name} : ControllerBase
{
    [HttpDelete("{id}")]
    public IActionResult Delete(int id) => NoContent();
}
`;
const STARTUP = `var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()));
var app = builder.Build();
app.UseCors();
app.Run();
`;

/** A startup with a permissive CORS policy (AP301), which these tests' ESLint config makes a warning. */
const WARN_CORS = [{ files: ["**/*.cs"], rules: { "api-posture/no-permissive-cors": "warn" } }];

type Result = Awaited<ReturnType<InstanceType<(typeof ESLINT_VERSIONS)[number]["ESLint"]>["lintFiles"]>>[number];

const levels = (result: Result) => result.messages.map((m) => `${m.ruleId ?? m.message} ${m.severity}`).sort();
const suppressed = (result: Result) =>
  result.suppressedMessages.map((m) => `${m.ruleId} ${m.suppressions.map((s) => s.justification).join("|")}`);

for (const version of ESLINT_VERSIONS) {
  describe(`Roslyn configuration of C# files (${version.label})`, () => {
    const lintFile = async (dir: string, file: string, extra: object[] = WARN_CORS) => {
      const [result] = await recommendedEslint(version, extra, { cwd: dir }).lintFiles([file]);
      return result;
    };

    test(".editorconfig severities: by id, by category, for every rule, nearest section last", async () => {
      const dir = project({
        ".editorconfig": [
          "root = true",
          "",
          "[*.cs]",
          "dotnet_diagnostic.AP101.severity = warning",
          "dotnet_analyzer_diagnostic.severity = error",
          "",
          "[Legacy/*.cs]",
          "# Reachable from the office network only (FW-118).",
          "dotnet_diagnostic.AP101.severity = silent",
          "",
          "[Tools/*.cs]",
          "dotnet_diagnostic.AP101.severity = default",
          "",
        ].join("\n"),
        "Shop.Api.csproj": CSPROJ,
        "OrdersController.cs": CONTROLLER("Shop.Api"),
        "Program.cs": STARTUP,
        "Legacy/OrdersController.cs": CONTROLLER("Shop.Api.Legacy"),
        "Tools/OrdersController.cs": CONTROLLER("Shop.Api.Tools"),
        "Nested/.editorconfig": "[*.cs]\ndotnet_analyzer_diagnostic.category-Security.severity = suggestion\n",
        "Nested/OrdersController.cs": CONTROLLER("Shop.Api.Nested"),
      });
      // Without the files, the ESLint config's levels: AP101 error, AP301 warning.
      const bare = project({
        "Shop.Api.csproj": CSPROJ,
        "OrdersController.cs": CONTROLLER("Shop.Api"),
        "Program.cs": STARTUP,
      });
      assert.deepEqual(levels(await lintFile(bare, "OrdersController.cs")), ["api-posture/require-route-auth 2"]);
      assert.deepEqual(levels(await lintFile(bare, "Program.cs")), ["api-posture/no-permissive-cors 1"]);

      assert.deepEqual(levels(await lintFile(dir, "OrdersController.cs")), ["api-posture/require-route-auth 1"]);
      assert.deepEqual(levels(await lintFile(dir, "Program.cs")), ["api-posture/no-permissive-cors 2"]);
      const legacy = await lintFile(dir, "Legacy/OrdersController.cs");
      assert.deepEqual(levels(legacy), []);
      assert.deepEqual(suppressed(legacy), [
        "api-posture/require-route-auth Reachable from the office network only (FW-118).",
      ]);
      assert.deepEqual(levels(await lintFile(dir, "Tools/OrdersController.cs")), ["api-posture/require-route-auth 2"]);
      // A nearer .editorconfig without `root` adds to the outer one: its category setting is less specific than the id.
      assert.deepEqual(levels(await lintFile(dir, "Nested/OrdersController.cs")), ["api-posture/require-route-auth 1"]);
    });

    test("the ESLint config decides which rules run: .editorconfig never turns one on", async () => {
      const dir = project({
        ".editorconfig": "root = true\n[*.cs]\ndotnet_diagnostic.AP101.severity = error\n",
        "Shop.Api.csproj": CSPROJ,
        "OrdersController.cs": CONTROLLER("Shop.Api"),
      });
      const off = [{ files: ["**/*.cs"], rules: { "api-posture/require-route-auth": "off" } }];
      assert.deepEqual(levels(await lintFile(dir, "OrdersController.cs", off)), []);
    });

    test("<NoWarn>, <WarningsAsErrors> and <TreatWarningsAsErrors> of the project and Directory.Build.props", async () => {
      const dir = project({
        "Directory.Build.props":
          "<Project>\n  <PropertyGroup>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n  </PropertyGroup>\n</Project>\n",
        "src/Api/Api.csproj": [
          '<Project Sdk="Microsoft.NET.Sdk.Web">',
          "  <PropertyGroup>",
          "    <!-- The startup's CORS policy is for the public status page only. -->",
          "    <NoWarn>$(NoWarn);CS1591;AP301</NoWarn>",
          "  </PropertyGroup>",
          "</Project>",
        ].join("\n"),
        "src/Api/Program.cs": STARTUP,
        "src/Api/OrdersController.cs": CONTROLLER("Api"),
        "src/Admin/Admin.csproj": [
          '<Project Sdk="Microsoft.NET.Sdk.Web">',
          "  <PropertyGroup>",
          "    <WarningsNotAsErrors>AP301</WarningsNotAsErrors>",
          "  </PropertyGroup>",
          "  <PropertyGroup Condition=\"'$(Configuration)' == 'Release'\">",
          "    <NoWarn>AP101</NoWarn>",
          "  </PropertyGroup>",
          "</Project>",
        ].join("\n"),
        "src/Admin/Program.cs": STARTUP,
        "src/Admin/OrdersController.cs": CONTROLLER("Admin"),
        "src/Tools/Tools.csproj": CSPROJ,
        "src/Tools/Program.cs": STARTUP,
      });
      const api = await lintFile(dir, "src/Api/Program.cs");
      assert.deepEqual(levels(api), []);
      assert.deepEqual(suppressed(api), [
        "api-posture/no-permissive-cors The startup's CORS policy is for the public status page only.",
      ]);
      // TreatWarningsAsErrors from Directory.Build.props raises AP301's warning…
      assert.deepEqual(levels(await lintFile(dir, "src/Tools/Program.cs")), ["api-posture/no-permissive-cors 2"]);
      // …except where WarningsNotAsErrors names it; a NoWarn under a Condition is not applied.
      assert.deepEqual(levels(await lintFile(dir, "src/Admin/Program.cs")), ["api-posture/no-permissive-cors 1"]);
      assert.deepEqual(levels(await lintFile(dir, "src/Admin/OrdersController.cs")), [
        "api-posture/require-route-auth 2",
      ]);
    });

    test("Roslyn's precedence: the id's .editorconfig setting, then the project's switches, then the bulk settings", async () => {
      const dir = project({
        ".editorconfig": [
          "root = true",
          "[*.cs]",
          "dotnet_analyzer_diagnostic.category-Security.severity = none",
          "[Admin/*.cs]",
          "dotnet_diagnostic.AP101.severity = warning",
          "",
        ].join("\n"),
        "Shop.Api.csproj": [
          '<Project Sdk="Microsoft.NET.Sdk.Web">',
          "  <PropertyGroup>",
          "    <NoWarn>$(NoWarn);AP101</NoWarn>",
          "    <WarningsAsErrors>AP301</WarningsAsErrors>",
          "  </PropertyGroup>",
          "</Project>",
        ].join("\n"),
        "OrdersController.cs": CONTROLLER("Shop.Api"),
        "Program.cs": STARTUP,
        "Admin/OrdersController.cs": CONTROLLER("Shop.Api.Admin"),
      });
      // The bulk `none` would silence both; <NoWarn> silences AP101, and <WarningsAsErrors> names AP301.
      assert.deepEqual(levels(await lintFile(dir, "OrdersController.cs")), []);
      assert.deepEqual(levels(await lintFile(dir, "Program.cs")), ["api-posture/no-permissive-cors 2"]);
      // The id's own setting beats <NoWarn>.
      assert.deepEqual(levels(await lintFile(dir, "Admin/OrdersController.cs")), ["api-posture/require-route-auth 1"]);
    });

    test("global AnalyzerConfig files: the nearest .globalconfig and the project's <GlobalAnalyzerConfigFiles>", async () => {
      const dir = project({
        ".globalconfig": [
          "is_global = true",
          "# Route findings are triaged by the platform team.",
          "dotnet_diagnostic.AP101.severity = none",
          "",
        ].join("\n"),
        "build/Security.globalconfig": "is_global = true\ndotnet_diagnostic.AP301.severity = error\n",
        "build/NotGlobal.globalconfig": "dotnet_diagnostic.AP101.severity = error\n",
        "src/Api/Api.csproj": [
          '<Project Sdk="Microsoft.NET.Sdk.Web">',
          "  <ItemGroup>",
          '    <GlobalAnalyzerConfigFiles Include="..\\..\\build\\Security.globalconfig" />',
          '    <GlobalAnalyzerConfigFiles Include="$(MSBuildThisFileDirectory)../../build/NotGlobal.globalconfig" />',
          "  </ItemGroup>",
          "</Project>",
        ].join("\n"),
        "src/Api/OrdersController.cs": CONTROLLER("Api"),
        "src/Api/Program.cs": STARTUP,
        "src/Api/Admin/.editorconfig": "[*.cs]\ndotnet_diagnostic.AP101.severity = warning\n",
        "src/Api/Admin/OrdersController.cs": CONTROLLER("Api.Admin"),
      });
      const orders = await lintFile(dir, "src/Api/OrdersController.cs");
      assert.deepEqual(levels(orders), []);
      assert.deepEqual(suppressed(orders), [
        "api-posture/require-route-auth Route findings are triaged by the platform team.",
      ]);
      assert.deepEqual(levels(await lintFile(dir, "src/Api/Program.cs")), ["api-posture/no-permissive-cors 2"]);
      // An .editorconfig setting beats a global one.
      assert.deepEqual(levels(await lintFile(dir, "src/Api/Admin/OrdersController.cs")), [
        "api-posture/require-route-auth 1",
      ]);
    });

    test("an editor's lintText sees an edited .editorconfig on the next lint", async () => {
      const dir = project({
        ".editorconfig": "root = true\n[*.cs]\ndotnet_diagnostic.AP101.severity = warning\n",
        "Shop.Api.csproj": CSPROJ,
      });
      const eslint = recommendedEslint(version, [], { cwd: dir });
      const filePath = path.join(dir, "Controllers/OrdersController.cs");
      const lint = async () => levels((await eslint.lintText(CONTROLLER("Shop.Api"), { filePath }))[0]);
      assert.deepEqual(await lint(), ["api-posture/require-route-auth 1"]);
      writeFileSync(path.join(dir, ".editorconfig"), "root = true\n[*.cs]\ndotnet_diagnostic.AP101.severity = none\n");
      // Make sure the stamp differs even on a file system with coarse times.
      utimesSync(path.join(dir, ".editorconfig"), new Date(), new Date(Date.now() + 5_000));
      assert.deepEqual(await lint(), []);
    });

    test("global suppressions reach other files through the project index; ESLint reports unused ones", async () => {
      const dir = project({
        "Shop.Api.csproj": CSPROJ,
        "GlobalSuppressions.cs": [
          "using System.Diagnostics.CodeAnalysis;",
          "",
          '[assembly: SuppressMessage("ApiPosture", "AP101:RequireRouteAuth", Justification = "Signed webhook.", Scope = "member", Target = "~M:Shop.Api.OrdersController.Delete(System.Int32)~Microsoft.AspNetCore.Mvc.IActionResult")]',
          '[assembly: SuppressMessage("ApiPosture", "AP101:RequireRouteAuth", Justification = "Retired.", Scope = "member", Target = "~M:Shop.Api.SecuredController.Delete(System.Int32)")]',
          '[assembly: SuppressMessage("ApiPosture", "AP101", Justification = "Internal.", Scope = "namespaceanddescendants", Target = "~N:Shop.Api.Internal")]',
          "",
        ].join("\n"),
        "OrdersController.cs": CONTROLLER("Shop.Api"),
        "SecuredController.cs": CONTROLLER("Shop.Api", "SecuredController").replace(
          "[ApiController]",
          "[ApiController]\n[Microsoft.AspNetCore.Authorization.Authorize]",
        ),
        "Internal/Status.cs":
          "namespace Shop.Api.Internal;\n\npublic static class Status { public const int Ok = 1; }\n",
      });
      const orders = await lintFile(dir, "OrdersController.cs");
      assert.deepEqual(levels(orders), []);
      assert.deepEqual(suppressed(orders), ["api-posture/require-route-auth Signed webhook."]);
      // Nothing to silence on a protected action: reported at the member, naming the attribute, with no fix here.
      const secured = await lintFile(dir, "SecuredController.cs");
      assert.deepEqual(
        secured.messages.map((m) => `${m.line}:${m.column} ${m.message} ${m.fix ? "fix" : "no fix"}`),
        [
          "10:5 Unused global suppression (no problems were reported from 'api-posture/require-route-auth' here): [assembly: SuppressMessage] at GlobalSuppressions.cs:4. no fix",
        ],
      );
      // A namespace reaches many files: whether it was needed is for `api-posture scan` to say.
      assert.deepEqual(levels(await lintFile(dir, "Internal/Status.cs")), []);
      // --fix changes nothing in a file a global suppression reaches.
      const [fixed] = await recommendedEslint(version, [], { cwd: dir, fix: true }).lintFiles(["SecuredController.cs"]);
      assert.equal(fixed.output, undefined);
    });

    test("the fixture project: findings, levels and suppressions", async () => {
      const dir = path.join(FIXTURES, "require-route-auth/csharp/roslyn-config");
      const results = await recommendedEslint(version, [], { cwd: dir }).lintFiles(["."]);
      const byFile = new Map(results.map((r) => [path.relative(dir, r.filePath).split(path.sep).join("/"), r]));
      const invoices = byFile.get("src/Billing.Api/Controllers/InvoicesController.cs")!;
      // category-Security = error in .editorconfig; the two unsuppressed writes.
      assert.deepEqual(
        invoices.messages.map((m) => `${m.line} ${m.severity}`),
        ["26 2", "34 2"],
      );
      assert.match(suppressed(invoices)[0], /verified against its signature/u);
      assert.match(suppressed(byFile.get("src/Billing.Api/Legacy/ImportController.cs")!)[0], /firewall rule FW-118/u);
      assert.match(suppressed(byFile.get("src/Billing.Api/SandboxKeys.cs")!)[0], /published test credentials/u);
    });
  });

  describe(`global suppressions in the file itself (${version.label})`, () => {
    // RuleTester renames the rule under test (`rule-to-test/…`), which no suppression names: Linter#verify
    // with the plugin as users configure it.
    const linter = new version.Linter();
    const config = [
      {
        files: ["**/*.cs"],
        plugins: { "api-posture": plugin },
        language: "api-posture/csharp",
        rules: { "api-posture/require-route-auth": "error" },
      },
    ];
    const reported = (code: string) =>
      linter.verify(code, config as never, "Controllers/OrdersController.cs").map((m) => m.line);
    const file = (suppression: string) => `using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Mvc;
${suppression}
namespace Shop.Api
{
    [ApiController, Route("api/orders")]
    public class OrdersController : ControllerBase
    {
        [HttpDelete("{id}")]
        public IActionResult Delete(int id) => NoContent();

        [HttpPost("{id}/cancel")]
        public IActionResult Delete(int id, string reason) => NoContent();
    }
}`;
    const attr = (scope: string, target: string) =>
      `[assembly: SuppressMessage("ApiPosture", "AP101:RequireRouteAuth", Justification = "Reviewed.", Scope = "${scope}", Target = "${target}")]`;
    const cases: Array<[string, string, number[]]> = [
      ["nothing suppressed", "", [10, 13]],
      ["the type", attr("type", "~T:Shop.Api.OrdersController"), []],
      ["the types of the namespace", attr("namespace", "~N:Shop.Api"), []],
      ["a namespace and those inside it", attr("namespaceanddescendants", "~N:Shop"), []],
      [
        "both overloads",
        `${attr("member", "~M:Shop.Api.OrdersController.Delete(System.Int32)")}\n${attr("member", "~M:Shop.Api.OrdersController.Delete(System.Int32,System.String)")}`,
        [],
      ],
      [
        "one overload: the other is still reported",
        attr("member", "~M:Shop.Api.OrdersController.Delete(System.Int32)~Microsoft.AspNetCore.Mvc.IActionResult"),
        [13],
      ],
      ["`namespace` does not reach the namespaces inside it", attr("namespace", "~N:Shop"), [10, 13]],
      [
        "no target: as in Roslyn, only diagnostics with no place in the code",
        `[assembly: SuppressMessage("ApiPosture", "AP101", Justification = "All of it.")]`,
        [10, 13],
      ],
      [
        "another analyzer's category",
        attr("type", "~T:Shop.Api.OrdersController").replace('"ApiPosture"', '"Microsoft.Security"'),
        [10, 13],
      ],
    ];
    for (const [name, suppression, lines] of cases) {
      test(name, () => assert.deepEqual(reported(file(suppression)), lines));
    }
  });
}

describe("documentation-comment ids", () => {
  const outline: OutlineEntry[] = [
    { kind: "N", name: "Shop.Api", range: [0, 1000], nameLoc: loc(1) },
    { kind: "T", name: "Shop.Api.OrdersController", range: [10, 500], nameLoc: loc(2) },
    { kind: "M", name: "Shop.Api.OrdersController.#ctor", parameters: 1, range: [20, 40], nameLoc: loc(3) },
    { kind: "M", name: "Shop.Api.OrdersController.Get", parameters: 0, range: [50, 60], nameLoc: loc(4) },
    { kind: "M", name: "Shop.Api.OrdersController.Get", parameters: 2, range: [70, 90], nameLoc: loc(5) },
    { kind: "T", name: "Shop.Api.OrdersController.Page", range: [100, 200], nameLoc: loc(6) },
    { kind: "P", name: "Shop.Api.OrdersController.Page.Size", range: [110, 120], nameLoc: loc(7) },
    { kind: "T", name: "Shop.Api.Parts", partial: true, range: [600, 700], nameLoc: loc(8) },
  ];
  const reached = (scope: string, target: string) =>
    reachOf({ checkId: "AP101", scope, target, justification: "", line: 1, column: 0 }, outline).map(
      (r) =>
        `${r.entry.name}${r.entry.parameters === undefined ? "" : `/${r.entry.parameters}`}${r.shared ? " shared" : ""}`,
    );

  test("targets parse with their kind, name and parameter count", () => {
    assert.deepEqual(
      parseTarget("~M:Ns.Type.Method(System.Int32,System.Collections.Generic.List{System.String})~System.Int32"),
      {
        kind: "M",
        name: "Ns.Type.Method",
        parameters: 2,
      },
    );
    assert.deepEqual(parseTarget("~M:Ns.Type`1.Map``2(``0,``1)"), { kind: "M", name: "Ns.Type.Map", parameters: 2 });
    assert.deepEqual(parseTarget("~M:Ns.Type.Run"), { kind: "M", name: "Ns.Type.Run", parameters: 0 });
    assert.deepEqual(parseTarget("Ns.Type.#Run(System.String)"), {
      kind: undefined,
      name: "Ns.Type.Run",
      parameters: 1,
    });
    assert.deepEqual(parseTarget("~T:Ns.Outer.Inner"), { kind: "T", name: "Ns.Outer.Inner" });
    assert.equal(parseTarget(""), undefined);
  });

  test("scopes reach the declarations Roslyn's would", () => {
    assert.deepEqual(reached("member", "~M:Shop.Api.OrdersController.Get"), ["Shop.Api.OrdersController.Get/0"]);
    assert.deepEqual(reached("member", "~M:Shop.Api.OrdersController.Get(System.Int32,System.Int32)"), [
      "Shop.Api.OrdersController.Get/2",
    ]);
    assert.deepEqual(reached("member", "~M:Shop.Api.OrdersController.#ctor(Shop.Db)"), [
      "Shop.Api.OrdersController.#ctor/1",
    ]);
    assert.deepEqual(reached("member", "~P:Shop.Api.OrdersController.Page.Size"), [
      "Shop.Api.OrdersController.Page.Size",
    ]);
    assert.deepEqual(reached("type", "~T:Shop.Api.OrdersController"), ["Shop.Api.OrdersController"]);
    assert.deepEqual(reached("type", "~T:Shop.Api.OrdersController.Page"), ["Shop.Api.OrdersController.Page"]);
    assert.deepEqual(reached("type", "~T:Shop.Api.Parts"), ["Shop.Api.Parts shared"]);
    assert.deepEqual(reached("namespace", "~N:Shop.Api"), [
      "Shop.Api.OrdersController shared",
      "Shop.Api.Parts shared",
    ]);
    assert.deepEqual(reached("namespaceanddescendants", "~N:Shop"), ["Shop.Api shared"]);
    assert.deepEqual(reached("", "~T:Shop.Api.OrdersController"), ["Shop.Api.OrdersController"]);
    assert.deepEqual(reached("module", ""), []);
    assert.deepEqual(reached("member", "~M:Shop.Api.OrdersController.Missing"), []);
  });
});

describe("project files", () => {
  test("properties are read outside conditions and comments, with the comment above as the reason", () => {
    const parsed = parseProjectFile(
      [
        "<Project>",
        "  <PropertyGroup>",
        "    <!-- Test keys only. -->",
        "    <NoWarn>$(NoWarn);AP201</NoWarn>",
        "    <!-- <NoWarn>AP101</NoWarn> -->",
        "    <WarningsAsErrors Condition=\"'$(CI)' == 'true'\">AP301</WarningsAsErrors>",
        "  </PropertyGroup>",
        "  <PropertyGroup Condition=\"'$(Configuration)' == 'Release'\"><NoWarn>AP103</NoWarn></PropertyGroup>",
        "</Project>",
      ].join("\n"),
    );
    assert.deepEqual(
      parsed.writes.map((w) => `${w.name} ${w.value} @${w.line} ${w.comment}`),
      ["NoWarn $(NoWarn);AP201 @4 Test keys only."],
    );
  });

  test("a plain list replaces the inherited one; $(NoWarn) keeps it; the parent props are imported when asked", () => {
    const dir = project({
      "Directory.Build.props":
        "<Project><PropertyGroup><NoWarn>AP203</NoWarn><WarningsAsErrors>AP301</WarningsAsErrors></PropertyGroup></Project>",
      "src/Directory.Build.props": `<Project>\n  <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />\n  <PropertyGroup><NoWarn>$(NoWarn);AP201</NoWarn></PropertyGroup>\n</Project>`,
      "src/Api/Api.csproj":
        "<Project><PropertyGroup><WarningsAsErrors>AP101</WarningsAsErrors></PropertyGroup></Project>",
      "src/Api/Controllers/X.cs": "",
      "tools/Tool/Tool.csproj": "<Project><PropertyGroup><NoWarn>AP101</NoWarn></PropertyGroup></Project>",
      "tools/Tool/X.cs": "",
      "loose/X.cs": "",
    });
    const api = projectWarnings(path.join(dir, "src/Api/Controllers/X.cs"));
    assert.deepEqual([...api.noWarn.keys()].sort(), ["AP201", "AP203"]);
    assert.deepEqual([...api.warningsAsErrors.keys()], ["AP101"]);
    assert.deepEqual(
      api.files.map((f) => path.relative(dir, f).split(path.sep).join("/")),
      ["Directory.Build.props", "src/Directory.Build.props", "src/Api/Api.csproj"],
    );
    // The root props (no import of a parent) then the project, which replaces NoWarn.
    const tool = projectWarnings(path.join(dir, "tools/Tool/X.cs"));
    assert.deepEqual([...tool.noWarn.keys()], ["AP101"]);
    assert.deepEqual([...tool.warningsAsErrors.keys()], ["AP301"]);
    assert.deepEqual(projectWarnings(path.join(dir, "loose/X.cs")).files, []);
  });
});

test("api-posture scan lists what the configuration and global suppressions silence, across files", async () => {
  const dir = path.join(FIXTURES, "require-route-auth/csharp/roslyn-config");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, "dist/lib/cli.js"), "scan", "--format", "json", "--no-timestamp", "--exit-zero", "."],
    { cwd: dir },
  );
  const report = JSON.parse(stdout) as ScanReport;
  const listed = report.suppressions.map(
    (s) =>
      `${s.file}:${s.line} ${s.kind} [${s.rules.join(",")}] ${s.silenced.map((x) => `${x.id}@${x.file ?? ""}:${x.line}`).join(" ")}${s.unused ? " unused" : ""}`,
  );
  assert.deepEqual(listed, [
    ".editorconfig:12 editorconfig [AP101] AP101@src/Billing.Api/Legacy/ImportController.cs:11",
    "src/Billing.Api/Billing.Api.csproj:7 msbuild [AP201] AP201@src/Billing.Api/SandboxKeys.cs:6",
    "src/Billing.Api/GlobalSuppressions.cs:8 global-suppress-message [AP101:RequireRouteAuth] AP101@src/Billing.Api/Controllers/InvoicesController.cs:17",
    "src/Billing.Api/GlobalSuppressions.cs:9 global-suppress-message [AP101:RequireRouteAuth] AP101@src/Billing.Api/Internal/CacheController.cs:11",
    "src/Billing.Api/GlobalSuppressions.cs:10 global-suppress-message [AP101:RequireRouteAuth] AP101@src/Billing.Api/Controllers/ProbesController.cs:11",
  ]);
  const global = report.suppressedFindings.find((f) => f.file.endsWith("InvoicesController.cs"))!;
  assert.deepEqual(global.suppression, {
    kind: "global-suppress-message",
    line: 8,
    justification:
      "Called by the payment provider; the body is verified against its signature in StripeSignatureFilter.",
    file: "src/Billing.Api/GlobalSuppressions.cs",
  });
});

function loc(line: number) {
  return { start: { line, column: 0 }, end: { line, column: 1 } };
}
