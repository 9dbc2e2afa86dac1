/**
 * The TS/JS adapter on NestJS code: which classes are controllers and which methods are
 * handlers, their methods and paths, the guards and public markers that apply with where
 * they come from, the global guards a file registers, the names left to the project
 * index, and the handlers' data-layer calls.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import type { Endpoint } from "../lib/core/model.js";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { tsModel } from "./helpers/model.js";
import { ROOT } from "./helpers/paths.js";

const COMMON = `import { All, Body, Controller, Delete, Get, Head, Options, Param, Patch, Post, Put, SetMetadata, UseGuards, Version, applyDecorators, CanActivate, ExecutionContext, Injectable, UnauthorizedException, ForbiddenException } from "@nestjs/common";\n`;

function endpoints(code: string, settings: ApiPostureSettings = {}): Endpoint[] {
  return tsModel(COMMON + code, settings, "orders.controller.ts").endpoints;
}

/** `METHOD path` of every endpoint. */
function table(code: string): string[] {
  return endpoints(code).map((e) => `${e.methods.join(",")} ${e.path}`);
}

/** `name@source[:requirement]` of every protection, per endpoint. */
function protections(code: string, settings: ApiPostureSettings = {}): string[][] {
  return endpoints(code, settings).map((e) =>
    e.protections.map((p) => `${p.name}@${p.source}${p.requirement ? `:${p.requirement}` : ""}`),
  );
}

function anonymous(code: string, settings: ApiPostureSettings = {}): string[][] {
  return endpoints(code, settings).map((e) => e.anonymous.map((a) => `${a.name}@${a.source}`));
}

function unresolved(code: string): string[][] {
  return endpoints(code).map((e) =>
    (e.unresolved ?? []).map((u) => `${u.kind} ${u.name} from ${u.module}@${u.source}`),
  );
}

/** A controller with one `@Post(path)` handler per entry, each with the decorators given. */
function handlers(...decorated: string[]): string {
  const methods = decorated.map((d, i) => `  ${d}\n  @Post("h${i}")\n  h${i}() {}`).join("\n");
  return `@Controller("c")\nexport class C {\n${methods}\n}\n`;
}

describe("NestJS controllers and handlers", () => {
  it("turns route decorators into methods, and joins controller and handler paths", () => {
    const code = `
@Controller("orders")
export class OrdersController {
  @Get() list() {}
  @Get(":id") one() {}
  @Post() create() {}
  @Put("/:id/") replace() {}
  @Patch(":id") update() {}
  @Delete(":id") remove() {}
  @All("sync") sync() {}
  @Head() head() {}
  @Options() options() {}
  helper() {}
}
`;
    assert.deepEqual(table(code), [
      "GET /orders",
      "GET /orders/:id",
      "POST /orders",
      "PUT /orders/:id",
      "PATCH /orders/:id",
      "DELETE /orders/:id",
      "ANY /orders/sync",
      "HEAD /orders",
      "OPTIONS /orders",
    ]);
  });

  it("reads paths as arrays, options objects, constants and templates, and ignores @Version", () => {
    const code = `
const BASE = "api";
const ORDERS = \`\${BASE}/orders\`;
@Controller([ORDERS, "legacy/" + "orders"])
export class A {
  @Version("2")
  @Post(["", "bulk"]) create() {}
}
@Controller({ path: "admin/users", version: "1" })
export class B {
  @Delete(":id") remove() {}
}
@Controller({ host: "admin.example.com" })
export class C {
  @Post("flush") flush() {}
}
@Controller()
export class D {
  @Post() root() {}
}
`;
    assert.deepEqual(table(code), [
      "POST /api/orders",
      "POST /api/orders/bulk",
      "POST /legacy/orders",
      "POST /legacy/orders/bulk",
      "DELETE /admin/users/:id",
      "POST /flush",
      "POST /",
    ]);
  });

  it("names the handler Class.method and reports at the route decorator", () => {
    const [endpoint] = endpoints(`
@Controller("orders")
export class OrdersController {
  @UseGuards()
  @Post()
  create() {}
}
`);
    assert.equal(endpoint.framework, "nestjs");
    assert.equal(endpoint.vocabulary.displayName, "NestJS");
    assert.equal(endpoint.handler, "OrdersController.create");
    assert.deepEqual(endpoint.route.segments, ["orders"]);
    // Line 6: the import line and a blank line come first.
    assert.deepEqual(endpoint.loc, { start: { line: 6, column: 2 }, end: { line: 6, column: 9 } });
  });

  it("recognises the decorators through namespace and deep imports, and only from @nestjs/common", () => {
    const code = `
import * as common from "@nestjs/common";
import { Post as HttpPost } from "@nestjs/common/decorators/http/request-mapping.decorator";
import { Controller as RcController, Post as RcPost } from "routing-controllers";
@common.Controller("a")
export class A {
  @common.Post() create() {}
  @HttpPost("x") other() {}
}
@RcController("/b")
export class B {
  @RcPost("/x") create() {}
}
export class NotAController {
  @common.Post("c") create() {}
}
`;
    assert.deepEqual(table(code), ["POST /a", "POST /a/x"]);
  });

  it("does nothing for a file that imports no @nestjs package", () => {
    const code = `
import { Controller, Post } from "./decorators";
@Controller("x")
export class X { @Post() create() {} }
`;
    assert.deepEqual(tsModel(code).endpoints, []);
  });
});

