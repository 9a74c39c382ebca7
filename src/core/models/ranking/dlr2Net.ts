/**
 * DLR²'s networks in tfjs layers, as the authors' code builds them (codes/DLR2/model.py, the default ResNet branch):
 *
 *   feature  the (1 + state) × dims "image" (user embedding stacked over the last `state` item embeddings, one
 *            channel) → 1×1 conv to 64 channels, ReLU → residual block (3×3 conv 64, ReLU, 3×3 conv 64, + input,
 *            ReLU) → residual block with stride 2 (3×3 conv 128 stride 2 with padding 1 on every side as torch pads,
 *            ReLU, 3×3 conv 128; shortcut 1×1 conv 128 stride 2 + batch norm; sum, ReLU) → flatten → linear dims.
 *            No biases in the convolutions, no batch norm on the main path (the code comments those out).
 *   S        the discriminative net ("critic"): [feature; item] 2·dims → 256 → 256 → 128 → 1, ReLU.
 *   G        the generative net ("actor"): feature dims → 256 → 256 → 128 → dims, ReLU, tanh out.
 *
 * Initialisation as torch's defaults: convolutions Kaiming-normal (fan-out, ReLU gain; tfjs draws it truncated),
 * linear weights and biases U(±1/√fan_in). Batch norm: ε = 1e-5, and a moving-average momentum of 0.81 per
 * step — torch runs the feature net twice per step on the same (user, state) rows (once for the positives, once
 * for the negatives), two updates at 0.9 retention; here it runs once (same activations, same gradient).
 *
 * Training runs the feature net through featureTrain (below): on the cpu backend with BLAS one fused op
 * (../../linalg/residualFeature.ts) computes it and its gradient; the layers remain the model (weights, inference,
 * every other backend).
 *
 * Losses (interaction.py): S with the square-square loss mean(S(s, p)² + max(0, m − S(s, n))²) — positives pushed
 * to 0, negatives above the margin, so S ranks ascending; G with the hinge loss
 * mean(max(0, ‖G(s) − p‖²/d − ‖G(s) − n‖²/d + m)). Margin m = 0.5 in the code (0 in the paper).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Prng } from '../../data/prng';
import { residualFeatureInfer, residualFeatureTrain, type ResidualFeatureTensors } from '../../linalg/ops';

type Tf = typeof tfNs;
type T2 = tfNs.Tensor2D;

export interface Dlr2Nets {
  feature: tfNs.LayersModel;
  critic: tfNs.Sequential;
  actor: tfNs.Sequential;
  /** The feature net's layers by role (the fused training op reads their weights): convolutions 0–5 in the order
   * 1×1, block 1 (two), block 2 (stride 2, second), shortcut; its batch norm; its linear layer. */
  parts: { convs: tfNs.layers.Layer[]; bn: tfNs.layers.Layer; fc: tfNs.layers.Layer; momentum: number; epsilon: number };
}

export function buildDlr2(tf: Tf, dims: number, state: number, rng: Prng): Dlr2Nets {
  const L = tf.layers;
  const seed = () => rng.int(2 ** 31);
  const kaiming = () => tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: seed() });
  const uniformFanIn = (fanIn: number) => tf.initializers.randomUniform({ minval: -1 / Math.sqrt(fanIn), maxval: 1 / Math.sqrt(fanIn), seed: seed() });
  const conv = (filters: number, kernelSize: number, strides = 1, padding: 'same' | 'valid' = 'same', activation?: 'relu') =>
    L.conv2d({ filters, kernelSize, strides, padding, useBias: false, activation, kernelInitializer: kaiming() });
  const dense = (units: number, fanIn: number, activation?: 'relu' | 'tanh', inputShape?: number[]) =>
    L.dense({ units, activation, kernelInitializer: uniformFanIn(fanIn), biasInitializer: uniformFanIn(fanIn), ...(inputShape ? { inputShape } : {}) });

  const input = tf.input({ shape: [state + 1, dims, 1] });
  const convs = [conv(64, 1, 1, 'valid', 'relu'), conv(64, 3, 1, 'same', 'relu'), conv(64, 3), conv(128, 3, 2, 'valid', 'relu'), conv(128, 3), conv(128, 1, 2, 'valid')];
  const momentum = 0.81;
  const epsilon = 1e-5;
  const bn = L.batchNormalization({ momentum, epsilon });
  let x = convs[0].apply(input) as tfNs.SymbolicTensor;
  // block 1: identity shortcut
  let y = convs[1].apply(x) as tfNs.SymbolicTensor;
  y = convs[2].apply(y) as tfNs.SymbolicTensor;
  x = L.reLU().apply(L.add().apply([y, x])) as tfNs.SymbolicTensor;
  // block 2: stride 2, torch's symmetric padding 1, 1×1 conv + batch-norm shortcut
  let z = L.zeroPadding2d({ padding: [[1, 1], [1, 1]] }).apply(x) as tfNs.SymbolicTensor;
  z = convs[3].apply(z) as tfNs.SymbolicTensor;
  z = convs[4].apply(z) as tfNs.SymbolicTensor;
  let sc = convs[5].apply(x) as tfNs.SymbolicTensor;
  sc = bn.apply(sc) as tfNs.SymbolicTensor;
  x = L.reLU().apply(L.add().apply([z, sc])) as tfNs.SymbolicTensor;
  const flat = L.flatten().apply(x) as tfNs.SymbolicTensor;
  const fanIn = flat.shape[1] as number;
  const fc = dense(dims, fanIn);
  const out = fc.apply(flat) as tfNs.SymbolicTensor;
  const feature = tf.model({ inputs: input, outputs: out });

  const critic = tf.sequential({ layers: [dense(256, 2 * dims, 'relu', [2 * dims]), dense(256, 256, 'relu'), dense(128, 256, 'relu'), dense(1, 128)] });
  const actor = tf.sequential({ layers: [dense(256, dims, 'relu', [dims]), dense(256, 256, 'relu'), dense(128, 256, 'relu'), dense(dims, 128, 'tanh')] });
  return { feature, critic, actor, parts: { convs, bn, fc, momentum, epsilon } };
}

