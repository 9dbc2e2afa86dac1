/**
 * Copies the C# grammar's WebAssembly build into dist/, next to the parser that loads it.
 * Users get the grammar inside this package: they install no native binding, no install
 * script runs, and the grammar is the exact version the rules were written against.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const source = require.resolve("tree-sitter-c-sharp/tree-sitter-c_sharp.wasm");
const target = fileURLToPath(new URL("../dist/csharp-bridge/tree-sitter-c_sharp.wasm", import.meta.url));
mkdirSync(fileURLToPath(new URL("../dist/csharp-bridge/", import.meta.url)), { recursive: true });
copyFileSync(source, target);
