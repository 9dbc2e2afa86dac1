/**
 * The TS/JS adapter on Next.js: route paths from file paths, route handlers, API routes
 * and server actions as endpoints, the session checks and wrappers that protect them,
 * and the middleware.ts fact.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Endpoint, RouteMiddleware } from "../lib/core/model.js";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import { fileKind } from "../lib/adapters/ts/libraries/nextjs.js";
import {
  isAssertingName,
  isAuthenticatedWrapperName,
  isSessionGetterName,
} from "../lib/adapters/ts/libraries/nextjs-auth.js";
import { tsModel } from "./helpers/model.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { ROOT } from "./helpers/paths.js";
import path from "node:path";

const ROUTE = "/srv/shop/app/api/orders/route.ts";
const API = "/srv/shop/pages/api/orders.ts";
const ACTIONS = "/srv/shop/app/orders/actions.ts";

/** `METHOD path [protections] writes`, one line per endpoint. */
function table(code: string, filename = ROUTE, settings: ApiPostureSettings = {}): string[] {
  return tsModel(code, settings, filename).endpoints.map(line);
}

function line(e: Endpoint): string {
  const protections = e.protections.map((p) => (p.requirement ? `${p.name}:${p.requirement}` : p.name));
  const writes = e.dataOperations.filter((d) => d.kind !== "read").length;
  return `${e.methods.join(",")} ${e.path} [${protections.join(", ")}] writes=${writes}`;
}

function endpoints(code: string, filename = ROUTE): Endpoint[] {
  return tsModel(code, {}, filename).endpoints;
}

/** The middleware fact without its locations, which the assertions leave out. */
type MiddlewareFact = Omit<RouteMiddleware, "loc" | "importedFunctions"> & {
  importedFunctions?: Omit<NonNullable<RouteMiddleware["importedFunctions"]>[number], "loc">[];
};

function middleware(code: string, filename = "/srv/shop/middleware.ts"): MiddlewareFact | undefined {
  const found = tsModel(code, {}, filename).routeMiddleware;
  if (!found) return undefined;
  const fact: MiddlewareFact & { loc?: unknown } = { ...found };
  delete fact.loc;
  if (found.importedFunctions)
    fact.importedFunctions = found.importedFunctions.map((f) => ({
      role: f.role,
      name: f.name,
      module: f.module,
      export: f.export,
    }));
  return fact;
}

const NEXT_AUTH = `import { NextResponse } from "next/server";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
`;

describe("route paths from file paths", () => {
  const path = (filename: string) => {
    const kind = fileKind(filename);
    return "path" in kind ? `${kind.kind} ${kind.path}` : kind.kind;
  };

  it("reads App Router folders: groups and slots dropped, dynamic and catch-all segments", () => {
    assert.equal(path("/srv/shop/app/api/orders/route.ts"), "app-route /api/orders");
    assert.equal(path("/srv/shop/src/app/(shop)/api/orders/[id]/route.ts"), "app-route /api/orders/:id");
    assert.equal(path("/srv/shop/app/api/files/[...path]/route.js"), "app-route /api/files/:path+");
    assert.equal(path("/srv/shop/app/docs/[[...slug]]/route.ts"), "app-route /docs/:slug*");
    assert.equal(path("/srv/shop/app/@modal/(.)photos/[id]/route.ts"), "app-route /photos/:id");
    assert.equal(path("/srv/shop/app/route.ts"), "app-route /");
    assert.equal(path("C:\\work\\shop\\src\\app\\api\\orders\\route.ts"), "app-route /api/orders");
  });

  it("takes the app folder under src, or the last one, so a checkout under /app still reads", () => {
    assert.equal(path("/app/src/app/api/orders/route.ts"), "app-route /api/orders");
    assert.equal(path("/app/app/api/orders/route.ts"), "app-route /api/orders");
  });

  it("does not route private folders, files outside app, or other file names", () => {
    assert.equal(path("/srv/shop/app/_lib/route.ts"), "other");
    assert.equal(path("/srv/shop/lib/route.ts"), "other");
    assert.equal(path("/srv/shop/app/api/orders/handlers.ts"), "other");
    assert.equal(path("/srv/shop/app/%5Fhealth/route.ts"), "app-route /_health");
  });

  it("reads Pages Router API routes, index files and dynamic segments", () => {
    assert.equal(path("/srv/shop/pages/api/orders.ts"), "pages-api /api/orders");
    assert.equal(path("/srv/shop/src/pages/api/orders/index.js"), "pages-api /api/orders");
    assert.equal(path("/srv/shop/pages/api/orders/[id].ts"), "pages-api /api/orders/:id");
    assert.equal(path("/srv/shop/pages/api/auth/[...nextauth].ts"), "pages-api /api/auth/:nextauth+");
    assert.equal(path("/srv/shop/pages/about.tsx"), "other");
    assert.equal(path("/srv/shop/pages/api/_utils.ts"), "other");
    assert.equal(path("/srv/shop/pages/api/types.d.ts"), "other");
  });

  it("knows middleware.ts and proxy.ts by name", () => {
    assert.equal(path("/srv/shop/middleware.ts"), "middleware");
    assert.equal(path("/srv/shop/src/proxy.js"), "middleware");
  });
});

