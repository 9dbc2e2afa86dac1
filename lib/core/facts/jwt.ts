/**
 * AP203 facts: how JSON Web Tokens are read and validated. The adapters describe the
 * calls and configuration objects of the JWT libraries; the rule decides which
 * settings leave a token unverified.
 */
import type { Loc } from "../model.js";

/** The JWT library a fact comes from, in both languages. */
export type JwtLibrary =
  | "jsonwebtoken"
  | "jose"
  | "express-jwt"
  | "passport-jwt"
  | "@nestjs/jwt"
  | "jws"
  | "fast-jwt"
  | "jwt-decode"
  /** Microsoft.IdentityModel: `TokenValidationParameters`, `JwtSecurityTokenHandler`, `JsonWebTokenHandler`. */
  | "identitymodel";

/** A token read without checking its signature, whose content is then used as the caller's identity. */
export interface UnverifiedRead {
  kind: "unverified-read";
  library: JwtLibrary;
  /** The call, shortened: `jwt.decode(…)`, `handler.ReadJwtToken(…)`. */
  call: string;
  /** How the result serves as identity, in words: `assigned to req.user`, `its .sub is read`, `passed to new ClaimsIdentity()`. */
  use: string;
  /** The same function also verifies the same token (`jwt.verify`, `ValidateToken`), so the read content is checked. */
  verifiedNearby: boolean;
  /** The reading call. */
  loc: Loc;
}

/** A setting written with a literal value, or a validator replaced by one that checks nothing. */
export interface ValidationSetting {
  /** As written: `ignoreExpiration`, `ValidateLifetime`, `SignatureValidator`. */
  name: string;
  /** The literal value, or `unvalidated` for a validator callback that accepts without checking. */
  value: boolean | "unvalidated";
  loc: Loc;
}

/** The key a token is verified with. */
export interface VerificationKey {
  /**
   * `missing`: no key argument; `falsy`: `null`, `undefined`, `""`, `false`;
   * `public`: a public key or certificate (a PEM, a key file, a JWKS lookup, a name that says public);
   * `token`: the key the token carries in its own header (jose's `EmbeddedJWK`), which whoever
   * makes the token chooses;
   * `other`: anything else (a secret from configuration, an expression the adapter cannot read).
   */
  kind: "missing" | "falsy" | "public" | "token" | "other";
  /** Source text, shortened. */
  text: string;
  loc: Loc;
}

/** A place where tokens are verified: a verify call, a middleware or strategy, a validation-parameters object. */
export interface TokenVerification {
  kind: "verification";
  library: JwtLibrary;
  /** What sets it up, as written: `jwt.verify()`, `expressjwt()`, `new JwtStrategy()`, `new TokenValidationParameters`. */
  via: string;
  /** The call or object. */
  loc: Loc;
  /**
   * The accepted algorithms: absent when the options do not name them, `values: null` when they
   * are named by something the adapter cannot read.
   */
  algorithms?: { values: string[] | null; loc: Loc };
  /**
   * The algorithm is taken from the token being checked: jws's two-argument `verify(signature, key)`,
   * or `verify(signature, decoded.header.alg, key)`. Where it is taken (the call, or the argument).
   */
  algorithmFromToken?: Loc;
  key?: VerificationKey;
  settings: ValidationSetting[];
  /** False when the options could not be read whole (a spread, an options object from elsewhere): absent settings are then unknown. */
  complete: boolean;
}

export type JwtFact = UnverifiedRead | TokenVerification;
