package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Configuration of a dense layer whose effective weight carries plasticity:
 * {@code y = phi(g * (x . W_eff + b - theta))}, {@code W_eff = M (.) s_col (.) (W + alpha (.) H)}.
 *
 * <p>This is a Jackson bean that DL4J rebuilds from JSON and Spark ships by Java serialization, so the
 * plasticity settings are held as plain fields, each with a getter and a setter (a field without a setter
 * silently returns to its default on a JSON restore). {@link #plasticity()} gives them back as the
 * validated record. Built with {@link Builder}.
 *
 * <p>Longer than most classes here on purpose: the bean accessors DL4J's JSON restore needs, one getter and one
 * setter a field, are a third of it, and the Builder stays nested as every DL4J layer's does (its
 * {@code PlasticDense.Builder} is how networks are built); what the settings mean and how they are checked
 * lives in the records of {@code model.plasticity}.
 */
public class PlasticDense extends FeedForwardLayer {

    private static final long serialVersionUID = 1L;

    private boolean hebbianEnabled;
    private HebbianRule hebbianRule = HebbianRule.OJA;
    private double hebbianEta = 0.01;
    private PlasticityCoefficient plasticityCoefficient = PlasticityCoefficient.FREE;
    private double alphaInit = 0.01;

    private boolean scalingEnabled;
    private double scalingTargetActivity = 0.5;
    private double scalingRate = 0.01;
    private double scalingMin = 0.5;
    private double scalingMax = 2.0;

    private boolean structuralEnabled;
    private double density = 1.0;
    private double zeta;
    private int rewireEvery = 100;
    private Regrowth regrowth = Regrowth.HEBBIAN;
    private long structuralSeed;
    private boolean rewiredByTrainer;
    private boolean inputGradient = true;

    private boolean adaptationEnabled;
    private double adaptationTargetActivity = 0.5;
    private double thresholdRate = 0.001;
    private double gainInit = 1.0;

    private double activityRate = 0.01;

    private boolean inferenceEnabled;
    private InferencePlasticity.Reset inferenceReset = InferencePlasticity.Reset.NEVER;

    private double replacementRate;
    private int maturityThreshold = ContinualBackpropSettings.OFF.maturityThreshold();
    private double utilityDecay = ContinualBackpropSettings.OFF.utilityDecay();

    /** For Jackson and DL4J's cloning; use {@link Builder}. */
    public PlasticDense() {
    }

    private PlasticDense(Builder builder) {
        super(builder);
        setPlasticity(builder.plasticity);
        this.structuralSeed = builder.structuralSeed;
        this.rewiredByTrainer = builder.rewiredByTrainer;
        this.inputGradient = builder.inputGradient;
        setContinualBackprop(builder.continualBackprop);
        initializeConstraints(builder);
    }

    /** The layer's plasticity settings, validated. */
    public PlasticitySettings plasticity() {
        return new PlasticitySettings(
                new HebbianSettings(hebbianEnabled, hebbianRule, hebbianEta, plasticityCoefficient, alphaInit),
                new ScalingSettings(scalingEnabled, scalingTargetActivity, scalingRate, scalingMin, scalingMax),
                new StructuralSettings(structuralEnabled, density, zeta, rewireEvery, regrowth),
                new AdaptationSettings(adaptationEnabled, adaptationTargetActivity, thresholdRate, gainInit),
                activityRate,
                new InferencePlasticity(inferenceEnabled, inferenceReset));
    }

    /** The layer's continual backprop settings, validated. */
    public ContinualBackpropSettings continualBackprop() {
        return new ContinualBackpropSettings(replacementRate, maturityThreshold, utilityDecay);
    }

    private void setContinualBackprop(ContinualBackpropSettings c) {
        replacementRate = c.replacementRate();
        maturityThreshold = c.maturityThreshold();
        utilityDecay = c.utilityDecay();
    }