describe("App Router route handlers", () => {
  it("takes exported functions, consts and export lists named after methods, and nothing else", () => {
    const code = `${NEXT_AUTH}
export async function GET() { return NextResponse.json(await prisma.order.findMany()); }
export const POST = async (req: Request) => NextResponse.json(await prisma.order.create({ data: await req.json() }));
async function remove(req: Request) { await prisma.order.deleteMany({}); return new Response(null, { status: 204 }); }
export { remove as DELETE, remove as purge };
export const dynamic = "force-dynamic";
export const revalidate = 0;
export function helper() {}
export type { Order } from "@/lib/types";
`;
    assert.deepEqual(table(code), [
      "GET /api/orders [] writes=0",
      "POST /api/orders [] writes=1",
      "DELETE /api/orders [] writes=1",
    ]);
    const [, post, remove] = endpoints(code);
    assert.equal(post.framework, "nextjs");
    assert.equal(post.vocabulary.displayName, "Next.js");
    assert.deepEqual(post.route.segments, ["api", "orders"]);
    assert.equal(post.handler, undefined);
    assert.equal(remove.handler, "remove");
    assert.equal(remove.loc.start.line, 9);
  });

  it("leaves the auth libraries' own handlers alone", () => {
    assert.deepEqual(
      table(
        `import NextAuth from "next-auth";\nconst handler = NextAuth({ providers: [] });\nexport { handler as GET, handler as POST };`,
      ),
      [],
    );
    assert.deepEqual(table(`import { handlers } from "@/auth";\nexport const { GET, POST } = handlers;`), []);
    assert.deepEqual(table(`import { handlers } from "@/auth";\nexport const POST = handlers.POST;`), []);
    // A project's own object of handlers is not Auth.js's.
    assert.deepEqual(table(`import { handlers } from "@/server/orders";\nexport const POST = handlers.createOrder;`), [
      "POST /api/orders [] writes=0",
    ]);
    assert.deepEqual(table(`import { handleAuth } from "@auth0/nextjs-auth0";\nexport const GET = handleAuth();`), []);
    assert.deepEqual(
      table(
        `import { auth } from "@/lib/auth";\nimport { toNextJsHandler } from "better-auth/next-js";\nexport const { POST, GET } = toNextJsHandler(auth);`,
      ),
      [],
    );
  });

  it("knows nothing of a route file's re-exports or other files' exports: the project index follows them", () => {
    assert.deepEqual(table(`export { POST } from "./handlers";`), []);
    const [imported] = endpoints(`import { createOrder } from "@/server/orders";\nexport const POST = createOrder;`);
    assert.deepEqual(
      imported.importedFunctions?.map((f) => `${f.role} ${f.name} ${f.module} ${f.export}`),
      ["handler createOrder @/server/orders createOrder"],
    );
    assert.equal(imported.protections.length, 0);
  });
});

