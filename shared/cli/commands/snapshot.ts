// `vantage snapshot (--kubeconfig FILE [--context C] | --manifests PATH…) [--out FILE]`: a cluster
// (read-only, never Secret values) or offline manifests → the Snapshot JSON.
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { collectSnapshot, KubernetesApiError } from "../../kubernetes/collect/index.js";
import { kubeConfigFor } from "../../kubernetes/collect/client.js";
import { snapshotFromManifests } from "../../kubernetes/manifests/index.js";
import type { Snapshot } from "../../kubernetes/model.js";
import { parseCommandArgs, type CliIo } from "../io.js";

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("snapshot", args, {
    kubeconfig: { type: "string" },
    context: { type: "string" },
    manifests: { type: "string", multiple: true },
    out: { type: "string" },
  });
  const manifestArgs = (values.manifests as string[] | undefined) ?? [];
  const kubeconfig = values.kubeconfig as string | undefined;
  // `--manifests a b c` is read as several paths: the extra ones arrive as positionals.
  if (positionals.length && !manifestArgs.length) throw new InputError(`unexpected argument "${positionals[0]}" (see vantage snapshot --help)`);
  if (kubeconfig && manifestArgs.length) throw new InputError("give either --kubeconfig or --manifests, not both");
  if (!kubeconfig && !manifestArgs.length) throw new InputError("one of --kubeconfig FILE or --manifests PATH is required");
  if (values.context && !kubeconfig) throw new InputError("--context needs --kubeconfig");

  let snapshot: Snapshot;
  if (kubeconfig) {
    const file = resolve(io.cwd, kubeconfig);
    const context = values.context as string | undefined;
    const kc = kubeConfigFor({ kubeconfig: { file, context } });
    const clusterName = kc.getContextObject(kc.getCurrentContext())?.cluster ?? kc.getCurrentCluster()?.name ?? "cluster";
    if (io.isTTY) io.stderr(`reading ${kc.getCurrentCluster()?.server} (context ${kc.getCurrentContext()})…\n`);
    try {
      snapshot = await collectSnapshot({ kubeconfig: { file, context } }, { cluster: { name: clusterName } });
    } catch (err) {
      if (err instanceof KubernetesApiError) throw new InputError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`cannot reach ${kc.getCurrentCluster()?.server}: ${code}`);
      throw err;
    }
  } else {
    const paths = [...manifestArgs, ...positionals].map((p) => resolve(io.cwd, p));
    snapshot = await snapshotFromManifests(paths);
  }

  const json = `${JSON.stringify(snapshot, null, 2)}\n`;
  if (values.out) {
    try {
      await writeFile(resolve(io.cwd, values.out as string), json);
    } catch (err) {
      throw new InputError(`--out ${values.out as string}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (io.isTTY) io.stderr(`wrote ${values.out}: ${snapshot.pods.length} pods, ${snapshot.workloads.length} workloads${snapshot.partial ? ` (partial: ${snapshot.notVisible.join(", ")} not visible)` : ""}\n`);
  } else io.stdout(json);
  return 0;
}
