package org.neuroplastic.model.layer;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.plasticity.ActivityAverage;
import org.neuroplastic.model.plasticity.AdaptiveThreshold;
import org.neuroplastic.model.plasticity.HebbianTrace;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.StructuralPlasticity;
import org.neuroplastic.model.plasticity.SynapticScaling;
import org.neuroplastic.model.plasticity.UnitUtility;

import java.util.Arrays;
import java.util.Map;

import static org.neuroplastic.model.layer.PlasticDenseParameters.ACTIVITY;
import static org.neuroplastic.model.layer.PlasticDenseParameters.ALPHA;
import static org.neuroplastic.model.layer.PlasticDenseParameters.BIAS;
import static org.neuroplastic.model.layer.PlasticDenseParameters.GAIN;
import static org.neuroplastic.model.layer.PlasticDenseParameters.MASK;
import static org.neuroplastic.model.layer.PlasticDenseParameters.SCALING;
import static org.neuroplastic.model.layer.PlasticDenseParameters.THRESHOLD;
import static org.neuroplastic.model.layer.PlasticDenseParameters.TRACE;
import static org.neuroplastic.model.layer.PlasticDenseParameters.WEIGHT;

/**
 * The {@link PlasticDense} layer at work: {@code y = phi(g * (x . W_eff + b - theta))} with
 * {@code W_eff = M (.) s_col (.) (W + alpha (.) H)}.
 *
 * <p>A training forward pass first computes its output from the state as it is, then updates the state
 * from that batch (Hebbian trace, activity average, scaling, threshold, and every {@code rewire_every}
 * steps the mask). Backprop differentiates the forward pass that was computed, so it reads the effective
 * weight, synapse gain and trace as they were before the update, from the {@link ForwardPassBuffers}. Inference passes leave the state alone unless the
 * layer's {@code at_inference} setting is on: then they update it after computing their output, by the same
 * {@link #updateState} as a training pass, except the rewiring, which counts training steps.
 *
 * <p>Longer than most classes here on purpose: DL4J calls the forward pass, backprop and the state's update
 * on this one object, and all three work on its parameter and gradient views, so they stay together. What
 * each plasticity rule computes lives in {@code model.plasticity}, the pass's buffers and the fusing of the
 * effective weight in {@link ForwardPassBuffers}; besides DL4J's layer methods what remains is rewiring the
 * mask and the counts of what it changed, which the trainer and the metrics take.
 */
public class PlasticDenseLayer extends BaseLayer<PlasticDense> {

    private static final long serialVersionUID = 1L;

    /** Off while a gradient checker perturbs parameters: its forward passes must not move the state. */
    private boolean stateUpdates = true;
    private long prunedSinceReading;
    private long regrownSinceReading;
    private long unitsReplacedSinceReading;
    /** Connections regrown since {@link #takeRegrownConnections}, column-major indices into W. */
    private int[] regrownPending = new int[0];
    /** The gradient view whose state entries were last cleared (see {@link #zeroStateGradients}). */
    private transient INDArray stateGradientsCleared;
    private int lastRewiredIteration = -1;
    private final ForwardPassBuffers buffers = new ForwardPassBuffers();

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

    /** Counts units continual backprop replaced in this layer, for the next reading. */
    public void countUnitsReplaced(int units) {
        unitsReplacedSinceReading += units;
    }

    /** Units continual backprop replaced since the previous call; resets the count. */
    public long takeUnitsReplaced() {
        long taken = unitsReplacedSinceReading;
        unitsReplacedSinceReading = 0;
        return taken;
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
        boolean plasticPass = stateUpdates && (training || p.atInference().enabled());

        INDArray weff;
        INDArray z;
        if (training) {
            buffers.ensure(p, dataType, layerConf().getNIn(), nOut, batch);
            if (ForwardPassBuffers.reshapedWeightFor(p)) {
                buffers.fuseSynapses(p, this::getParam, buffers.effectiveWeight, true);
                weff = buffers.effectiveWeight;
            } else {
                weff = getParam(WEIGHT);
            }
            z = buffers.preGain;
        } else {
            weff = ForwardPassBuffers.reshapedWeightFor(p)
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
            if (!training) {
                buffers.ensureState(p, dataType, layerConf().getNIn(), nOut);
            }
            updateState(p, x, out, training);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray preGain = buffers.preGain;
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
        if (buffers.gainsOrAlpha(alphaGrad)) {
            buffers.weightAndAlphaGradients(weightGrad, alphaGrad, p.hebbian().coefficient() == PlasticityCoefficient.SHARED);
        }
        if (alphaGrad != null) {
            gradient.gradientForVariable().put(ALPHA, alphaGrad);
        }
        gradient.gradientForVariable().put(WEIGHT, weightGrad);
        zeroStateGradients();

        if (!layerConf().isInputGradient()) {
            return new Pair<>(gradient, null);
        }
        INDArray weff = ForwardPassBuffers.reshapedWeightFor(p) ? buffers.effectiveWeight : getParam(WEIGHT);
        INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {weff.size(0), batch}, 'f');
        epsilonNext = weff.mmuli(delta.transpose(), epsilonNext).transpose();
        epsilonNext = backpropDropOutIfPresent(epsilonNext);
        return new Pair<>(gradient, epsilonNext);
    }

    /** Writes {@code M (.) s_col (.) (W + alpha (.) H)} from the current parameters into {@code target}. */
    private INDArray effectiveWeightInto(INDArray target) {
        buffers.fuseSynapses(plasticity(), this::getParam, target, false);
        return target;
    }

    private void updateState(PlasticitySettings p, INDArray x, INDArray out, boolean training) {
        if (p.hebbian().enabled()) {
            HebbianTrace.update(p.hebbian().rule(), p.hebbian().eta(), getParam(TRACE), x, out, buffers.ojaKeep,
                    buffers.ojaStep);
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
        if (training && layerConf().continualBackprop().enabled()) {
            UnitUtility.observe(getParam(PlasticDenseParameters.AGE), getParam(PlasticDenseParameters.FEATURE_MEAN),
                    getParam(PlasticDenseParameters.DEVIATION), out, layerConf().continualBackprop().utilityDecay());
        }
        if (training && p.structural().enabled() && !layerConf().isRewiredByTrainer()) {
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