describe("session checks in a handler", () => {
  const handler = (body: string, imports = NEXT_AUTH) =>
    `${imports}export async function POST(req: Request) {\n${body}\n}\n`;
  const protectedBy = (body: string, imports = NEXT_AUTH) => table(handler(body, imports))[0];

  it("counts a check that exits without a session before the write", () => {
    for (const exit of [
      `return NextResponse.json({ error: "Unauthorized" }, { status: 401 });`,
      `return new Response("Unauthorized", { status: 401 });`,
      `throw new Error("Not authenticated");`,
      `{ return; }`,
    ])
      assert.equal(
        protectedBy(
          `const session = await getServerSession(authOptions);\nif (!session) ${exit}\nawait prisma.order.create({ data: {} });\nreturn NextResponse.json({});`,
        ),
        "POST /api/orders [getServerSession] writes=1",
        exit,
      );
  });

  it("counts next/navigation's redirect, notFound, unauthorized and forbidden as exits", () => {
    for (const call of ["redirect('/login')", "notFound()", "unauthorized()", "forbidden()"]) {
      const imports = `${NEXT_AUTH}import { redirect, notFound, unauthorized, forbidden } from "next/navigation";\n`;
      assert.equal(
        protectedBy(
          `const session = await getServerSession(authOptions);\nif (!session?.user) ${call};\nawait prisma.order.create({ data: {} });`,
          imports,
        ),
        "POST /api/orders [getServerSession] writes=1",
        call,
      );
    }
  });

  it("reads the forms of an absence test", () => {
    for (const test of [
      "!session",
      "!session?.user?.email",
      "session == null",
      "session === null || session.user === undefined",
      "typeof session === 'undefined'",
      "!session || !session.user",
    ])
      assert.equal(
        protectedBy(
          `const session = await getServerSession(authOptions);\nif (${test}) return new Response(null, { status: 401 });\nawait prisma.order.create({ data: {} });`,
        ),
        "POST /api/orders [getServerSession] writes=1",
        test,
      );
  });

  it("follows a test kept in a variable", () => {
    const write = `\nawait prisma.order.create({ data: {} });`;
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nconst isSignedIn = !!session;\nif (!isSignedIn) return new Response(null, { status: 401 });${write}`,
      ),
      "POST /api/orders [getServerSession] writes=1",
    );
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nconst isAdmin = session?.user.role === "admin";\nif (!isAdmin) return new Response(null, { status: 403 });${write}`,
      ),
      "POST /api/orders [getServerSession:role] writes=1",
    );
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nconst isGuest = session == null;\nif (isGuest) return new Response(null, { status: 401 });${write}`,
      ),
      "POST /api/orders [getServerSession] writes=1",
    );
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nconst isGuest = session == null;\nif (!isGuest) return NextResponse.json({ error: "already signed in" });${write}`,
      ),
      "POST /api/orders [] writes=1",
    );
  });

  it("counts a write inside the branch taken only with a session", () => {
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nif (session?.user) {\n  await prisma.order.create({ data: {} });\n  return NextResponse.json({});\n}\nreturn new Response(null, { status: 401 });`,
      ),
      "POST /api/orders [getServerSession] writes=1",
    );
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nif (!session) {\n  return new Response(null, { status: 401 });\n} else {\n  await prisma.order.create({ data: {} });\n}\nreturn NextResponse.json({});`,
      ),
      "POST /api/orders [getServerSession] writes=1",
    );
  });

  it("counts checks inside a try block for the writes there", () => {
    assert.equal(
      protectedBy(
        `try {\n  const session = await getServerSession(authOptions);\n  if (!session) return new Response(null, { status: 401 });\n  await prisma.order.create({ data: {} });\n  return NextResponse.json({});\n} catch (error) {\n  return NextResponse.json({ error: String(error) }, { status: 500 });\n}`,
      ),
      "POST /api/orders [getServerSession] writes=1",
    );
  });

  it("does not count a check that only logs, comes after the write, or reads the session optionally", () => {
    for (const body of [
      `const session = await getServerSession(authOptions);\nif (!session) console.warn("anonymous order");\nawait prisma.order.create({ data: {} });`,
      `await prisma.order.create({ data: {} });\nconst session = await getServerSession(authOptions);\nif (!session) return new Response(null, { status: 401 });`,
      `const session = await getServerSession(authOptions);\nawait prisma.order.create({ data: { createdBy: session?.user?.email ?? null } });`,
      // Returns when there IS a session: the anonymous caller goes on to the write.
      `const session = await getServerSession(authOptions);\nif (session) return NextResponse.json({ error: "already signed in" });\nawait prisma.user.create({ data: {} });`,
      // Holds without a session only in production.
      `const session = await getServerSession(authOptions);\nif (!session && process.env.NODE_ENV === "production") return new Response(null, { status: 401 });\nawait prisma.order.create({ data: {} });`,
      // The check guards one branch; the write is in another.
      `const session = await getServerSession(authOptions);\nif (req.headers.get("x-preview")) {\n  if (!session) return new Response(null, { status: 401 });\n}\nawait prisma.order.create({ data: {} });`,
    ])
      assert.equal(protectedBy(body), "POST /api/orders [] writes=1", body);
  });

  it("does not take a record looked up by id for the caller's session", () => {
    const imports = `import { getUser } from "@/lib/users";\nimport { prisma } from "@/lib/prisma";\n`;
    assert.equal(
      protectedBy(
        `const { ownerId } = await req.json();\nconst owner = await getUser(ownerId);\nif (!owner) return new Response("no such user", { status: 404 });\nawait prisma.order.create({ data: { ownerId } });`,
        imports,
      ),
      "POST /api/orders [] writes=1",
    );
  });

  it("protects a POST that writes nothing when the check comes before its answers", () => {
    const imports = `${NEXT_AUTH}import { stripe } from "@/lib/stripe";\n`;
    assert.equal(
      protectedBy(
        `const session = await getServerSession(authOptions);\nif (!session) return new Response(null, { status: 401 });\nconst checkout = await stripe.checkout.sessions.create({ mode: "payment" });\nreturn NextResponse.json({ url: checkout.url });`,
        imports,
      ),
      "POST /api/orders [getServerSession] writes=0",
    );
    assert.equal(
      protectedBy(
        `const checkout = await stripe.checkout.sessions.create({ mode: "payment" });\nreturn NextResponse.json({ url: checkout.url });`,
        imports,
      ),
      "POST /api/orders [] writes=0",
    );
  });

  it("reads a role comparison as a role requirement, an ownership comparison as authentication", () => {
    const write = `\nawait prisma.order.create({ data: {} });`;
    const check = (test: string) =>
      protectedBy(
        `const session = await getServerSession(authOptions);\nif (${test}) return new Response(null, { status: 403 });${write}`,
      );
    assert.equal(check(`session?.user.role !== "ADMIN"`), "POST /api/orders [getServerSession:role] writes=1");
    assert.equal(
      check(`!session || !session.user.roles.includes("admin")`),
      "POST /api/orders [getServerSession:role] writes=1",
    );
    assert.equal(check(`!session?.user.isAdmin`), "POST /api/orders [getServerSession:role] writes=1");
    assert.equal(
      check(`!hasPermission(session, "orders:write")`),
      "POST /api/orders [getServerSession:policy] writes=1",
    );
    assert.equal(
      check(`session?.user.id !== req.headers.get("x-owner")`),
      "POST /api/orders [getServerSession] writes=1",
    );
  });

  it("knows each auth library's session read", () => {
    const write = `\nawait db.note.create({ data: {} });\nreturn Response.json({});`;
    const cases: [string, string, string][] = [
      [
        `import { auth } from "@/auth";`,
        `const session = await auth();\nif (!session?.user) return new Response(null, { status: 401 });`,
        "auth",
      ],
      [
        `import { auth } from "@clerk/nextjs/server";`,
        `const { userId } = await auth();\nif (!userId) return new Response(null, { status: 401 });`,
        "auth",
      ],
      [
        `import { auth } from "@clerk/nextjs";`,
        `const { userId } = auth();\nif (!userId) return new Response(null, { status: 401 });`,
        "auth",
      ],
      [
        `import { currentUser } from "@clerk/nextjs/server";`,
        `const user = await currentUser();\nif (!user) return new Response(null, { status: 401 });`,
        "currentUser",
      ],
      [`import { auth } from "@clerk/nextjs/server";`, `await auth.protect();`, "auth.protect"],
      [`import { auth } from "@clerk/nextjs/server";`, `const { userId } = auth().protect();`, "auth.protect"],
      [
        `import { getToken } from "next-auth/jwt";`,
        `const token = await getToken({ req });\nif (!token) return new Response(null, { status: 401 });`,
        "getToken",
      ],
      [
        `import { createClient } from "@/utils/supabase/server";`,
        `const supabase = await createClient();\nconst { data: { user }, error } = await supabase.auth.getUser();\nif (error) return new Response(null, { status: 401 });`,
        "supabase.auth.getUser",
      ],
      [
        `import { createRouteHandlerClient } from "@supabase/auth-helpers-nextjs";\nimport { cookies } from "next/headers";`,
        `const { data } = await createRouteHandlerClient({ cookies }).auth.getSession();\nif (!data.session) return new Response(null, { status: 401 });`,
        "getSession",
      ],
      [
        `import { auth0 } from "@/lib/auth0";`,
        `const session = await auth0.getSession();\nif (!session) return new Response(null, { status: 401 });`,
        "auth0.getSession",
      ],
      [
        `import { getSession } from "@auth0/nextjs-auth0";`,
        `const session = await getSession();\nif (!session) return new Response(null, { status: 401 });`,
        "getSession",
      ],
      [
        `import { validateRequest } from "@/lib/lucia";`,
        `const { user } = await validateRequest();\nif (!user) return new Response(null, { status: 401 });`,
        "validateRequest",
      ],
      [
        `import { getIronSession } from "iron-session";\nimport { cookies } from "next/headers";\nimport { sessionOptions } from "@/lib/session";`,
        `const session = await getIronSession(await cookies(), sessionOptions);\nif (!session.isLoggedIn) return new Response(null, { status: 401 });`,
        "getIronSession",
      ],
      [
        `import { auth } from "@/lib/auth";\nimport { headers } from "next/headers";`,
        `const session = await auth.api.getSession({ headers: await headers() });\nif (!session) return new Response(null, { status: 401 });`,
        "auth.api.getSession",
      ],
      [
        `import { getServerAuthSession } from "~/server/auth";`,
        `const session = await getServerAuthSession();\nif (!session) return new Response(null, { status: 401 });`,
        "getServerAuthSession",
      ],
      [
        `import { getCurrentUser } from "@/lib/session";`,
        `const user = await getCurrentUser();\nif (!user) return new Response(null, { status: 401 });`,
        "getCurrentUser",
      ],
    ];
    for (const [imports, check, name] of cases) {
      const code = handler(`${check}${write}`, `${imports}\nimport { db } from "@/db";\n`);
      assert.equal(table(code)[0], `POST /api/orders [${name}] writes=1`, `${imports} ${check}`);
    }
  });

  it("reads Clerk's protect options as requirements", () => {
    const imports = `import { auth } from "@clerk/nextjs/server";\nimport { db } from "@/db";\n`;
    const write = `\nawait db.note.deleteMany({});`;
    assert.equal(
      protectedBy(`await auth.protect({ role: "org:admin" });${write}`, imports),
      "POST /api/orders [auth.protect:role] writes=1",
    );
    assert.equal(
      protectedBy(`await auth.protect({ permission: "org:notes:delete" });${write}`, imports),
      "POST /api/orders [auth.protect:policy] writes=1",
    );
    assert.equal(
      protectedBy(`await auth.protect((has) => has({ role: "org:admin" }));${write}`, imports),
      "POST /api/orders [auth.protect:role] writes=1",
    );
  });

  it("follows the session into same-file helpers that read or assert it", () => {
    const code = `${NEXT_AUTH}import { redirect } from "next/navigation";
async function getViewer() {
  const session = await getServerSession(authOptions);
  return session?.user ?? null;
}
async function requireAdmin() {
  const session = await getServerSession(authOptions);
  if (session?.user.role !== "admin") redirect("/");
  return session;
}
async function requireMember() {
  return (await getServerSession(authOptions))?.user;
}
export async function POST() {
  const viewer = await getViewer();
  if (!viewer) return new Response(null, { status: 401 });
  await prisma.order.create({ data: {} });
}
export async function PUT() {
  await requireAdmin();
  await prisma.order.updateMany({ data: {} });
}
export async function PATCH() {
  await requireMember();
  await prisma.order.updateMany({ data: {} });
}
`;
    assert.deepEqual(table(code), [
      "POST /api/orders [getViewer] writes=1",
      "PUT /api/orders [requireAdmin:role] writes=1",
      "PATCH /api/orders [] writes=1",
    ]);
  });

  it("takes a guard call from another project file by its name, and names it for the project index", () => {
    const code = `import { requireUser, verifySession, ensureAdmin } from "@/lib/dal";
import { prisma } from "@/lib/prisma";
export async function POST() { const user = await requireUser(); await prisma.note.create({ data: { userId: user.id } }); }
export async function PUT() { await verifySession(); await prisma.note.updateMany({ data: {} }); }
export async function DELETE() { await ensureAdmin(); await prisma.note.deleteMany({}); }
`;
    assert.deepEqual(table(code), [
      "POST /api/orders [requireUser] writes=1",
      "PUT /api/orders [verifySession] writes=1",
      "DELETE /api/orders [ensureAdmin:role] writes=1",
    ]);
    assert.deepEqual(
      endpoints(code)[0].importedFunctions?.map((f) => `${f.role} ${f.name} ${f.module}`),
      ["guard requireUser @/lib/dal"],
    );
  });

  it("follows writes into same-file helpers, at the place the handler calls them", () => {
    const code = `${NEXT_AUTH}
async function saveOrder(data: unknown) { return prisma.order.create({ data }); }
export async function POST(req: Request) {
  await saveOrder(await req.json());
  const session = await getServerSession(authOptions);
  if (!session) return new Response(null, { status: 401 });
  return NextResponse.json({});
}
export async function PUT(req: Request) {
  const session = await getServerSession(authOptions);
  if (!session) return new Response(null, { status: 401 });
  await saveOrder(await req.json());
  return NextResponse.json({});
}
`;
    assert.deepEqual(table(code), ["POST /api/orders [] writes=1", "PUT /api/orders [getServerSession] writes=1"]);
  });

  it("takes the names in settings['api-posture'].auth as guards", () => {
    const code = `import { gatekeeper } from "@/lib/gate";\nimport { prisma } from "@/lib/prisma";\nexport async function POST() { await gatekeeper(); await prisma.note.create({ data: {} }); }\n`;
    assert.deepEqual(table(code), ["POST /api/orders [] writes=1"]);
    assert.deepEqual(table(code, ROUTE, { auth: ["gatekeeper"] }), ["POST /api/orders [gatekeeper] writes=1"]);
  });
});

