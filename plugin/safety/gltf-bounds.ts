/**
 * glTF Transform trusts a model's byte ranges: a buffer view or accessor that reaches past its buffer
 * is read as whatever lies there (or zeros) and written back as if it were geometry. Before a model is
 * read, every range is checked against the bytes actually present, so a broken model fails instead.
 */
import type { JSONDocument } from '@gltf-transform/core';

const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
/** Where glTF Transform puts a GLB's binary chunk among the resources. */
const GLB_BUFFER = '@glb.bin';

/** Throws a one-line error for the first buffer, buffer view or accessor that reaches past its data. */
export function assertBufferBounds(doc: JSONDocument): void {
  const { json, resources } = doc;
  const buffers = json.buffers ?? [];
  const views = json.bufferViews ?? [];
  const actual = buffers.map((buffer) => {
    if (buffer.uri === undefined) return resources[GLB_BUFFER]?.byteLength;
    if (buffer.uri.startsWith('data:')) return dataURILength(buffer.uri);
    return resources[buffer.uri]?.byteLength;
  });
  buffers.forEach((buffer, i) => {
    const has = actual[i];
    if (!(buffer.byteLength >= 0)) throw new Error(`buffer ${i}: invalid byteLength ${String(buffer.byteLength)}`);
    if (has !== undefined && buffer.byteLength > has) throw new Error(`buffer ${i}: declares ${buffer.byteLength} bytes but has ${has}`);
  });
  views.forEach((view, i) => {
    const buffer = buffers[view.buffer];
    if (!buffer) throw new Error(`bufferView ${i}: buffer ${String(view.buffer)} does not exist`);
    const end = (view.byteOffset ?? 0) + view.byteLength;
    if (!(end <= buffer.byteLength) || (view.byteOffset ?? 0) < 0) throw new Error(`bufferView ${i}: bytes ${view.byteOffset ?? 0}..${end} are past the end of buffer ${view.buffer} (${buffer.byteLength} bytes)`);
  });
  (json.accessors ?? []).forEach((accessor, i) => {
    if (accessor.bufferView === undefined) return;
    const view = views[accessor.bufferView];
    if (!view) throw new Error(`accessor ${i}: bufferView ${accessor.bufferView} does not exist`);
    const element = (COMPONENT_BYTES[accessor.componentType] ?? NaN) * (TYPE_COMPONENTS[accessor.type] ?? NaN);
    if (!(element > 0) || !(accessor.count >= 0)) throw new Error(`accessor ${i}: invalid componentType/type/count`);
    const stride = view.byteStride ?? element;
    const end = (accessor.byteOffset ?? 0) + (accessor.count > 0 ? stride * (accessor.count - 1) + element : 0);
    if (!(end <= view.byteLength)) throw new Error(`accessor ${i}: needs ${end} bytes of bufferView ${accessor.bufferView}, which has ${view.byteLength}`);
  });
  (json.images ?? []).forEach((image, i) => {
    if (image.bufferView !== undefined && !views[image.bufferView]) throw new Error(`image ${i}: bufferView ${image.bufferView} does not exist`);
  });
}

function dataURILength(uri: string): number | undefined {
  const comma = uri.indexOf(',');
  if (comma < 0 || !uri.slice(0, comma).endsWith(';base64')) return undefined;
  return Buffer.from(uri.slice(comma + 1), 'base64').byteLength;
}
