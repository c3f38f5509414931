package org.neuroplastic.model.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.io.Serializable;
import java.util.function.Function;

import static org.neuroplastic.model.layer.PlasticDenseParameters.ALPHA;
import static org.neuroplastic.model.layer.PlasticDenseParameters.MASK;
import static org.neuroplastic.model.layer.PlasticDenseParameters.SCALING;
import static org.neuroplastic.model.layer.PlasticDenseParameters.TRACE;
import static org.neuroplastic.model.layer.PlasticDenseParameters.WEIGHT;

/**
 * What a training forward pass of {@link PlasticDenseLayer} keeps for its backprop: the forward pass updates
 * the plastic state after computing its output, but backprop differentiates the output that was computed, so
 * it needs the effective weight, synapse gain and trace as they were before the update. The buffers are
 * allocated once, outside DL4J's workspaces, and reused every step (nIn x nOut unless stated).
 */
final class ForwardPassBuffers implements Serializable {

    private static final long serialVersionUID = 1L;

    transient INDArray effectiveWeight;
    /** M (.) s_col: how much of dL/dW_eff reaches W; null without a mask. */
    transient INDArray synapseGain;
    /** s (1 x nOut): how much of dL/dW_eff reaches W when scaling is on without a mask; null otherwise. */
    transient INDArray scaleBeforeUpdate;
    transient INDArray traceBeforeUpdate;
    /** Scratch for the product of a shared alpha's gradient; null unless alpha is shared. */
    transient INDArray alphaProduct;
    /** Oja's per-column decay and step (1 x nOut), the Hebbian update's scratch; null unless the rule is Oja. */
    transient INDArray ojaKeep;
    transient INDArray ojaStep;
    /** The pre-activation before the gain, batch x nOut. */
    transient INDArray preGain;

    /** W_eff differs from W only when some mechanism reshapes it; otherwise W is used as it is. */
    static boolean reshapedWeightFor(PlasticitySettings p) {
        return p.hebbian().enabled() || p.scaling().enabled() || p.structural().enabled();
    }

    void ensure(PlasticitySettings p, DataType dataType, long nIn, long nOut, long batch) {
        ensureState(p, dataType, nIn, nOut);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (preGain == null || preGain.size(0) != batch || preGain.dataType() != dataType) {
                preGain = Nd4j.createUninitialized(dataType, new long[] {batch, nOut}, 'c');
            }
        }
    }

    /** The buffers of a training pass that do not depend on the batch size (an inference update needs Oja's). */
    void ensureState(PlasticitySettings p, DataType dataType, long nIn, long nOut) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (effectiveWeight == null || effectiveWeight.dataType() != dataType) {
                boolean reshaped = reshapedWeightFor(p);
                effectiveWeight = reshaped ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                synapseGain = p.structural().enabled()
                        ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                scaleBeforeUpdate = p.scaling().enabled() && !p.structural().enabled()
                        ? Nd4j.createUninitialized(dataType, new long[] {1, nOut}, 'c') : null;
                boolean learnedAlpha = p.hebbian().enabled() && p.hebbian().coefficient() != PlasticityCoefficient.FIXED;
                traceBeforeUpdate = learnedAlpha ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                alphaProduct = p.hebbian().enabled() && p.hebbian().coefficient() == PlasticityCoefficient.SHARED
                        ? Nd4j.createUninitialized(dataType, new long[] {nIn, nOut}, 'f') : null;
                boolean oja = p.hebbian().enabled() && p.hebbian().rule() == HebbianRule.OJA;
                ojaKeep = oja ? Nd4j.createUninitialized(dataType, new long[] {1, nOut}, 'c') : null;
                ojaStep = oja ? Nd4j.createUninitialized(dataType, new long[] {1, nOut}, 'c') : null;
            }
        }
    }

    /**
     * Computes {@code W_eff = M (.) s_col (.) (W + alpha (.) H)} from the parameters {@code param} gives into
     * {@code target}; with {@code keepForBackprop}, also keeps what backprop will need once the state has moved
     * on: H, and the synapse gain {@code M (.) s_col} (only s when there is no mask).
     *
     * <p>Whole-matrix ND4J ops, one implementation for float32 and float64 alike: per-connection Java
     * loops over the same arrays spent more time converting float32 to double and back than computing.
     */
    void fuseSynapses(PlasticitySettings p, Function<String, INDArray> param, INDArray target, boolean keepForBackprop) {
        INDArray weight = param.apply(WEIGHT);
        if (p.hebbian().enabled()) {
            INDArray trace = param.apply(TRACE);
            if (keepForBackprop && traceBeforeUpdate != null) {
                traceBeforeUpdate.assign(trace);
            }
            switch (p.hebbian().coefficient()) {
                case FREE -> param.apply(ALPHA).mul(trace, target);
                case SHARED -> trace.mul(param.apply(ALPHA).getDouble(0), target);
                case FIXED -> trace.mul(p.hebbian().alphaInit(), target);
                default -> throw new IllegalStateException("Unknown coefficient " + p.hebbian().coefficient());
            }
            target.addi(weight);
        } else {
            target.assign(weight);
        }
        INDArray scale = p.scaling().enabled() ? param.apply(SCALING) : null;
        if (p.structural().enabled()) {
            if (keepForBackprop) {
                synapseGain.assign(param.apply(MASK));
                if (scale != null) {
                    synapseGain.muliRowVector(scale);
                }
                target.muli(synapseGain);
                return;
            }
            target.muli(param.apply(MASK));
        } else if (keepForBackprop && scale != null) {
            scaleBeforeUpdate.assign(scale);
        }
        if (scale != null) {
            target.muliRowVector(scale);
        }
    }

    /** Whether {@link #weightAndAlphaGradients} has anything to do. */
    boolean gainsOrAlpha(INDArray alphaGrad) {
        return synapseGain != null || scaleBeforeUpdate != null || alphaGrad != null;
    }

    /**
     * Turns {@code dL/dW_eff}, held in {@code weightGrad}, into {@code dL/dW = G (.) dL/dW_eff} in place and,
     * when alpha is learned, {@code dL/dalpha = G (.) H (.) dL/dW_eff} (summed when alpha is shared), with
     * the synapse gain G and trace H of the forward pass.
     */
    void weightAndAlphaGradients(INDArray weightGrad, INDArray alphaGrad, boolean sharedAlpha) {
        if (synapseGain != null) {
            weightGrad.muli(synapseGain);
        } else if (scaleBeforeUpdate != null) {
            weightGrad.muliRowVector(scaleBeforeUpdate);
        }
        if (alphaGrad == null) {
            return;
        }
        if (sharedAlpha) {
            alphaGrad.assign(traceBeforeUpdate.mul(weightGrad, alphaProduct).sumNumber());
        } else {
            traceBeforeUpdate.mul(weightGrad, alphaGrad);
        }
    }
}
