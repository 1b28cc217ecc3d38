// Regenerates the control table of docs/posture.md and the coverage summary of README.md from the
// catalog (run after `npm run build`).
import { readFileSync, writeFileSync } from "node:fs";
import { withControlSummary, withControlTable } from "../dist/shared/posture/docs.js";

const file = new URL("../docs/posture.md", import.meta.url);
writeFileSync(file, withControlTable(readFileSync(file, "utf8")));
console.log("docs/posture.md: control table regenerated");
const readme = new URL("../README.md", import.meta.url);
writeFileSync(readme, withControlSummary(readFileSync(readme, "utf8")));
console.log("README.md: posture summary regenerated");
