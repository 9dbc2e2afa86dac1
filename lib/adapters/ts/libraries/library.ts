/**
 * The shape of one library's knowledge on the TS/JS side. Each file under libraries/
 * exports one record; the adapter merges what the records ask the walk to collect,
 * then asks each record that applies to the file for its endpoints. The passes in
 * concerns/ read the sections they know (`auth`, `cors`, `jwt`, `secrets`) from every
 * record, so what a library does is written once, in its own file.
 */
import type { TSESTree } from "@typescript-eslint/types";
import type { JwtLibrary } from "../../../core/facts/jwt.js";
import type { Endpoint, ExternalMount, GlobalGuard, RouteMiddleware } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import type { FileFacts } from "../facts.js";
import type { ImportSpecifier } from "../imports.js";
import type { FileSummary } from "../../../core/project/summary.js";

/** What a library's hooks get: the walk's facts and the user's settings for one file. */
export interface TsFile {
  facts: FileFacts;
  settings: ResolvedSettings;
  filename: string;
}

export interface TsLibrary {
  /** The framework or library id; endpoints carry it as `framework`. */
  id: string;
  /** Member-call names (`post`, `use`, `register`) the walk must collect into `facts.memberCalls`. */
  memberCalls?: ReadonlySet<string>;
  /** Node types (`Decorator`, `ExportNamedDeclaration`) the walk must collect into `facts.collected`. */
  nodeTypes?: ReadonlySet<string>;
  /**
   * Whether to look for endpoints in this file at all (a cheap test: the file imports the
   * package, or its path is a route file). Without it `endpoints` always runs. `summary`
   * runs on every project file another file depends on: exported middleware, decorators
   * and wrappers matter wherever they are.
   */
  applies?(file: TsFile): boolean;
  /** The endpoints the file declares, with the protections it shows. */
  endpoints?(file: TsFile): Endpoint[];
  /** Guards the file registers for the whole application (`APP_GUARD`, `useGlobalGuards`). */
  globalGuards?(file: TsFile): GlobalGuard[];
  /** What other files of the project need to know of this file (lib/core/project/summary.ts). */
  summary?(file: TsFile): FileSummary;
  /** The file's route middleware, when it is one by the framework's file convention (Next.js `middleware.ts`). */
  routeMiddleware?(file: TsFile): RouteMiddleware | undefined;
  /** Routers, sub-apps and plugins the file mounts from other files, with what it puts in front of them. */
  mounts?(file: TsFile): ExternalMount[];
  /**
   * The library's own ways of answering 401/403 (`ctx.throw(401)`, `c.json(body, 401)`),
   * besides the common ones; the walk records them so that same-file middleware that
   * answers with them counts as auth.
   */
  denySignal?: (node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression) => boolean;
  /** The packages the record describes, as code imports them: `jsonwebtoken`; `@koa/cors` and its old name `kcors`. */
  packages?: readonly string[];
  /** The auth middleware the library provides (concerns/auth-middleware.ts). */
  auth?: TsAuthKnowledge;
  /** How the library is configured for CORS (concerns/cors.ts). */
  cors?: TsCorsKnowledge;
  /** How the library reads and verifies JSON Web Tokens (concerns/jwt.ts). */
  jwt?: TsJwtKnowledge;
  /** Where the library takes keys and secrets, so a literal there is one (concerns/literals.ts). */
  secrets?: TsSecretKnowledge;
  /** How the library verifies that a request comes from whom it says: a webhook's signature (concerns/request-checks.ts). */
  signatures?: TsSignatureKnowledge;
  /** How the library hashes passwords (concerns/request-checks.ts). */
  passwords?: TsPasswordKnowledge;
}

/**
 * How a library verifies a request's signature. A route whose handler (or a helper of its
 * file it calls, or its middleware) does so counts as protected: only the provider that
 * holds the secret can call it.
 */
