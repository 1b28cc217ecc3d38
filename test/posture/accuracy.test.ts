// Regressions found by running the catalog over public projects' manifests and reading the YAML:
// each case is a small fixture written for the wrong result it pins.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { evaluatePosture } from "../../shared/posture/evaluate.js";
import { HARDENED_CLUSTER, hardenedEstate, snapshotOf, withDeployment } from "./fixtures.js";

const OPTIONS = { trustedRegistries: ["contoso.azurecr.io"] };
const control = (objects: Record<string, any>[] | string, id: string, cluster = HARDENED_CLUSTER) =>
  evaluatePosture({ snapshot: snapshotOf(objects, cluster), options: OPTIONS }).controls.find((c) => c.id === id)!;

describe("posture accuracy regressions", () => {
  it("a hostNetwork pod binds its container ports on the node even without hostPort (the API server defaults it)", () => {
    // As kubernetes-goat's system-monitor: hostNetwork: true and containerPort 8080, no hostPort.
    const objects = withDeployment((_d, p, c) => {
      p.hostNetwork = true;
      c.ports = [{ containerPort: 8080 }];
    });
    const r = control(objects, "VANTAGE-K8S-HOST-PORT");
    expect(r.status).toBe("fail");
    expect(r.failed[0]!.detail).toMatch(/binds port 8080 on the node/);
    expect(parse(r.failed[0]!.fix)).toEqual({ spec: { template: { spec: { hostNetwork: false, containers: [{ name: "api", ports: [{ containerPort: 8080, hostPort: null }] }] } } } });
    // Without hostNetwork and hostPort, the same container passes.
    expect(control(withDeployment((_d, _p, c) => (c.ports = [{ containerPort: 8080 }])), "VANTAGE-K8S-HOST-PORT").status).toBe("pass");
  });

  it("removing a hostPath volume also removes its mounts, or the patched pod is invalid", () => {
    // As kubernetes-goat's health-check: the docker socket mounted at a custom path.
    const objects = withDeployment((_d, p, c) => {
      p.volumes.push({ name: "docker-sock-volume", hostPath: { path: "/var/run/docker.sock", type: "File" } });
      c.volumeMounts = [...(c.volumeMounts ?? []), { name: "docker-sock-volume", mountPath: "/custom/docker/docker.sock" }];
    });
    for (const id of ["VANTAGE-K8S-RUNTIME-SOCKET", "VANTAGE-K8S-SENSITIVE-HOST-PATH", "VANTAGE-K8S-HOST-PATH", "VANTAGE-K8S-VOLUME-TYPES"]) {
      const r = control(objects, id);
      expect([id, r.status]).toEqual([id, "fail"]);
      expect(parse(r.failed[0]!.fix), id).toEqual({
        spec: { template: { spec: {
          volumes: [{ name: "docker-sock-volume", $patch: "delete" }],
          containers: [{ name: "api", volumeMounts: [{ mountPath: "/custom/docker/docker.sock", $patch: "delete" }] }],
        } } },
      });
    }
  });

  it("offline manifests without the namespace's default service account leave 4.1.5 not assessed, not passed", () => {
    // As the goat and microservices-demo manifests: workloads in a namespace whose default SA is not declared.
    const undeclared = hardenedEstate().filter((o) => !(o.kind === "ServiceAccount" && o.metadata.name === "default"));
    const r = control(undeclared, "VANTAGE-K8S-DEFAULT-SERVICE-ACCOUNT", { name: "offline" } as never);
    expect([r.status, r.passed, r.failed.length]).toEqual(["not-assessed", 0, 0]);
    expect(r.reason).toMatch(/not in the manifests/);
    // Declared with automount off: judged, and passes; bound to a role: fails even undeclared.
    expect(control(hardenedEstate(), "VANTAGE-K8S-DEFAULT-SERVICE-ACCOUNT").status).toBe("pass");
    const bound = [...undeclared, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "default-reader", namespace: "shop" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "config-reader" }, subjects: [{ kind: "ServiceAccount", name: "default", namespace: "shop" }] }];
    expect(control(bound, "VANTAGE-K8S-DEFAULT-SERVICE-ACCOUNT").failed.map((f) => f.detail)).toEqual(["roles are bound to it"]);
  });
});
