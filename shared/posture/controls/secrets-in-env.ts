import type { Control } from "../model.js";
import { judgeContainers } from "../resources.js";

export const secretsInEnv: Control = {
  id: "VANTAGE-K8S-SECRETS-IN-ENV",
  title: "Secrets should be mounted as files, not environment variables",
  severity: "low",
  category: "Secrets",
  scope: "container",
  rationale: "Environment variables leak into logs, crash dumps, child processes and `kubectl describe`; mounted files do not.",
  remediation: "Mount the Secret as a volume and read it from the file.",
  references: { cisAks: "4.5.1", kubescape: "C-0207" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const refs = c.envSources.filter((e) => e.kind === "Secret");
      if (!refs.length) return undefined;
      const names = [...new Set(refs.map((r) => r.name))];
      const fix = [
        `# ${unit.ref.kind} ${unit.ref.name}: drop the env/envFrom entries of Secret ${names.join(", ")} from container ${c.name}, then mount it:`,
        "spec:", "  template:", "    spec:", "      volumes:",
        ...names.map((n) => `      - name: ${n}\n        secret:\n          secretName: ${n}`),
        "      containers:", `      - name: ${c.name}`, "        volumeMounts:",
        ...names.map((n) => `        - name: ${n}\n          mountPath: /etc/secrets/${n}\n          readOnly: true`),
      ].join("\n");
      return { detail: `env from Secret ${names.join(", ")}`, fix };
    }),
};