/** S's square-square loss: mean over the batch of p² + max(0, m − n)² (p, n: S's outputs for positives, negatives). */
export function squareSquareLoss(tf: Tf, p: tfNs.Tensor, n: tfNs.Tensor, margin: number): tfNs.Scalar {
  return tf.mean(tf.add(tf.square(p), tf.square(tf.relu(tf.sub(margin, n))))) as tfNs.Scalar;
}

/** G's hinge loss: mean over the batch of max(0, mean_d (g − p)² − mean_d (g − n)² + m). */
export function hingeLoss(tf: Tf, g: T2, p: T2, n: T2, margin: number): tfNs.Scalar {
  const dp = tf.mean(tf.square(tf.sub(g, p)), 1);
  const dn = tf.mean(tf.square(tf.sub(g, n)), 1);
  return tf.mean(tf.relu(tf.add(tf.sub(dp, dn), margin))) as tfNs.Scalar;
}

/** The feature net's input: user embeddings (B × d) over the state items' embeddings (B·state × d) → B × (1+state) × d × 1. */
export function stateImage(tf: Tf, userEmb: T2, stateEmb: T2, state: number): tfNs.Tensor4D {
  const [b, d] = userEmb.shape;
  return tf.concat([tf.reshape(userEmb, [b, 1, d]), tf.reshape(stateEmb, [b, state, d])], 1).reshape([b, state + 1, d, 1]) as tfNs.Tensor4D;
}

/** The weights of a dense layer as tensors (kernel in × out, bias). */
export function denseWeights(layer: tfNs.layers.Layer): [T2, tfNs.Tensor1D] {
  const [k, b] = layer.getWeights();
  return [k as T2, b as tfNs.Tensor1D];
}

/** The feature net's weights (the layers' own variables) under the fused op's names. */
function fusedWeights(nets: Dlr2Nets): ResidualFeatureTensors {
  const { convs, bn, fc } = nets.parts;
  const read = (l: tfNs.layers.Layer, i: number) => l.trainableWeights[i].read();
  return {
    w0: read(convs[0], 0), w1: read(convs[1], 0), w2: read(convs[2], 0), w3: read(convs[3], 0), w4: read(convs[4], 0), w5: read(convs[5], 0),
    gamma: read(bn, 0), beta: read(bn, 1), fcK: read(fc, 0), fcB: read(fc, 1),
  };
}

/**
 * The feature net in training mode: on the cpu backend with BLAS the fused op residualFeatureTrain (same values and
 * gradients as the layers in fewer passes; BENCHMARKS.md "Top-N ranking" has the step time), which also moves the batch norm's moving mean and variance as the
 * layer does (m ← m − (m − batch)·(1 − momentum), biased batch variance); elsewhere the layers themselves.
 */
export function featureTrain(tf: Tf, nets: Dlr2Nets, img: tfNs.Tensor4D, opts: { fused?: boolean } = {}): T2 {
  const { bn, momentum, epsilon } = nets.parts;
  const r = opts.fused === false ? undefined : residualFeatureTrain(tf, img, fusedWeights(nets), epsilon);
  if (!r) return nets.feature.apply(img, { training: true }) as T2;
  const [movingMean, movingVariance] = bn.nonTrainableWeights;
  tf.tidy(() => {
    for (const [v, batch] of [[movingMean, r.mean], [movingVariance, r.variance]] as const) {
      const old = v.read();
      v.write(tf.sub(old, tf.mul(tf.sub(old, tf.tensor1d(batch)), 1 - momentum)));
    }
  });
  return r.out;
}

/** The feature net in inference mode (batch norm on its moving statistics): on the cpu backend with BLAS the fused
 * forward in slices of `batch` images (the training batch, whose arrays it reuses), elsewhere the layers. */
export function featureInfer(tf: Tf, nets: Dlr2Nets, img: tfNs.Tensor4D, batch: number): T2 {
  const { bn, epsilon } = nets.parts;
  const [movingMean, movingVariance] = bn.nonTrainableWeights;
  const r = residualFeatureInfer(tf, img, fusedWeights(nets), movingMean.read(), movingVariance.read(), epsilon, batch);
  return r ?? (nets.feature.apply(img, { training: false }) as T2);
}
