import { Router } from "express";
import { requireAuth } from "../middleware/auth.js";
import { User } from "../models/user.js";
import { issueToken, sendResetLink } from "../services/account.js";

export const account = Router();

// ok: AP101 (sign-in is public by design)
account.post("/auth/login", async (req, res) => {
  res.json({ token: await issueToken(req.body.email, req.body.password) });
});

// ok: AP101 (password reset is public by design)
account.post("/auth/forgot-password", async (req, res) => {
  await sendResetLink(req.body.email);
  res.sendStatus(202);
});

account.use(requireAuth);

// ok: AP101 (account.use(requireAuth) above covers it)
account.patch("/account/profile", async (req, res) => {
  const user = await User.findByIdAndUpdate(req.user!.id, { name: req.body.name }, { new: true });
  res.json(user);
});