describe("wrappers around a handler", () => {
  it("protects with a same-file wrapper whose returned handler checks the session", () => {
    const code = `${NEXT_AUTH}
const withSession = (handler: (req: Request, session: unknown) => Promise<Response>) => async (req: Request) => {
  const session = await getServerSession(authOptions);
  if (!session) return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  return handler(req, session);
};
function withLogging(handler: (req: Request) => Promise<Response>) {
  return async (req: Request) => { console.info(req.url); return handler(req); };
}
const create = async (req: Request) => NextResponse.json(await prisma.order.create({ data: await req.json() }));
export const POST = withSession(create);
export const PUT = withLogging(create);
export const PATCH = withLogging(withSession(create));
`;
    assert.deepEqual(table(code), [
      "POST /api/orders [withSession] writes=1",
      "PUT /api/orders [] writes=1",
      "PATCH /api/orders [withSession] writes=1",
    ]);
  });

  it("finds the handler among a wrapper's arguments", () => {
    const code = `${NEXT_AUTH}import { z } from "zod";
import { withValidation } from "@/lib/api";
const schema = z.object({ note: z.string() });
async function create(req: Request) {
  const session = await getServerSession(authOptions);
  if (!session) return new Response(null, { status: 401 });
  return NextResponse.json(await prisma.note.create({ data: await req.json() }));
}
export const POST = withValidation(schema, create);
`;
    assert.deepEqual(table(code), ["POST /api/orders [getServerSession] writes=1"]);
  });

  it("takes wrappers from other project files by name and names them for the project index", () => {
    const code = `import { withAuth, withErrorHandler } from "@/lib/api";
import { prisma } from "@/lib/prisma";
export const POST = withAuth(async (req: Request) => Response.json(await prisma.order.create({ data: {} })));
export const PUT = withErrorHandler(async (req: Request) => Response.json(await prisma.order.updateMany({ data: {} })));
`;
    assert.deepEqual(table(code), ["POST /api/orders [withAuth] writes=1", "PUT /api/orders [] writes=1"]);
    assert.deepEqual(
      endpoints(code).map((e) => e.importedFunctions?.map((f) => `${f.role} ${f.name} ${f.module} ${f.export}`)),
      [["wrapper withAuth @/lib/api withAuth"], ["wrapper withErrorHandler @/lib/api withErrorHandler"]],
    );
  });

  it("knows Auth0's withApiAuthRequired, and that Auth.js's auth(handler) only attaches the session", () => {
    const auth0 = `import { withApiAuthRequired } from "@auth0/nextjs-auth0";\nimport { db } from "@/db";\nexport const POST = withApiAuthRequired(async () => Response.json(await db.note.create({ data: {} })));\n`;
    assert.deepEqual(table(auth0), ["POST /api/orders [withApiAuthRequired] writes=1"]);
    const authjs = `import { auth } from "@/auth";\nimport { db } from "@/db";
export const POST = auth(async (req) => {
  if (!req.auth?.user) return Response.json({ message: "Not authenticated" }, { status: 401 });
  return Response.json(await db.note.create({ data: {} }));
});
export const PUT = auth(async (req) => Response.json(await db.note.updateMany({ data: { by: req.auth?.user?.id } })));
`;
    assert.deepEqual(table(authjs), ["POST /api/orders [req.auth] writes=1", "PUT /api/orders [] writes=1"]);
  });

  it("does not take a name-only wrapper that is soft or public", () => {
    assert.equal(isAuthenticatedWrapperName("withAuth"), true);
    assert.equal(isAuthenticatedWrapperName("authActionClient"), true);
    assert.equal(isAuthenticatedWrapperName("protectedProcedure"), true);
    assert.equal(isAuthenticatedWrapperName("withOptionalAuth"), false);
    assert.equal(isAuthenticatedWrapperName("publicAction"), false);
    assert.equal(isAuthenticatedWrapperName("withSession"), false);
    assert.equal(isAuthenticatedWrapperName("withErrorHandler"), false);
    assert.equal(isAuthenticatedWrapperName("auth"), false);
  });
});

