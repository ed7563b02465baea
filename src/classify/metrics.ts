// How well predicted labels match gold labels: accuracy, macro-F1, confusions and calibration.

export interface LabelScores {
  count: number;
  accuracy: number;
  /** Mean F1 over the labels that occur in gold or predictions, so rare classes weigh as much as common ones. */
  macroF1: number;
}

export function scoreLabels(gold: readonly string[], predicted: readonly string[]): LabelScores {
  const labels = new Set([...gold, ...predicted]);
  let correct = 0;
  let f1Sum = 0;
  gold.forEach((g, i) => {
    if (g === predicted[i]) correct++;
  });
  for (const label of labels) {
    let truePositive = 0;
    let goldCount = 0;
    let predictedCount = 0;
    gold.forEach((g, i) => {
      if (g === label) goldCount++;
      if (predicted[i] === label) predictedCount++;
      if (g === label && predicted[i] === label) truePositive++;
    });
    f1Sum += goldCount + predictedCount === 0 ? 0 : (2 * truePositive) / (goldCount + predictedCount);
  }
  return {
    count: gold.length,
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1: labels.size === 0 ? 0 : f1Sum / labels.size,
  };
}

export interface Confusion {
  gold: string;
  predicted: string;
  count: number;
}

/** Wrong (gold → predicted) pairs, most frequent first. */
export function confusions(gold: readonly string[], predicted: readonly string[]): Confusion[] {
  const counts = new Map<string, Confusion>();
  gold.forEach((g, i) => {
    const p = predicted[i] as string;
    if (g === p) return;
    const key = `${g}\0${p}`;
    const entry = counts.get(key) ?? { gold: g, predicted: p, count: 0 };
    entry.count++;
    counts.set(key, entry);
  });
  return [...counts.values()].sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold) || a.predicted.localeCompare(b.predicted));
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Calibration {
  meanConfidence: number;
  accuracy: number;
  /** Expected calibration error: the count-weighted mean |confidence − accuracy| over the bins. */
  ece: number;
  bins: CalibrationBin[];
}

/** Confidence against correctness in equal-width bins of confidence. */
export function calibration(confidences: readonly number[], correct: readonly boolean[], binCount = 5): Calibration {
  const bins: CalibrationBin[] = Array.from({ length: binCount }, (_, b) => ({
    from: b / binCount,
    to: (b + 1) / binCount,
    count: 0,
    meanConfidence: 0,
    accuracy: 0,
  }));
  confidences.forEach((c, i) => {
    const bin = bins[Math.min(binCount - 1, Math.floor(c * binCount))] as CalibrationBin;
    bin.count++;
    bin.meanConfidence += c;
    bin.accuracy += correct[i] ? 1 : 0;
  });
  const n = confidences.length;
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    ece += Math.abs(bin.meanConfidence - bin.accuracy) / Math.max(n, 1);
    bin.meanConfidence /= bin.count;
    bin.accuracy /= bin.count;
  }
  const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  return { meanConfidence: mean(confidences), accuracy: mean(correct.map((c) => (c ? 1 : 0))), ece, bins };
}
