// The one definition of each pod-spec security fact ("privileged", "runs as root", "sensitive host
// path", …). The graph's insights and techniques and the posture controls all ask these functions,
// so a container cannot be privileged to one and not to the other.
import type { ContainerInfo, PodInfo, SecurityContext } from "./model.js";

export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** True when mounting `mounted` exposes `target` (the same path or one of its parents). */
export function pathCovers(mounted: string, target: string): boolean {
  const m = normalizePath(mounted);
  const t = normalizePath(target);
  return m === "/" || m === t || t.startsWith(m + "/");
}

/** Host directories whose read gives node credentials/keys, or whose write gives code execution. */
export const SENSITIVE_HOST_PATHS = [
  "/", "/etc", "/root", "/home", "/proc", "/sys", "/boot", "/dev", "/usr", "/bin", "/sbin", "/lib",
  "/var/lib/kubelet", "/etc/kubernetes", "/var/lib/containerd", "/var/lib/docker", "/run/containerd", "/var/run/docker.sock",
];

export function isSensitiveHostPath(path: string): boolean {
  // The path itself, a parent of one, or anything inside one (except the plain root of /var-style trees).
  return SENSITIVE_HOST_PATHS.some((s) => pathCovers(path, s) || (s !== "/" && pathCovers(s, path)));
}

export const RUNTIME_SOCKETS = [
  "/var/run/dockershim.sock", "/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
  "/run/crio/crio.sock", "/var/run/crio/crio.sock", "/var/run/cri-dockerd.sock", "/var/run/docker.sock", "/run/docker.sock",
];

export function exposesRuntimeSocket(path: string): boolean {
  return RUNTIME_SOCKETS.some((s) => pathCovers(path, s));
}

/** Why a hostPath matters: the runtime socket, a sensitive directory, node logs (symlink escape), or nothing. */
export function hostPathConcern(path: string): "runtime-socket" | "sensitive" | "logs" | undefined {
  if (exposesRuntimeSocket(path)) return "runtime-socket";
  if (isSensitiveHostPath(path)) return "sensitive";
  if (pathCovers(path, "/var/log")) return "logs";
  return undefined;
}

/** Upper-case without CAP_ (the runtime accepts both spellings). */
export function normalizeCapability(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, "");
}

export function isPrivileged(c: ContainerInfo): boolean {
  return c.securityContext?.privileged === true;
}

export function addedCapabilities(c: ContainerInfo): string[] {
  return (c.securityContext?.capabilities?.add ?? []).map(normalizeCapability);
}

export function droppedCapabilities(c: ContainerInfo): string[] {
  return (c.securityContext?.capabilities?.drop ?? []).map(normalizeCapability);
}

/** Capabilities that hand a container a way out of its isolation or onto the node's network stack. */
export const DANGEROUS_CAPABILITIES = ["ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_ADMIN", "DAC_READ_SEARCH", "DAC_OVERRIDE", "SYS_RAWIO", "SYS_BOOT", "BPF", "PERFMON", "SYS_CHROOT", "MKNOD"];

export function dangerousCapabilities(c: ContainerInfo): string[] {
  return addedCapabilities(c).filter((x) => DANGEROUS_CAPABILITIES.includes(x));
}

/** A container field falls back to the pod's securityContext (Kubernetes' precedence). */
export function effective<K extends keyof SecurityContext>(pod: PodInfo, c: ContainerInfo, key: K): SecurityContext[K] {
  return c.securityContext?.[key] ?? pod.securityContext?.[key];
}

/**
 * Root unless proven otherwise: runAsUser 0, or neither runAsUser nor runAsNonRoot — the image's USER
 * is not known from the spec, and images default to root.
 */
export function runsAsRoot(pod: PodInfo, c: ContainerInfo): boolean {
  const uid = effective(pod, c, "runAsUser");
  return uid === 0 || (uid === undefined && effective(pod, c, "runAsNonRoot") !== true);
}

export function hostPorts(c: ContainerInfo): number[] {
  return c.ports.map((p) => p.hostPort ?? 0).filter((p) => p > 0);
}
