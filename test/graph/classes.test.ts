// Path classes, evidence and fixes: what a person reads on each class.
import { describe, expect, it } from "vitest";
import type { AzureIdentityAccess } from "../../shared/azure/model.js";
import { build, container, finding, node, pod, role, roleBinding, rule, saSubject, service, serviceAccount, snapshot } from "./builders.js";

const lb = service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] });
const rceImage = [{ ref: "nginx:1.25", findings: [finding("CVE-2024-0001", { rce: true, kev: true })] }];

/** Exposed pod whose token can create pods through two different roles. */
const twoRoles = () => snapshot({
  nodes: [node("n1")],
  pods: [pod("p", { labels: { app: "web" }, automountServiceAccountToken: true, serviceAccountName: "web" })],
  services: [lb], serviceAccounts: [serviceAccount("web")],
  roles: [role("creator", "default", [rule(["create"], ["pods"])]), role("deployer", "default", [rule(["create", "patch"], ["pods"])])],
  roleBindings: [
    roleBinding("creator", "default", { kind: "Role", name: "creator" }, [saSubject("web")]),
    roleBinding("deployer", "default", { kind: "Role", name: "deployer" }, [saSubject("web")]),
  ],
});

describe("path classes", () => {
  it("routes that differ only in an intermediate permission set are members of one class", () => {
    const r = build(twoRoles());
    const toNode = r.pathClasses.filter((c) => c.target === "node:n1");
    expect(toNode).toHaveLength(1);
    expect(toNode[0]!.count).toBe(2);
    const members = toNode[0]!.paths.map((id) => r.paths.find((p) => p.id === id)!);
    expect(members.map((p) => p.edges[2]!.to).sort()).toEqual(["permissionset:default/creator::creator", "permissionset:default/deployer::deployer"]);
    expect(new Set(members.map((p) => p.classId))).toEqual(new Set([toNode[0]!.id]));
    expect(toNode[0]).toMatchObject({ entryName: "Service default/web:http", targetName: "node n1", entryType: "service", targetType: "node", hops: 4, reachesAzure: false });
  });
  it("a class is removed only by a change that breaks every member: one binding is not enough, the token is", () => {
    const r = build(twoRoles());
    const cls = r.pathClasses.find((c) => c.target === "node:n1")!;
    const byObject = new Map(r.fixes.map((f) => [`${f.object} ${f.field}`, f]));
    expect(byObject.get("permissionset:default/creator::creator rules")?.classesCut).toBe(0);
    expect(byObject.get("pod:default/p spec.automountServiceAccountToken")?.classesCut).toBe(1);
    // The class's fix is a change that removes it; ties go to the change that cuts more paths (the exposed Service).
    expect(byObject.get(`${cls.fix!.object} ${cls.fix!.field}`)!.classesCut).toBe(1);
    expect(cls.fix).toMatchObject({ object: "service:default/web", field: "spec.type" });
  });
});

describe("evidence on every step", () => {
  it("entry: the Service, port and address; RBAC: the granting rule and binding; vulnerability: CVE with CVSS, EPSS, KEV, fixed version", () => {
    const r = build(twoRoles(), rceImage);
    const p = r.paths.find((x) => x.target === "node:n1")!;
    for (const e of p.edges) expect(e.evidence!.length).toBeGreaterThan(0);
    expect(p.edges[0]!.kind).toBe("EXPLOIT_RCE_VULNERABILITY");
    expect(p.edges[0]!.evidence).toEqual(expect.arrayContaining([
      "Service default/web port http (80/TCP) reachable from the internet", "public LoadBalancer 20.1.2.3",
      "CVE-2024-0001 (CVSS 9.8, EPSS 0.9, in CISA KEV, fixed in 1.1) in openssl of docker.io/library/nginx:1.25",
    ]));
    const create = p.edges.find((e) => e.kind === "POD_CREATE")!;
    expect(create.evidence![0]).toMatch(/^create pods granted by RoleBinding default\/(creator|deployer) → Role (creator|deployer)$/);
    expect(create.evidence![1]).toMatch(/^rule: create(,patch)? pods \[core\]$/);
  });
  it("escapes name the pod flag, capability or host path", () => {
    const r = build(snapshot({
      nodes: [node("n1")],
      pods: [pod("p", { labels: { app: "web" }, hostPID: true, containers: [container("app", { securityContext: { privileged: true } })] })],
      services: [lb],
    }));
    const ev = r.paths.find((x) => x.target === "node:n1")!.edges[1]!;
    expect(ev.evidence!.join(" ")).toMatch(/privileged: true/);
  });
});

