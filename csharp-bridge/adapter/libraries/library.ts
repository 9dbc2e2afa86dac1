/**
 * The shape of one library's knowledge on the C# side. Each file under libraries/ exports
 * one record; the adapter asks each record that applies to the file for its endpoints,
 * the route builders it hands to other files and the app-wide registrations it makes.
 */
import type { Endpoint, FrameworkVocabulary, RouteGroupCall, StartupRegistration } from "../../../lib/core/model.js";
import type { ResolvedSettings } from "../../../lib/core/settings.js";
import type { SyntaxNode } from "../../parser.js";
import { collectDeclarations, type FileDeclarations, type PartMembers } from "../declarations.js";
import { attributeClassifier, type AttributeClassifier } from "../protections.js";

/**
 * One C# file as the libraries see it. What several libraries need (the declarations, the
 * attribute classifier) is built on first use and shared.
 */
export class CSharpFile {
  readonly root: SyntaxNode;
  readonly text: string;
  readonly settings: ResolvedSettings;
  /** The path ESLint gives, with `/` separators. */
  readonly filename: string;
  /** What the parts of the file's partial classes in other files declare (from the project index). */
  readonly partMembers: PartMembers;
  #declarations: FileDeclarations | undefined;
  #classifier: AttributeClassifier | undefined;

  constructor(
    root: SyntaxNode,
    text: string,
    settings: ResolvedSettings,
    filename: string,
    partMembers: PartMembers = {},
  ) {
    this.root = root;
    this.text = text;
    this.settings = settings;
    this.filename = filename.replace(/\\/g, "/");
    this.partMembers = partMembers;
  }

  get declarations(): FileDeclarations {
    this.#declarations ??= collectDeclarations(this.root, this.partMembers);
    return this.#declarations;
  }

  get classifier(): AttributeClassifier {
    this.#classifier ??= attributeClassifier(this.declarations, this.settings);
    return this.#classifier;
  }
}

export interface CSharpLibrary {
  /** The framework or library id; endpoints carry it as `framework`. */
  id: string;
  /** The framework's words for its authorization; endpoints carry them as `vocabulary`. */
  vocabulary?: FrameworkVocabulary;
  /** A cheap test on the text: whether the file can hold anything of this library at all. */
  applies(file: CSharpFile): boolean;
  /** The endpoints the file declares, with the protections the file shows. */
  endpoints?(file: CSharpFile): Endpoint[];
  /** Route builders the file hands to functions it does not declare. */
  routeGroupCalls?(file: CSharpFile): RouteGroupCall[];
  /** App-wide authorization the file registers (Program.cs, Startup.cs), for every file of the project. */
  registrations?(file: CSharpFile): StartupRegistration[];
  /** How the library verifies that a request comes from whom it says: a webhook's signature (request-checks.ts). */
  signatures?: CSharpSignatureKnowledge;
  /** How the library hashes passwords (request-checks.ts). */
  passwords?: CSharpPasswordKnowledge;
}

/**
 * How a library verifies a request's signature. A handler that does so (itself or through
 * a method of its class it calls) counts as protected: only the provider that holds the
 * secret can call it.
 */
export interface CSharpSignatureKnowledge {
  /** Static methods that verify: Stripe.net's `EventUtility.ConstructEvent(json, signature, secret)`. */
  staticMethods?: readonly { type: string; methods: readonly string[] }[];
  /**
   * Methods that verify on an instance of one of `types`: svix's `new Webhook(secret).Verify(…)`,
   * Twilio's `RequestValidator.Validate(…)`. The receiver's type is read from its declaration
   * (a field, property, parameter or `var x = new T(…)`).
   */
  instanceMethods?: readonly { types: readonly string[]; methods: readonly string[] }[];
  /** Attributes that verify the request before the action runs: Twilio's `[ValidateRequest]`. */
  attributes?: readonly string[];
  /** Types that compute an HMAC (`new HMACSHA256(key)`, `HMACSHA256.HashData(…)`): with a constant-time comparison, a hand-written signature check. */
  hmacTypes?: readonly string[];
  /** Static methods that compare in constant time: `CryptographicOperations.FixedTimeEquals`. */
  constantTimeCompares?: readonly { type: string; methods: readonly string[] }[];
}

/** How a library hashes passwords. */
export interface CSharpPasswordKnowledge {
  /** Methods that hash a password on any receiver: `IPasswordHasher<T>.HashPassword`, BCrypt.Net's `BCrypt.HashPassword`. */
  hashMethods?: readonly string[];
  /**
   * Methods that store a new user with a password, given at least `arguments` arguments, on a
   * receiver whose type or name matches: ASP.NET Core Identity's `UserManager.CreateAsync(user, password)`.
   */
  createsWithPassword?: readonly { receiver: RegExp; method: string; arguments: number }[];
}