    private void setPlasticity(PlasticitySettings p) {
        HebbianSettings h = p.hebbian();
        hebbianEnabled = h.enabled();
        hebbianRule = h.rule();
        hebbianEta = h.eta();
        plasticityCoefficient = h.coefficient();
        alphaInit = h.alphaInit();
        ScalingSettings s = p.scaling();
        scalingEnabled = s.enabled();
        scalingTargetActivity = s.targetActivity();
        scalingRate = s.rate();
        scalingMin = s.min();
        scalingMax = s.max();
        StructuralSettings st = p.structural();
        structuralEnabled = st.enabled();
        density = st.density();
        zeta = st.zeta();
        rewireEvery = st.rewireEvery();
        regrowth = st.regrowth();
        AdaptationSettings a = p.adaptation();
        adaptationEnabled = a.enabled();
        adaptationTargetActivity = a.targetActivity();
        thresholdRate = a.thresholdRate();
        gainInit = a.gainInit();
        activityRate = p.activityRate();
        inferenceEnabled = p.atInference().enabled();
        inferenceReset = p.atInference().reset();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        // Loading from JSON skips the builder: check here what the builder would have checked.
        LayerValidation.assertNInNOutSet("PlasticDense", getLayerName(), layerIndex, getNIn(), getNOut());
        plasticity();
        continualBackprop();
        PlasticDenseLayer layer = new PlasticDenseLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return PlasticDenseParameters.INSTANCE;
    }

