export { parseCvss3Vector, cvss3BaseScore, cvss3Score, severityFromScore, roundUp1, type Cvss3Metrics } from "./cvss3.js";
