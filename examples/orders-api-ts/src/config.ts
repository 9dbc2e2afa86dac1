import session from "express-session";
import cors from "cors";

// ok: AP201 (read from the environment)
export const databaseUrl = process.env.DATABASE_URL;

export const sessions = session({
  // ruleid: AP201 (a literal session secret signs every session cookie)
  secret: "orders-7Qx!v2Lp-session",
  resave: false,
  saveUninitialized: false,
});

export const corsPolicy = cors({
  // ruleid: AP301 (every origin, with the user's cookies)
  origin: true,
  credentials: true,
});
