import { test } from "node:test";
import assert from "node:assert/strict";
import { endpointPublicFlow, publicFlowOf } from "../lib/core/public-flows.js";
import type { Endpoint, HttpMethod, Protection } from "../lib/core/model.js";
import { isTestFile } from "../lib/core/test-files.js";

test("public flows by path", () => {
  const cases: Array<[string, string | undefined]> = [
    ["/login", "sign-in"],
    ["/api/auth/login", "sign-in"],
    ["/login/2fa", "sign-in"],
    ["/api/Account/ExternalLoginCallback", "sign-in"],
    ["/auth/register", "sign-up"],
    ["/v1/signup", "sign-up"],
    ["/forgot", "password reset"],
    ["/auth/forgot-password", "password reset"],
    ["/reset/:token", "password reset"],
    ["/auth/reset", "password reset"],
    ["/account/verify-email", "e-mail confirmation"],
    ["/auth/refresh-tokens", "token refresh"],
    ["/oauth/token", "token refresh"],
    ["/accounts/prelogin/password", "sign-in"],
    ["/v1/auth/logout", "sign-out"],
    ["/stripe/webhook", "webhook"],
    ["/webhooks/github", "webhook"],
    ["/paypal/ipn", "webhook"],
    ["/Users/AuthenticateByName", "sign-in"],
    ["/sessions", "sign-in"],
    ["/accounts/password-hint", "password reset"],
    ["/accounts/verify-email-token", "e-mail confirmation"],
    ["/accounts/delete-recover-token", "account recovery"],
    ["/accounts/resend-new-device-otp", "sign-in"],
    ["/two-factor/send-email-login", "sign-in"],
    ["/sessions/password", "sign-in"],
    ["/sessions/github", "sign-in"],
    ["/password/recover", "password reset"],
    ["/users/resend-email-validation-code", "e-mail confirmation"],
    // OAuth and OpenID Connect callbacks.
    ["/auth/:provider/callback", "sign-in"],
    ["/api/auth/:provider/callback", "sign-in"],
    ["/auth/{provider}/callback", "sign-in"],
    ["/oauth/:strategy/callback", "sign-in"],
    ["/api/auth/callback/:provider", "sign-in"],
    ["/oauth/callback", "sign-in"],
    ["/oauth2/callback", "sign-in"],
    ["/oidc/callback", "sign-in"],
    ["/auth/google/callback", "sign-in"],
    ["/signin-oidc", "sign-in"],
    ["/signin-google", "sign-in"],
    ["/signout-callback-oidc", "sign-out"],
    ["/login/oauth2/code/:registrationId", "sign-in"],
    ["/integrations/oauth-callback", "sign-in"],
    // Not public flows:
    ["/users/:id/callback", undefined],
    ["/auth/:id/callback", undefined],
    ["/orders/:provider/callback", undefined],
    ["/payments/callback", undefined],
    ["/auth/:provider/users/:id/reset", undefined],
    ["/sessions/:id/messages", undefined],
    ["/recover", undefined],
    ["/users/:id/send-email-login", undefined],
    ["/loginhistory", undefined],
    ["/reset", undefined],
    ["/token", undefined],
    ["/orders/:id/verify", undefined],
    ["/users/:id/reset-password", undefined],
    ["/admin/users/{id}/login", undefined],
    ["/api/orders", undefined],
    ["/api/login-history", undefined],
  ];
  for (const [path, flow] of cases) assert.equal(publicFlowOf(path, undefined), flow, path);
});

test("test files by name and folder", () => {
  for (const file of [
    "src/orders.test.ts",
    "src/__tests__/orders.ts",
    "api/orders.spec.js",
    "test/Api.Test/OrdersControllerTests.cs",
    "test/Api.IntegrationTest/Setup/FakeController.cs",
    "e2e/orders.e2e-spec.ts",
  ]) {
    assert.ok(isTestFile(file), file);
  }
  for (const file of [
    "src/routes/orders.ts",
    "src/Api/Controllers/ContestController.cs",
    "/work/app/tests/fixtures/routes.ts",
    "src/testing-utils/index.ts",
    "src/Latest.cs",
  ]) {
    assert.ok(!isTestFile(file), file);
  }
});

test("public flows by handler name", () => {
  assert.equal(publicFlowOf("/api/account", "AccountController.Login"), "sign-in");
  assert.equal(publicFlowOf("/api/account", "AccountController.RegisterAsync"), "sign-up");
  assert.equal(publicFlowOf("/api/account", "AccountController.ChangePassword"), undefined);
  assert.equal(publicFlowOf("/Users/QuickConnect", "UserController.AuthenticateWithQuickConnect"), "sign-in");
  assert.equal(publicFlowOf("/api/orders", "createOrder"), undefined);
});

/** An endpoint as the rules see it, with what the adapters found. */
function endpoint(
  path: string,
  extra: {
    methods?: HttpMethod[];
    protections?: Protection[];
    credentials?: Endpoint["credentials"];
    handler?: string;
  } = {},
): Endpoint {
  return {
    framework: "express",
    vocabulary: { displayName: "Express", missingAuth: "", addAuth: "" },
    methods: extra.methods ?? ["POST"],
    route: { segments: path.split("/").filter((s) => s.length > 0) },
    path,
    ...(extra.handler ? { handler: extra.handler } : {}),
    loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } },
    protections: extra.protections ?? [],
    anonymous: [],
    dataOperations: [],
    ...(extra.credentials ? { credentials: extra.credentials } : {}),
  };
}

