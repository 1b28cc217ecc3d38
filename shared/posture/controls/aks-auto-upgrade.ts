import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksAutoUpgrade: Control = {
  id: "VANTAGE-AKS-AUTO-UPGRADE",
  title: "An automatic upgrade channel should be set",
  severity: "low",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Auto-upgrade keeps the control plane, node images and OS patches current without a ticket.",
  remediation: "Set an upgrade channel (patch or stable) and a node OS channel (NodeImage or SecurityPatch).",
  references: {},
  evaluate: (input) => judgeCluster(input, (c) => (!c.upgradeChannel || c.upgradeChannel === "none" ? `autoUpgradeProfile.upgradeChannel is ${c.upgradeChannel ?? "not set"}` : !c.nodeOsUpgradeChannel || ["none", "Unmanaged"].includes(c.nodeOsUpgradeChannel) ? `nodeOSUpgradeChannel is ${c.nodeOsUpgradeChannel ?? "not set"}` : undefined), (c) => azAksUpdate(c, "--auto-upgrade-channel patch --node-os-upgrade-channel NodeImage")),
};
