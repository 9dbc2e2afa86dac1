/**
 * What middleware puts into the request before the handler runs (AP103): which paths of
 * the request a middleware assigns and whether the value is the caller, another value, or
 * the client's own input (not listed); how a route's handler then reads those paths, in its
 * own file and in another file (the request argument the project index reads).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "@typescript-eslint/parser";
import type { DataOperation, RequestArgument, ValueOrigin } from "../lib/core/model.js";
import { resolveSettings } from "../lib/core/settings.js";
import { summarizeTsFile } from "../lib/adapters/ts/index.js";
import { substituteOrigin } from "../lib/core/project/flow.js";
import { tsModel } from "./helpers/model.js";

/** `export: body.UserId=principal, …` for each exported middleware of a file that assigns part of the request. */
function exportedWrites(code: string): string[] {
  const { ast, visitorKeys } = parseForESLint(code, { range: true, loc: true, sourceType: "module" });
  const summary = summarizeTsFile({ ast, text: code, visitorKeys }, resolveSettings(undefined), "middleware.ts");
  return (summary.requestWrites ?? []).map(
    (w) => `${w.export}: ${w.assigned.map((a) => `${a.path.join(".")}=${a.kind}`).join(", ")}`,
  );
}

function origin(o: ValueOrigin): string {
  return o.kind === "client" || o.kind === "principal" ? `${o.kind}:${o.via}` : o.kind;
}

/** `GET /cards/:id: id=client:req.params.id, UserId=principal:req.body.UserId` for each operation of each endpoint. */
function conditions(code: string): string[] {
  return tsModel(code).endpoints.flatMap((e) =>
    e.dataOperations.map(
      (op: DataOperation) =>
        `${e.methods.join()} ${e.path}: ${(op.selection?.conditions ?? []).map((c) => `${c.field}=${origin(c.origin)}`).join(", ")}`,
    ),
  );
}

describe("what a middleware assigns on the request", () => {
  it("the caller: a principal read, a session, a token lookup, a verified JWT", () => {
    assert.deepEqual(
      exportedWrites(`
import jwt from "jsonwebtoken";
import { authenticatedUsers, utils } from "./insecurity";
export function fromSession(req, res, next) { req.body.userId = req.session.userId; next(); }
export const appendUserId = () => (req, res, next) => {
  req.body.UserId = authenticatedUsers.tokenMap[utils.jwtFrom(req)].data.id;
  next();
};
export const fromToken = (req, res, next) => {
  jwt.verify(req.headers.authorization, process.env.KEY, { algorithms: ["RS256"] }, (err, decoded) => {
    req.body.ownerId = decoded.sub;
    next();
  });
};
export function getMe(req, res, next) { req.params.id = req.user.id; next(); }
export function fromLocals(req, res, next) { const { user } = res.locals; req.body.author = user._id; next(); }
`),
      [
        "fromSession: body.userId=principal",
        "appendUserId.(): body.UserId=principal",
        "fromToken: body.ownerId=principal",
        "getMe: params.id=principal",
        "fromLocals: body.author=principal",
      ],
    );
  });

  it("a replaced body, Object.assign, and values that are nobody's input", () => {
    assert.deepEqual(
      exportedWrites(`
export function spread(req, res, next) { req.body = { ...req.body, tenantId: req.user.tenantId }; next(); }
export function assign(req, res, next) { Object.assign(req.body, { userId: req.auth.sub, source: "web" }); next(); }
export function stamp(req, res, next) { req.body.createdAt = Date.now(); req.query.limit = 50; next(); }
`),
      [
        "spread: body.tenantId=principal",
        "assign: body.userId=principal, body.source=other",
        "stamp: body.createdAt=other, query.limit=other",
      ],
    );
  });

  it("lists nothing that the client can still decide", () => {
    assert.deepEqual(
      exportedWrites(`
import { lookUpUser } from "./users";
export function actAs(req, res, next) { req.body.userId = req.query.as; next(); }
export function fromHeader(req, res, next) { req.body.userId = req.headers["x-user-id"]; next(); }
export function orDefault(req, res, next) { req.body.userId = req.body.userId || req.user.id; next(); }
export function nullish(req, res, next) { req.body.userId ??= req.user.id; next(); }
export function ifEmpty(req, res, next) { if (!req.body.userId) req.body.userId = req.user.id; next(); }
export function unknown(req, res, next) { req.body.userId = lookUpUser(req); next(); }
export function spreadLast(req, res, next) { req.body = { userId: req.user.id, ...req.body }; next(); }
export function assignThenQuery(req, res, next) { Object.assign(req.body, { userId: req.user.id }, req.query); next(); }
export function twice(req, res, next) {
  req.body.ownerId = req.user.id;
  if (req.query.owner) req.body.ownerId = req.query.owner;
  next();
}
`),
      [],
    );
  });
});