describe("Pages Router API routes", () => {
  const api = (body: string) => `${NEXT_AUTH}import type { NextApiRequest, NextApiResponse } from "next";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
${body}
}
`;

  it("is one ANY endpoint without method branches, decided by its writes", () => {
    assert.deepEqual(table(api(`await prisma.order.create({ data: req.body });\nres.status(201).end();`), API), [
      "ANY /api/orders [] writes=1",
    ]);
    const [endpoint] = endpoints(api(`res.json(await prisma.order.findMany());`), API);
    assert.equal(endpoint.vocabulary.displayName, "Next.js (Pages Router)");
    assert.equal(endpoint.handler, "handler");
    assert.deepEqual(endpoint.loc, { start: { line: 6, column: 0 }, end: { line: 6, column: 37 } });
    const [arrow] = endpoints(`export default async (req, res) => {\n  res.end();\n};\n`, API);
    assert.deepEqual(arrow.loc, { start: { line: 1, column: 0 }, end: { line: 1, column: 14 } });
  });

  it("splits if / else-if and switch branches into endpoints, with the checks before and inside them", () => {
    const code = api(`const session = await getServerSession(req, res, authOptions);
if (req.method === "GET") {
  return res.json(await prisma.order.findMany());
} else if (req.method === "POST" || req.method === "PUT") {
  if (!session) return res.status(401).json({ error: "Unauthorized" });
  return res.json(await prisma.order.upsert({ where: { id: req.body.id }, create: req.body, update: req.body }));
}
switch (req.method) {
  case "PATCH":
  case "DELETE": {
    await prisma.order.deleteMany({ where: { id: req.body.id } });
    return res.status(204).end();
  }
  default:
    res.setHeader("Allow", "GET, POST, PUT, PATCH, DELETE");
    return res.status(405).end();
}`);
    assert.deepEqual(table(code, API), [
      "GET /api/orders [] writes=0",
      "POST,PUT /api/orders [getServerSession] writes=1",
      "PATCH,DELETE /api/orders [] writes=1",
    ]);
  });

  it("narrows the handler to the methods a 405 check lets through", () => {
    for (const test of [`req.method !== "POST"`, `!["POST"].includes(req.method!)`]) {
      const code = api(`if (${test}) return res.status(405).end();
const session = await getServerSession(req, res, authOptions);
if (!session) return res.status(401).end();
await prisma.order.create({ data: req.body });
res.status(201).end();`);
      assert.deepEqual(table(code, API), ["POST /api/orders [getServerSession] writes=1"], test);
    }
  });

  it("reads the method from a destructured `method`", () => {
    const code = api(`const { method } = req;
if (method === "DELETE") {
  await prisma.order.delete({ where: { id: String(req.query.id) } });
  return res.status(204).end();
}
res.status(405).end();`);
    assert.deepEqual(table(code, API), ["DELETE /api/orders [] writes=1"]);
  });

  it("does not count a 401 answer without a return: the write still runs", () => {
    const code = api(`const session = await getServerSession(req, res, authOptions);
if (!session) {
  res.status(401).json({ error: "Unauthorized" });
}
await prisma.order.create({ data: req.body });
res.status(201).end();`);
    assert.deepEqual(table(code, API), ["ANY /api/orders [] writes=1"]);
  });

  it("follows default exports through names and wrappers", () => {
    const code = `import { withIronSessionApiRoute } from "iron-session/next";
import { prisma } from "@/lib/prisma";
async function handler(req, res) {
  if (!req.session.user) return res.status(401).end();
  await prisma.order.create({ data: req.body });
  res.end();
}
export default withIronSessionApiRoute(handler, { cookieName: "sid", password: process.env.SESSION_PASSWORD });
`;
    assert.deepEqual(table(code, API), ["ANY /api/orders [req.session] writes=1"]);
  });
});

