/**
 * The shape of one library's knowledge on the C# side. Each file under libraries/ exports
 * one record; the adapter asks each record that applies to the file for its endpoints,
 * the route builders it hands to other files and the app-wide registrations it makes.
 */
import type { Endpoint, FrameworkVocabulary, RouteGroupCall, StartupRegistration } from "../../../lib/core/model.js";
import type { ResolvedSettings } from "../../../lib/core/settings.js";
import type { SyntaxNode } from "../../parser.js";
import { collectDeclarations, type FileDeclarations } from "../declarations.js";
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
  #declarations: FileDeclarations | undefined;
  #classifier: AttributeClassifier | undefined;

  constructor(root: SyntaxNode, text: string, settings: ResolvedSettings, filename: string) {
    this.root = root;
    this.text = text;
    this.settings = settings;
    this.filename = filename.replace(/\\/g, "/");
  }

  get declarations(): FileDeclarations {
    this.#declarations ??= collectDeclarations(this.root);
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
}