const EXPRESS = `import express from "express";
import { CardModel } from "./models";
import { requireAuth } from "./auth";
import { getCard } from "./routes/cards";
const router = express.Router();
router.use(requireAuth);
function appendUserId(req, res, next) { req.body.UserId = req.user.id; next(); }
`;

describe("a route's handler reading what its middleware assigned", () => {
  it("reads the caller where route, router and mount middleware put it, and the client elsewhere", () => {
    assert.deepEqual(
      conditions(`${EXPRESS}
router.get("/cards/:id", appendUserId, async (req, res) => {
  res.json(await CardModel.findOne({ where: { id: req.params.id, UserId: req.body.UserId } }));
});
router.get("/wallet", async (req, res) => {
  res.json(await CardModel.findAll({ where: { UserId: req.body.UserId } }));
});
router.use("/wallet", appendUserId);
router.put("/wallet", async ({ body }, res) => {
  res.json(await CardModel.findAll({ where: { UserId: body.UserId } }));
});
const owned = express.Router();
owned.delete("/:id", async (req, res) => {
  await CardModel.destroy({ where: { id: req.params.id, UserId: req.body.UserId } });
});
const app = express();
app.use("/mine", requireAuth, appendUserId, owned);
app.use("/theirs", requireAuth, owned);
app.use("/ours", requireAuth, appendUserId, owned);
`),
      [
        "GET /cards/:id: id=client:req.params.id, UserId=principal:req.body.UserId",
        "GET /wallet: UserId=client:req.body.UserId",
        "PUT /wallet: UserId=principal:body.UserId",
        // Mounted three times: only what every mount puts into the request.
        "DELETE /mine/:id: id=client:req.params.id, UserId=client:req.body.UserId",
      ],
    );
  });

  it("hands a handler of another file the request with what was assigned, and names middleware of other files", () => {
    const [own, imported] = tsModel(`${EXPRESS}
import { appendTenant } from "./middleware/tenant";
router.get("/cards/:id", appendUserId, appendTenant(), getCard);
router.get("/cards", appendTenant(), async (request, res) => res.json(await CardModel.findAll()));
`).endpoints;
    const request = own.calls?.[0].args[0] as RequestArgument;
    assert.equal(request.kind, "request");
    assert.deepEqual(request.assigned, [{ path: ["body", "UserId"], kind: "principal" }]);
    assert.deepEqual(own.requestWriters, {
      middleware: [
        { module: "./middleware/tenant", export: "appendTenant.()" },
        { module: "./auth", export: "requireAuth" },
      ],
      via: [],
    });
    assert.deepEqual(imported.requestWriters?.via, ["request"]);
  });

  it("tells the files whose routers it mounts what the middleware in front of them assigns", () => {
    const code = `import express from "express";
import { appendTenant } from "./middleware/tenant";
import cards from "./routes/cards";
import wallet from "./routes/wallet";
const app = express();
function appendUserId(req, res, next) { req.body.UserId = req.user.id; next(); }
app.use("/api", appendTenant());
app.use("/api/cards", appendUserId, cards);
app.use("/rest/wallet", wallet);
`;
    const { ast, visitorKeys } = parseForESLint(code, { range: true, loc: true, sourceType: "module" });
    const summary = summarizeTsFile({ ast, text: code, visitorKeys }, resolveSettings(undefined), "server.ts");
    assert.deepEqual(
      summary.attachments.filter((a) => a.module.startsWith("./routes/")).map((a) => [a.module, a.requestWriters]),
      [
        [
          "./routes/cards",
          {
            assigned: [{ path: ["body", "UserId"], kind: "principal" }],
            middleware: [{ module: "./middleware/tenant", export: "appendTenant.()" }],
          },
        ],
        ["./routes/wallet", undefined],
      ],
    );
  });

  it("reads an assigned path of the request argument as the assigned value (the project index)", () => {
    const request: RequestArgument = {
      kind: "request",
      via: "req",
      client: [["params"], ["body"]],
      principal: [["user"]],
      assigned: [
        { path: ["body", "UserId"], kind: "principal" },
        { path: ["body", "source"], kind: "other" },
      ],
    };
    const read = (...path: string[]): ValueOrigin => substituteOrigin({ kind: "parameter", index: 0, path }, [request]);
    assert.deepEqual(read("body", "UserId"), { kind: "principal", via: "req.body.UserId" });
    assert.deepEqual(read("body", "source"), { kind: "other" });
    assert.deepEqual(read("body", "cardId"), { kind: "client", via: "req.body.cardId" });
    assert.deepEqual(read("body"), { kind: "client", via: "req.body" });
  });
});
