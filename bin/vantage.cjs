#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (prepare) or `npm run build`.
// CommonJS on purpose: it runs before anything has touched libuv's thread pool, whose size is read
// once, at its first use (an ES module entry is itself read through the pool). Layer walks gunzip
// on that pool; at libuv's default of 4 threads, 4 inflates and the walk's own thread contend for a
// 2-core machine (measured on a 2 GB image: 4.9 s at 4 threads, 4.55 s at 2). So the pool gets one
// thread per core (at least 2) unless UV_THREADPOOL_SIZE is already set.
"use strict";
const { availableParallelism } = require("node:os");

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(Math.max(2, availableParallelism()));

import("../dist/demo/runtime/cli.js").then(({ vantage }) =>
  vantage(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`vantage: ${err?.message ?? err}\n`); process.exitCode = 2; },
  ),
);