export interface TsSignatureKnowledge {
  /** Exports that verify when called: twilio's `validateRequest(authToken, signature, url, params)`. */
  verifiers?: readonly ImportSpecifier[];
  /**
   * Methods of the library's client that verify, whatever the client is called and wherever
   * it is made (often in another file, or injected): the call's member path ends with one of
   * these (`stripe.webhooks.constructEvent(…)`, `this.stripe.webhooks.constructEventAsync(…)`).
   */
  clientMethods?: readonly string[];
  /** Classes whose instances verify with these methods: svix's `new Webhook(secret).verify(payload, headers)`. */
  instances?: { classes: readonly ImportSpecifier[]; methods: readonly string[] };
  /**
   * Exports that wrap a route handler and call it only for a request whose signature they
   * verified: QStash's `verifySignatureAppRouter(handler)`.
   */
  wrappers?: readonly ImportSpecifier[];
  /** Middleware factories whose middleware verifies before the handler runs (`twilio.webhook()`), unless given `{ [offWhenFalse]: false }`. */
  middleware?: { factories: readonly ImportSpecifier[]; offWhenFalse?: string };
  /** Exports that compute an HMAC: node's `createHmac`. With a constant-time comparison in the same check it verifies a signature. */
  hmacs?: readonly ImportSpecifier[];
  /** Exports that compare two values in constant time: node's `timingSafeEqual`, `tsscmp`. */
  constantTimeCompares?: readonly ImportSpecifier[];
}

/** How a library hashes passwords. */
export interface TsPasswordKnowledge {
  /** Exports that hash a password to store it: bcrypt's `hash` and `hashSync`, argon2's `hash`. */
  hashers: readonly ImportSpecifier[];
}

/** Auth middleware a library provides. */
export interface TsAuthKnowledge {
  /**
   * The exports that guard a route when called (`requiresAuth()`, `passport.authenticate("jwt")`);
   * anything else from the packages is not a guard. `every export`: all of it guards.
   */
  guards: readonly ImportSpecifier[] | "every export";
  /**
   * The library's object by the name code gives it where no import shows it (passed in, or
   * made with `new Keycloak(…)`): these methods on it guard, and so do `.required`-style members.
   */
  receiver?: { name: RegExp; methods: readonly string[] };
  /** An option that lets requests without credentials through when `false`: `{ credentialsRequired: false }`. */
  optionalWhenFalse?: string;
  /** A guard call that lets everyone in anyway: passport's `anonymous` strategy. */
  admitsEveryone?(call: TSESTree.CallExpression): boolean;
}

/** How a CORS library takes its configuration and what it does with it. */
export interface TsCorsKnowledge {
  /** Exports called with the options to make the middleware: `cors(options)`, Hono's `cors(options)`. */
  middleware?: readonly ImportSpecifier[];
  /** Exports registered as a plugin with the options: `fastify.register(fastifyCors, options)`. */
  plugins?: readonly ImportSpecifier[];
  /** Methods, on any receiver, that take this library's options: NestJS's `app.enableCors(options)`. */
  optionsMethods?: readonly string[];
  /** Factories whose options carry this library's options under a key: `NestFactory.create(AppModule, { cors })`. */
  optionsKeys?: readonly { receiver: string; method: string; argument: number; key: string }[];
  /** Type names that make an object this library's options wherever it is used: `CorsOptions`. */
  optionTypes?: readonly string[];
  /** What goes out for `origin: "*"` with credentials on: `*` as written, or the request's origin echoed. */
  wildcardWithCredentials: "sent" | "reflected";
  /** The options may be a function `(req, callback) => callback(null, options)` that picks them per request. */
  delegates?: boolean;
  /** An option holding such a function: `{ delegator }`. */
  delegatorOption?: string;
  /**
   * How an `origin` function is called: with the request's origin first (`(origin, …) =>`) or with
   * the request's context; answering through its second parameter, a callback, or by returning.
   */
  originFunction: { originFirst: boolean; answers: "callback" | "return" };
}