describe("NestJS guards", () => {
  it("takes @UseGuards on the handler as route protection and on the controller as class protection", () => {
    const code = `
import { JwtAuthGuard } from "./auth/jwt-auth.guard";
import { RolesGuard } from "./auth/roles.guard";
import { PermissionsGuard } from "./auth/permissions.guard";
@UseGuards(JwtAuthGuard)
@Controller("orders")
export class OrdersController {
  @Post() create() {}
  @UseGuards(RolesGuard) @Delete(":id") remove() {}
  @UseGuards(PermissionsGuard, new JwtAuthGuard()) @Patch(":id") update() {}
}
`;
    assert.deepEqual(protections(code), [
      ["JwtAuthGuard@class"],
      ["RolesGuard@route:role", "JwtAuthGuard@class"],
      ["PermissionsGuard@route:policy", "JwtAuthGuard@route", "JwtAuthGuard@class"],
    ]);
  });

  it("knows AuthGuard from @nestjs/passport, except the anonymous strategy", () => {
    const code = `
import { AuthGuard } from "@nestjs/passport";
const JwtGuard = AuthGuard("jwt");
${handlers(
  '@UseGuards(AuthGuard("jwt"))',
  "@UseGuards(AuthGuard())",
  "@UseGuards(JwtGuard)",
  '@UseGuards(AuthGuard(["jwt", "anonymous"]))',
  '@UseGuards(AuthGuard("anonymous"))',
)}`;
    assert.deepEqual(protections(code), [
      ['AuthGuard("jwt")@route'],
      ["AuthGuard()@route"],
      ["JwtGuard@route"],
      [],
      [],
    ]);
  });

  it("does not take rate limiters, interceptors or pipes for auth, nor a bare *Guard name", () => {
    const code = `
import { UseInterceptors, UsePipes, ValidationPipe } from "@nestjs/common";
import { ThrottlerGuard } from "@nestjs/throttler";
import { ThrottlerBehindProxyGuard } from "./throttler-behind-proxy.guard";
import { AuditInterceptor } from "./audit.interceptor";
import { FeatureFlagGuard } from "./feature-flag.guard";
${handlers(
  "@UseGuards(ThrottlerGuard)",
  "@UseGuards(ThrottlerBehindProxyGuard)",
  "@UseInterceptors(AuditInterceptor)",
  "@UsePipes(new ValidationPipe())",
  "@UseGuards(FeatureFlagGuard)",
)}`;
    assert.deepEqual(protections(code), [[], [], [], [], []]);
    assert.deepEqual(unresolved(code)[4], ["guard FeatureFlagGuard from ./feature-flag.guard@route"]);
  });

  it("reads guard names: what precedes Guard must say what it checks", () => {
    const code = `
import { ApiKeyGuard, SessionGuard, GqlAuthGuard, AdminGuard, IpAllowListGuard, MaintenanceGuard } from "./guards";
${handlers(
  "@UseGuards(ApiKeyGuard)",
  "@UseGuards(SessionGuard)",
  "@UseGuards(GqlAuthGuard)",
  "@UseGuards(AdminGuard)",
  "@UseGuards(IpAllowListGuard)",
  "@UseGuards(MaintenanceGuard)",
)}`;
    assert.deepEqual(protections(code), [
      ["ApiKeyGuard@route"],
      ["SessionGuard@route"],
      ["GqlAuthGuard@route"],
      ["AdminGuard@route:role"],
      [],
      [],
    ]);
  });

  it("spreads guards from arrays and same-file constants", () => {
    const code = `
import { JwtAuthGuard, RolesGuard } from "./guards";
const ADMIN_GUARDS = [JwtAuthGuard, RolesGuard];
${handlers("@UseGuards(...ADMIN_GUARDS)")}`;
    assert.deepEqual(protections(code), [["JwtAuthGuard@route", "RolesGuard@route:role"]]);
  });

  it("decides a guard class of the same file by what canActivate answers", () => {
    const code = `
import { AuthGuard } from "@nestjs/passport";
import { ThrottlerGuard } from "@nestjs/throttler";
@Injectable()
class BearerCheck implements CanActivate {
  canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest();
    if (!request.headers.authorization) throw new UnauthorizedException();
    return true;
  }
}
@Injectable()
class TeamCheck implements CanActivate {
  canActivate(context: ExecutionContext) {
    const { user } = context.switchToHttp().getRequest();
    return ["support", "billing"].includes(user?.team);
  }
}
@Injectable()
class DevAuthGuard implements CanActivate {
  canActivate() { return true; }
}
@Injectable()
class MaintenanceCheck implements CanActivate {
  canActivate() {
    if (process.env.MAINTENANCE) throw new ForbiddenException("maintenance");
    return true;
  }
}
@Injectable()
class ApiGateway implements CanActivate {
  canActivate(context: ExecutionContext) {
    return validateRequest(context.switchToHttp().getRequest());
  }
}
@Injectable()
class RequestAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    return validateRequest(context.switchToHttp().getRequest());
  }
}
@Injectable()
export class JwtAuthGuard extends AuthGuard("jwt") {}
@Injectable()
export class AccountGuard extends JwtAuthGuard {}
@Injectable()
export class ProxyAwareGuard extends ThrottlerGuard {}
${handlers(
  "@UseGuards(BearerCheck)",
  "@UseGuards(TeamCheck)",
  "@UseGuards(DevAuthGuard)",
  "@UseGuards(MaintenanceCheck)",
  "@UseGuards(ApiGateway)",
  "@UseGuards(RequestAuthGuard)",
  "@UseGuards(JwtAuthGuard)",
  "@UseGuards(AccountGuard)",
  "@UseGuards(ProxyAwareGuard)",
)}`;
    assert.deepEqual(protections(code), [
      ["BearerCheck@route"],
      ["TeamCheck@route"],
      [],
      [],
      [],
      ["RequestAuthGuard@route"],
      ["JwtAuthGuard@route"],
      ["AccountGuard@route"],
      [],
    ]);
  });

  it("reads guard mixins: a factory of the same file by what its guard answers, an imported one by its name", () => {
    const code = `
import { mixin, Type } from "@nestjs/common";
import { PermissionGuard } from "./permission.guard";
import { FlagCheck } from "./flags";
export const RoleGuard = (role: string): Type<CanActivate> => {
  class RoleGuardMixin implements CanActivate {
    canActivate(context: ExecutionContext) {
      const { user } = context.switchToHttp().getRequest();
      if (user?.role !== role) throw new ForbiddenException();
      return true;
    }
  }
  return mixin(RoleGuardMixin);
};
export const CacheWarmer = (key: string) => {
  class CacheWarmerMixin implements CanActivate {
    canActivate() {
      if (!key) throw new ForbiddenException("no cache key");
      return true;
    }
  }
  return mixin(CacheWarmerMixin);
};
${handlers('@UseGuards(RoleGuard("admin"))', '@UseGuards(PermissionGuard("orders:write"))', '@UseGuards(FlagCheck("beta"))', '@UseGuards(CacheWarmer("orders"))')}`;
    assert.deepEqual(protections(code), [
      ['RoleGuard("admin")@route:role'],
      ['PermissionGuard("orders:write")@route:policy'],
      [],
      [],
    ]);
    assert.deepEqual(unresolved(code)[2], ['guard FlagCheck("beta") from ./flags@route']);
  });

  it("takes the guards a custom decorator of the same file applies", () => {
    const code = `
import { ApiBearerAuth } from "@nestjs/swagger";
import { JwtAuthGuard } from "./jwt-auth.guard";
import { RolesGuard } from "./roles.guard";
export function Auth(...roles: string[]) {
  return applyDecorators(SetMetadata("roles", roles), UseGuards(JwtAuthGuard, RolesGuard), ApiBearerAuth());
}
export const AdminOnly = () => applyDecorators(Auth("admin"));
export const Roles = (...roles: string[]) => SetMetadata("roles", roles);
${handlers('@Auth("editor")', "@AdminOnly()", '@Roles("admin")')}`;
    assert.deepEqual(protections(code), [
      ['JwtAuthGuard (@Auth("editor"))@route', 'RolesGuard (@Auth("editor"))@route:role'],
      ["JwtAuthGuard (@AdminOnly())@route", "RolesGuard (@AdminOnly())@route:role"],
      [],
    ]);
    assert.deepEqual(unresolved(code), [[], [], []]);
  });

  it("keeps imported decorators for the project index, counting only those whose name says auth", () => {
    const code = `
import { Auth } from "./auth/auth.decorator";
import { Authenticated } from "@app/auth";
import { Roles } from "./auth/roles.decorator";
import { Transactional } from "typeorm-transactional";
import { ApiOperation } from "@nestjs/swagger";
import { Throttle } from "@nestjs/throttler";
${handlers('@Auth("admin")', "@Authenticated()", '@Roles("admin")', "@Transactional()", '@ApiOperation({ summary: "x" }) @Throttle({ default: { limit: 3, ttl: 1000 } })')}`;
    assert.deepEqual(protections(code), [["@Auth@route"], ["@Authenticated@route"], [], [], []]);
    assert.deepEqual(unresolved(code), [
      ["decorator Auth from ./auth/auth.decorator@route"],
      ["decorator Authenticated from @app/auth@route"],
      ["decorator Roles from ./auth/roles.decorator@route"],
      ["decorator Transactional from typeorm-transactional@route"],
      [],
    ]);
  });

  it("takes @UseGuards of a base class in the same file, and keeps an imported base class for the index", () => {
    const code = `
import { JwtAuthGuard } from "./jwt-auth.guard";
import { TenantScopedController } from "./tenant-scoped.controller";
@UseGuards(JwtAuthGuard)
export abstract class SecuredController {}
@Controller("orders")
export class OrdersController extends SecuredController {
  @Post() create() {}
}
@Controller("invoices")
export class InvoicesController extends TenantScopedController {
  @Post() create() {}
}
`;
    assert.deepEqual(protections(code), [["JwtAuthGuard@base-class"], []]);
    assert.deepEqual(unresolved(code), [
      [],
      ["base-class TenantScopedController from ./tenant-scoped.controller@base-class"],
    ]);
  });

  it("takes configured auth names for guards and decorators", () => {
    const code = `
import { Gatekeeper } from "./gatekeeper";
import { RequireSeat } from "./seats";
${handlers("@UseGuards(Gatekeeper)", "@RequireSeat()")}`;
    assert.deepEqual(protections(code), [[], []]);
    assert.deepEqual(protections(code, { auth: ["gatekeeper", "RequireSeat"] }), [
      ["Gatekeeper@route"],
      ["@RequireSeat@route"],
    ]);
  });
});

