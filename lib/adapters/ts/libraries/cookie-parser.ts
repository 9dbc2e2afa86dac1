/** cookie-parser: `cookieParser(secret)` signs and checks signed cookies with `secret`. */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const cookieParser: TsLibrary = {
  id: "cookie-parser",
  packages: ["cookie-parser"],
  secrets: {
    keyArguments: [
      {
        calls: [exportOf("cookie-parser", "default")],
        index: 0,
        sink: () => "cookie-parser secret",
        target: "cookieSecret",
      },
    ],
  },
};
