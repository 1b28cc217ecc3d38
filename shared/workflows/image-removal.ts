// ImageDeleted: the registry no longer has the image. If a cluster still runs it, its findings
// stay (they are still true where it runs) and only the deleted reference is dropped; otherwise
// the findings and the record go (the SBOM blob is content-addressed and kept).
import type { Dependencies } from "./dependencies.js";

export async function removeImage(deps: Dependencies, digest: string, repository?: string): Promise<{ removed: number; stillRunning: boolean }> {
  const { state } = deps;
  const running = (await deps.graphs.all()).some((g) => g.imageDigests?.includes(digest));
  const record = (await state.images.get("image", digest))?.value;
  if (running) {
    if (record && repository) {
      const refs = record.refs.filter((r) => !r.toLowerCase().startsWith(`${repository.toLowerCase()}:`) && r.toLowerCase() !== repository.toLowerCase());
      await state.images.upsert("image", digest, { ...record, refs: refs.length ? refs : record.refs, pushedAt: undefined });
    }
    return { removed: 0, stillRunning: true };
  }
  const removed = await deps.findings.removeImage(digest);
  await state.images.delete("image", digest);
  return { removed, stillRunning: false };
}