describe("NestJS public markers", () => {
  it("recognises @Public() and its kin, SetMetadata with a public key, and configured markers", () => {
    const code = `
import { Public } from "./public.decorator";
import { OpenEndpoint } from "./open";
export const IS_PUBLIC_KEY = "isPublic";
export const Anonymous = () => SetMetadata(IS_PUBLIC_KEY, true);
export const SkipAuth = () => SetMetadata("skipAuth", true);
${handlers(
  "@Public()",
  "@Anonymous()",
  "@SkipAuth()",
  '@SetMetadata("isPublic", true)',
  '@SetMetadata("isPublic", false)',
  '@SetMetadata("public-key-pem", true)',
  "@OpenEndpoint()",
)}`;
    assert.deepEqual(anonymous(code, { publicMarkers: ["OpenEndpoint"] }), [
      ["@Public()@route"],
      ["@Anonymous()@route"],
      ["@SkipAuth()@route"],
      ['@SetMetadata("isPublic", true)@route'],
      [],
      [],
      ["@OpenEndpoint()@route"],
    ]);
  });

  it("takes a marker on the controller for every handler", () => {
    const code = `
import { Public } from "./public.decorator";
@Public()
@Controller("health")
export class HealthController {
  @Post("ping") ping() {}
}
`;
    assert.deepEqual(anonymous(code), [["@Public()@class"]]);
  });
});

