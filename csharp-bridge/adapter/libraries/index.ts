/**
 * Every library the C# adapter knows. Adding a framework is adding its file and one line
 * here.
 */
import { aspnetcoreAuthorization } from "./aspnetcore-authorization.js";
import { aspnetcoreMvc } from "./aspnetcore-mvc.js";
import type { CSharpLibrary } from "./library.js";
import { minimalApis } from "./minimal-apis.js";
import { razorPages } from "./razor-pages.js";

export const LIBRARIES: readonly CSharpLibrary[] = [aspnetcoreMvc, minimalApis, razorPages, aspnetcoreAuthorization];
