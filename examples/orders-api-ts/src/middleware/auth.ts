import type { NextFunction, Request, Response } from "express";
import passport from "passport";

export const requireAuth = passport.authenticate("jwt", { session: false });

export function requireRole(role: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user || !(req.user as { roles: string[] }).roles.includes(role)) {
      return res.status(403).json({ error: "forbidden" });
    }
    next();
  };
}
