/**
 * The entry `require("eslint-plugin-api-posture")` resolves to (the `require` condition of
 * the package's exports), for `eslint.config.cjs`. Node >= 20.19 loads ES modules with
 * `require()`; by default it returns the module namespace, where the plugin would sit under
 * `.default`. An export named "module.exports" is what Node returns instead, so `require()`
 * gives the same plugin object `import` does (the same instance: this module re-exports
 * ./index.js). It lives in its own module so that index.d.ts keeps no string export name,
 * which TypeScript before 5.6 cannot read.
 */
import plugin from "./index.js";

export { plugin as "module.exports" };
export default plugin;
