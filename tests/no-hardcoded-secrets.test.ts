/**
 * AP201 details through RuleTester: messages, positions, options and suggestions, in
 * both languages, with ESLint 9 and 10. Provider values are built at run time.
 */
import { describe, it } from "node:test";
import { crc32 } from "node:zlib";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

const rule = plugin.rules["no-hardcoded-secrets"];
const SUFFIX = "SOC 2 CC6.1, CC6.2.";
const ROTATE = "and rotate the value that was committed.";

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A GitHub token that is valid in form: 30 fixed-but-arbitrary characters and their checksum. */
function githubToken(): string {
  const body = Array.from({ length: 30 }, (_, i) => ALNUM[(i * 37 + 11) % 62]).join("");
  let n = crc32(body);
  let digits = "";
  for (; n > 0; n = Math.floor(n / 62)) digits = ALNUM[n % 62] + digits;
  return `ghp_${body}${digits.padStart(6, "0")}`;
}
const GITHUB_TOKEN = githubToken();

const named = (target: string, what: string, shown: string, read: string) =>
  `AP201 \`${target}\` is set to a literal ${what} \`${shown}\` written into the code. ${SUFFIX} Fix: read it from configuration (${read}) or a secret store, ${ROTATE}`;
const sink = (what: string, shown: string, read: string) =>
  `AP201 The ${what} is a literal \`${shown}\` written into the code. ${SUFFIX} Fix: read it from configuration (${read}) or a secret store, ${ROTATE}`;
const suggestion = (text: string, output: string) => [{ messageId: "readFromConfiguration", data: { text }, output }];

