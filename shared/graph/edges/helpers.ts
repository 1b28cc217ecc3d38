// Shared facts for technique modules: sensitive host paths, runtime sockets, RBAC scope helpers.
import type { GraphContext, IdentityView, PermissionSetView, PodView } from "../context.js";
import { pathCovers } from "../../kubernetes/pod-security.js";
import { grantAllows, grantIn, grantIsEmpty, type Grant } from "../rbac.js";

// Host path and runtime socket facts are defined once, with the other pod-spec checks.
export { isSensitiveHostPath, RUNTIME_SOCKETS, SENSITIVE_HOST_PATHS } from "../../kubernetes/pod-security.js";

/**
 * Host paths whose read yields node credentials: the root, /etc (shadow, kubelet and SSH host
 * keys), /root and /home (users' SSH keys), /proc (host processes' environment and memory).
 * SSH folders are inside these; a mount of one of them (or of anything inside) counts.
 */
export const CREDENTIAL_HOST_PATHS = ["/", "/etc", "/root", "/home", "/proc"];

export function exposesNodeCredentials(path: string): boolean {
  return CREDENTIAL_HOST_PATHS.some((s) => pathCovers(path, s) || (s !== "/" && pathCovers(s, path))) || /(^|\/)\.ssh(\/|$)/.test(path);
}

/** Pods a permission set reaches (its namespace, or every namespace). */
export function podsInScope(ctx: GraphContext, ps: PermissionSetView): PodView[] {
  return ps.namespace === undefined ? ctx.pods : (ctx.podsByNamespace.get(ps.namespace) ?? []);
}

export function namespacesInScope(ctx: GraphContext, ps: PermissionSetView): string[] {
  if (ps.namespace !== undefined) return [ps.namespace];
  return [...new Set([...ctx.podsByNamespace.keys(), ...ctx.serviceAccountsByNamespace.keys(), ...ctx.secretsByNamespace.keys()])];
}

/** Pods in scope whose names the grant allows (resourceNames restrict single-object verbs). */
export function podsGranted(ctx: GraphContext, ps: PermissionSetView, verb: string, resource: string, sub?: string): PodView[] {
  const out: PodView[] = [];
  const byNs = new Map<string, Grant>();
  for (const p of podsInScope(ctx, ps)) {
    let g = byNs.get(p.namespace);
    if (!g) byNs.set(p.namespace, (g = grantIn(ps, p.namespace, verb, "", resource, sub)));
    if (grantAllows(g, p.name)) out.push(p);
  }
  return out;
}

/**
 * Service accounts whose tokens a secrets grant exposes. When the snapshot shows Secrets, only
 * accounts that have a token Secret in scope (and, with resourceNames, a named one); otherwise
 * every account in scope, as KubeHound does.
 */
export function tokenHoldersGranted(ctx: GraphContext, ps: PermissionSetView, verb: string, byName: boolean): IdentityView[] {
  const out = new Set<IdentityView>();
  const secretsKnown = ctx.snapshot.secrets.length > 0;
  for (const ns of namespacesInScope(ctx, ps)) {
    const g = grantIn(ps, ns, verb, "", "secrets");
    if (grantIsEmpty(g)) continue;
    if (!byName && !g.all) continue; // list/watch with resourceNames never matches a collection
    if (secretsKnown || !g.all) {
      for (const s of ctx.secretsByNamespace.get(ns) ?? []) {
        if (!s.serviceAccountId || !grantAllows(g, s.name)) continue;
        const id = ctx.identities.get(s.serviceAccountId);
        if (id) out.add(id);
      }
    } else for (const sa of ctx.serviceAccountsByNamespace.get(ns) ?? []) out.add(sa);
  }
  return [...out];
}
