import { describe, expect, it } from "vitest";
import {
  GraphView,
  TEMPLATES,
  getTemplate,
  parseQuery,
  renderTemplate,
  runQuery,
  runTemplate,
  templateParams,
} from "../../shared/explorer/index.js";
import { InputError } from "../../shared/errors.js";
import { TECHNIQUE_BY_KIND } from "../../shared/graph/index.js";
import { STRUCTURAL_KINDS } from "../../shared/graph/structure.js";
import { estate, estateWithForeignStructure } from "./fixtures.js";

const view = new GraphView(estate());

const EXPECTED: Record<string, { columns: string[]; rows: unknown[][] }> = {
  "exposed-workloads-failing-controls": {
    columns: ["pod", "container", "worstSeverity", "failingControls"],
    rows: [["pod:kube-system/agent", "agent", "critical", ["VANTAGE-K8S-HOST-NETWORK", "VANTAGE-K8S-PRIVILEGED"]]],
  },
  "privileged-containers-known-exploited": {
    columns: ["container", "image", "failingControls", "knownExploited"],
    rows: [
      ["container:shop/cart/app", "acr.io/shop/cart:2", ["VANTAGE-K8S-RUN-AS-ROOT"], ["CVE-3"]],
      ["container:shop/db/pg", "docker.io/library/postgres:16", ["VANTAGE-K8S-PRIVILEGED", "VANTAGE-K8S-RUN-AS-ROOT"], ["CVE-1"]],
    ],
  },
  "running-images-with-secrets": {
    columns: ["image", "rule", "severity", "path", "deletedInLaterLayer", "fingerprint", "containers", "exposed"],
    rows: [["acr.io/shop/web:1", "github-token", "high", "srv/.env", true, "hmac-sha256:0123456789abcdef", 1, true]],
  },
  "pods-high-severity-vulnerabilities": {
    columns: ["pod", "namespace", "image", "vulnerabilities"],
    rows: [
      ["pod:shop/db", "shop", "docker.io/library/postgres:16", 2],
      ["pod:shop/web", "shop", "acr.io/shop/web:1", 2],
      ["pod:kube-system/agent", "kube-system", "mcr.io/agent:3", 1],
      ["pod:kube-system/metrics", "kube-system", "mcr.io/agent:3", 1],
    ],
  },
  "namespaces-vulnerable-pods": {
    columns: ["namespace", "vulnerablePods", "vulnerabilities"],
    rows: [
      ["kube-system", 2, 1],
      ["shop", 2, 3],
    ],
  },
  "exposed-pods-known-exploited": {
    columns: ["pod", "image", "vulnerabilities"],
    rows: [
      ["pod:shop/cart", "acr.io/shop/cart:2", ["CVE-3"]],
      ["pod:shop/web", "acr.io/shop/web:1", ["CVE-1"]],
    ],
  },
  "exposed-pods-rce": {
    columns: ["pod", "image", "vulnerabilities"],
    rows: [
      ["pod:shop/cart", "acr.io/shop/cart:2", ["CVE-3"]],
      ["pod:shop/web", "acr.io/shop/web:1", ["CVE-1"]],
    ],
  },
  "privileged-containers": {
    columns: ["container", "namespace", "pod"],
    rows: [
      ["container:kube-system/agent/agent", "kube-system", "agent"],
      ["container:shop/db/pg", "shop", "db"],
    ],
  },
  "host-network-pods-on-exposed-nodes": {
    columns: ["pod", "node"],
    rows: [["pod:kube-system/agent", "aks-1"]],
  },
  "container-runtime-socket-mounts": {
    columns: ["container", "controllableContainers"],
    // The agent's hostPath "/" covers the containerd socket: the two other containers on aks-1.
    rows: [["container:kube-system/agent/agent", 2]],
  },
  "sensitive-host-path-mounts": {
    columns: ["container", "volume", "node", "access"],
    rows: [
      ["container:kube-system/agent/agent", "volume:kube-system/agent/hostroot", "aks-1", ["EXPLOIT_HOST_WRITE"]],
      ["container:shop/cart/app", "volume:shop/cart/kubelet-pki", "aks-1", ["EXPLOIT_HOST_READ"]],
    ],
  },
  "service-accounts-create-or-exec-pods": {
    columns: ["serviceAccount", "abilities", "permissionSets"],
    // shop/cart's POD_EXEC is namespaced, so it is not listed.
    rows: [["identity:serviceaccount:shop/web", ["POD_CREATE", "POD_EXEC"], ["permissionset:pod-admin::pa-binding"]]],
  },
  "cluster-admin-identities": {
    columns: ["identity", "permissionSets"],
    rows: [
      ["identity:group:ops", ["permissionset:superuser::ops"]],
      ["identity:user:alice", ["permissionset:cluster-admin::admins"]],
    ],
  },
  "workload-identities-reaching-azure": {
    columns: ["identity", "cloudIdentity", "pods"],
    // The nodes' CLOUD_IDENTITY_ASSUME to the kubelet identity is not a workload identity.
    rows: [["identity:serviceaccount:shop/web", "cloudidentity:1111-2222", ["pod:shop/web"]]],
  },
  "token-theft-paths": {
    columns: ["source", "technique", "identity"],
    rows: [
      ["permissionset:pod-admin::pa-binding", "TOKEN_LIST", "identity:serviceaccount:kube-system/agent"],
      ["volume:shop/web/token", "TOKEN_STEAL", "identity:serviceaccount:shop/web"],
    ],
  },
  "container-escapes-to-node": {
    columns: ["container", "node", "hops"],
    rows: [
      ["container:kube-system/agent/agent", "aks-1", 1],
      ["container:shop/db/pg", "aks-2", 1],
      // Only through its mounted /var/lib/kubelet/pki (container → volume → node).
      ["container:shop/cart/app", "aks-1", 2],
    ],
  },
  "top-choke-points": {
    columns: ["node", "kind", "pathsCut"],
    rows: [
      ["container:shop/db/pg", "container", 7],
      ["identity:serviceaccount:shop/web", "identity", 5],
      ["node:aks-1", "node", 2],
    ],
  },
  "images-critical-vulnerabilities-fixable": {
    columns: ["image", "vulnerability", "fixedVersion"],
    rows: [
      ["acr.io/shop/web:1", "CVE-1", "1.2"],
      // Fix facts are per image (IMAGE_VULNERABLE): CVE-1 has a different fixed version in each.
      ["docker.io/library/postgres:16", "CVE-1", "16.4"],
    ],
  },
};