const tsCases = {
  valid: [
    // Configuration and environment lookups.
    "const jwtSecret = process.env.JWT_SECRET;",
    'const password = config.get("db.password");',
    "const { apiKey } = loadSettings();",
    // Literals compared with configuration or a local: placeholder and marker checks.
    'if (config.apiKey === "changeme-partner-key") throw new Error("set the key");',
    'function describe(token) { if (token === "expired-token-marker") return "expired"; }',
    'switch (secret) { case "s3cr3t-Value-99": break; }',
    // A request's password against a literal is AP202's hard-coded password.
    'function login(req) { return req.body.password === "Kx9#mP2vL7qR"; }',
    // Placeholders and stand-ins.
    'const apiKey = "your_api_key_here";',
    'const password = "changeme";',
    'const secret = "<your-secret>";',
    'const token = "${GITHUB_TOKEN}";',
    'const clientSecret = "xxxxxxxxxxxx";',
    'const password = "********";',
    'const password = "aaaaaaaa";',
    'const password = "pw1";',
    'const password = "";',
    // Names and labels under secret-named targets.
    'const passwordError = "Password must be at least 8 characters";',
    'const passwordField = "password";',
    'const PASSWORD_LABEL = "Password";',
    'const resetPasswordRoute = "/reset-password";',
    'const ACCESS_TOKEN = "access_token";',
    'const TOKEN_HEADER = "x-api-key";',
    'const messages = { password: "Passwort", passwordRequired: "auth.password.required" };',
    'const token = "function";',
    'const tokenType = "Bearer";',
    'const authToken = "refreshToken";',
    'const secret = "Jwt:Secret";',
    // Values that are not secrets whatever the name.
    'const apiKey = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";',
    'const passwordHash = "5f4dcc3b5aa765d61d8327deb882cf99";',
    'const integrity = "sha512-9Xr2Tq5mXvB6GdGgk1QzHxA2mPp7sN4fZf4Xn3yQm+8=";',
    'const publicKey = "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\\n-----END PUBLIC KEY-----";',
    'const stripeKey = "pk_live_51HqLyjWDarjtT1zdp7dcAbCdEfGhIjKlMnOp";',
    'const passwordClass = "mt-2 block w-full rounded-md border-gray-300";',
    'const secretIcon = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";',
    'const passwordPattern = "^(?=.*[A-Z])(?=.*\\\\d).{8,}$";',
    'const tokenUrl = "https://login.example.com/oauth2/token";',
    'const password = "{0}:{1}";',
    'const sql = "UPDATE users SET password = $1 WHERE id = $2";',
    'const secretsPath = "./config/secrets.json";',
    // Connection strings without a password, or for the developer's own machine.
    'const connectionString = "Server=db.internal;Database=shop;Trusted_Connection=True;";',
    'const databaseUrl = "postgres://postgres:postgres@localhost:5432/shop";',
    'const url = "postgres://app:${DB_PASSWORD}@db.internal:5432/shop";',
    // Sinks given a configuration value.
    'import jwt from "jsonwebtoken";\nconst t = jwt.sign(claims, process.env.JWT_SECRET);',
    // Name-based findings stay out of test code by default.
    { code: 'const password = "Tr0ub4dor&3";', filename: "src/login.test.ts" },
    { code: 'const apiKey = "Kx8$mQ2!vLp9-demo-key";', filename: "src/CodeBlock.stories.tsx" },
    // Configured exceptions.
    { code: 'const password = "sandbox-Pa55word";', options: [{ allowValues: ["^sandbox-"] }] },
    { code: `const token = "${GITHUB_TOKEN}";`, filename: "src/github.spec.ts", options: [{ testFiles: "none" }] },
  ],
  invalid: [
    {
      code: 'function auth(req, res, next) { if (req.headers["x-api-key"] === "k3y-2024-prod-Zq8Lm2Pq7Xw4Nc9R") next(); }',
      errors: [
        {
          message: `AP201 The request's \`x-api-key\` is checked against a literal secret \`k3y-…\` written into the code: everyone who can read the source can present it. ${SUFFIX} Fix: read it from configuration (process.env.X_API_KEY) or a secret store, ${ROTATE}`,
          column: 66,
          suggestions: suggestion(
            "process.env.X_API_KEY",
            'function auth(req, res, next) { if (req.headers["x-api-key"] === process.env.X_API_KEY) next(); }',
          ),
        },
      ],
    },
    {
      code: 'const dbPassword = "Tr0ub4dor&3";',
      errors: [
        {
          message: named("dbPassword", "password", "Tr…", "process.env.DB_PASSWORD"),
          line: 1,
          column: 20,
          endLine: 1,
          endColumn: 33,
          suggestions: suggestion("process.env.DB_PASSWORD", "const dbPassword = process.env.DB_PASSWORD;"),
        },
      ],
    },
    {
      code: 'const config = { stripe: { apiKey: "a8f5f167f44f4964e6c998dee827110c" } };',
      errors: [
        {
          message: named("apiKey", "secret", "a8f5…", "process.env.STRIPE_API_KEY"),
          column: 36,
          suggestions: suggestion(
            "process.env.STRIPE_API_KEY",
            "const config = { stripe: { apiKey: process.env.STRIPE_API_KEY } };",
          ),
        },
      ],
    },
    {
      code: 'function connect(password = "Tr0ub4dor&3") {}',
      errors: [
        {
          messageId: "named",
          suggestions: suggestion("process.env.PASSWORD", "function connect(password = process.env.PASSWORD) {}"),
        },
      ],
    },
    {
      code: 'class Mailer { private readonly smtpPassword = "Kx8$mQ2!vLp9"; }',
      errors: [
        {
          messageId: "named",
          suggestions: suggestion(
            "process.env.SMTP_PASSWORD",
            "class Mailer { private readonly smtpPassword = process.env.SMTP_PASSWORD; }",
          ),
        },
      ],
    },
    {
      code: 'const jwtSecret = process.env.JWT_SECRET ?? "my-dev-signing-secret";',
      errors: [
        {
          message: `AP201 \`JWT_SECRET\` falls back to a literal secret \`my-d…\` when the configured value is missing. ${SUFFIX} Fix: read it from configuration (process.env.JWT_SECRET) or a secret store, ${ROTATE}`,
          suggestions: suggestion(
            "process.env.JWT_SECRET",
            "const jwtSecret = process.env.JWT_SECRET ?? process.env.JWT_SECRET;",
          ),
        },
      ],
    },
    {
      code: 'headers.set("Authorization", "Bearer 8f14e45fceea167a5a36dedd4bea2543");',
      errors: [{ messageId: "named" }],
    },
    {
      code: 'import jwt from "jsonwebtoken";\nexport const issue = (claims) => jwt.sign(claims, "keyboard cat", { expiresIn: "1h" });',
      errors: [
        {
          message: sink("jwt.sign() key", "key…", "process.env.JWT_SECRET"),
          line: 2,
          column: 51,
          suggestions: suggestion(
            "process.env.JWT_SECRET",
            'import jwt from "jsonwebtoken";\nexport const issue = (claims) => jwt.sign(claims, process.env.JWT_SECRET, { expiresIn: "1h" });',
          ),
        },
      ],
    },
    {
      code: 'import { verify } from "jsonwebtoken";\nverify(token, "secret");',
      errors: [
        {
          messageId: "sink",
          suggestions: suggestion(
            "process.env.JWT_SECRET",
            'import { verify } from "jsonwebtoken";\nverify(token, process.env.JWT_SECRET);',
          ),
        },
      ],
    },
    {
      code: 'import crypto from "node:crypto";\nconst mac = crypto.createHmac("sha256", Buffer.from("webhook-signing-key"));',
      errors: [
        {
          messageId: "sink",
          suggestions: suggestion(
            "process.env.HMAC_KEY",
            'import crypto from "node:crypto";\nconst mac = crypto.createHmac("sha256", Buffer.from(process.env.HMAC_KEY));',
          ),
        },
      ],
    },
    {
      code: 'import session from "express-session";\napp.use(session({ secret: "keyboard cat", resave: false }));',
      errors: [
        {
          message: sink("express-session secret", "key…", "process.env.SESSION_SECRET"),
          suggestions: suggestion(
            "process.env.SESSION_SECRET",
            'import session from "express-session";\napp.use(session({ secret: process.env.SESSION_SECRET, resave: false }));',
          ),
        },
      ],
    },
    {
      code: 'import cookieParser from "cookie-parser";\napp.use(cookieParser("s3cr3t-cookie"));',
      errors: [
        {
          messageId: "sink",
          suggestions: suggestion(
            "process.env.COOKIE_SECRET",
            'import cookieParser from "cookie-parser";\napp.use(cookieParser(process.env.COOKIE_SECRET));',
          ),
        },
      ],
    },
    {
      code: 'import { Strategy } from "passport-jwt";\npassport.use(new Strategy({ secretOrKey: "shh-its-a-secret", jwtFromRequest }, verify));',
      errors: [
        {
          messageId: "sink",
          suggestions: suggestion(
            "process.env.STRATEGY_SECRET_OR_KEY",
            'import { Strategy } from "passport-jwt";\npassport.use(new Strategy({ secretOrKey: process.env.STRATEGY_SECRET_OR_KEY, jwtFromRequest }, verify));',
          ),
        },
      ],
    },
    {
      code: 'const db = knex({ client: "pg", connection: "postgres://app:Kx8$mQ2!vLp9@db.internal:5432/shop" });',
      errors: [
        {
          message: `AP201 A URL with its password \`Kx8…\` is written into the code (in \`connection\`). ${SUFFIX} Fix: read it from configuration (process.env.KNEX_CONNECTION) or a secret store, ${ROTATE}`,
          suggestions: suggestion(
            "process.env.KNEX_CONNECTION",
            'const db = knex({ client: "pg", connection: process.env.KNEX_CONNECTION });',
          ),
        },
      ],
    },
    {
      code: `const octokit = new Octokit({ auth: "${GITHUB_TOKEN}" });`,
      errors: [
        {
          message: `AP201 GitHub personal access token \`ghp_…\` is written into the code (in \`auth\`). ${SUFFIX} Fix: revoke this credential with the provider, then read it from configuration (process.env.OCTOKIT_AUTH) or a secret store.`,
          suggestions: suggestion(
            "process.env.OCTOKIT_AUTH",
            "const octokit = new Octokit({ auth: process.env.OCTOKIT_AUTH });",
          ),
        },
      ],
    },
    {
      // A provider credential inside a longer string: no replacement of the whole literal is offered.
      code: `fetch(url, { headers: { authorization: "token ${GITHUB_TOKEN}" } });`,
      errors: [{ messageId: "provider", suggestions: [] }],
    },
    {
      // Test code still leaks a provider credential.
      code: `const token = "${GITHUB_TOKEN}";`,
      filename: "src/github.spec.ts",
      errors: [
        { messageId: "provider", suggestions: suggestion("process.env.TOKEN", "const token = process.env.TOKEN;") },
      ],
    },
    {
      code: 'const password = "Tr0ub4dor&3";',
      filename: "src/login.test.ts",
      options: [{ testFiles: "all" }],
      errors: [
        {
          messageId: "named",
          suggestions: suggestion("process.env.PASSWORD", "const password = process.env.PASSWORD;"),
        },
      ],
    },
  ],
};