describe("NestJS global guards", () => {
  it("records APP_GUARD providers and useGlobalGuards with what the file shows of them", () => {
    const code = `
import { Module } from "@nestjs/common";
import { APP_GUARD, NestFactory, Reflector } from "@nestjs/core";
import { ThrottlerGuard } from "@nestjs/throttler";
import { JwtAuthGuard } from "./auth/jwt-auth.guard";
import { RolesGuard } from "./auth/roles.guard";
import { TenantContext } from "./tenancy/tenant-context";
export const GLOBAL_GUARDS = [
  { provide: APP_GUARD, useClass: ThrottlerGuard },
  { provide: APP_GUARD, useExisting: JwtAuthGuard },
  { provide: APP_GUARD, useFactory: (reflector: Reflector) => new RolesGuard(reflector), inject: [Reflector] },
  { provide: APP_GUARD, useClass: TenantContext },
  { provide: "APP_GUARD", useClass: JwtAuthGuard },
];
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalGuards(new JwtAuthGuard(app.get(Reflector)));
}
`;
    const model = tsModel(COMMON + code, {}, "app.module.ts");
    assert.deepEqual(
      model.globalGuards?.map(
        (g) =>
          `${g.registration} ${g.name} ${g.verdict}${g.requirement ? `:${g.requirement}` : ""}${g.module ? ` from ${g.module}` : ""}`,
      ),
      [
        "APP_GUARD ThrottlerGuard other",
        "APP_GUARD JwtAuthGuard auth",
        "APP_GUARD RolesGuard auth:role",
        "APP_GUARD TenantContext unresolved from ./tenancy/tenant-context",
        "useGlobalGuards JwtAuthGuard auth",
      ],
    );
    assert.ok(model.globalGuards?.every((g) => g.framework === "nestjs"));
  });

  it("applies an auth global guard to the file's handlers, except those marked public", () => {
    const code = `
import { Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { JwtAuthGuard } from "./auth/jwt-auth.guard";
import { Public } from "./auth/public.decorator";
@Controller("status")
export class StatusController {
  @Post("incidents") open() {}
  @Public() @Post("subscribe") subscribe() {}
}
@Module({ controllers: [StatusController], providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })
export class AppModule {}
`;
    assert.deepEqual(protections(code), [["JwtAuthGuard@global"], []]);
    assert.deepEqual(anonymous(code), [[], ["@Public()@route"]]);
  });

  it("leaves the model without global guards when the file registers none", () => {
    assert.equal(tsModel(COMMON + handlers("")).globalGuards, undefined);
  });
});

