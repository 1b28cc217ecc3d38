// The operator identity: a user-assigned managed identity Vantage acts as in an onboarded subscription.
import type { OperatorIdentity } from "./model.js";
import type { ArmConnection } from "./connection.js";
import { armClients } from "./connection.js";
import { isNotFound, toArmError } from "./errors.js";
import { parseResourceIdOfType } from "./ids.js";

const IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";

export type OperatorIdentitySpec =
  | { resourceGroup: string; name: string; location: string; tags?: Record<string, string> }
  /** Reuse an identity the customer configured (e.g. created by infra/); Vantage never deletes it. */
  | { resourceId: string };

/** Creates (PUT is idempotent) or reads the operator identity. Throws ArmError. */
export async function ensureOperatorIdentity(conn: ArmConnection, spec: OperatorIdentitySpec): Promise<OperatorIdentity> {
  const { msi } = armClients(conn);
  try {
    if ("resourceId" in spec) {
      const id = parseResourceIdOfType(spec.resourceId, IDENTITY_TYPE);
      const found = await msi.userAssignedIdentities.get(id.resourceGroup, id.name);
      return toOperatorIdentity(found, false);
    }
    const created = await msi.userAssignedIdentities.createOrUpdate(spec.resourceGroup, spec.name, {
      location: spec.location,
      tags: { "managed-by": "vantage", ...spec.tags },
    });
    return toOperatorIdentity(created, true);
  } catch (err) {
    throw toArmError(err);
  }
}

/** Deletes an identity Vantage created; 404 counts as done. Returns whether something was deleted. */
export async function removeOperatorIdentity(conn: ArmConnection, resourceId: string): Promise<boolean> {
  const id = parseResourceIdOfType(resourceId, IDENTITY_TYPE);
  let status = 0;
  try {
    // ARM answers 200 when it deleted the identity and 204 when there was nothing to delete.
    await armClients(conn).msi.userAssignedIdentities.delete(id.resourceGroup, id.name, { onResponse: (raw) => (status = raw.status) });
    return status === 200;
  } catch (err) {
    const armError = toArmError(err);
    if (isNotFound(armError)) return false;
    throw armError;
  }
}

interface IdentityWire {
  id?: string;
  clientId?: string;
  principalId?: string;
  tenantId?: string;
}

function toOperatorIdentity(identity: IdentityWire, createdByVantage: boolean): OperatorIdentity {
  if (!identity.id || !identity.clientId || !identity.principalId) {
    throw toArmError(Object.assign(new Error("identity response lacks id, clientId or principalId"), { code: "InvalidResponse" }));
  }
  return {
    resourceId: identity.id,
    clientId: identity.clientId,
    principalId: identity.principalId,
    ...(identity.tenantId ? { tenantId: identity.tenantId } : {}),
    createdByVantage,
  };
}
