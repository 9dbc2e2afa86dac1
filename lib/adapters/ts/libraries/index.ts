/**
 * Every library the TS/JS adapter knows. Adding a framework is adding its file and one
 * line here.
 */
import { clerk } from "./clerk.js";
import { connectEnsureLogin } from "./connect-ensure-login.js";
import { cookieParser } from "./cookie-parser.js";
import { cookieSession } from "./cookie-session.js";
import { cors } from "./cors.js";
import { express } from "./express.js";
import { fastify } from "./fastify.js";
import { hono } from "./hono.js";
import { koa } from "./koa.js";
import { expressBasicAuth } from "./express-basic-auth.js";
import { expressJwt } from "./express-jwt.js";
import { expressJwtPermissions } from "./express-jwt-permissions.js";
import { expressOauth2JwtBearer } from "./express-oauth2-jwt-bearer.js";
import { expressOpenidConnect } from "./express-openid-connect.js";
import { expressSession } from "./express-session.js";
import { fastifyCookie } from "./fastify-cookie.js";
import { fastifyCors } from "./fastify-cors.js";
import { fastifyJwt } from "./fastify-jwt.js";
import { fastifySession } from "./fastify-session.js";
import { honoCors } from "./hono-cors.js";
import { ironSession } from "./iron-session.js";
import { jose } from "./jose.js";
import { jws } from "./jws.js";
import { jwtDecode } from "./jwt-decode.js";
import { fastJwt } from "./fast-jwt.js";
import { jsonwebtoken } from "./jsonwebtoken.js";
import { jwksRsa } from "./jwks-rsa.js";
import { keycloakConnect } from "./keycloak-connect.js";
import { koaCors } from "./koa-cors.js";
import { nestjsJwt } from "./nestjs-jwt.js";
import { nodeCrypto } from "./node-crypto.js";
import { argon2 } from "./argon2.js";
import { bcrypt } from "./bcrypt.js";
import { octokitWebhooks } from "./octokit-webhooks.js";
import { shopify } from "./shopify.js";
import { slack } from "./slack.js";
import { stripe } from "./stripe.js";
import { svix } from "./svix.js";
import { upstashQstash } from "./upstash-qstash.js";
import { tsscmp } from "./tsscmp.js";
import { twilio } from "./twilio.js";
import { passport } from "./passport.js";
import { passportJwt } from "./passport-jwt.js";
import type { TsLibrary } from "./library.js";
import { nestjs } from "./nestjs.js";
import { nextjs } from "./nextjs.js";

let all: readonly TsLibrary[] | undefined;

/**
 * Every library record, in the order the adapter asks them. Built on first use: the
 * concerns import this module and the framework records import the concerns, so the
 * records are all initialised only once loading has ended.
 */
export function libraries(): readonly TsLibrary[] {
  all ??= [
    // Frameworks.
    express,
    nestjs,
    nextjs,
    fastify,
    koa,
    hono,
    // Auth middleware.
    passport,
    keycloakConnect,
    expressJwt,
    expressOpenidConnect,
    expressOauth2JwtBearer,
    clerk,
    connectEnsureLogin,
    expressBasicAuth,
    expressJwtPermissions,
    // CORS.
    cors,
    koaCors,
    honoCors,
    fastifyCors,
    // JWTs.
    jsonwebtoken,
    jose,
    passportJwt,
    nestjsJwt,
    jwksRsa,
    jws,
    fastJwt,
    jwtDecode,
    // Keys and secrets.
    expressSession,
    cookieSession,
    cookieParser,
    ironSession,
    fastifyJwt,
    fastifyCookie,
    fastifySession,
    nodeCrypto,
    // Request signatures (webhooks).
    stripe,
    svix,
    upstashQstash,
    octokitWebhooks,
    twilio,
    slack,
    shopify,
    tsscmp,
    // Password hashing.
    bcrypt,
    argon2,
  ];
  return all;
}
