/**
 * keycloak-connect: `keycloak.protect()` and `keycloak.protect("realm:admin")` guard a
 * route. The guard is a method of the instance made with `new Keycloak(…)`, often in
 * another file, so it is known by the instance's name; `keycloak.middleware()` only
 * reads the session.
 */
import type { TsLibrary } from "./library.js";

export const keycloakConnect: TsLibrary = {
  id: "keycloak-connect",
  packages: ["keycloak-connect"],
  auth: { guards: [], receiver: { name: /keycloak/i, methods: ["protect"] } },
};
