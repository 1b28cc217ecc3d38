// Context builder: Kubernetes identities (service accounts, users, groups) and Secrets, plus the
// lookups later builders use to reference ones the snapshot does not declare.
import type { GraphContext, IdentityView, SecretView } from "../context.js";
import { ids } from "../ids.js";
import { push } from "./util.js";

export function addServiceAccountsAndSecrets(ctx: GraphContext): void {
  for (const sa of ctx.snapshot.serviceAccounts) {
    const ns = sa.meta.namespace ?? "default";
    addIdentity(ctx, { id: ids.serviceAccount(ns, sa.meta.name), type: "serviceaccount", name: sa.meta.name, namespace: ns, info: sa, synthetic: false });
  }
  for (const s of ctx.snapshot.secrets) {
    const ns = s.meta.namespace ?? "default";
    const saName = s.type === "kubernetes.io/service-account-token" ? s.meta.annotations?.["kubernetes.io/service-account.name"] : undefined;
    const id = ids.secret(ns, s.meta.name);
    ctx.secrets.set(id, {
      id, namespace: ns, name: s.meta.name, type: s.type, declared: true, keys: s.keys,
      serviceAccountId: saName ? saIdentity(ctx, ns, saName, `Secret ${ns}/${s.meta.name}`).id : undefined,
    });
  }
}

export function addIdentity(ctx: GraphContext, v: IdentityView): IdentityView {
  const prev = ctx.identities.get(v.id);
  if (prev) return prev;
  ctx.identities.set(v.id, v);
  if (v.type === "serviceaccount") push(ctx.serviceAccountsByNamespace, v.namespace!, v);
  return v;
}

/** A service account by name; synthetic (with a warning when accounts are visible) if undeclared. */
export function saIdentity(ctx: GraphContext, ns: string, name: string, why: string): IdentityView {
  const id = ids.serviceAccount(ns, name);
  const prev = ctx.identities.get(id);
  if (prev) return prev;
  const s = ctx.snapshot;
  const visible = !s.notVisible.includes("serviceAccounts") && (s.source === "live" || s.serviceAccounts.length > 0);
  // "default" exists in every namespace even when manifests do not declare it.
  if (visible && name !== "default") ctx.warnings.push(`${why} references unknown service account ${ns}/${name}`);
  return addIdentity(ctx, { id, type: "serviceaccount", name, namespace: ns, synthetic: true });
}

/** A Secret by name; recorded as undeclared when the snapshot does not list it. */
export function secretRef(ctx: GraphContext, ns: string, name: string): SecretView {
  const id = ids.secret(ns, name);
  let s = ctx.secrets.get(id);
  if (!s) ctx.secrets.set(id, (s = { id, namespace: ns, name, declared: false }));
  return s;
}
