/**
 * lib/core/openapi.ts on its own: route paths of every framework and OpenAPI path templates
 * in one template form, documents read (OpenAPI 3.x and Swagger 2.0, YAML and JSON, servers,
 * base paths, `$ref`ed path items) once per file version, and the lookups AP105 and the CLI
 * make with them.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  covers,
  declaredMethods,
  declares,
  documentedOperations,
  documentFiles,
  documentPathFor,
  isCatchAllRoute,
  isKnownRoutePath,
  loadOpenApiDocument,
  normaliseRoute,
  OpenApiDocumentError,
  openApiPathOf,
  operationsWithoutPrefix,
  unimplementedOperations,
} from "../lib/core/openapi.js";

const work = mkdtempSync(path.join(tmpdir(), "api-posture-openapi-"));
after(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
/** Writes `text` to a fresh file under the work folder and returns its path. */
function file(name: string, text: string, dir = path.join(work, `doc-${counter++}`)): string {
  mkdirSync(dir, { recursive: true });
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

describe("route paths in the template form", () => {
  test("every framework's parameter syntax is one parameter, whatever its name or constraint", () => {
    const same: Array<[string, string]> = [
      ["/orders/:id", "/orders/{}"], // Express, Koa, Fastify, Hono, NestJS
      ["/orders/:orderId(\\d+)", "/orders/{}"], // path-to-regexp constraint
      ["/orders/:id{[0-9]+}", "/orders/{}"], // Hono constraint
      ["/orders/{id}", "/orders/{}"], // ASP.NET Core
      ["/orders/{id:int}", "/orders/{}"],
      ["/orders/{id:regex(^\\d{{3}}$)}", "/orders/{}"],
      ["/orders/{id:minlength(1)}", "/orders/{}"],
      ["/orders/[id]", "/orders/{}"], // Next.js
      ["/files/:name.:ext", "/files/{}.{}"], // two parameters in one segment
    ];
    for (const [route, key] of same) assert.deepEqual(normaliseRoute(route), [key], route);
  });

  test("optional parts give the path with and without them", () => {
    assert.deepEqual(normaliseRoute("/orders/:id?"), ["/orders/{}", "/orders"]);
    assert.deepEqual(normaliseRoute("/orders/{id?}"), ["/orders/{}", "/orders"]);
    assert.deepEqual(normaliseRoute("/orders/{id:int?}"), ["/orders/{}", "/orders"]);
    assert.deepEqual(normaliseRoute("/orders/{page=1}"), ["/orders/{}", "/orders"]);
    assert.deepEqual(normaliseRoute("/orders{/:id}/lines"), ["/orders/{}/lines", "/orders/lines"]); // Express 5
    assert.deepEqual(normaliseRoute("/:a?/:b?"), ["/{}/{}", "/{}", "/"]);
  });

  test("catch-alls: {+} for one or more segments, {*} for none or more; before the end, one parameter", () => {
    const cases: Array<[string, string]> = [
      ["/docs/[...slug]", "/docs/{+}"],
      ["/docs/[[...slug]]", "/docs/{*}"],
      ["/docs/:slug+", "/docs/{+}"],
      ["/docs/:slug*", "/docs/{*}"],
      ["/docs/*", "/docs/{*}"],
      ["/docs/*path", "/docs/{+}"], // Express 5
      ["/docs/{*slug}", "/docs/{*}"], // ASP.NET Core
      ["/docs/{**slug}", "/docs/{*}"],
      ["/docs/(.*)", "/docs/{*}"],
      ["/docs/*/raw", "/docs/{}/raw"],
    ];
    for (const [route, key] of cases) assert.deepEqual(normaliseRoute(route), [key], route);
    assert.ok(isCatchAllRoute("*") && isCatchAllRoute("/files/[...path]") && !isCatchAllRoute("/files/:id"));
  });

  test("case, trailing and doubled slashes, a query and a fragment do not count", () => {
    for (const route of ["/Api/Orders/", "/api//orders", "api/orders", "/api/orders?page=2", "/api/orders#top"])
      assert.deepEqual(normaliseRoute(route), ["/api/orders"], route);
    assert.deepEqual(normaliseRoute("/"), ["/"]);
    assert.deepEqual(normaliseRoute(""), ["/"]);
  });

  test("a backslash escapes the next character", () => {
    assert.deepEqual(normaliseRoute("/things/:id\\:cancel"), ["/things/{}:cancel"]);
  });

  test("a path the code computes at run time, or a regular expression, is not a known route", () => {
    for (const path of ["/orders/:id", "/orders/", "*", "/api/Orders/{id:int}", "/docs/[...slug]"])
      assert.ok(isKnownRoutePath(path), path);
    for (const path of ["`${BASE}/orders`", 'BASE + "/items"', "/^\\/files\\/(\\d+)$/", "/^\\/reports/i", "/(?:a|b)/"])
      assert.ok(!isKnownRoutePath(path), path);
  });

  test("OpenAPI templates: {name} only, greedy {name+}; every other character is literal", () => {
    assert.deepEqual(normaliseRoute("/Orders/{orderId}", "openapi"), ["/orders/{}"]);
    assert.deepEqual(normaliseRoute("/things/{id}:cancel", "openapi"), ["/things/{}:cancel"]);
    assert.deepEqual(normaliseRoute("/files/{proxy+}", "openapi"), ["/files/{+}"]);
    assert.deepEqual(normaliseRoute("/a/:b/[c]", "openapi"), ["/a/:b/[c]"]);
  });

  test("a route as an OpenAPI path, with its parameters' names", () => {
    assert.equal(openApiPathOf("/orders/:id(\\d+)"), "/orders/{id}");
    assert.equal(openApiPathOf("/api/Orders/{id:int?}/"), "/api/Orders/{id}");
    assert.equal(openApiPathOf("/docs/[...slug]"), "/docs/{slug}");
    assert.equal(openApiPathOf("/files/*"), "/files/{wildcard}");
    assert.equal(openApiPathOf("/files/(\\d+)"), "/files/{param}");
    assert.equal(openApiPathOf(""), "/");
  });
});

const ORDERS = `openapi: 3.0.3
info: { title: Orders, version: "1" }
servers:
  - url: https://orders.example.com/api/v1
  - url: "{scheme}://localhost:{port}/{base}"
    variables:
      scheme: { default: http }
      port: { default: "3000" }
      base: { default: internal/v1, enum: [internal/v1, internal/v2] }
paths:
  /orders:
    get: { operationId: listOrders, responses: { "200": { description: ok } } }
    post: { operationId: placeOrder, responses: { "201": { description: ok } } }
  /orders/{orderId}:
    parameters: [{ name: orderId, in: path, required: true }]
    get: { operationId: getOrder, responses: { "200": { description: ok } } }
  /orders/{orderId}/files/{path}:
    get: { responses: { "200": { description: ok } } }
  /reports:
    servers: [{ url: /reporting }]
    get: { operationId: report, responses: { "200": { description: ok } } }
    post:
      operationId: rebuildReport
      servers: [{ url: https://batch.example.com/jobs }]
      responses: { "202": { description: ok } }
  x-internal: { get: {} }
`;

describe("documents", () => {
  test("OpenAPI 3: every operation with the path prefixes of its servers (variables with their defaults)", () => {
    const doc = loadOpenApiDocument(file("openapi.yaml", ORDERS));
    assert.equal(doc.version, "3.0.3");
    assert.deepEqual(
      documentedOperations(doc).map((o) => `${o.method} ${o.path} ${o.operationId ?? "-"} ${o.prefixes.join(",")}`),
      [
        "GET /orders listOrders /api/v1,/internal/v1",
        "POST /orders placeOrder /api/v1,/internal/v1",
        "GET /orders/{orderId} getOrder /api/v1,/internal/v1",
        "GET /orders/{orderId}/files/{path} - /api/v1,/internal/v1",
        "GET /reports report /reporting",
        "POST /reports rebuildReport /jobs",
      ],
    );
  });

  test("Swagger 2: the basePath; JSON read as JSON", () => {
    const doc = loadOpenApiDocument(
      file(
        "swagger.json",
        JSON.stringify({
          swagger: "2.0",
          info: { title: "Pets", version: "1" },
          basePath: "/v2/",
          paths: { "/pets/{petId}": { get: {}, delete: {} } },
        }),
      ),
    );
    assert.equal(doc.version, "2.0");
    assert.ok(declares(doc, "GET", "/v2/pets/:id"));
    assert.ok(declares(doc, "DELETE", "/V2/Pets/{id:int}/"));
    assert.ok(!declares(doc, "GET", "/pets/:id"), "the base path is part of the route");
    assert.ok(!declares(doc, "PUT", "/v2/pets/:id"));
  });

  test("a document without servers serves its paths at the root; one with no paths declares nothing", () => {
    const doc = loadOpenApiDocument(file("openapi.yml", "openapi: 3.1.0\npaths:\n  /status:\n    get: {}\n"));
    assert.ok(declares(doc, "GET", "/status"));
    const empty = loadOpenApiDocument(file("openapi.yaml", "openapi: 3.1.0\ninfo: { title: Hooks, version: '1' }\n"));
    assert.deepEqual(documentedOperations(empty), []);
    assert.ok(!declares(empty, "GET", "/"));
  });

  test("path items given as $refs: inside the document, into another file, and chained", () => {
    const dir = path.join(work, "split");
    file(
      "orders.yaml",
      "get: { operationId: getOrder }\ndelete: { operationId: cancelOrder }\nshared:\n  $ref: '#/get'\n",
      path.join(dir, "paths"),
    );
    file("refunds.json", JSON.stringify({ refund: { $ref: "./orders.yaml" } }), path.join(dir, "paths"));
    const main = file(
      "openapi.yaml",
      `openapi: 3.1.0
paths:
  /orders/{id}:
    $ref: paths/orders.yaml
    summary: An order
  /refunds/{id}:
    $ref: "paths/refunds.json#/refund"
  /statuses:
    $ref: "#/components/pathItems/Statuses"
components:
  pathItems:
    Statuses:
      get: { operationId: statuses }
`,
      dir,
    );
    const doc = loadOpenApiDocument(main);
    assert.deepEqual(
      documentedOperations(doc).map((o) => `${o.method} ${o.path} ${o.operationId ?? "-"}`),
      [
        "GET /orders/{id} getOrder",
        "DELETE /orders/{id} cancelOrder",
        "GET /refunds/{id} getOrder",
        "DELETE /refunds/{id} cancelOrder",
        "GET /statuses statuses",
      ],
    );
  });

  test("problems name the file and what is wrong with it", () => {
    const problem = (full: string): string => {
      try {
        loadOpenApiDocument(full);
      } catch (error) {
        assert.ok(error instanceof OpenApiDocumentError);
        return `${path.basename(error.file)} ${error.reason}`;
      }
      assert.fail(`${full} was read`);
    };
    assert.equal(problem(path.join(work, "nowhere", "openapi.yaml")), "openapi.yaml does not exist");
    assert.match(
      problem(file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a: [\n")),
      /^openapi\.yaml is not valid YAML or JSON: .+/,
    );
    assert.match(problem(file("openapi.json", '{ "openapi": "3.0.0", ')), /^openapi\.json is not valid YAML or JSON/);
    assert.equal(
      problem(file("openapi.yaml", "asyncapi: 2.6.0\nchannels: {}\n")),
      'openapi.yaml is not an OpenAPI 3.x or Swagger 2.0 document (it has no `openapi: 3.x` or `swagger: "2.0"` field)',
    );
    assert.equal(
      problem(file("openapi.yaml", "openapi: 3.0.0\npaths: [/a, /b]\n")),
      "openapi.yaml has a `paths` that is not an object",
    );
    assert.equal(
      problem(file("openapi.yaml", "- just\n- a list\n")),
      "openapi.yaml is not an OpenAPI document (not a YAML or JSON object)",
    );
    assert.equal(
      problem(file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    $ref: https://example.com/a.yaml\n")),
      'openapi.yaml has a $ref at paths["/a"] that names a URL ("https://example.com/a.yaml"); only local files are read',
    );
    assert.equal(
      problem(file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    $ref: '#/components/pathItems/A'\n")),
      'openapi.yaml has a $ref at paths["/a"] that points at nothing ("#/components/pathItems/A")',
    );
    assert.equal(
      problem(file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    $ref: paths/a.yaml\n")),
      "a.yaml does not exist",
    );
    const loop = file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    $ref: '#/paths/~1a'\n");
    assert.match(problem(loop), /follows more than 8 \$refs in a row at paths\["\/a"\]/);
    assert.equal(problem(work), `${path.basename(work)} is not a file`);
  });

  test("a document is read once per modification time and size, and again after an edit", () => {
    const full = file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    get: {}\n");
    const first = loadOpenApiDocument(full);
    assert.equal(loadOpenApiDocument(full), first, "the same object while the file is unchanged");
    writeFileSync(full, "openapi: 3.0.0\npaths:\n  /a:\n    get: {}\n  /b:\n    get: {}\n");
    const edited = loadOpenApiDocument(full);
    assert.notEqual(edited, first);
    assert.ok(declares(edited, "GET", "/b"));
    // Same size, new time.
    writeFileSync(full, "openapi: 3.0.0\npaths:\n  /a:\n    get: {}\n  /c:\n    get: {}\n");
    const later = new Date(Date.now() + 5000);
    utimesSync(full, later, later);
    assert.ok(declares(loadOpenApiDocument(full), "GET", "/c"));
    // A broken document is remembered too, until it is fixed.
    writeFileSync(full, "openapi: [\n");
    assert.throws(() => loadOpenApiDocument(full), OpenApiDocumentError);
    assert.throws(() => loadOpenApiDocument(full), OpenApiDocumentError);
    writeFileSync(full, "openapi: 3.0.0\npaths:\n  /d:\n    get: {}\n");
    assert.ok(declares(loadOpenApiDocument(full), "GET", "/d"));
  });

  test("an edit of a file a $ref names is read too", () => {
    const dir = path.join(work, "ref-edit");
    const part = file("a.yaml", "get: {}\n", dir);
    const main = file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    $ref: a.yaml\n", dir);
    assert.ok(!declares(loadOpenApiDocument(main), "DELETE", "/a"));
    writeFileSync(part, "get: {}\ndelete: {}\n");
    assert.ok(declares(loadOpenApiDocument(main), "DELETE", "/a"));
  });
});

describe("routes of the code against a document", () => {
  const doc = loadOpenApiDocument(file("openapi.yaml", ORDERS));

  test("parameter names, syntax, case and trailing slashes aside, under any server's prefix", () => {
    for (const route of [
      "/api/v1/orders/:id",
      "/api/v1/orders/{orderId:int}",
      "/API/V1/Orders/[id]/",
      "/internal/v1/orders/:orderId(\\d+)",
    ])
      assert.ok(declares(doc, "GET", route), route);
    assert.ok(!declares(doc, "GET", "/orders/:id"), "without the server's path");
    assert.ok(!declares(doc, "GET", "/internal/v2/orders/:id"), "an enum value that is not the default");
    assert.ok(!declares(doc, "GET", "/api/v1/orders/latest"), "a literal segment is not a parameter");
    assert.ok(!declares(doc, "GET", "/api/v1/orders/:id/lines"));
    assert.ok(declares(doc, "GET", "/reporting/reports") && !declares(doc, "GET", "/api/v1/reports"));
    assert.ok(declares(doc, "POST", "/jobs/reports") && !declares(doc, "POST", "/reporting/reports"));
  });

  test("methods: ANY by any operation, HEAD by GET, OPTIONS by the path", () => {
    assert.ok(declares(doc, "ANY", "/api/v1/orders/:id"));
    assert.ok(declares(doc, "HEAD", "/api/v1/orders/:id"));
    assert.ok(declares(doc, "OPTIONS", "/api/v1/orders/:id"));
    assert.ok(!declares(doc, "DELETE", "/api/v1/orders/:id"));
    assert.ok(!declares(doc, "ANY", "/api/v1/customers") && !declares(doc, "OPTIONS", "/api/v1/customers"));
    assert.deepEqual([...declaredMethods(doc, "/api/v1/orders")].sort(), ["GET", "POST"]);
    assert.ok(covers(new Set(["HEAD"]), "HEAD") && !covers(new Set(["POST"]), "HEAD") && !covers(new Set(), "ANY"));
  });

  test("an optional part is declared when either form is", () => {
    assert.ok(declares(doc, "GET", "/api/v1/orders/:id?"));
    assert.ok(declares(doc, "POST", "/api/v1/orders/{id?}"), "POST /orders is declared");
  });

  test("catch-alls match a trailing run of parameters, or another catch-all", () => {
    assert.ok(declares(doc, "GET", "/api/v1/orders/:id/files/*"));
    assert.ok(declares(doc, "GET", "/api/v1/orders/[...path]"), "it matches /orders/{orderId}");
    assert.ok(declares(doc, "GET", "/api/v1/orders/[[...slug]]"), "an optional catch-all matches /orders too");
    assert.ok(!declares(doc, "GET", "/api/v1/[...slug]"));
    const greedy = loadOpenApiDocument(
      file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /proxy/{path+}:\n    get: {}\n"),
    );
    assert.ok(declares(greedy, "GET", "/proxy/:a/:b") && declares(greedy, "GET", "/proxy/*"));
    assert.ok(!declares(greedy, "GET", "/proxy") && !declares(greedy, "GET", "/proxy/status"));
  });

  test("where the document would declare a route, and what it declares without its servers' prefixes", () => {
    assert.equal(documentPathFor(doc, "/api/v1/orders/:id/refunds"), "/orders/{id}/refunds");
    assert.equal(documentPathFor(doc, "/internal/v1/Orders/{id:int}"), "/Orders/{id}");
    assert.equal(documentPathFor(doc, "/other/orders"), "/other/orders");
    assert.deepEqual(
      operationsWithoutPrefix(doc, "/orders/:id").map((o) => `${o.method} ${o.path}`),
      ["GET /orders/{orderId}"],
    );
  });

  test("the operations no route implements", () => {
    const missing = unimplementedOperations(doc, [
      { method: "GET", route: "/api/v1/orders" },
      { method: "ANY", route: { segments: ["internal", "v1", "orders", ":id"] } },
      { method: "GET", route: "/reporting/reports/" },
      { method: "POST", route: "/reporting/reports" },
    ]);
    assert.deepEqual(
      missing.map((o) => `${o.method} ${o.path}`),
      ["POST /orders", "GET /orders/{orderId}/files/{path}", "POST /reports"],
    );
    const served = unimplementedOperations(
      loadOpenApiDocument(
        file("openapi.yaml", "openapi: 3.0.0\npaths:\n  /files/{path}:\n    head: {}\n    options: {}\n    get: {}\n"),
      ),
      [{ method: "GET", route: "/files/[...path]" }],
    );
    assert.deepEqual(served, [], "HEAD and OPTIONS come with a GET route; a catch-all implements the parameter");
  });
});

describe("where a project's documents are", () => {
  test("relative to the project folder of the file, absolute as written, else from the working directory", () => {
    const project = path.join(work, "services", "orders");
    mkdirSync(path.join(project, "src", "routes"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), "{}");
    const source = path.join(project, "src", "routes", "orders.ts");
    assert.deepEqual(documentFiles(["openapi.yaml", "docs/admin.json"], source, "node", "/elsewhere"), [
      path.join(project, "openapi.yaml"),
      path.join(project, "docs", "admin.json"),
    ]);
    const absolute = path.join(work, "specs", "orders.yaml");
    assert.deepEqual(documentFiles([absolute], source, "node", "/elsewhere"), [absolute]);
    const csharp = path.join(work, "services", "Billing.Api");
    mkdirSync(path.join(csharp, "Controllers"), { recursive: true });
    writeFileSync(path.join(csharp, "Billing.Api.csproj"), "<Project />");
    assert.deepEqual(documentFiles(["openapi.yaml"], path.join(csharp, "Controllers", "X.cs"), "dotnet", "/x"), [
      path.join(csharp, "openapi.yaml"),
    ]);
    const loose = path.join(work, "loose", "Tool.cs");
    assert.deepEqual(documentFiles(["openapi.yaml"], loose, "dotnet", "/srv/app"), [
      path.resolve("/srv/app/openapi.yaml"),
    ]);
  });
});
