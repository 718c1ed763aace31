/**
 * glTF Transform re-encodes Draco geometry on write with its own defaults (14-bit positions, 10-bit
 * normals, 12-bit UVs, edgebreaker): a model compressed at 16 bits would silently lose precision.
 * The streams say how they were encoded; this reads the quantization bits of each attribute and the
 * method, so the rewrite uses the model's own settings.
 */
import { BufferUtils, GLB_BUFFER, type JSONDocument } from '@gltf-transform/core';
import type { KHRDracoMeshCompression } from '@gltf-transform/extensions';

type EncoderOptions = Parameters<KHRDracoMeshCompression['setEncoderOptions']>[0];

/** The subset of the draco3dgltf decoder module used here (the package ships no types). */
interface DecoderModule {
  Decoder: new () => DracoDecoder;
  DecoderBuffer: new () => { Init(data: Int8Array | Uint8Array, length: number): void };
  Mesh: new () => { ptr: number };
  AttributeQuantizationTransform: new () => AttributeTransform;
  AttributeOctahedronTransform: new () => AttributeTransform;
  destroy(object: unknown): void;
  [attributeType: string]: unknown; // POSITION, NORMAL, COLOR, TEX_COORD, GENERIC enum values
}
interface AttributeTransform {
  InitFromAttribute(attribute: unknown): boolean;
  quantization_bits(): number;
}
interface DracoDecoder {
  SkipAttributeTransform(attributeType: unknown): void;
  DecodeBufferToMesh(buffer: unknown, mesh: unknown): { ok(): boolean };
  GetAttributeByUniqueId(mesh: unknown, id: number): unknown;
}

interface DracoPrimitiveDef {
  extensions?: { KHR_draco_mesh_compression?: { bufferView: number; attributes: Record<string, number> } };
}

/** glTF Transform's quantization groups (its getAttributeEnum). */
function attributeGroup(semantic: string): string {
  if (semantic === 'POSITION' || semantic === 'NORMAL') return semantic;
  if (semantic.startsWith('COLOR_')) return 'COLOR';
  if (semantic.startsWith('TEXCOORD_')) return 'TEX_COORD';
  return 'GENERIC';
}

/**
 * Encoder options matching the model's streams: per group the highest quantization bits found (0,
 * which Draco reads as "not quantized", if any stream stored that group losslessly), and edgebreaker
 * unless every stream was sequential. Null when the model has no Draco primitive.
 */
export function dracoEncoderOptions(draco: unknown, jsonDoc: JSONDocument): EncoderOptions | null {
  const module = draco as DecoderModule;
  const { json } = jsonDoc;
  const bits: Record<string, number> = {};
  let edgebreaker = false;
  let found = false;
  for (const mesh of json.meshes ?? []) {
    for (const prim of mesh.primitives as DracoPrimitiveDef[]) {
      const def = prim.extensions?.KHR_draco_mesh_compression;
      if (!def) continue;
      found = true;
      const data = bufferViewBytes(jsonDoc, def.bufferView);
      // Draco header: "DRACO", major, minor, encoder type, encoder method (1 = edgebreaker).
      if (data[8] === 1) edgebreaker = true;
      for (const [group, n] of Object.entries(attributeBits(module, data, def.attributes))) bits[group] = finer(bits[group], n);
    }
  }
  if (!found) return null;
  return { method: edgebreaker ? 1 : 0, quantizationBits: bits };
}

/** Quantization bits per attribute group in one Draco stream (0: stored without quantization). */
function attributeBits(module: DecoderModule, data: Uint8Array, attributes: Record<string, number>): Record<string, number> {
  const decoder = new module.Decoder();
  const buffer = new module.DecoderBuffer();
  const mesh = new module.Mesh();
  // Normals are stored octahedron-encoded, everything else quantized on a grid.
  const quantization = new module.AttributeQuantizationTransform();
  const octahedron = new module.AttributeOctahedronTransform();
  try {
    buffer.Init(data, data.length);
    // Without this the decoder dequantizes and drops the transform that holds the bits.
    for (const type of ['POSITION', 'NORMAL', 'COLOR', 'TEX_COORD', 'GENERIC']) decoder.SkipAttributeTransform(module[type]);
    if (!decoder.DecodeBufferToMesh(buffer, mesh).ok() || mesh.ptr === 0) throw new Error('KHR_draco_mesh_compression: cannot decode a primitive');
    const out: Record<string, number> = {};
    for (const [semantic, id] of Object.entries(attributes)) {
      const attribute = decoder.GetAttributeByUniqueId(mesh, id);
      const group = attributeGroup(semantic);
      const transform = [quantization, octahedron].find((t) => t.InitFromAttribute(attribute));
      out[group] = finer(out[group], transform ? transform.quantization_bits() : 0);
    }
    return out;
  } finally {
    for (const object of [quantization, octahedron, mesh, buffer, decoder]) module.destroy(object);
  }
}

/** The finer of two precisions, 0 (not quantized) being the finest. */
function finer(a: number | undefined, b: number): number {
  return a === 0 || b === 0 ? 0 : Math.max(a ?? 0, b);
}

function bufferViewBytes(jsonDoc: JSONDocument, index: number): Uint8Array {
  const view = jsonDoc.json.bufferViews![index];
  const uri = jsonDoc.json.buffers![view.buffer].uri;
  const resource = uri === undefined ? jsonDoc.resources[GLB_BUFFER]
    : uri in jsonDoc.resources ? jsonDoc.resources[uri]
    : BufferUtils.createBufferFromDataURI(uri); // embedded .gltf buffers are only resolved later, by the reader
  return BufferUtils.toView(resource, view.byteOffset ?? 0, view.byteLength);
}
