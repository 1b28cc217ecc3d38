// Library entry (`import { … } from "vantage"`).
export { compareVersions, VERSION_SCHEMES, parseSchemeForEcosystem } from "./scanner/versions/index.js";
export type * from "./scanner/model.js";
export type * from "./kubernetes/model.js";
export type * from "./graph/model.js";
export type * from "./azure/model.js";
