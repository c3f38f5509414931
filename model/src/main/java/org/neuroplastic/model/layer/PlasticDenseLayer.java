package org.neuroplastic.model.layer;

import static org.neuroplastic.model.layer.PlasticDenseParameters.ACTIVITY;
import static org.neuroplastic.model.layer.PlasticDenseParameters.ALPHA;
import static org.neuroplastic.model.layer.PlasticDenseParameters.BIAS;
import static org.neuroplastic.model.layer.PlasticDenseParameters.GAIN;
import static org.neuroplastic.model.layer.PlasticDenseParameters.MASK;
import static org.neuroplastic.model.layer.PlasticDenseParameters.SCALING;
import static org.neuroplastic.model.layer.PlasticDenseParameters.THRESHOLD;
import static org.neuroplastic.model.layer.PlasticDenseParameters.TRACE;
import static org.neuroplastic.model.layer.PlasticDenseParameters.WEIGHT;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.neuroplastic.model.plasticity.ActivityAverage;
import org.neuroplastic.model.plasticity.AdaptiveThreshold;
import org.neuroplastic.model.plasticity.Elements;
import org.neuroplastic.model.plasticity.HebbianTrace;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.StructuralPlasticity;
import org.neuroplastic.model.plasticity.SynapticScaling;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link PlasticDense} layer at work: {@code y = phi(g * (x . W_eff + b - theta))} with
 * {@code W_eff = M (.) s_col (.) (W + alpha (.) H)}.
 *
 * <p>A training forward pass first computes its output from the state as it is, then updates the state
 * from that batch (Hebbian trace, activity average, scaling, threshold, and every {@code rewire_every}
 * steps the mask). Backprop differentiates the forward pass that was computed, so it reads the effective
 * weight, synapse gain and trace as they were before the update: those are kept in buffers allocated once,
 * outside DL4J's workspaces, and reused every step. Inference passes never touch state or buffers.
 */
public class PlasticDenseLayer extends BaseLayer<PlasticDense> {

    private static final long serialVersionUID = 1L;

    /** Off while a gradient checker perturbs parameters: its forward passes must not move the state. */
    private boolean stateUpdates = true;
    private long prunedSinceReading;
    private long regrownSinceReading;
    /** Connections regrown since {@link #takeRegrownConnections}, column-major indices into W. */
    private int[] regrownPending = new int[0];
    /** The gradient view whose state entries were last cleared (see {@link #zeroStateGradients}). */
    private transient INDArray stateGradientsCleared;
    private int lastRewiredIteration = -1;

    // Buffers of the last training forward pass, read by backprop (nIn x nOut unless stated).
    private transient INDArray effectiveWeight;
    /** M (.) s_col: how much of dL/dW_eff reaches W; null when neither mask nor scaling is on. */
    private transient INDArray synapseGain;
    private transient INDArray traceBeforeUpdate;
    private transient INDArray correlation;
    /** The pre-activation before the gain, batch x nOut. */
    private transient INDArray preGain;

    public PlasticDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Switches state updates in training passes on or off (off for gradient checks, never in normal use). */
    public void setStateUpdates(boolean enabled) {
        this.stateUpdates = enabled;
    }

    public PlasticitySettings plasticity() {
        return layerConf().plasticity();
    }

    /** Connections pruned and regrown since the previous call; resets both counts. */
    public StructuralPlasticity.Rewiring takeRewiringCounts() {
        StructuralPlasticity.Rewiring counts = new StructuralPlasticity.Rewiring(
                Math.toIntExact(prunedSinceReading), Math.toIntExact(regrownSinceReading));
        prunedSinceReading = 0;
        regrownSinceReading = 0;
        return counts;
    }