describe("templates", () => {
  it("has Defender's two and at least ten more, each with a unique id, title and description", () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    expect(TEMPLATES.map((t) => t.title)).toEqual(
      expect.arrayContaining(["Pods running images with high severity vulnerabilities", "Namespaces containing vulnerable pods"]),
    );
    for (const t of TEMPLATES) {
      expect(t.title.length).toBeGreaterThan(5);
      expect(t.description.length).toBeGreaterThan(10);
      expect(() => parseQuery(t.query)).not.toThrow();
    }
    expect(Object.keys(EXPECTED).sort()).toEqual(TEMPLATES.map((t) => t.id).sort());
  });

  it("runs on a fixture in the real graph's vocabulary: edge kinds and directions of shared/graph", () => {
    const kinds = new Map(estate().graph.nodes.map((n) => [n.id, n.kind]));
    const asList = (k: string | readonly string[]) => (Array.isArray(k) ? k : [k]);
    for (const e of estate().graph.edges) {
      const where = `${e.from} -[${e.kind}]-> ${e.to}`;
      expect(kinds.has(e.from) && kinds.has(e.to), where).toBe(true);
      if ((STRUCTURAL_KINDS as readonly string[]).includes(e.kind)) continue;
      const technique = TECHNIQUE_BY_KIND.get(e.kind);
      expect(technique, where).toBeDefined();
      expect(asList(technique!.from), where).toContain(kinds.get(e.from));
      expect(asList(technique!.to), where).toContain(kinds.get(e.to));
    }
  });

  for (const t of TEMPLATES) {
    it(`${t.id} returns the expected rows`, () => {
      const result = runTemplate(t.id, {}, view);
      const want = EXPECTED[t.id]!;
      expect(result.columns).toEqual(want.columns);
      expect(result.truncated).toBe(false);
      // Lists built by collect() have no defined order; compare them sorted.
      const norm = (rows: unknown[][]) => rows.map((r) => r.map((v) => (Array.isArray(v) ? [...v].sort() : v)));
      expect(norm(result.rows)).toEqual(norm(want.rows));
    });
  }

  it("holds however the structural hops between kinds are named and pointed", () => {
    const foreign = new GraphView(estateWithForeignStructure());
    for (const t of TEMPLATES) expect(runTemplate(t.id, {}, foreign), t.id).toEqual(runTemplate(t.id, {}, view));
  });

  it("binds parameters: defaults, overrides and CLI strings coerced to the default's type", () => {
    const onlyCritical = runTemplate("pods-high-severity-vulnerabilities", { severities: "critical" }, view);
    expect(onlyCritical.rows.map((r) => r[0])).toEqual(["pod:kube-system/agent", "pod:kube-system/metrics", "pod:shop/db", "pod:shop/web"]);
    expect(onlyCritical.rows.every((r) => r[3] === 1)).toBe(true);
    expect(runTemplate("top-choke-points", { top: "1" }, view).rows).toEqual([["container:shop/db/pg", "container", 7]]);
    expect(runTemplate("images-critical-vulnerabilities-fixable", { fixStatus: "not-fixed" }, view).rows).toEqual([["mcr.io/agent:3", "CVE-5", null]]);
    // The cart container needs two hops (through its hostPath volume): maxHops 1 drops it.
    const direct = runTemplate("container-escapes-to-node", { maxHops: 1 }, view);
    expect(direct.rows.map((r) => r[0])).toEqual(["container:kube-system/agent/agent", "container:shop/db/pg"]);
    expect(templateParams(getTemplate("top-choke-points"))).toEqual({ top: 10 });
    expect(() => runTemplate("top-choke-points", { top: "many" }, view)).toThrow(/parameter top: expected number/);
    expect(() => runTemplate("top-choke-points", { nope: 1 }, view)).toThrow(/no parameter "nope"/);
    expect(() => runTemplate("no-such-template", {}, view)).toThrow(InputError);
  });

  it("renders a template to self-contained text that gives the same answer", () => {
    const text = renderTemplate("pods-high-severity-vulnerabilities", { severities: ["critical", 'we"ird'] });
    expect(text).toContain('v.severity IN ["critical", "we\\"ird"]');
    expect(text).not.toContain("$");
    const rendered = renderTemplate("container-escapes-to-node", { maxHops: 2 });
    expect(rendered).toContain("*1..2]->");
    expect(runQuery(rendered, view)).toEqual(runTemplate("container-escapes-to-node", { maxHops: 2 }, view));
  });
});