describe("server actions", () => {
  it("makes endpoints of the writing exports of a 'use server' file", () => {
    const code = `"use server";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function createOrder(formData: FormData) {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  await prisma.order.create({ data: { note: String(formData.get("note")) } });
}
export async function deleteOrder(id: string) { await prisma.order.delete({ where: { id } }); }
export async function listOrders() { return prisma.order.findMany(); }
export const cancelOrder = async (id: string) => { await prisma.order.update({ where: { id }, data: { status: "cancelled" } }); };
async function local(id: string) { await prisma.order.delete({ where: { id } }); }
`;
    assert.deepEqual(table(code, ACTIONS), [
      "POST action:createOrder [auth] writes=1",
      "POST action:deleteOrder [] writes=1",
      "POST action:cancelOrder [] writes=1",
    ]);
    const [action] = endpoints(code, ACTIONS);
    assert.equal(action.handler, "createOrder");
    assert.equal(action.vocabulary.displayName, "Next.js server action");
    assert.deepEqual(action.route.segments, ["action:createOrder"]);
  });

  it("makes endpoints of functions with an inline 'use server', in any file", () => {
    const code = `import { prisma } from "@/lib/prisma";
export default function Page() {
  async function archive(formData: FormData) {
    "use server";
    await prisma.order.updateMany({ data: { archived: true } });
  }
  const rename = async (formData: FormData) => {
    "use server";
    await prisma.order.updateMany({ data: { name: String(formData.get("name")) } });
  };
  return null;
}
`;
    assert.deepEqual(table(code, "/srv/shop/app/orders/page.tsx"), [
      "POST action:archive [] writes=1",
      "POST action:rename [] writes=1",
    ]);
  });

  it("ignores a 'use server' that is not a directive, and 'use client' files", () => {
    assert.deepEqual(
      table(
        `const note = "use server";\nexport async function save() { await prisma.order.create({ data: { note } }); }`,
        ACTIONS,
      ),
      [],
    );
    assert.deepEqual(
      table(`"use client";\nexport async function save() { await prisma.order.create({ data: {} }); }`, ACTIONS),
      [],
    );
  });

  it("follows next-safe-action clients: one built with a checking middleware protects", () => {
    const code = `"use server";
import { createSafeActionClient } from "next-safe-action";
import { auth } from "@/auth";
import { authedClient } from "@/lib/safe-action";
import { db } from "@/db";
const client = createSafeActionClient();
const memberClient = client.use(async ({ next }) => {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  return next({ ctx: { session } });
});
export const a = memberClient.action(async () => { await db.note.create({ data: {} }); });
export const b = client.action(async () => { await db.note.create({ data: {} }); });
export const c = authedClient.action(async () => { await db.note.create({ data: {} }); });
`;
    assert.deepEqual(table(code, ACTIONS), [
      "POST action:a [memberClient] writes=1",
      "POST action:b [] writes=1",
      "POST action:c [authedClient] writes=1",
    ]);
  });
});

