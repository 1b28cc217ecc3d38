// `vantage posture` in-process: every format, exit codes, exceptions, SARIF against the 2.1.0 schema.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { main } from "../../shared/cli/main.js";
import { hardenedEstate, withDeployment } from "./fixtures.js";

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd }, out: () => out.join(""), err: () => err.join("") };
}

const work = mkdtempSync(join(tmpdir(), "vantage-posture-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return name;
};
const yaml = (objects: object[]) => objects.map((o) => stringify(o)).join("---\n");
const insecure = write("insecure.yaml", yaml(withDeployment((_d, p, c) => {
  c.securityContext.privileged = true;
  p.hostPID = true;
})));
const hardened = write("hardened.yaml", yaml(hardenedEstate()));

describe("vantage posture", () => {
  it("prints the JSON report of the contract", async () => {
    const c = capture(work);
    expect(await main(["posture", "--manifests", insecure, "--format", "json"], c.io)).toBe(0);
    const doc = JSON.parse(c.out());
    expect(doc.standard).toBe("all");
    expect(typeof doc.score).toBe("number");
    const priv = doc.controls.find((x: { id: string }) => x.id === "VANTAGE-K8S-PRIVILEGED");
    expect(priv).toMatchObject({ severity: "critical", status: "fail", references: { cisAks: "4.2.1", kubescape: "C-0057", pss: "baseline" } });
    expect(priv.failed[0]).toMatchObject({ resource: { kind: "Deployment", namespace: "shop", name: "api", container: "api" }, detail: expect.any(String) });
    // The fix is a strategic-merge patch that, applied, clears the finding.
    expect(parseYaml(priv.failed[0].fix)).toEqual({ spec: { template: { spec: { containers: [{ name: "api", securityContext: { privileged: false } }] } } } });
    expect(JSON.stringify(doc)).not.toContain("labels");
  });

  it("--standard filters the catalog", async () => {
    const c = capture(work);
    await main(["posture", "--manifests", hardened, "--format", "json", "--standard", "pss-baseline"], c.io);
    const doc = JSON.parse(c.out());
    expect(doc.controls.length).toBeGreaterThan(8);
    for (const x of doc.controls) expect(x.references.pss).toBe("baseline");
    const r = capture(work);
    await main(["posture", "--manifests", hardened, "--format", "json", "--standard", "pss-restricted"], r.io);
    expect(JSON.parse(r.out()).controls.length).toBeGreaterThan(doc.controls.length);
  });

  it("--fail-on exits 1 only for a failure at or above the severity", async () => {
    expect(await main(["posture", "--manifests", insecure, "--fail-on", "critical"], capture(work).io)).toBe(1);
    expect(await main(["posture", "--manifests", hardened, "--fail-on", "low"], capture(work).io)).toBe(0);
    const onlyHigh = write("hostipc.yaml", yaml(withDeployment((_d, p) => (p.hostIPC = true))));
    expect(await main(["posture", "--manifests", onlyHigh, "--fail-on", "critical"], capture(work).io)).toBe(0);
    expect(await main(["posture", "--manifests", onlyHigh, "--fail-on", "medium"], capture(work).io)).toBe(1);
  });

  it("exceptions move matching failures apart, unscored; an expired one fails again", async () => {
    const ex = write("ex.yaml", stringify({ exceptions: [
      { control: "VANTAGE-K8S-PRIVILEGED", namespace: "shop", name: "ap*", labels: "app in (api,web)", reason: "vendor agent, ticket 42", expires: "2999-01-01" },
      { control: "VANTAGE-K8S-HOST-PID", cluster: "offline", name: "api", reason: "expired waiver", expires: "2001-01-01" },
    ] }));
    const c = capture(work);
    expect(await main(["posture", "--manifests", insecure, "--format", "json", "--exceptions", ex, "--fail-on", "critical"], c.io)).toBe(0);
    const doc = JSON.parse(c.out());
    const priv = doc.controls.find((x: { id: string }) => x.id === "VANTAGE-K8S-PRIVILEGED");
    expect(priv.status).toBe("pass");
    expect(priv.failed).toEqual([]);
    expect(priv.exempted).toEqual([{ resource: { kind: "Deployment", namespace: "shop", name: "api", container: "api" }, reason: "vendor agent, ticket 42", expires: "2999-01-01" }]);
    expect(doc.controls.find((x: { id: string }) => x.id === "VANTAGE-K8S-HOST-PID").status).toBe("fail");
    expect(c.err()).toMatch(/expired/);
    // A selector that does not match leaves the failure in place.
    const miss = write("miss.yaml", stringify([{ control: "VANTAGE-K8S-PRIVILEGED", labels: "app=web", reason: "x" }]));
    expect(await main(["posture", "--manifests", insecure, "--exceptions", miss, "--fail-on", "critical"], capture(work).io)).toBe(1);
  });

  it("a malformed exceptions file is one line on stderr and exit 2", async () => {
    for (const [text, msg] of [
      ["exceptions: [{control: X}]", /reason is required/],
      ["- {control: X, reason: y, expires: soon}", /not an ISO date/],
      ["- {control: X, reason: y, colour: red}", /unknown field "colour"/],
      ["- {control: X, reason: y, labels: 'a in b'}", /label selector/],
      ["{{{", /not valid YAML/],
    ] as const) {
      const c = capture(work);
      expect(await main(["posture", "--manifests", insecure, "--exceptions", write("bad.yaml", text)], c.io)).toBe(2);
      expect(c.err()).toMatch(msg);
      expect(c.err().trim().split("\n")).toHaveLength(1);
      expect(c.out()).toBe("");
    }
    expect(await main(["posture", "--manifests", insecure, "--format", "xml"], capture(work).io)).toBe(2);
    expect(await main(["posture"], capture(work).io)).toBe(2);
  });

  it("SARIF validates against the SARIF 2.1.0 schema", async () => {
    const c = capture(work);
    expect(await main(["posture", "--manifests", insecure, "--format", "sarif"], c.io)).toBe(0);
    const log = JSON.parse(c.out());
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
    const Ajv = (require("ajv-draft-04") as { default: new (o: object) => { compile(schema: unknown): Validator } }).default; // the published schema is draft-04
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the published schema has a pattern that is invalid with the u flag;
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0].results;
    expect(results.some((r: { ruleId: string; level: string }) => r.ruleId === "VANTAGE-K8S-PRIVILEGED" && r.level === "error")).toBe(true);
    // A document that breaks the schema is rejected by the same validator (the check can fail).
    expect(validate({ ...log, version: "2.0.0" })).toBe(false);
  });

  it("JUnit lists one testcase per control with failures and skips", async () => {
    const c = capture(work);
    expect(await main(["posture", "--manifests", insecure, "--format", "junit"], c.io)).toBe(0);
    const xml = c.out();
    const cases = xml.match(/<testcase /g)!.length;
    const failures = xml.match(/<failure /g)!.length;
    const header = /<testsuites name="vantage posture" tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)">/.exec(xml)!;
    expect(Number(header[1])).toBe(cases);
    expect(Number(header[2])).toBe(failures);
    expect(Number(header[3])).toBe(xml.match(/<skipped /g)!.length);
    expect(xml).toMatch(/<failure type="critical"[^>]*>Deployment shop\/api \(container api\): securityContext.privileged: true/);
    expect(xml).not.toMatch(/<(?!\/?(testsuites|testsuite|testcase|failure|skipped|error|system-out|\?xml)\b)/);
  });

  it("reads a snapshot file, and the table shows the score", async () => {
    const snap = capture(work);
    await main(["snapshot", "--manifests", insecure, "--out", "snap.json"], snap.io);
    const c = capture(work);
    expect(await main(["posture", "--snapshot", "snap.json"], c.io)).toBe(0);
    expect(c.out()).toMatch(/score \d+\/100/);
    expect(c.out()).toMatch(/FAIL +critical +VANTAGE-K8S-PRIVILEGED/);
  });
});