const LOC = { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } };

test("sign-up as a collection write: a password from the body, or hashed", () => {
  const withPassword = { credentials: { passwordFromBody: true } };
  const hashing = { credentials: { hashesPassword: "bcrypt.hash(…)" } };
  for (const path of ["/users", "/api/users", "/accounts", "/api/v1/members", "/user", "/Account"]) {
    const e = endpoint(path, withPassword);
    assert.equal(endpointPublicFlow(e, [e]), "sign-up", path);
  }
  const hashed = endpoint("/api/accounts", hashing);
  assert.equal(endpointPublicFlow(hashed, [hashed]), "sign-up");
  const cases: Array<[string, Parameters<typeof endpoint>[1]]> = [
    ["/users", {}], // no password, no sign-in route beside it
    ["/users", { ...withPassword, methods: ["PUT"] }],
    ["/users/:id", withPassword],
    ["/teams/:teamId/members", withPassword],
    ["/admin/users", withPassword],
    ["/internal/accounts", hashing],
    ["/management/members", withPassword],
    ["/orders", withPassword],
    ["/users/import", withPassword],
  ];
  for (const [path, extra] of cases) {
    const e = endpoint(path, extra);
    assert.equal(endpointPublicFlow(e, [e]), undefined, `${path} ${JSON.stringify(extra)}`);
  }
});

test("sign-up beside a public sign-in route of the same file", () => {
  const signUp = endpoint("/api/users");
  const login = endpoint("/api/users/login");
  assert.equal(endpointPublicFlow(signUp, [signUp, login]), "sign-up");
  const signIn = endpoint("/accounts/sign-in");
  const accounts = endpoint("/accounts");
  assert.equal(endpointPublicFlow(accounts, [accounts, signIn]), "sign-up");
  // A protected sign-in route beside it, or one beside another collection, says nothing.
  const guardedLogin = endpoint("/api/users/login", {
    protections: [{ name: "requireAuth", source: "route", loc: LOC }],
  });
  assert.equal(endpointPublicFlow(signUp, [signUp, guardedLogin]), undefined);
  const otherLogin = endpoint("/api/admins/login");
  assert.equal(endpointPublicFlow(signUp, [signUp, otherLogin]), undefined);
  const members = endpoint("/members");
  assert.equal(endpointPublicFlow(members, [members, endpoint("/login")]), undefined);
});

test("a route that verifies its caller's signature is a signed webhook, whatever its path", () => {
  const verified = endpoint("/billing/events", {
    protections: [{ name: "stripe.webhooks.constructEvent", source: "route", loc: LOC, kind: "signature" }],
  });
  assert.equal(endpointPublicFlow(verified, [verified]), "signed webhook");
  const guarded = endpoint("/billing/events", { protections: [{ name: "requireAuth", source: "route", loc: LOC }] });
  assert.equal(endpointPublicFlow(guarded, [guarded]), undefined);
  // A webhook-named route keeps its flow: its verification may live in another file.
  const named = endpoint("/webhooks/stripe");
  assert.equal(endpointPublicFlow(named, [named]), "webhook");
});

test("a provider's events, unsubscribe links, public paths and redirect callbacks are public flows", () => {
  assert.equal(publicFlowOf("/api/slack/events", undefined), "webhook");
  assert.equal(publicFlowOf("/stripe/notifications", undefined), "webhook");
  assert.equal(publicFlowOf("/api/orders/events", undefined), undefined);
  assert.equal(publicFlowOf("/api/slack/settings", undefined), undefined);
  assert.equal(publicFlowOf("/api/unsubscribe", undefined), "unsubscribe link");
  assert.equal(publicFlowOf("/api/users/:id/unsubscribe", undefined), undefined);
  assert.equal(publicFlowOf("/api/public/bookings/:id/cancel", undefined), "public by path");
  assert.equal(publicFlowOf("/api/bookings/:id/public", undefined), undefined);
  assert.equal(publicFlowOf("/api/mobile-auth/start", undefined), "sign-in");
  assert.equal(publicFlowOf("/api/mobile-auth/exchange-code", undefined), "sign-in");
  assert.equal(publicFlowOf("/api/mobile/start", undefined), undefined);
  // A step named by its last word under an auth prefix; not without one.
  assert.equal(publicFlowOf("/api/mobile-auth/browser-start", undefined), "sign-in");
  assert.equal(publicFlowOf("/api/mobile/browser-start", undefined), undefined);
  // A token exchanged for the app's own, from an external provider (`POST /users/token/{provider}`).
  assert.equal(publicFlowOf("/users/token/{provider}", undefined), "token refresh");
  assert.equal(publicFlowOf("/users/token/{id}", undefined), undefined);
  const callback = endpoint("/api/google/linking/callback", { methods: ["GET"] });
  assert.equal(endpointPublicFlow(callback, [callback]), "OAuth callback");
  const posted = endpoint("/api/google/linking/callback", { methods: ["POST"] });
  assert.equal(endpointPublicFlow(posted, [posted]), undefined);
  const ofRecord = endpoint("/api/jobs/:id/callback", { methods: ["GET"] });
  assert.equal(endpointPublicFlow(ofRecord, [ofRecord]), undefined);
  // A parameter that names the integration the provider belongs to is no record id.
  const ofIntegration = endpoint("/api/mcp/:integration/callback", { methods: ["GET"] });
  assert.equal(endpointPublicFlow(ofIntegration, [ofIntegration]), "OAuth callback");
});
