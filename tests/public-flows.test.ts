import { test } from "node:test";
import assert from "node:assert/strict";
import { publicFlowOf } from "../lib/core/public-flows.js";
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
    // Not public flows:
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
