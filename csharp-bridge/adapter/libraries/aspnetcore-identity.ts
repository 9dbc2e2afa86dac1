/**
 * ASP.NET Core Identity and the common hashers: `IPasswordHasher<T>.HashPassword(user, password)`,
 * BCrypt.Net's `BCrypt.HashPassword(password)`, and `UserManager<T>.CreateAsync(user, password)`,
 * which hashes the password it is given and stores the new user.
 */
import type { CSharpLibrary } from "./library.js";

export const aspnetcoreIdentity: CSharpLibrary = {
  id: "aspnetcore-identity",
  applies: (file) => file.text.includes("HashPassword") || file.text.includes("CreateAsync"),
  passwords: {
    hashMethods: ["HashPassword", "EnhancedHashPassword"],
    createsWithPassword: [{ receiver: /UserManager$|^_?userManager$/i, method: "CreateAsync", arguments: 2 }],
  },
};
