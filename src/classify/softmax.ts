// Multinomial logistic regression over sparse TF-IDF rows: the model of one head (intent or topic).
// Weights are feature-major (weights[feature * classes + class]) so a sparse row reads contiguous memory.

/** Rows of a sparse matrix in CSR form. */
export interface SparseRows {
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

const rowCount = (rows: SparseRows): number => rows.rowStart.length - 1;

export interface SoftmaxHead {
  classes: number;
  weights: Float32Array;
  bias: Float32Array;
  /** Divides the logits before the softmax; fitted on held-out data so probabilities are calibrated. */
  temperature: number;
}

/** Turns logits (divided by the temperature) into probabilities in place; returns the argmax. */
export function softmaxInPlace(z: Float64Array, classes: number, temperature: number): number {
  let best = 0;
  for (let k = 1; k < classes; k++) if ((z[k] as number) > (z[best] as number)) best = k;
  const max = z[best] as number;
  let sum = 0;
  for (let k = 0; k < classes; k++) {
    const e = Math.exp(((z[k] as number) - max) / temperature);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < classes; k++) z[k] = (z[k] as number) / sum;
  return best;
}

export interface SoftmaxTraining {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights an example touches when it is seen ("lazy" L2). */
  l2: number;
  /** Seeds the example order; the same seed gives the same order, hence the same weights. */
  seed: number;
}

/** mulberry32: a tiny seeded generator, so the example order is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEGLIGIBLE_GRADIENT = 1e-3;

/** Starting AdaGrad accumulator: keeps the first steps of rare features from being huge. */
const INITIAL_ACCUMULATOR = 0.1;

/**
 * n / (classes × count) per class: every class weighs the same in the loss, so small classes (small
 * talk, status checks) are not swamped by the large ones (feedback). Cross-validation on the corpus
 * gained on both heads.
 */
function balancedClassWeights(labels: Int32Array, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const label of labels) counts[label] = (counts[label] as number) + 1;
  return counts.map((count) => (count === 0 ? 0 : labels.length / (classes * count)));
}

/**
 * Fits one head by AdaGrad on the cross-entropy with L2. Step sizes are per feature (one accumulator
 * per weight row), which suits sparse features: rare ones keep learning. A few passes in a seeded
 * order give the same weights every time.
 */
export function trainSoftmax(
  rows: SparseRows,
  labels: Int32Array,
  classes: number,
  features: number,
  options: SoftmaxTraining,
): SoftmaxHead {
  const n = rowCount(rows);
  const { indices, values, rowStart } = rows;
  const { learningRate, l2 } = options;
  // Float32: half the memory traffic on the hot loop; the model is stored in float32 anyway.
  const weights = new Float32Array(features * classes);
  const squares = new Float64Array(features).fill(INITIAL_ACCUMULATOR);
  const bias = new Float64Array(classes);
  const biasSquares = new Float64Array(classes).fill(INITIAL_ACCUMULATOR);
  const z = new Float64Array(classes);
  const active = new Int32Array(classes);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(options.seed);
  const classWeights = balancedClassWeights(labels, classes);

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (let o = 0; o < n; o++) {
      const row = order[o] as number;
      const start = rowStart[row] as number;
      const end = rowStart[row + 1] as number;
      for (let k = 0; k < classes; k++) z[k] = bias[k] as number;
      for (let j = start; j < end; j++) {
        const base = (indices[j] as number) * classes;
        const value = values[j] as number;
        for (let k = 0; k < classes; k++) z[k] = (z[k] as number) + value * (weights[base + k] as number);
      }
      softmaxInPlace(z, classes, 1);
      const label = labels[row] as number;
      z[label] = (z[label] as number) - 1;
      const weight = classWeights[label] as number;
      for (let k = 0; k < classes; k++) z[k] = (z[k] as number) * weight; // z is now the loss gradient wrt the logits
      // Classes the example already rules out (tiny gradient) are left alone: after the first pass
      // that is most of them, which makes a pass several times cheaper.
      let activeCount = 0;
      for (let k = 0; k < classes; k++) if (Math.abs(z[k] as number) > NEGLIGIBLE_GRADIENT) active[activeCount++] = k;
      if (activeCount === 0) continue;
      for (let j = start; j < end; j++) {
        const feature = indices[j] as number;
        const base = feature * classes;
        const value = values[j] as number;
        let sum = 0;
        for (let a = 0; a < activeCount; a++) {
          const k = active[a] as number;
          const g = value * (z[k] as number) + l2 * (weights[base + k] as number);
          sum += g * g;
        }
        const sq = (squares[feature] as number) + sum / classes;
        squares[feature] = sq;
        const step = learningRate / Math.sqrt(sq);
        for (let a = 0; a < activeCount; a++) {
          const k = active[a] as number;
          const w = weights[base + k] as number;
          weights[base + k] = w - step * (value * (z[k] as number) + l2 * w);
        }
      }
      for (let k = 0; k < classes; k++) {
        const g = z[k] as number;
        const sq = (biasSquares[k] as number) + g * g;
        biasSquares[k] = sq;
        bias[k] = (bias[k] as number) - (learningRate * g) / Math.sqrt(sq);
      }
    }
  }
  return { classes, weights, bias: Float32Array.from(bias), temperature: 1 };
}

/** Mean negative log-likelihood of the labels under logits / temperature. */
function heldOutLoss(logits: Float64Array, labels: Int32Array, classes: number, temperature: number): number {
  const z = new Float64Array(classes);
  let loss = 0;
  for (let i = 0; i < labels.length; i++) {
    z.set(logits.subarray(i * classes, (i + 1) * classes));
    softmaxInPlace(z, classes, temperature);
    loss -= Math.log(Math.max(z[labels[i] as number] as number, 1e-300));
  }
  return loss / Math.max(labels.length, 1);
}

/** Temperature scaling: the T in [0.05, 20] minimising held-out NLL, by golden-section search on ln T. */
export function fitTemperature(logits: Float64Array, labels: Int32Array, classes: number): number {
  if (labels.length === 0) return 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  for (let i = 0; i < 60; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (heldOutLoss(logits, labels, classes, Math.exp(a)) < heldOutLoss(logits, labels, classes, Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