describe("Azure blast radius", () => {
  const withKubelet = () => {
    const s = snapshot({
      cluster: { name: "aks1", kubeletIdentity: { clientId: "kcid", objectId: "kpid", resourceId: "/subscriptions/s1/resourceGroups/mc/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks1-agentpool" } },
      nodes: [node("n1")],
      pods: [pod("p", { labels: { app: "web" }, containers: [container("app", { securityContext: { privileged: true } })] })],
      services: [lb],
    });
    return s;
  };
  const access = (grants: AzureIdentityAccess["grants"], status: AzureIdentityAccess["status"] = "known", reason?: string): AzureIdentityAccess[] =>
    [{ source: "kubelet", clientId: "kcid", principalId: "kpid", status, reason, grants }];
  const owner = { assignmentId: "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1", scope: "/subscriptions/s1", roleDefinitionId: "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", roleName: "Owner", capabilities: ["assign roles", "write every resource"] };
  const reader = { assignmentId: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a2", scope: "/subscriptions/s1/resourceGroups/rg", roleDefinitionId: "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", roleName: "Reader", capabilities: [] };

  it("a path ends at an Owner scope, titled with the role and scope; the identity carries name and resource id", () => {
    const r = build(withKubelet(), [], { azure: access([owner, reader]) });
    const cls = r.pathClasses.find((c) => c.target === "azurescope:/subscriptions/s1")!;
    expect(cls.title).toBe("Internet exposed Kubernetes pod can obtain Owner on Azure subscription s1");
    expect(cls.reachesAzure).toBe(true);
    const p = r.paths.find((x) => x.id === cls.paths[0])!;
    expect(p.edges.map((e) => e.kind)).toEqual(["ENDPOINT_EXPLOIT", "CE_MODULE_LOAD", "CLOUD_IDENTITY_ASSUME", "AZURE_ROLE_ASSIGNMENT"]);
    expect(cls.count).toBe(2); // CE_MODULE_LOAD or CE_PRIV_MOUNT
    expect(p.edges.at(-1)!.evidence![0]).toMatch(/^role Owner assigned to aks1-agentpool at subscription \/subscriptions\/s1 — allows assign roles, write every resource/);
    const id = r.graph.nodes.find((n) => n.id === "cloudidentity:kcid")!;
    expect(id.name).toBe("aks1-agentpool");
    expect(id.properties).toMatchObject({ resourceId: expect.stringContaining("userAssignedIdentities/aks1-agentpool"), principalId: "kpid", azurePermissions: "known" });
    // The Reader scope is drawn (an edge and a node) but is no crown jewel: no class ends there.
    expect(r.graph.edges.some((e) => e.kind === "AZURE_ROLE_ASSIGNMENT" && e.to === "azurescope:/subscriptions/s1/resourceGroups/rg")).toBe(true);
    expect(r.pathClasses.some((c) => c.target === "azurescope:/subscriptions/s1/resourceGroups/rg")).toBe(false);
    expect(p.fix?.text ?? cls.fix?.text).toBeTruthy();
  });
  it("an identity with only harmless roles is not a major target; unknown permissions keep the path and say so", () => {
    const harmless = build(withKubelet(), [], { azure: access([reader]) }).pathClasses.find((c) => c.target === "cloudidentity:kcid")!;
    const unread = build(withKubelet()).pathClasses.find((c) => c.target === "cloudidentity:kcid")!;
    expect(unread.risk).toBe("high");
    expect(["medium", "low"]).toContain(harmless.risk);
    const unknown = build(withKubelet(), [], { azure: access([], "unknown", "403 AuthorizationFailed reading role assignments") });
    const cls = unknown.pathClasses.find((c) => c.target === "cloudidentity:kcid")!;
    expect(cls.risk).toBe("high");
    expect(cls.notes).toEqual(["Azure permissions unknown for aks1-agentpool: 403 AuthorizationFailed reading role assignments"]);
    expect(unknown.graph.nodes.find((n) => n.id === "cloudidentity:kcid")!.properties.azurePermissions).toBe("unknown");
  });
});

describe("credentials baked into images", () => {
  const secretIn = (deleted: boolean) => ({
    path: "srv/app/deploy/signing-key.pem", rule: "private-key", title: "Private key", severity: "high" as const, line: 1,
    fingerprint: "sha256:abcd", hint: "-----BEGIN PRIVATE KEY-----…", layerDigest: "sha256:l1", layerIndex: 1, deleted,
  });
  const exposed = () => snapshot({ nodes: [node("n1")], pods: [pod("p", { labels: { app: "web" } })], services: [lb] });
  const withSecret = (deleted: boolean) => [{ ref: "nginx:1.25", findings: [finding("CVE-2024-0001", { rce: true, kev: true })], secrets: [secretIn(deleted)] }];

  it("a file still in the image is one step from the container: a class whose target type is secretfinding, with evidence and a rebuild fix", () => {
    const r = build(exposed(), withSecret(false));
    const cls = r.pathClasses.filter((c) => c.targetType === "secretfinding");
    expect(cls.map((c) => c.entryType).sort()).toEqual(["service", "vulnerable-image"]);
    const internet = cls.find((c) => c.entryType === "service")!;
    expect(internet.title).toBe("Internet exposed Kubernetes pod is running a container with RCE vulnerabilities that can read a credential baked into an image");
    expect(internet.targetName).toBe("Private key at /srv/app/deploy/signing-key.pem in docker.io/library/nginx:1.25");
    const p = r.paths.find((x) => x.id === internet.paths[0])!;
    expect(p.edges.map((e) => e.kind)).toEqual(["EXPLOIT_RCE_VULNERABILITY", "IMAGE_SECRET_READ"]);
    expect(p.edges[1]!.evidence![0]).toMatch(/layer #1 left Private key at \/srv\/app\/deploy\/signing-key\.pem \(fingerprint sha256:abcd; the value is never stored\)$/);
    expect(internet.fix).toMatchObject({ object: "image:docker.io/library/nginx:1.25", field: "layers" });
  });
  it("a file a later layer deleted is not in the container's filesystem: no step, no class (the image still records it)", () => {
    const r = build(exposed(), withSecret(true));
    expect(r.pathClasses.some((c) => c.targetType === "secretfinding")).toBe(false);
    expect(r.graph.edges.some((e) => e.kind === "IMAGE_CONTAINS_SECRET")).toBe(true);
  });
});