describe("NestJS handlers' data-layer calls", () => {
  it("collects the data-layer calls of handlers, whatever their method", () => {
    const code = `
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
@Controller("products")
export class ProductsController {
  constructor(@InjectRepository(Product) private readonly productsRepository: Repository<Product>, private readonly prisma: PrismaService) {}
  @Get(":id/visit")
  async visit(@Param("id") id: number) {
    await this.productsRepository.increment({ id }, "views", 1);
  }
  @All("purge")
  purge() { return this.prisma.product.deleteMany({ where: { archived: true } }); }
  @Get() list() { return this.productsRepository.find(); }
}
`;
    assert.deepEqual(
      endpoints(code).map((e) => e.dataOperations.map((d) => `${d.kind} ${d.call}`)),
      [
        ["write this.productsRepository.increment(…)"],
        ["delete this.prisma.product.deleteMany(…)"],
        ["read this.productsRepository.find()"],
      ],
    );
  });

  it("follows a handler into a service declared in the same file, not into one imported", () => {
    const code = `
import { PrismaService } from "./prisma.service";
import { AuditService } from "./audit.service";
@Injectable()
export class OrdersService {
  constructor(private readonly prisma: PrismaService) {}
  cancel(id: string) { return this.prisma.order.update({ where: { id }, data: { status: "cancelled" } }); }
}
@Controller("orders")
export class OrdersController {
  constructor(private readonly orders: OrdersService, private readonly audit: AuditService) {}
  @Get(":id/cancel") cancel(@Param("id") id: string) { return this.orders.cancel(id); }
  @Get(":id/log") log(@Param("id") id: string) { return this.audit.record(id); }
}
`;
    assert.deepEqual(
      endpoints(code).map((e) => e.dataOperations.map((d) => `${d.kind} ${d.call}`)),
      [["write this.prisma.order.update(…)"], []],
    );
  });
});

