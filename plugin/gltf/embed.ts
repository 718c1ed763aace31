/**
 * glTF Transform writes every image and buffer of a .gltf as an external file, naming the ones that had
 * none (`baseColor.png`, `<name>.bin`). A model whose resources were embedded (data: URIs) must stay
 * self-contained, and a made-up file name could clash with a user's file: put those back as data URIs.
 */
import type { JSONDocument } from '@gltf-transform/core';

type GLTFJSON = JSONDocument['json'];

/**
 * Embeds, in `out`, the images and buffers whose counterpart (same index) in `original` had no external
 * URI. Images an operation added (past the original ones) stay files beside the model unless the model
 * was self-contained. Returns the resources that remain external files.
 */
export function keepEmbedded(original: GLTFJSON, out: JSONDocument): Record<string, Uint8Array> {
  const external = { ...out.resources };
  const isFile = (uri: string | undefined) => Boolean(uri && !uri.startsWith('data:'));
  const selfContained = ![...(original.images ?? []), ...(original.buffers ?? [])].some((r) => isFile(r.uri));
  const embed = (defs: { uri?: string; mimeType?: string }[] | undefined, originals: { uri?: string }[] | undefined, fallbackMime: string) => {
    (defs ?? []).forEach((def, i) => {
      const was = originals?.[i]?.uri;
      const added = i >= (originals?.length ?? 0);
      if (added && !selfContained && defs === out.json.images) return;
      if (!def.uri || isFile(was) || !(def.uri in external)) return;
      const bytes = external[def.uri];
      delete external[def.uri];
      def.uri = `data:${def.mimeType ?? fallbackMime};base64,${Buffer.from(bytes).toString('base64')}`;
    });
  };
  embed(out.json.images, original.images, 'application/octet-stream');
  embed(out.json.buffers, original.buffers, 'application/octet-stream');
  return external;
}
