// The technique registry: every module in this folder, in a stable order.
import { AZURE_ROLE_ASSIGNMENT } from "./azure-role-assignment.js";
import { CE_MODULE_LOAD } from "./ce-module-load.js";
import { CE_NSENTER } from "./ce-nsenter.js";
import { CE_PRIV_MOUNT } from "./ce-priv-mount.js";
import { CE_SYS_PTRACE } from "./ce-sys-ptrace.js";
import { CE_UMH_CORE_PATTERN } from "./ce-umh-core-pattern.js";
import { CE_VAR_LOG_SYMLINK } from "./ce-var-log-symlink.js";
import { CLOUD_IDENTITY_ASSUME } from "./cloud-identity-assume.js";
import { CONTAINER_ATTACH } from "./container-attach.js";
import { ENDPOINT_EXPLOIT } from "./endpoint-exploit.js";
import { EXPLOIT_CONTAINERD_SOCK } from "./exploit-containerd-sock.js";
import { EXPLOIT_HOST_READ } from "./exploit-host-read.js";
import { EXPLOIT_HOST_TRAVERSE } from "./exploit-host-traverse.js";
import { EXPLOIT_HOST_WRITE } from "./exploit-host-write.js";
import { EXPLOIT_RCE_VULNERABILITY } from "./exploit-rce-vulnerability.js";
import { HOST_NETWORK_EXPOSED } from "./host-network-exposed.js";
import { IDENTITY_ASSUME } from "./identity-assume.js";
import { IDENTITY_IMPERSONATE } from "./identity-impersonate.js";
import { IMAGE_CONTAINS_SECRET } from "./image-contains-secret.js";
import { IMAGE_SECRET_READ } from "./image-secret-read.js";
import { IMAGE_VULNERABLE } from "./image-vulnerable.js";
import { NODE_CLUSTER_ADMIN } from "./node-cluster-admin.js";
import { PERMISSION_DISCOVER } from "./permission-discover.js";
import { POD_ATTACH } from "./pod-attach.js";
import { POD_CREATE } from "./pod-create.js";
import { POD_EXEC } from "./pod-exec.js";
import { POD_PATCH } from "./pod-patch.js";
import { ROLE_BIND } from "./role-bind.js";
import { SECRET_ACCESS } from "./secret-access.js";
import { SHARE_PS_NAMESPACE } from "./share-ps-namespace.js";
import { TOKEN_BRUTEFORCE } from "./token-bruteforce.js";
import { TOKEN_LIST } from "./token-list.js";
import { TOKEN_STEAL } from "./token-steal.js";
import { VOLUME_ACCESS } from "./volume-access.js";
import { VOLUME_DISCOVER } from "./volume-discover.js";
import type { EdgeTechnique } from "./types.js";

export type { EdgeTechnique } from "./types.js";

export const TECHNIQUES: readonly EdgeTechnique[] = [
  // KubeHound's attack library.
  CE_MODULE_LOAD, CE_PRIV_MOUNT, CE_NSENTER, CE_SYS_PTRACE, CE_UMH_CORE_PATTERN, CE_VAR_LOG_SYMLINK,
  EXPLOIT_HOST_READ, EXPLOIT_HOST_WRITE, EXPLOIT_HOST_TRAVERSE, EXPLOIT_CONTAINERD_SOCK,
  IDENTITY_ASSUME, IDENTITY_IMPERSONATE, PERMISSION_DISCOVER, POD_ATTACH, CONTAINER_ATTACH,
  VOLUME_DISCOVER, VOLUME_ACCESS, POD_CREATE, POD_EXEC, POD_PATCH, TOKEN_LIST, TOKEN_BRUTEFORCE,
  TOKEN_STEAL, ROLE_BIND, SHARE_PS_NAMESPACE, ENDPOINT_EXPLOIT,
  // Vantage's own.
  EXPLOIT_RCE_VULNERABILITY, HOST_NETWORK_EXPOSED, CLOUD_IDENTITY_ASSUME, NODE_CLUSTER_ADMIN, SECRET_ACCESS, IMAGE_VULNERABLE, AZURE_ROLE_ASSIGNMENT,
  IMAGE_CONTAINS_SECRET, IMAGE_SECRET_READ,
];

export const TECHNIQUE_BY_KIND: ReadonlyMap<string, EdgeTechnique> = new Map(TECHNIQUES.map((t) => [t.kind, t]));