const tsxCases = {
  valid: [
    'export const Field = () => <input type="password" name="password" placeholder="Password" autoComplete="current-password" />;',
  ],
  invalid: [
    {
      code: 'export const Map = () => <GoogleMap apiKey="k3yV4lue!9xyz" />;',
      errors: [
        {
          messageId: "named",
          suggestions: suggestion(
            "{process.env.API_KEY}",
            "export const Map = () => <GoogleMap apiKey={process.env.API_KEY} />;",
          ),
        },
      ],
    },
  ],
};

const cs = (members: string) => `using System.Net;\n\npublic class MailSettings\n{\n${members}\n}\n`;
const csConfig = (members: string) =>
  `public class TokenService\n{\n    private readonly IConfiguration _configuration;\n${members}\n}\n`;

const csCases = {
  valid: [
    cs('    public string SmtpPassword { get; set; } = Environment.GetEnvironmentVariable("SMTP_PASSWORD");'),
    cs('    public string PasswordError { get; } = "Password must be at least 8 characters";'),
    cs('    public const string PasswordField = "password";'),
    cs(
      '    [Required(ErrorMessage = "Password is required")]\n    [Display(Name = "Password")]\n    public string Password { get; set; }',
    ),
    cs('    public string ApiKey { get; set; } = "your_api_key_here";'),
    cs('    private const string ResetRoute = "/account/reset-password";'),
    cs('    private const string Sql = "UPDATE Users SET Password=@password WHERE Id=@id";'),
    cs(
      '    private readonly string _cs = "Server=(localdb)\\\\mssqllocaldb;Database=Mail;User Id=sa;Password=Dev0nly!2024;";',
    ),
    cs('    private readonly string _cs = "Server=sql.internal;Database=Mail;User Id=app;Password={0};";'),
    cs('    public string Secret => _configuration["Jwt:Secret"];'),
    cs('    public string Thumbprint { get; } = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";'),
    {
      code: cs('    public string Password { get; set; } = "Tr0ub4dor&3";'),
      filename: "tests/Mail.Tests/MailSettingsTests.cs",
    },
  ],
  invalid: [
    {
      code: cs('    public string SmtpPassword { get; set; } = "Tr0ub4dor&3";'),
      errors: [
        {
          message: named("SmtpPassword", "password", "Tr…", 'Environment.GetEnvironmentVariable("Mail__SmtpPassword")'),
          line: 5,
          column: 48,
          suggestions: suggestion(
            'Environment.GetEnvironmentVariable("Mail__SmtpPassword")',
            cs(
              '    public string SmtpPassword { get; set; } = Environment.GetEnvironmentVariable("Mail__SmtpPassword");',
            ),
          ),
        },
      ],
    },
    {
      code: cs('    private const string ApiKey = "a8f5f167f44f4964e6c998dee827110c";'),
      // A constant cannot read configuration: no suggestion.
      errors: [
        {
          message: `AP201 \`ApiKey\` is set to a literal secret \`a8f5…\` written into the code. ${SUFFIX} Fix: read it from configuration or a secret store, ${ROTATE}`,
          suggestions: [],
        },
      ],
    },
    {
      code: cs('    [ApiKeyAuth(Key = "k3yV4lue!9xyz", ApiKey = "k3yV4lue!9xyz")]\n    public void Send() { }'),
      errors: [{ messageId: "named", column: 49, suggestions: [] }],
    },
    {
      code: csConfig(
        '    public SecurityKey Key() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes("super-secret-signing-key-0123456789"));',
      ),
      errors: [
        {
          message: sink("key of new SymmetricSecurityKey()", "supe…", '_configuration["Jwt:SigningKey"]'),
          suggestions: suggestion(
            '_configuration["Jwt:SigningKey"]',
            csConfig(
              '    public SecurityKey Key() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_configuration["Jwt:SigningKey"]));',
            ),
          ),
        },
      ],
    },
    {
      code: cs('    public ICredentialsByHost Credentials() => new NetworkCredential("mailer", "Kx8$mQ2!vLp9");'),
      errors: [
        {
          messageId: "sink",
          suggestions: suggestion(
            'Environment.GetEnvironmentVariable("Credentials__Password")',
            cs(
              '    public ICredentialsByHost Credentials() => new NetworkCredential("mailer", Environment.GetEnvironmentVariable("Credentials__Password"));',
            ),
          ),
        },
      ],
    },
    {
      code: cs(
        '    public SmtpOptions Options() => new SmtpOptions { Host = "smtp.internal", Password = "Kx8$mQ2!vLp9" };',
      ),
      errors: [
        {
          messageId: "named",
          suggestions: suggestion(
            'Environment.GetEnvironmentVariable("Smtp__Password")',
            cs(
              '    public SmtpOptions Options() => new SmtpOptions { Host = "smtp.internal", Password = Environment.GetEnvironmentVariable("Smtp__Password") };',
            ),
          ),
        },
      ],
    },
    {
      code: 'var builder = WebApplication.CreateBuilder(args);\nvar key = builder.Configuration["Jwt:Key"] ?? "fallback-signing-key-42";\n',
      errors: [
        {
          messageId: "namedFallback",
          line: 2,
          suggestions: suggestion(
            'builder.Configuration["Jwt:Key"]',
            'var builder = WebApplication.CreateBuilder(args);\nvar key = builder.Configuration["Jwt:Key"] ?? builder.Configuration["Jwt:Key"];\n',
          ),
        },
      ],
    },
    {
      code: cs('    private readonly string _cs = "Server=sql.internal;Database=Mail;User Id=app;Pwd=Kx8$mQ2!vLp9;";'),
      errors: [
        {
          messageId: "connection",
          suggestions: suggestion(
            'Environment.GetEnvironmentVariable("Mail__Cs")',
            cs('    private readonly string _cs = Environment.GetEnvironmentVariable("Mail__Cs");'),
          ),
        },
      ],
    },
    {
      code: cs(`    private const string Token = "${GITHUB_TOKEN}";`),
      filename: "tests/Mail.Tests/GitHubFake.cs",
      errors: [{ messageId: "provider", suggestions: [] }],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`no-hardcoded-secrets, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    const withName = (c: string | Record<string, unknown>) =>
      typeof c === "string" ? { code: c, filename: "src/config.ts" } : { filename: "src/config.ts", ...c };
    tester.run("no-hardcoded-secrets", rule, {
      valid: tsCases.valid.map(withName),
      invalid: tsCases.invalid.map(withName),
    } as never);
    tester.run("no-hardcoded-secrets (tsx)", rule, {
      valid: tsxCases.valid.map((code) => ({ code, filename: "src/Field.tsx" })),
      invalid: tsxCases.invalid.map((c) => ({ filename: "src/Map.tsx", ...c })),
    });
  });

  describe(`no-hardcoded-secrets, C# (${version.label})`, () => {
    const tester = new version.RuleTester({
      plugins: { "api-posture": plugin },
      language: "api-posture/csharp",
    });
    const withName = (c: string | Record<string, unknown>) =>
      typeof c === "string"
        ? { code: c, filename: "Mail/MailSettings.cs" }
        : { filename: "Mail/MailSettings.cs", ...c };
    tester.run("no-hardcoded-secrets", rule, {
      valid: csCases.valid.map(withName),
      invalid: csCases.invalid.map(withName),
    } as never);
  });
}