describe("middleware.ts", () => {
  it("records next-auth's middleware and its matcher", () => {
    assert.deepEqual(
      middleware(
        `export { default } from "next-auth/middleware";\nexport const config = { matcher: ["/dashboard/:path*", "/api/orders/:path*"] };`,
      ),
      {
        framework: "nextjs",
        matchers: ["/dashboard/:path*", "/api/orders/:path*"],
        protects: "all",
        name: "next-auth/middleware",
      },
    );
    assert.deepEqual(
      middleware(`import { withAuth } from "next-auth/middleware";
export default withAuth(function middleware(req) {}, { callbacks: { authorized: ({ token }) => token?.role === "admin" } });
export const config = { matcher: "/admin/:path*" };`),
      { framework: "nextjs", matchers: ["/admin/:path*"], protects: "all", name: "withAuth", requirement: "role" },
    );
    assert.equal(
      middleware(
        `import { withAuth } from "next-auth/middleware";\nexport default withAuth(function middleware(req) {}, { callbacks: { authorized: () => true } });`,
      )?.protects,
      "none",
    );
  });

  it("records what clerkMiddleware protects: nothing by default, route matchers, or everything", () => {
    const clerk = `import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";\n`;
    assert.equal(middleware(`${clerk}export default clerkMiddleware();`)?.protects, "none");
    assert.deepEqual(
      middleware(`${clerk}const isProtectedRoute = createRouteMatcher(["/dashboard(.*)", "/api/orders(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect();
});`),
      { framework: "nextjs", protects: "some", only: ["/dashboard(.*)", "/api/orders(.*)"], name: "auth.protect" },
    );
    assert.deepEqual(
      middleware(`${clerk}const isPublicRoute = createRouteMatcher(["/sign-in(.*)", "/api/webhooks(.*)"]);
export default clerkMiddleware((auth, request) => {
  if (!isPublicRoute(request)) {
    auth().protect();
  }
});`),
      { framework: "nextjs", protects: "some", except: ["/sign-in(.*)", "/api/webhooks(.*)"], name: "auth.protect" },
    );
    assert.equal(
      middleware(`${clerk}export default clerkMiddleware(async (auth) => { await auth.protect(); });`)?.protects,
      "all",
    );
  });

  it("records a hand-written session check, whole or conditional", () => {
    assert.deepEqual(
      middleware(`import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  const token = request.cookies.get("session")?.value;
  if (!token) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
export const config = { matcher: ["/admin/:path*", { source: "/api/:path*" }] };`),
      {
        framework: "nextjs",
        matchers: ["/admin/:path*", "/api/:path*"],
        protects: "all",
        name: 'cookies.get("session")',
      },
    );
    assert.equal(
      middleware(
        `import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
export async function proxy(req: NextRequest) {
  const token = await getToken({ req });
  if (req.nextUrl.pathname.startsWith("/admin") && !token) return NextResponse.redirect(new URL("/login", req.url));
  return NextResponse.next();
}`,
        "/srv/shop/src/proxy.ts",
      )?.protects,
      "some",
    );
    // Signed-in users are sent away from the sign-in pages; everyone else without a token to them.
    assert.equal(
      middleware(`import { getToken } from "next-auth/jwt";
import { withAuth } from "next-auth/middleware";
import { NextResponse } from "next/server";
export default withAuth(
  async function middleware(req) {
    const token = await getToken({ req });
    const isAuth = !!token;
    if (req.nextUrl.pathname.startsWith("/login")) {
      if (isAuth) return NextResponse.redirect(new URL("/dashboard", req.url));
      return null;
    }
    if (!isAuth) return NextResponse.redirect(new URL("/login", req.url));
  },
  { callbacks: { async authorized() { return true; } } },
);`)?.protects,
      "some",
    );
    // Falling off the end lets the request through, as `NextResponse.next()` does.
    assert.equal(
      middleware(`import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (!request.cookies.has("auth-token")) return NextResponse.redirect(new URL("/sign-in", request.url));
}`)?.protects,
      "all",
    );
    // Lets the request through either way.
    assert.equal(
      middleware(`import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.next();
  return NextResponse.next({ headers: { "x-user": "1" } });
}`)?.protects,
      "none",
    );
  });

  it("leaves what another project file does to the project index", () => {
    assert.deepEqual(
      middleware(
        `export { auth as middleware } from "@/auth";\nexport const config = { matcher: ["/((?!api|_next).*)"] };`,
      ),
      {
        framework: "nextjs",
        matchers: ["/((?!api|_next).*)"],
        protects: "unknown",
        importedFunctions: [{ role: "handler", name: "auth", module: "@/auth", export: "auth" }],
      },
    );
    assert.deepEqual(
      middleware(`import { type NextRequest } from "next/server";
import { updateSession } from "@/utils/supabase/middleware";
export async function middleware(request: NextRequest) { return await updateSession(request); }
export const config = { matcher: [buildMatcher()] };`),
      {
        framework: "nextjs",
        matchers: [],
        matchersIncomplete: true,
        protects: "unknown",
        importedFunctions: [
          { role: "handler", name: "updateSession", module: "@/utils/supabase/middleware", export: "updateSession" },
        ],
      },
    );
    assert.equal(
      middleware(`import { auth } from "@/auth";
export default auth((req) => {
  if (!req.auth && req.nextUrl.pathname !== "/login") return Response.redirect(new URL("/login", req.nextUrl.origin));
});`)?.protects,
      "some",
    );
  });

  it("is not a Next.js middleware without Next.js in it, nor outside middleware.ts", () => {
    assert.equal(
      middleware(`import express from "express";\nexport function middleware(req, res, next) { next(); }`),
      undefined,
    );
    assert.equal(
      middleware(`export { default } from "next-auth/middleware";`, "/srv/shop/lib/auth-middleware.ts"),
      undefined,
    );
  });
});

