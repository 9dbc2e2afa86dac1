/**
 * Which project file a TS/JS module specifier names, the way TypeScript and Node find
 * it: relative paths with or without extension (`./orders`, `./orders.js` for
 * `orders.ts`), folders through their `index` file, and `compilerOptions.paths` /
 * `baseUrl` of the project's tsconfig.json (`@/routes/orders`). Packages are not files
 * of the project and resolve to nothing. Only files the project listing holds are
 * answered, so nothing outside the project (or behind a symbolic link) is ever named.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** `./x.js` written for `./x.ts` (NodeNext style), and the like. */
const WRITTEN_FOR: Record<string, string[]> = {
  ".js": [".ts", ".tsx", ".js", ".jsx"],
  ".mjs": [".mts", ".mjs"],
  ".cjs": [".cts", ".cjs"],
  ".jsx": [".tsx", ".jsx"],
};

export interface PathMapping {
  /** `@/*` → prefix `@/`, suffix ``. */
  prefix: string;
  suffix: string;
  wildcard: boolean;
  /** Absolute targets with `*` where the match goes. */
  targets: string[];
}

export interface TsConfigPaths {
  baseUrl: string | undefined;
  mappings: PathMapping[];
}

/** The `paths`/`baseUrl` of the project's tsconfig.json (following one `extends` chain within the project), or none. */
export function readTsConfigPaths(root: string): TsConfigPaths {
  const result: TsConfigPaths = { baseUrl: undefined, mappings: [] };
  let file: string | undefined = path.join(root, "tsconfig.json");
  const visited = new Set<string>();
  let paths: Record<string, unknown> | undefined;
  let pathsDir = root;
  for (let depth = 0; file && depth < 8 && !visited.has(file); depth++) {
    visited.add(file);
    const config = readJsonc(file);
    if (!config) break;
    const options = (config.compilerOptions ?? {}) as Record<string, unknown>;
    const dir = path.dirname(file);
    if (result.baseUrl === undefined && typeof options.baseUrl === "string")
      result.baseUrl = path.resolve(dir, options.baseUrl);
    if (!paths && options.paths && typeof options.paths === "object") {
      paths = options.paths as Record<string, unknown>;
      pathsDir = dir;
    }
    const parent = typeof config.extends === "string" ? config.extends : undefined;
    file = parent?.startsWith(".")
      ? path.resolve(dir, parent.endsWith(".json") ? parent : `${parent}.json`)
      : undefined;
    if (file && !file.startsWith(root + path.sep)) break;
  }
  const base = result.baseUrl ?? pathsDir;
  for (const [pattern, targets] of Object.entries(paths ?? {})) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf("*");
    result.mappings.push({
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? "" : pattern.slice(star + 1),
      wildcard: star >= 0,
      targets: targets.filter((t): t is string => typeof t === "string").map((t) => path.resolve(base, t)),
    });
  }
  // The longest prefix wins, as in TypeScript.
  result.mappings.sort((a, b) => b.prefix.length - a.prefix.length);
  return result;
}

/** JSON with comments and trailing commas, as tsconfig.json allows. */
function readJsonc(file: string): Record<string, unknown> | undefined {
  try {
    const text = fs.readFileSync(file, "utf8");
    const stripped = text
      .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_, string: string | undefined) => string ?? "")
      .replace(/,(\s*[}\]])/g, "$1");
    const value: unknown = JSON.parse(stripped);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The project file a specifier names from `fromFile`; `exists` says whether the project holds a path. */
export function resolveModule(
  specifier: string,
  fromFile: string,
  config: TsConfigPaths,
  exists: (file: string) => boolean,
): string | undefined {
  if (specifier.startsWith(".") || path.isAbsolute(specifier))
    return resolveFile(path.resolve(path.dirname(fromFile), specifier), exists);
  for (const mapping of config.mappings) {
    if (!specifier.startsWith(mapping.prefix) || !specifier.endsWith(mapping.suffix)) continue;
    if (!mapping.wildcard && specifier !== mapping.prefix) continue;
    const match = specifier.slice(mapping.prefix.length, specifier.length - mapping.suffix.length);
    for (const target of mapping.targets) {
      const found = resolveFile(target.replace("*", match), exists);
      if (found) return found;
    }
  }
  if (config.baseUrl) return resolveFile(path.resolve(config.baseUrl, specifier), exists);
  return undefined;
}

function resolveFile(base: string, exists: (file: string) => boolean): string | undefined {
  if (exists(base)) return base;
  const ext = path.extname(base);
  for (const written of WRITTEN_FOR[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + written;
    if (exists(candidate)) return candidate;
  }
  for (const extension of SOURCE_EXTENSIONS) if (exists(base + extension)) return base + extension;
  for (const extension of SOURCE_EXTENSIONS) {
    const index = path.join(base, `index${extension}`);
    if (exists(index)) return index;
  }
  return undefined;
}

/** The specifiers a TS/JS file imports, found without parsing: `import … from "x"`, `export … from "x"`, `require("x")`, `import("x")`. */
export function scanImports(text: string): string[] {
  const out = new Set<string>();
  const pattern =
    /\b(?:from|import)\s*["']([^"'\n]+)["']|\b(?:require|import)\s*\(\s*["']([^"'\n]+)["']\s*\)|\bimport\s+\w+\s*=\s*require\s*\(\s*["']([^"'\n]+)["']/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) out.add(specifier);
  }
  return [...out];
}
