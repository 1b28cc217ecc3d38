import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";
import type { Snapshot } from "../../shared/kubernetes/model.js";
import { demoEstateDir } from "../../demo/runtime/kubernetes/demo.js";
import { startKubernetesEmulator, type KubernetesEmulator } from "../../demo/runtime/kubernetes/server.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd: process.cwd() }, out, err };
}

let dir: string;
let emu: KubernetesEmulator;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vantage-cli-snapshot-"));
  emu = await startKubernetesEmulator({ objects: join(demoEstateDir(), "aks-sandbox"), token: "sandbox-token" });
  const config = (token: string) => `apiVersion: v1
kind: Config
clusters:
  - name: aks-sandbox
    cluster: { server: "${emu.url}", insecure-skip-tls-verify: true }
users:
  - name: dev
    user: { token: ${token} }
  - name: intruder
    user: { token: wrong }
contexts:
  - name: sandbox
    context: { cluster: aks-sandbox, user: dev }
  - name: bad
    context: { cluster: aks-sandbox, user: intruder }
current-context: bad
`;
  kubeconfig = join(dir, "kubeconfig");
  await writeFile(kubeconfig, config("sandbox-token"));
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("vantage snapshot", () => {
  it("--manifests takes several paths (repeated or listed) and prints the snapshot JSON", async () => {
    const c = capture();
    const root = demoEstateDir();
    expect(await main(["snapshot", "--manifests", join(root, "aks-ml-prod"), join(root, "aks-sandbox/00-sandbox.yaml")], c.io)).toBe(0);
    const s = JSON.parse(c.out.join("")) as Snapshot;
    expect(s.source).toBe("manifests");
    expect(s.pods.map((p) => p.meta.name)).toEqual(expect.arrayContaining(["inference", "storefront-preview", "catalog"]));
    const c2 = capture();
    expect(await main(["snapshot", "--manifests", join(root, "aks-ml-prod"), "--manifests", join(root, "aks-sandbox")], c2.io)).toBe(0);
    expect((JSON.parse(c2.out.join("")) as Snapshot).pods).toHaveLength(s.pods.length);
  });

  it("--kubeconfig with --context reads the live cluster, --out writes a file", async () => {
    const c = capture();
    const out = join(dir, "snap.json");
    expect(await main(["snapshot", "--kubeconfig", kubeconfig, "--context", "sandbox", "--out", out], c.io)).toBe(0);
    expect(c.out.join("")).toBe("");
    const s = JSON.parse(await readFile(out, "utf8")) as Snapshot;
    expect(s).toMatchObject({ source: "live", cluster: { name: "aks-sandbox" }, partial: false });
    expect(s.pods.some((p) => p.workload?.name === "storefront-preview")).toBe(true);
    expect(JSON.stringify(s)).not.toContain("VANTAGE-SECRET-MARKER");
  });

  it("bad input: one line on stderr, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["snapshot"], /one of --kubeconfig FILE or --manifests PATH is required/],
      [["snapshot", "--kubeconfig", kubeconfig, "--manifests", "x"], /not both/],
      [["snapshot", "--manifests", join(dir, "missing.yaml")], /missing\.yaml: no such file or directory/],
      [["snapshot", "--kubeconfig", kubeconfig, "--context", "nope"], /no context named "nope"/],
      [["snapshot", "--kubeconfig", kubeconfig], /rejected the credentials \(401/],
      [["snapshot", "--bogus"], /Unknown option/],
    ];
    for (const [args, pattern] of cases) {
      const c = capture();
      expect(await main(args, c.io), args.join(" ")).toBe(2);
      const err = c.err.join("");
      expect(err).toMatch(pattern);
      expect(err.trim().split("\n")).toHaveLength(1);
    }
  });
});
