// Regenerates the control table of docs/posture.md from the catalog (run after `npm run build`).
import { readFileSync, writeFileSync } from "node:fs";
import { withControlTable } from "../dist/shared/posture/docs.js";

const file = new URL("../docs/posture.md", import.meta.url);
writeFileSync(file, withControlTable(readFileSync(file, "utf8")));
console.log("docs/posture.md: control table regenerated");