    /** Plastic state is not learned by gradient: no updater may move it (a NoOp passes the zero gradient). */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (PlasticDenseParameters.isState(paramName)) {
            return new NoOp();
        }
        return super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (PlasticDenseParameters.isState(paramName)) {
            return null;
        }
        return super.getRegularizationByParam(paramName);
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater().stateSize(numParams);
        long nInOut = getNIn() * getNOut();
        // Detached buffers, at most four nIn x nOut: effective weight, synapse gain, trace copy, shared alpha's product.
        long fixed = 4 * nInOut;
        long perExample = 2 * outputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, PlasticDense.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(nInOut, perExample, fixed, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // Bean accessors: DL4J's JSON restore needs a getter and a setter for every field.

    public boolean isHebbianEnabled() { return hebbianEnabled; }
    public void setHebbianEnabled(boolean v) { hebbianEnabled = v; }
    public HebbianRule getHebbianRule() { return hebbianRule; }
    public void setHebbianRule(HebbianRule v) { hebbianRule = v; }
    public double getHebbianEta() { return hebbianEta; }
    public void setHebbianEta(double v) { hebbianEta = v; }
    public PlasticityCoefficient getPlasticityCoefficient() { return plasticityCoefficient; }
    public void setPlasticityCoefficient(PlasticityCoefficient v) { plasticityCoefficient = v; }
    public double getAlphaInit() { return alphaInit; }
    public void setAlphaInit(double v) { alphaInit = v; }
    public boolean isScalingEnabled() { return scalingEnabled; }
    public void setScalingEnabled(boolean v) { scalingEnabled = v; }
    public double getScalingTargetActivity() { return scalingTargetActivity; }
    public void setScalingTargetActivity(double v) { scalingTargetActivity = v; }
    public double getScalingRate() { return scalingRate; }
    public void setScalingRate(double v) { scalingRate = v; }
    public double getScalingMin() { return scalingMin; }
    public void setScalingMin(double v) { scalingMin = v; }
    public double getScalingMax() { return scalingMax; }
    public void setScalingMax(double v) { scalingMax = v; }
    public boolean isStructuralEnabled() { return structuralEnabled; }
    public void setStructuralEnabled(boolean v) { structuralEnabled = v; }
    public double getDensity() { return density; }
    public void setDensity(double v) { density = v; }
    public double getZeta() { return zeta; }
    public void setZeta(double v) { zeta = v; }
    public int getRewireEvery() { return rewireEvery; }
    public void setRewireEvery(int v) { rewireEvery = v; }
    public Regrowth getRegrowth() { return regrowth; }
    public void setRegrowth(Regrowth v) { regrowth = v; }
    public long getStructuralSeed() { return structuralSeed; }
    public void setStructuralSeed(long v) { structuralSeed = v; }
    /** When true the layer never rewires itself: a distributed trainer rewires between averaging rounds. */
    public boolean isRewiredByTrainer() { return rewiredByTrainer; }
    public void setRewiredByTrainer(boolean v) { rewiredByTrainer = v; }
    /** When false, backprop returns no gradient with respect to the layer's input (see the builder). */
    public boolean isInputGradient() { return inputGradient; }
    public void setInputGradient(boolean v) { inputGradient = v; }
    public boolean isAdaptationEnabled() { return adaptationEnabled; }
    public void setAdaptationEnabled(boolean v) { adaptationEnabled = v; }
    public double getAdaptationTargetActivity() { return adaptationTargetActivity; }
    public void setAdaptationTargetActivity(double v) { adaptationTargetActivity = v; }
    public double getThresholdRate() { return thresholdRate; }
    public void setThresholdRate(double v) { thresholdRate = v; }
    public double getGainInit() { return gainInit; }
    public void setGainInit(double v) { gainInit = v; }
    public double getActivityRate() { return activityRate; }
    public void setActivityRate(double v) { activityRate = v; }
    public boolean isInferenceEnabled() { return inferenceEnabled; }
    public void setInferenceEnabled(boolean v) { inferenceEnabled = v; }
    public InferencePlasticity.Reset getInferenceReset() { return inferenceReset; }
    public void setInferenceReset(InferencePlasticity.Reset v) { inferenceReset = v; }
    public double getReplacementRate() { return replacementRate; }
    public void setReplacementRate(double v) { replacementRate = v; }
    public int getMaturityThreshold() { return maturityThreshold; }
    public void setMaturityThreshold(int v) { maturityThreshold = v; }
    public double getUtilityDecay() { return utilityDecay; }
    public void setUtilityDecay(double v) { utilityDecay = v; }

    @Override
    public PlasticDense clone() {
        return (PlasticDense) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PlasticDense other) || !super.equals(o)) {
            return false;
        }
        return plasticity().equals(other.plasticity()) && continualBackprop().equals(other.continualBackprop())
                && structuralSeed == other.structuralSeed
                && rewiredByTrainer == other.rewiredByTrainer && inputGradient == other.inputGradient;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + plasticity().hashCode();
    }

    /** Builds a {@link PlasticDense}; plasticity defaults to every mechanism off. */
    // DL4J declares Layer.Builder's build() generic in its result (<E extends Layer> E build()); a concrete
    // override needs an unchecked conversion, which javac reports on the class, not on the method.
    @SuppressWarnings("unchecked")
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private PlasticitySettings plasticity = PlasticitySettings.off();
        private long structuralSeed;
        private boolean rewiredByTrainer;
        private boolean inputGradient = true;
        private ContinualBackpropSettings continualBackprop = ContinualBackpropSettings.OFF;

        /** Continual backprop's generate-and-test of this layer's units (off by default). */
        public Builder continualBackprop(ContinualBackpropSettings settings) {
            this.continualBackprop = java.util.Objects.requireNonNull(settings, "continualBackprop");
            return this;
        }

        public Builder plasticity(PlasticitySettings plasticity) {
            this.plasticity = java.util.Objects.requireNonNull(plasticity, "plasticity");
            return this;
        }

        /** The seed of the initial mask and of every rewiring decision. */
        public Builder structuralSeed(long seed) {
            this.structuralSeed = seed;
            return this;
        }

        /** Leave rewiring to a distributed trainer, which rewires the averaged network between rounds. */
        public Builder rewiredByTrainer(boolean rewiredByTrainer) {
            this.rewiredByTrainer = rewiredByTrainer;
            return this;
        }

        /**
         * Whether backprop computes the gradient with respect to the layer's input. A network's first layer
         * reads the data, whose gradient nothing uses (Deeplearning4j's {@code fit} drops it), and it costs
         * a matrix product as large as the weight gradient's. Without it the layer returns no input
         * gradient, as Deeplearning4j's embedding layers do, and a network built so cannot give its input's
         * gradient to a caller that asks.
         */
        public Builder inputGradient(boolean inputGradient) {
            this.inputGradient = inputGradient;
            return this;
        }

        @Override
        public PlasticDense build() {
            return new PlasticDense(this);
        }
    }
}
