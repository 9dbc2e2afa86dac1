/**
 * Test code by file name and folder, the same for both languages: routes and
 * controllers declared there are never deployed. Only unambiguous conventions count
 * (a folder named `tests` alone is not enough: services keep fixtures and
 * integration harnesses there next to real code).
 */
const TEST_FOLDER =
  /(?:^|[\\/])(?:__tests__|__mocks__|[^\\/]+\.(?:Tests?|UnitTests?|IntegrationTests?|FunctionalTests?|Specs?))[\\/]/u;
const TEST_FILE = /(?:\.(?:test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?|Tests?\.cs)$/u;

export function isTestFile(filename: string): boolean {
  return TEST_FILE.test(filename) || TEST_FOLDER.test(filename);
}
