// Layering rules, checked by `npm run lint` (depcruise). Arrows point down only:
//
//   bin/, demo/ (entries: the CLI, `vantage start` and the demo runtime)
//   functions/  (triggers only)   shared/cli, shared/host (the local host)
//        │
//   shared/workflows  (activities, orchestrators, read models, repositories)
//        │
//   shared/isolation  (the worker pool running domain tasks)
//        │
//   domain capabilities: shared/scanner, graph, posture, explorer, kubernetes, azure, registry
//        │
//   shared/platform, shared/storage  (host contracts, Table/Blob access)
//        │
//   shared/errors.ts, shared/version.ts, shared/package-root.ts  (imported by any layer)
//
// Pure cores (graph, explorer, posture, scanner/versions, scanner/match) take their inputs as data:
// no workflows, no host, no storage, no file or network I/O. Nothing shipped imports test/.
const DOMAIN = "^shared/(scanner|graph|posture|explorer|kubernetes|azure|registry)/";
const PURE = "^shared/(graph|explorer|posture|scanner/versions|scanner/match)/";
const BASE = "^shared/(errors|version|package-root)\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make load order matter and layers meaningless.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-test-from-product",
      severity: "error",
      comment: "Shipped code (and the demo, benchmarks and scripts) never depends on the test suite.",
      from: { path: "^(shared|demo|functions|bin|bench|scripts)/" },
      to: { path: "^test/" },
    },
    {
      name: "shared-not-demo",
      severity: "error",
      comment: "The product never reaches into the demo runtime; demo/runtime composes the product, not the reverse.",
      from: { path: "^shared/" },
      to: { path: "^demo/" },
    },
    {
      name: "functions-only-workflows-platform",
      severity: "error",
      comment: "functions/ only registers triggers: it calls workflows and uses platform contracts, never a domain module.",
      from: { path: "^functions/" },
      to: { path: "^shared/", pathNot: [`^shared/(workflows|platform)/`, BASE] },
    },
    {
      name: "nothing-imports-entries",
      severity: "error",
      comment: "Entries (functions, CLI, local host, demo, bin) sit on top; nothing below imports them.",
      from: { path: "^shared/", pathNot: "^shared/(cli|host)/" },
      to: { path: "^(functions|bin|demo)/|^shared/(cli|host)/" },
    },
    {
      name: "workflows-not-up",
      severity: "error",
      comment: "Workflows are called by hosts; they do not know them.",
      from: { path: "^shared/workflows/" },
      to: { path: "^(functions|bin|demo)/|^shared/(cli|host)/" },
    },
    {
      name: "isolation-below-workflows",
      severity: "error",
      comment: "The worker pool runs domain tasks for workflows; it does not call back up.",
      from: { path: "^shared/isolation/" },
      to: { path: "^shared/workflows/" },
    },
    {
      name: "domain-below-workflows",
      severity: "error",
      comment: "Domain capabilities get their inputs passed in; they never call workflows, hosts or the pool.",
      from: { path: DOMAIN },
      to: { path: "^shared/(workflows|isolation|host|cli)/" },
    },
    {
      name: "platform-storage-at-the-bottom",
      severity: "error",
      comment: "Host contracts and storage access are used by everything above and know none of it.",
      from: { path: "^shared/(platform|storage)/" },
      to: { path: `^shared/(workflows|isolation|host|cli)/|${DOMAIN}` },
    },
    {
      name: "base-imports-nothing",
      severity: "error",
      comment: "errors, version and package-root are imported by every layer, so they import none.",
      from: { path: BASE },
      to: { path: "^shared/", pathNot: BASE },
    },
    {
      name: "pure-cores-no-io-layers",
      severity: "error",
      comment: "Pure cores are data in, data out: no workflows, host or storage, so they run in the pool, the CLI and tests alike.",
      from: { path: PURE },
      to: { path: "^shared/(workflows|host|storage|platform|isolation)/|^shared/(version|package-root)\\.ts$" },
    },
    {
      name: "pure-cores-no-node-io",
      severity: "error",
      comment: "Pure cores read no files, open no sockets and start no processes (node:crypto for hashing is fine).",
      from: { path: PURE },
      to: { dependencyTypes: ["core"], path: "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|dgram|dns|tls|cluster)$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts"] },
    moduleSystems: ["es6", "cjs"],
  },
};
