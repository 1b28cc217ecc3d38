export { CATALOG } from "./catalog.js";
export { evaluatePosture, inStandard, type EvaluateOptions } from "./evaluate.js";
export { parseExceptions, type PostureException } from "./exceptions.js";
export * from "./model.js";
export { combinedScore, postureScore, SEVERITY_WEIGHT } from "./score.js";
