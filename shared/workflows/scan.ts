// Image vulnerability assessment in the pipeline: scan on push, scan what runs, daily refresh.
import { services } from "./services.js";

/** ImageDeleted: drop the image's findings and mark it gone (its SBOM blob is content-addressed and kept). */
export async function removeImage(digest: string): Promise<number> {
  const { state } = services();
  const rows = await state.findings.all({ partitionKey: digest });
  await state.findings.writeBatch({ deletes: rows.map((r) => ({ partitionKey: r.partitionKey, rowKey: r.rowKey })) });
  await state.images.delete("image", digest);
  return rows.length;
}
