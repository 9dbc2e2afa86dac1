import jwt from "jsonwebtoken";
import bcrypt from "bcrypt";
import { User } from "../models/user.js";

export async function issueToken(email: string, password: string): Promise<string | undefined> {
  const user = await User.findOne({ email });
  // ruleid: AP202 (the stored password is compared as text)
  if (!user || user.password !== password) return undefined;
  return jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { algorithm: "HS256", expiresIn: "1h" });
}

export async function checkPassword(userId: string, password: string): Promise<boolean> {
  const user = await User.findById(userId);
  // ok: AP202 (a password-hash verify)
  return user !== null && (await bcrypt.compare(password, user.passwordHash));
}

export function userFromToken(token: string): { id: string } {
  // ruleid: AP203 (decoded, never verified, then trusted as the caller)
  const claims = jwt.decode(token) as { sub: string };
  return { id: claims.sub };
}

export async function sendResetLink(email: string): Promise<void> {
  await User.updateOne({ email }, { resetRequestedAt: new Date() });
}
