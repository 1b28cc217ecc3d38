// Node ids exactly as docs/graph.md spells them. Vantage's own kinds (documented in the README):
//   service:NS/NAME, ingress:NS/NAME, workload:NS/KIND/NAME, secret:NS/NAME,
//   secretfinding:IMAGE|LAYER|PATH|RULE|FINGERPRINT.
export const ids = {
  cluster: (name: string) => `cluster:${name}`,
  namespace: (name: string) => `namespace:${name}`,
  node: (name: string) => `node:${name}`,
  pod: (ns: string, pod: string) => `pod:${ns}/${pod}`,
  container: (ns: string, pod: string, c: string) => `container:${ns}/${pod}/${c}`,
  volume: (ns: string, pod: string, v: string) => `volume:${ns}/${pod}/${v}`,
  /** SERVICE_OR_POD: a Service's port, or a pod's hostPort/hostNetwork port. */
  endpoint: (ns: string, owner: string, port: string) => `endpoint:${ns}/${owner}:${port}`,
  serviceAccount: (ns: string, name: string) => `identity:serviceaccount:${ns}/${name}`,
  user: (name: string) => `identity:user:${name}`,
  group: (name: string) => `identity:group:${name}`,
  /** Namespaced when the binding is a RoleBinding (even to a ClusterRole): its grant stops at the namespace. */
  permissionSet: (role: string, binding: string, ns?: string) =>
    ns === undefined ? `permissionset:${role}::${binding}` : `permissionset:${ns}/${role}::${binding}`,
  image: (ref: string) => `image:${ref}`,
  vulnerability: (id: string) => `vulnerability:${id}`,
  cloudIdentity: (clientId: string) => `cloudidentity:${clientId}`,
  /** An Azure RBAC scope: /subscriptions/S, …/resourceGroups/RG, or a resource id. */
  azureScope: (scope: string) => `azurescope:${scope.replace(/\/+$/, "")}`,
  service: (ns: string, name: string) => `service:${ns}/${name}`,
  ingress: (ns: string, name: string) => `ingress:${ns}/${name}`,
  workload: (ns: string, kind: string, name: string) => `workload:${ns}/${kind}/${name}`,
  secret: (ns: string, name: string) => `secret:${ns}/${name}`,
  /** A credential baked into an image layer: the image, the adding layer, the file, the rule and the value's fingerprint. */
  secretFinding: (imageRef: string, layerDigest: string, path: string, rule: string, fingerprint: string) =>
    `secretfinding:${imageRef}|${layerDigest}|${path}|${rule}|${fingerprint}`,
};
