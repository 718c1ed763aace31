/**
 * Principal components by cyclic Jacobi rotation of a symmetric covariance matrix (small: ≤ ~100
 * dimensions here), used to reduce texel neighbourhoods to a few numbers (Lefebvre & Hoppe 2005/06:
 * matching on PCA-projected neighbourhoods costs d multiply-adds per candidate instead of 9·C).
 */

/** Eigen-decomposition of a symmetric n×n matrix (row-major, copied): values descending, vectors as rows. */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, r) => {
    values[r] = a[col * n + col];
    for (let k = 0; k < n; k++) vectors[r * n + k] = v[k * n + col];
  });
  return { values, vectors };
}

/**
 * Projection onto the top `d` principal axes of `samples` (rows of `dim` values), laid out [j][k]
 * (input dimension j, output k) so the synthesis can accumulate one input value into d outputs.
 */
export function pcaProjection(samples: Float64Array, count: number, dim: number, d: number): Float32Array {
  const mean = new Float64Array(dim);
  for (let s = 0; s < count; s++) for (let j = 0; j < dim; j++) mean[j] += samples[s * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < dim; j++) row[j] = samples[s * dim + j] - mean[j];
    for (let i = 0; i < dim; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j] += ri * row[j];
    }
  }
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) cov[j * dim + i] = cov[i * dim + j] /= count;
  const { vectors } = symmetricEigen(cov, dim);
  const out = new Float32Array(dim * d);
  for (let k = 0; k < Math.min(d, dim); k++) for (let j = 0; j < dim; j++) out[j * d + k] = vectors[k * dim + j];
  return out;
}
