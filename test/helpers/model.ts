/** Reading fixture models and building small synthetic ones for pipeline tests. */
import { Document, Format } from '@gltf-transform/core';
import fs from 'node:fs';
import path from 'node:path';
import { createIO, listExternalResources, parseContainer } from '../../plugin/gltf';

/** Reads a model whose external files sit beside it. */
export async function readModel(file: string): Promise<Document> {
  const io = createIO();
  const jsonDoc = await parseContainer(io, fs.readFileSync(file), file.endsWith('.glb') ? 'glb' : 'gltf');
  for (const r of listExternalResources(path.dirname(file), path.basename(file), jsonDoc.json)) {
    jsonDoc.resources[r.uri] = fs.readFileSync(path.join(path.dirname(file), r.rel));
  }
  return io.readJSON(jsonDoc);
}

/** Writes a document as .gltf (external files beside it) or .glb. */
export async function writeModel(document: Document, file: string): Promise<void> {
  const io = createIO();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (file.endsWith('.glb')) {
    fs.writeFileSync(file, await io.writeBinary(document));
    return;
  }
  const { json, resources } = await io.writeJSON(document, { format: Format.GLTF, basename: path.basename(file, '.gltf') });
  for (const [uri, bytes] of Object.entries(resources)) {
    const target = path.join(path.dirname(file), decodeURIComponent(uri));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
  }
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

/** A triangle with UVs, so materials are actually used by a mesh (validator-clean). */
export function addTriangle(document: Document, material: ReturnType<Document['createMaterial']>): void {
  const buffer = document.getRoot().listBuffers()[0] ?? document.createBuffer();
  const position = document.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
  const uv = document.createAccessor().setType('VEC2').setArray(new Float32Array([0, 0, 1, 0, 0, 1])).setBuffer(buffer);
  const normal = document.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1])).setBuffer(buffer);
  const prim = document.createPrimitive().setAttribute('POSITION', position).setAttribute('TEXCOORD_0', uv).setAttribute('NORMAL', normal).setMaterial(material);
  const mesh = document.createMesh().addPrimitive(prim);
  const scene = document.getRoot().listScenes()[0] ?? document.createScene();
  scene.addChild(document.createNode().setMesh(mesh));
}
