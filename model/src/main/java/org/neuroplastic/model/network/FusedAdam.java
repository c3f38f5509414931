package org.neuroplastic.model.network;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1 with the efficient bias correction of section 2) as Deeplearning4j's
 * {@link Adam} defines it, with the same state layout ({@code [m | v]} per updater block), computed in one
 * pass over float32 memory: libnd4j 1.0.0-M2's Adam op, whatever the arrays' order, took a quarter of a
 * plastic training step in a profile, several times what this pass takes. Other data types go to
 * Deeplearning4j's own updater.
 */
public final class FusedAdam extends Adam {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation; the learning rate and betas are then set from the configuration. */
    public FusedAdam() {
    }

    public FusedAdam(double learningRate) {
        super(learningRate);
    }

    public FusedAdam(ISchedule learningRateSchedule) {
        super(learningRateSchedule);
    }

    @Override
    public GradientUpdater<?> instantiate(INDArray viewArray, boolean initializeViewArray) {
        if (viewArray.dataType() != DataType.FLOAT) {
            return super.instantiate(viewArray, initializeViewArray);
        }
        // As Deeplearning4j's Adam: the view holds [m | v], each the gradient's length.
        long[] gradientShape = viewArray.shape().clone();
        gradientShape[gradientShape.length - 1] /= 2;
        Pass pass = new Pass(this);
        pass.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return pass;
    }

    @Override
    public FusedAdam clone() {
        FusedAdam copy = new FusedAdam();
        copy.setLearningRate(getLearningRate());
        copy.setLearningRateSchedule(getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
        copy.setBeta1(getBeta1());
        copy.setBeta2(getBeta2());
        copy.setEpsilon(getEpsilon());
        return copy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FusedAdam && super.equals(other);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedAdam;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }

    /**
     * The updater of one block. Its state view and gradients are contiguous float32 runs of the network's
     * flattened arrays; anything else (never seen from Deeplearning4j's updater blocks) is handed to
     * Deeplearning4j's updater over the same state.
     */
    private static final class Pass implements GradientUpdater<Adam> {

        /** Elements per bulk copy: the three buffers stay in the L1 cache. */
        private static final int CHUNK = 2048;

        private final FusedAdam config;
        private final AdamUpdater fallback;
        private INDArray state;
        private int half;
        private final float[] gradient = new float[CHUNK];
        private final float[] mean = new float[CHUNK];
        private final float[] square = new float[CHUNK];

        Pass(FusedAdam config) {
            this.config = config;
            this.fallback = new AdamUpdater(config);
        }

        @Override
        public Adam getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            throw new UnsupportedOperationException("FusedAdam keeps its state in a view array");
        }

        @Override
        public Map<String, INDArray> getState() {
            return fallback.getState();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            fallback.setStateViewArray(viewArray, gradientShape, gradientOrder, initialize);
            this.state = viewArray;
            this.half = Math.toIntExact(viewArray.length() / 2);
        }

        @Override
        public void applyUpdater(INDArray grad, int iteration, int epoch) {
            if (grad.dataType() != DataType.FLOAT || grad.length() != half || !contiguous(grad) || !contiguous(state)) {
                fallback.applyUpdater(grad, iteration, epoch);
                return;
            }
            double beta1 = config.getBeta1();
            double beta2 = config.getBeta2();
            // Bias correction folded into the step size, as Deeplearning4j does (and its fallback when it is 0).
            double stepSize = config.getLearningRate(iteration, epoch) * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                    / (1 - Math.pow(beta1, iteration + 1));
            if (Double.isNaN(stepSize) || Double.isInfinite(stepSize) || stepSize == 0) {
                stepSize = config.getEpsilon();
            }
            float b1 = (float) beta1;
            float b2 = (float) beta2;
            // 1 - beta in float32 from the float32 beta, as libnd4j does: (float) (1 - 0.999) differs from
            // 1 - (float) 0.999 by 1.3e-5 of itself, enough to move v off Deeplearning4j's.
            float oneMinusBeta1 = 1 - b1;
            float oneMinusBeta2 = 1 - b2;
            float step = (float) stepSize;
            float epsilon = (float) config.getEpsilon();
            FloatBuffer g = grad.data().asNioFloat();
            FloatBuffer s = state.data().asNioFloat();
            int gBase = g.position();
            int mBase = s.position();
            int vBase = mBase + half;
            for (int from = 0; from < half; from += CHUNK) {
                int length = Math.min(CHUNK, half - from);
                g.get(gBase + from, gradient, 0, length);
                s.get(mBase + from, mean, 0, length);
                s.get(vBase + from, square, 0, length);
                for (int i = 0; i < length; i++) {
                    float gi = gradient[i];
                    float m = b1 * mean[i] + oneMinusBeta1 * gi;
                    float v = b2 * square[i] + oneMinusBeta2 * gi * gi;
                    mean[i] = m;
                    square[i] = v;
                    gradient[i] = m * step / ((float) Math.sqrt(v) + epsilon);
                }
                g.put(gBase + from, gradient, 0, length);
                s.put(mBase + from, mean, 0, length);
                s.put(vBase + from, square, 0, length);
            }
        }

        private static boolean contiguous(INDArray array) {
            return array.isVector() && array.elementWiseStride() == 1;
        }
    }
}
