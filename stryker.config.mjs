// `npm run mutate`: StrykerJS over the pure cores — version ordering, the vulnerability matcher,
// RBAC evaluation, a few attack-technique edges and the explorer evaluator. Bounded for a 2-core
// machine: a focused file list, only the tests related to each mutant (per-test coverage),
// concurrency 2 and per-mutant timeouts. Not part of `npm test`. Report: reports/mutation/.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts", related: true },
  coverageAnalysis: "perTest",
  mutate: [
    "shared/scanner/versions/*.ts",
    "shared/scanner/match/{match,ranges,severity,exploitability,targets}.ts",
    "shared/graph/rbac.ts",
    "shared/graph/edges/{exploit-rce-vulnerability,host-network-exposed,node-cluster-admin,secret-access,role-bind,pod-exec,cloud-identity-assume}.ts",
    "shared/explorer/evaluator*.ts",
    "shared/explorer/eval/**/*.ts",
  ],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  incremental: false,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/index.html" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