for (const version of ESLINT_VERSIONS) {
  describe(`AP101 on NestJS (${version.label})`, () => {
    it("reports in NestJS terms, and not where a guard or a public marker applies", async () => {
      const code = `import { Body, Controller, Get, Post, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "./auth/jwt-auth.guard";
import { Public } from "./auth/public.decorator";

@Controller("orders")
export class OrdersController {
  @Post()
  create(@Body() dto: unknown) {}

  @UseGuards(JwtAuthGuard)
  @Post("bulk")
  bulk(@Body() dto: unknown) {}

  @Public()
  @Post("quote")
  quote(@Body() dto: unknown) {}

  @Get()
  list() {}
}
`;
      const eslint = recommendedEslint(version);
      const [result] = await eslint.lintText(code, {
        filePath: path.join(ROOT, "src", "orders", "orders.controller.ts"),
      });
      const ap101 = result.messages.filter((m) => m.ruleId === "api-posture/require-route-auth");
      assert.deepEqual(
        ap101.map((m) => `${m.line}:${m.column}`),
        ["7:3"],
      );
      assert.match(
        ap101[0].message,
        /^AP101 POST \/orders \(OrdersController\.create\) changes state but nothing requires authorization: no auth guard on the handler or its controller \(@UseGuards\), and no global guard \(APP_GUARD\) registered in this file\. .* Fix: add @UseGuards\(JwtAuthGuard\)/,
      );
    });
  });
}
