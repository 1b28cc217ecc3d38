#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (prepare) or `npm run build`.
import { vantage } from "../dist/demo/runtime/cli.js";

vantage(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`vantage: ${err?.message ?? err}\n`); process.exitCode = 2; },
);