/** How a JWT library reads and verifies tokens. */
export interface TsJwtKnowledge {
  /** The library as the JWT facts name it; absent for a package that only serves keys. */
  library?: JwtLibrary;
  /**
   * Exports that read a token without checking its signature: `jwt.decode(token)`; with `.()`,
   * what a factory returns: fast-jwt's `createDecoder.()` is the decoder `createDecoder()` makes.
   */
  decoders?: readonly ImportSpecifier[];
  /** Exports that verify a token: `jwt.verify(token, key, options)`. */
  verifiers?: readonly ImportSpecifier[];
  /**
   * Where a verify call takes the key: as its second argument before the options
   * (`verify(token, key, options?, callback?)`), in the options (the first of `names` given),
   * or `bound` to it (the key's type fixes the algorithm: nothing to read).
   */
  verifyKey?:
    | {
        in: "argument";
        /**
         * The position of an algorithm argument that comes before the key: jws's
         * `verify(signature, algorithm, key)`. Called without it (the two-argument form of
         * jws before 3.0), the token's own header picks the algorithm.
         */
        algorithm?: number;
      }
    | { in: "options"; names: readonly string[] }
    | { in: "bound" };
  /** Middleware factories called with options that hold the key: `expressjwt({ secret, algorithms })`. */
  middleware?: { factories: readonly ImportSpecifier[]; keyOption: string };
  /** Factories called with options that hold the key, returning a verify function: fast-jwt's `createVerifier({ key, algorithms })`. */
  verifierFactories?: {
    factories: readonly ImportSpecifier[];
    keyOption: string;
    /** Other options that hold the key, when `keyOption` is absent: jws's `publicKey`, `secret`. */
    otherKeyOptions?: readonly string[];
    /**
     * The option naming the one algorithm, when the factory takes it singly: jws's
     * `createVerify({ signature, algorithm, key })`. Without it (jws before 3.0) the token's
     * own header picks the algorithm.
     */
    algorithmOption?: string;
  };
  /**
   * Module registrations whose options configure every verify of an injected service:
   * `JwtModule.register({ secret, verifyOptions: { algorithms } })`, also in the object
   * `registerAsync({ useFactory })`'s factory returns. Recorded when `verifyOption` is given.
   */
  modules?: {
    calls: readonly ImportSpecifier[];
    /** The option holding the verify options. */
    verifyOption: string;
    /** Options that hold the key, the first found used. */
    keyOptions: readonly string[];
    /** The option of the async form whose function returns the options. */
    factoryOption: string;
  };
  /**
   * Exports that, passed as the key to a verify call, take the key from the token's own
   * header: jose's `EmbeddedJWK`. Such a call must pin `algorithms`.
   */
  tokenKeys?: readonly ImportSpecifier[];
  /**
   * The package is made for browsers (jwt-decode): a decode counts as trusting the token only
   * where the code serves a request (a function with a request or context parameter, or the
   * result put on the request), not where a frontend reads the token it was given.
   */
  decodesOnlyOnRequests?: boolean;
  /**
   * Strategy classes constructed with options that hold the key (`new JwtStrategy({ secretOrKey })`),
   * also as the base of NestJS's `class JwtStrategy extends PassportStrategy(Strategy)`.
   */
  strategies?: { classes: readonly ImportSpecifier[]; keyOption: string; keyProviderOption: string };
  /** An injected service named like this (`this.jwtService`), in a file that imports the package: its methods decode and verify. */
  service?: { name: RegExp; decoders: readonly string[]; verifiers: readonly string[] };
  /** What the package provides are public keys (a JWKS client): a key from it, or a key callback in a file that imports it. */
  publicKeys?: boolean;
}

/** Where a library takes keys and secrets. */
export interface TsSecretKnowledge {
  /** Calls that take a key as an argument: `jwt.sign(payload, secret)`, `crypto.createHmac("sha256", key)`. */
  keyArguments?: readonly {
    calls: readonly ImportSpecifier[];
    /** Also these exports called on an object of this name when no import shows where it comes from: `jwt.sign(…)`. */
    receiverName?: string;
    /** The position of the key. */
    index: number;
    /** How the place reads in a finding, given the export called: `jwt.sign() key`. */
    sink(name: string): string;
    /** What the key would be called as a variable: `jwtSecret`. */
    target: string;
  }[];
  /**
   * Options that hold keys, in an options object passed to anything from the packages
   * (`session({ secret })`, `new JwtStrategy({ secretOrKey })`) or with the package as a
   * plugin (`app.register(fastifyJwt, { secret })`).
   */
  keyOptions?: { names: readonly string[]; sink: string };
}