    /**
     * Rewires the mask from the current parameters, as the {@code rewireIndex}-th rewiring of this layer.
     * The decision depends only on the parameters, the layer's structural seed and the index.
     */
    public StructuralPlasticity.Rewiring rewire(long rewireIndex) {
        PlasticitySettings p = plasticity();
        if (!p.structural().enabled()) {
            return new StructuralPlasticity.Rewiring(0, 0);
        }
        INDArray current;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            current = Nd4j.createUninitialized(dataType, new long[] {layerConf().getNIn(), layerConf().getNOut()}, 'f');
            effectiveWeightInto(current);
        }
        long seed = mix(layerConf().getStructuralSeed(), rewireIndex);
        StructuralPlasticity.Decision decision = StructuralPlasticity.decide(getParam(MASK), current,
                params.get(TRACE), p.structural().zeta(), p.structural().regrowth(), seed);
        StructuralPlasticity.apply(decision, getParam(MASK), getParam(WEIGHT));
        prunedSinceReading += decision.pruned().length;
        regrownSinceReading += decision.regrown().length;
        int[] pending = java.util.Arrays.copyOf(regrownPending, regrownPending.length + decision.regrown().length);
        System.arraycopy(decision.regrown(), 0, pending, regrownPending.length, decision.regrown().length);
        regrownPending = pending;
        return new StructuralPlasticity.Rewiring(decision.pruned().length, decision.regrown().length);
    }

    /**
     * The connections regrown since the previous call (column-major indices into W), for the network to
     * start them afresh in its updater too: see {@link org.neuroplastic.model.network.PlasticNetwork#restartRegrownConnections}.
     */
    public int[] takeRegrownConnections() {
        int[] taken = regrownPending;
        regrownPending = new int[0];
        return taken;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = input.castTo(dataType);
        checkInput(x);
        PlasticitySettings p = plasticity();
        long batch = x.size(0);
        long nOut = layerConf().getNOut();
        boolean plasticPass = training && stateUpdates;

        INDArray weff;
        INDArray z;
        if (training) {
            ensureBuffers(batch);
            if (reshapedWeightFor(p)) {
                fuseSynapses(effectiveWeight, synapseGain, traceBeforeUpdate);
                weff = effectiveWeight;
            } else {
                weff = getParam(WEIGHT);
            }
            z = preGain;
        } else {
            weff = reshapedWeightFor(p)
                    ? effectiveWeightInto(workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType,
                            new long[] {layerConf().getNIn(), nOut}, 'f'))
                    : getParam(WEIGHT);
            z = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {batch, nOut}, 'c');
        }
        Nd4j.gemm(x, weff, z, false, false, 1.0, 0.0);
        z.addiRowVector(getParam(BIAS));
        if (p.adaptation().enabled()) {
            z.subiRowVector(getParam(THRESHOLD));
        }

        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {batch, nOut}, 'c');
        out.assign(z);
        if (p.adaptation().enabled()) {
            out.muliRowVector(getParam(GAIN));
        }
        out = layerConf().getActivationFn().getActivation(out, training);
        if (maskArray != null) {
            applyMask(out);
        }

        if (plasticPass) {
            updateState(p, x, out);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (preGain == null || preGain.size(0) != epsilon.size(0)) {
            throw new IllegalStateException("PlasticDense layer " + layerId()
                    + ": backprop needs the training forward pass of the same batch first");
        }
        PlasticitySettings p = plasticity();
        INDArray x = input.castTo(dataType);
        long batch = x.size(0);
        long nOut = layerConf().getNOut();

        INDArray u = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {batch, nOut}, 'c');
        u.assign(preGain);
        if (p.adaptation().enabled()) {
            u.muliRowVector(getParam(GAIN));
        }
        // dL/du; the activation's backprop may overwrite its input, hence the copy above.
        INDArray delta = layerConf().getActivationFn().backprop(u, epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }

        Gradient gradient = new DefaultGradient();
        if (p.adaptation().enabled()) {
            INDArray gainGrad = gradientViews.get(GAIN);
            INDArray deltaZ = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {batch, nOut}, 'c');
            deltaZ.assign(delta).muli(preGain).sum(gainGrad, 0);
            gradient.gradientForVariable().put(GAIN, gainGrad);
            delta.muliRowVector(getParam(GAIN));
        }
        INDArray biasGrad = gradientViews.get(BIAS);
        delta.sum(biasGrad, 0);
        gradient.gradientForVariable().put(BIAS, biasGrad);

        // dL/dW_eff = x^T delta; W and alpha receive it through W_eff = G (.) (W + alpha (.) H), G = M (.) s_col.
        INDArray weightGrad = gradientViews.get(WEIGHT);
        Nd4j.gemm(x, delta, weightGrad, true, false, 1.0, 0.0);
        INDArray alphaGrad = gradientViews.get(ALPHA);
        if (synapseGain != null || alphaGrad != null) {
            weightAndAlphaGradients(weightGrad, alphaGrad, p.hebbian().coefficient() == PlasticityCoefficient.SHARED);
        }
        if (alphaGrad != null) {
            gradient.gradientForVariable().put(ALPHA, alphaGrad);
        }
        gradient.gradientForVariable().put(WEIGHT, weightGrad);
        zeroStateGradients();

        INDArray weff = reshapedWeightFor(p) ? effectiveWeight : getParam(WEIGHT);
        INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {weff.size(0), batch}, 'f');
        epsilonNext = weff.mmuli(delta.transpose(), epsilonNext).transpose();
        epsilonNext = backpropDropOutIfPresent(epsilonNext);
        return new Pair<>(gradient, epsilonNext);
    }

    /** W_eff differs from W only when some mechanism reshapes it; otherwise W is used as it is. */
    private static boolean reshapedWeightFor(PlasticitySettings p) {
        return p.hebbian().enabled() || p.scaling().enabled() || p.structural().enabled();
    }

    /** Writes {@code M (.) s_col (.) (W + alpha (.) H)} from the current parameters into {@code target}. */
    private INDArray effectiveWeightInto(INDArray target) {
        fuseSynapses(target, null, null);
        return target;
    }

    /**
     * One pass over the connections computing {@code W_eff = G (.) (W + alpha (.) H)} with the synapse gain
     * {@code G = M (.) s_col}, and keeping G and H for backprop when {@code gain} and {@code traceCopy} are given.
     */
    private void fuseSynapses(INDArray target, INDArray gain, INDArray traceCopy) {
        PlasticitySettings p = plasticity();
        int rows = (int) layerConf().getNIn();
        int columns = (int) layerConf().getNOut();
        Elements w = Elements.of(getParam(WEIGHT));
        Elements out = Elements.of(target);
        Elements h = p.hebbian().enabled() ? Elements.of(getParam(TRACE)) : null;
        PlasticityCoefficient coefficient = p.hebbian().coefficient();
        Elements alpha = h != null && coefficient == PlasticityCoefficient.FREE ? Elements.of(getParam(ALPHA)) : null;
        double alphaScalar = h == null ? 0
                : coefficient == PlasticityCoefficient.SHARED ? getParam(ALPHA).getDouble(0) : p.hebbian().alphaInit();
        Elements m = p.structural().enabled() ? Elements.of(getParam(MASK)) : null;
        Elements s = p.scaling().enabled() ? Elements.of(getParam(SCALING)) : null;
        Elements g = gain == null ? null : Elements.of(gain);
        Elements hc = traceCopy == null ? null : Elements.of(traceCopy);
        // Column by column through buffers that stay in cache: a bulk copy in, plain array loops, a bulk copy out.
        double[] weight = new double[rows];
        double[] trace = h == null ? null : new double[rows];
        double[] coefficients = alpha == null ? null : new double[rows];
        double[] mask = m == null ? null : new double[rows];
        double[] synapseGain = new double[rows];
        for (int j = 0; j < columns; j++) {
            int from = j * rows;
            double scale = s == null ? 1 : s.get(j);
            w.read(from, weight, rows);
            if (h != null) {
                h.read(from, trace, rows);
                if (alpha != null) {
                    alpha.read(from, coefficients, rows);
                    for (int i = 0; i < rows; i++) {
                        weight[i] += coefficients[i] * trace[i];
                    }
                } else {
                    for (int i = 0; i < rows; i++) {
                        weight[i] += alphaScalar * trace[i];
                    }
                }
                if (hc != null) {
                    hc.write(from, trace, rows);
                }
            }
            if (m != null) {
                m.read(from, mask, rows);
                for (int i = 0; i < rows; i++) {
                    synapseGain[i] = scale * mask[i];
                }
            } else {
                java.util.Arrays.fill(synapseGain, 0, rows, scale);
            }
            if (g != null) {
                g.write(from, synapseGain, rows);
            }
            for (int i = 0; i < rows; i++) {
                weight[i] *= synapseGain[i];
            }
            out.write(from, weight, rows);
        }
    }

    /**
     * Turns {@code dL/dW_eff}, held in {@code weightGrad}, into {@code dL/dW = G (.) dL/dW_eff} in place and,
     * when alpha is learned, {@code dL/dalpha = G (.) H (.) dL/dW_eff} (summed when alpha is shared).
     */
    private void weightAndAlphaGradients(INDArray weightGrad, INDArray alphaGrad, boolean sharedAlpha) {
        int rows = (int) weightGrad.size(0);
        int columns = (int) weightGrad.size(1);
        Elements grad = Elements.of(weightGrad);
        Elements g = synapseGain == null ? null : Elements.of(synapseGain);
        Elements h = alphaGrad == null ? null : Elements.of(traceBeforeUpdate);
        Elements a = alphaGrad == null || sharedAlpha ? null : Elements.of(alphaGrad);
        double[] gradient = new double[rows];
        double[] gain = g == null ? null : new double[rows];
        double[] trace = h == null ? null : new double[rows];
        double alphaSum = 0;
        for (int j = 0; j < columns; j++) {
            int from = j * rows;
            grad.read(from, gradient, rows);
            if (g != null) {
                g.read(from, gain, rows);
                for (int i = 0; i < rows; i++) {
                    gradient[i] *= gain[i];
                }
                grad.write(from, gradient, rows);
            }
            if (h != null) {
                h.read(from, trace, rows);
                for (int i = 0; i < rows; i++) {
                    trace[i] *= gradient[i];
                }
                if (a != null) {
                    a.write(from, trace, rows);
                } else {
                    for (int i = 0; i < rows; i++) {
                        alphaSum += trace[i];
                    }
                }
            }
        }
        if (alphaGrad != null && sharedAlpha) {
            alphaGrad.assign(alphaSum);
        }
    }

    private void updateState(PlasticitySettings p, INDArray x, INDArray out) {
        if (p.hebbian().enabled()) {
            HebbianTrace.update(p.hebbian().rule(), p.hebbian().eta(), getParam(TRACE), x, out, correlation);
        }
        if (p.tracksActivity()) {
            ActivityAverage.update(getParam(ACTIVITY), out, p.activityRate());
        }
        if (p.scaling().enabled()) {
            SynapticScaling.update(getParam(SCALING), getParam(ACTIVITY), p.scaling());
        }
        if (p.adaptation().enabled()) {
            AdaptiveThreshold.update(getParam(THRESHOLD), getParam(ACTIVITY), p.adaptation());
        }
        if (p.structural().enabled() && !layerConf().isRewiredByTrainer()) {
            int step = getIterationCount() + 1;
            if (step % p.structural().rewireEvery() == 0 && getIterationCount() != lastRewiredIteration) {
                lastRewiredIteration = getIterationCount();
                rewire(step / p.structural().rewireEvery());
            }
        }
    }

    /**
     * The updater subtracts the whole gradient vector from the whole parameter vector, so the state's
     * gradients must be exact zeros. Nothing but this layer writes them (NoOp updater, no regularization;
     * normalisation scales zeros to zeros), so clearing each gradient view once is enough.
     */
    private void zeroStateGradients() {
        if (stateGradientsCleared == gradientsFlattened) {
            return;
        }
        for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
            if (PlasticDenseParameters.isState(e.getKey())) {
                e.getValue().assign(0);
            }
        }
        stateGradientsCleared = gradientsFlattened;
    }

    private void ensureBuffers(long batch) {
        PlasticitySettings p = plasticity();
        long nIn = layerConf().getNIn();
        long nOut = layerConf().getNOut();
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (effectiveWeight == null || effectiveWeight.dataType() != dataType) {
                boolean reshaped = reshapedWeightFor(p);
                effectiveWeight = reshaped ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                synapseGain = p.structural().enabled() || p.scaling().enabled()
                        ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                boolean learnedAlpha = p.hebbian().enabled() && p.hebbian().coefficient() != PlasticityCoefficient.FIXED;
                traceBeforeUpdate = learnedAlpha ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                correlation = p.hebbian().enabled() ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
            }
            if (preGain == null || preGain.size(0) != batch || preGain.dataType() != dataType) {
                preGain = Nd4j.createUninitialized(dataType, new long[] {batch, nOut}, 'c');
            }
        }
    }

    private void checkInput(INDArray x) {
        if (x.rank() != 2 || x.size(1) != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("PlasticDense layer " + layerId() + " expects input of shape [batch, "
                    + layerConf().getNIn() + "], got " + Arrays.toString(x.shape()));
        }
    }

    /** SplitMix64 finaliser: decorrelates the seeds of successive rewirings of one layer. */
    private static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
