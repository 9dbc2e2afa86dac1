/**
 * Passwords inside connection strings: the `key=value;` form of ADO.NET, ODBC and
 * Azure (`Server=…;User Id=…;Password=…`) and URLs with credentials
 * (`postgres://user:pass@host/db`). SQL text (`SET Password=@password`), parameter
 * markers, template holes and databases on the developer's own machine are not.
 */
import { isStandIn } from "./values.js";

export interface ConnectionCredential {
  /** The password as written. */
  password: string;
  /** Where the password starts in the value. */
  index: number;
  form: "connection string" | "URL";
}

const PASSWORD_KEYS = new Set(["password", "pwd", "pass", "passwd", "user password"]);
const OTHER_KEYS = new Set([
  "server",
  "data source",
  "datasource",
  "host",
  "hostname",
  "address",
  "addr",
  "network address",
  "user id",
  "userid",
  "uid",
  "user",
  "username",
  "user name",
  "database",
  "initial catalog",
  "port",
  "endpoint",
  "accountname",
  "dsn",
  "provider",
  "driver",
  "integrated security",
  "trusted_connection",
  "encrypt",
  "sslmode",
  "ssl mode",
  "protocol",
]);
const HOST_KEYS = new Set([
  "server",
  "data source",
  "datasource",
  "host",
  "hostname",
  "address",
  "addr",
  "network address",
]);

/** The developer's own machine: a credential for it unlocks nothing anywhere else. */
const LOCAL_HOST =
  /^(?:tcp:)?(?:localhost|127\.0\.0\.1|::1|\[::1\]|\.|\(local\)|\(localdb\)\\[\w.-]+|host\.docker\.internal)(?:[,:]\d+)?$/i;

/** A value that stands for the password instead of being one: `@password`, `{0}`, `$(DB_PASS)`, `%PWD%`, `?`. */
function isMarker(password: string): boolean {
  return /^[@:$%?{<#]/.test(password) || isStandIn(password);
}

const URL_CREDENTIALS =
  /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{1,20}):\/\/([^:/?#@\s]{1,200}):([^@/?#\s]{1,200})@([^/?#\s:,]{1,255})/gi;

export function findConnectionCredential(value: string): ConnectionCredential | undefined {
  if (value.length < 10 || value.length > 10_000) return undefined;
  return fromKeyValuePairs(value) ?? fromUrl(value);
}

function fromKeyValuePairs(value: string): ConnectionCredential | undefined {
  if (!value.includes("=") || !value.includes(";")) return undefined;
  let password: { text: string; index: number } | undefined;
  let others = 0;
  let local = false;
  let offset = 0;
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) {
      const key = part.slice(0, eq).trim().toLowerCase();
      const raw = part.slice(eq + 1);
      const text = raw.trim().replace(/^(['"])(.*)\1$/, "$2");
      if (PASSWORD_KEYS.has(key)) password = { text, index: offset + eq + 1 + raw.indexOf(text) };
      else if (OTHER_KEYS.has(key)) {
        others++;
        if (HOST_KEYS.has(key) && LOCAL_HOST.test(text)) local = true;
      }
    }
    offset += part.length + 1;
  }
  if (!password || others === 0 || local || isMarker(password.text)) return undefined;
  return { password: password.text, index: password.index, form: "connection string" };
}

function fromUrl(value: string): ConnectionCredential | undefined {
  if (!value.includes("://") || !value.includes("@")) return undefined;
  URL_CREDENTIALS.lastIndex = 0;
  for (let m = URL_CREDENTIALS.exec(value); m; m = URL_CREDENTIALS.exec(value)) {
    const [, , user, password, host] = m as unknown as [string, string, string, string, string];
    if (LOCAL_HOST.test(host) || isMarker(password) || password === user) continue;
    let decoded = password;
    try {
      decoded = decodeURIComponent(password);
    } catch {
      // keep it as written
    }
    if (isMarker(decoded)) continue;
    const index = m.index + m[0].indexOf(`:${password}@`) + 1;
    return { password, index, form: "URL" };
  }
  return undefined;
}
