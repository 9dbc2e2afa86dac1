/** The OASIS SARIF 2.1.0 JSON schema (vendored in tests/fixtures/sarif) as a validator. */
import { readFileSync } from "node:fs";
import path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { FIXTURES } from "./paths.js";

// ajv-draft-04 and ajv-formats are CommonJS modules whose class and plugin are their default export.
const Ajv = AjvDraft04.default;
const addFormats = addFormatsModule.default;

export const schema = JSON.parse(readFileSync(path.join(FIXTURES, "sarif", "sarif-schema-2.1.0.json"), "utf8")) as {
  $schema: string;
  id: string;
};
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

/** The schema's complaints about a log, one line each; empty when it is valid. */
export function schemaErrors(log: unknown): string[] {
  if (validateSarif(log)) return [];
  return (validateSarif.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`);
}