describe("names", () => {
  it("tells session reads from record look-ups and session changes", () => {
    for (const name of [
      "auth",
      "getServerSession",
      "getServerAuthSession",
      "getCurrentUser",
      "currentUser",
      "getSession",
      "validateRequest",
      "getAuthUser",
      "getUser",
    ])
      assert.equal(isSessionGetterName(name), true, name);
    for (const name of ["createSession", "deleteSession", "getUserById", "signIn", "getOrders", "optionalAuth"])
      assert.equal(isSessionGetterName(name), false, name);
  });

  it("tells asserting calls from reads and predicates", () => {
    for (const name of [
      "requireUser",
      "requireAuth",
      "verifySession",
      "ensureAdmin",
      "checkAuth",
      "assertAuthenticated",
    ])
      assert.equal(isAssertingName(name), true, name);
    for (const name of ["auth", "getSession", "isAdmin", "requireBody", "validateInput", "checkStock"])
      assert.equal(isAssertingName(name), false, name);
  });
});

describe("through ESLint", () => {
  // Files ESLint is given as text, under its working directory: none exists on disk.
  const SHOP = path.join(ROOT, "shop");
  const route = `import { prisma } from "@/lib/prisma";
export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await prisma.order.delete({ where: { id } });
  return new Response(null, { status: 204 });
}
`;
  const action = `"use server";
import { prisma } from "@/lib/prisma";
export async function deleteOrder(id: string) {
  await prisma.order.delete({ where: { id } });
}
`;
  for (const version of ESLINT_VERSIONS) {
    it(`reports in Next.js's words, on the exported name (${version.label})`, async () => {
      const eslint = recommendedEslint(version);
      const [routeResult] = await eslint.lintText(route, { filePath: path.join(SHOP, "app/api/orders/[id]/route.ts") });
      assert.deepEqual(
        routeResult.messages.map((m) => `${m.line}:${m.column} ${m.message}`),
        [
          "2:23 AP101 DELETE /api/orders/:id changes state but nothing requires authorization: no session check in the route handler before it changes state (`if (!session) return …`, `redirect()`, `throw`), and no auth wrapper around it. SOC 2 CC6.1, CC6.3. Fix: read the session first and answer 401 without one (`const session = await auth(); if (!session) return new Response(null, { status: 401 })`), or wrap the handler in an auth wrapper.",
        ],
      );
      const [actionResult] = await eslint.lintText(action, { filePath: path.join(SHOP, "app/orders/actions.ts") });
      assert.deepEqual(
        actionResult.messages.map((m) => `${m.line}:${m.column} ${m.message}`),
        [
          '3:23 AP101 POST action:deleteOrder (deleteOrder) changes state but nothing requires authorization: no session check in the server action before it writes, and a server action is a POST endpoint anyone can call. SOC 2 CC6.1, CC6.3. Fix: check the session at the top of the action (`const session = await auth(); if (!session) throw new Error("Unauthorized")`), or build it with an authenticated action client.',
        ],
      );
      // The same code outside a route folder is no endpoint.
      const [elsewhere] = await eslint.lintText(route, { filePath: path.join(SHOP, "lib/orders.ts") });
      assert.deepEqual(elsewhere.messages, []);
    });
  }
});

describe("size", () => {
  // A hang guard, not a performance budget: a pass that went quadratic in the statements would take minutes.
  it("stays linear on a handler with thousands of checks and writes", () => {
    const lines = [
      NEXT_AUTH,
      "export async function POST(req: Request) {",
      "const session = await getServerSession(authOptions);",
      "if (!session) return new Response(null, { status: 401 });",
    ];
    for (let i = 0; i < 5000; i++) {
      lines.push(`if (req.headers.get("x-${i}")) console.info(${i});`);
      lines.push(`await prisma.order.update({ where: { id: "${i}" }, data: {} });`);
    }
    lines.push("}");
    const started = performance.now();
    const [endpoint] = endpoints(lines.join("\n"));
    assert.equal(endpoint.dataOperations.length, 5000);
    assert.deepEqual(
      endpoint.protections.map((p) => p.name),
      ["getServerSession"],
    );
    assert.ok(performance.now() - started < 20_000, "built in under 20 s");
  });
});
