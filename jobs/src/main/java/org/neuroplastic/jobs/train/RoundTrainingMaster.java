package org.neuroplastic.jobs.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.TrainingWorker;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.neuroplastic.jobs.config.TrainingSettings;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of DL4J's {@link TrainingMaster} interface a round-based master answers: a description of its
 * settings, and a clear refusal for everything DL4J's own masters offer that ours does not (worker
 * instances, hooks, listeners on the workers, computation graphs, training from paths, DL4J's stats).
 * Kept apart so that the master itself reads as its round loop.
 */
abstract class RoundTrainingMaster implements TrainingMaster<WorkerRound, TrainingWorker<WorkerRound>> {

    /** The settings the description reports. */
    public abstract TrainingSettings settings();

    @Override
    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(describe());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not describe the training master as JSON", e);
        }
    }

    @Override
    public String toYaml() {
        try {
            return new YAMLMapper().writeValueAsString(describe());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not describe the training master as YAML", e);
        }
    }

    private Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("averaging", "resident");
        description.put("workers", settings().workers());
        description.put("batch_size_per_worker", settings().batchSizePerWorker());
        description.put("averaging_frequency", settings().averagingFrequency());
        description.put("save_updater", settings().saveUpdater());
        description.put("trajectories", settings().trajectories());
        return description;
    }

    @Override
    public void removeHook(TrainingHook trainingHook) {
        throw unsupported("training hooks");
    }

    @Override
    public void addHook(TrainingHook trainingHook) {
        throw unsupported("training hooks (use a RoundListener on the driver)");
    }

    @Override
    public TrainingWorker<WorkerRound> getWorkerInstance(SparkDl4jMultiLayer network) {
        throw unsupported("DL4J TrainingWorkers (it runs its own round tasks)");
    }

    @Override
    public TrainingWorker<WorkerRound> getWorkerInstance(SparkComputationGraph graph) {
        throw unsupported("ComputationGraph");
    }

    @Override
    public void executeTrainingPaths(SparkDl4jMultiLayer network, SparkComputationGraph graph,
                                     JavaRDD<String> trainingDataPaths, DataSetLoader dsLoader,
                                     MultiDataSetLoader mdsLoader) {
        throw unsupported("training from paths (pass a JavaRDD<DataSet>)");
    }

    @Override
    public void executeTraining(SparkComputationGraph graph, JavaRDD<DataSet> trainingData) {
        throw unsupported("ComputationGraph");
    }

    @Override
    public void executeTrainingMDS(SparkComputationGraph graph, JavaRDD<MultiDataSet> trainingData) {
        throw unsupported("ComputationGraph");
    }

    @Override
    public void setCollectTrainingStats(boolean collectTrainingStats) {
        if (collectTrainingStats) {
            throw unsupported("DL4J training stats (see fitEpoch's EpochReport and RoundResult)");
        }
    }

    @Override
    public boolean getIsCollectTrainingStats() {
        return false;
    }

    @Override
    public SparkTrainingStats getTrainingStats() {
        return null;
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
        setListeners(null, listeners);
    }

    @Override
    public void setListeners(StatsStorageRouter router, Collection<TrainingListener> listeners) {
        if (router != null || (listeners != null && !listeners.isEmpty())) {
            throw unsupported("DL4J TrainingListeners on the workers (use a RoundListener on the driver)");
        }
    }

    @Override
    public boolean deleteTempFiles(JavaSparkContext sc) {
        return true;
    }

    @Override
    public boolean deleteTempFiles(SparkContext sc) {
        return true;
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("ResidentAveragingMaster does not support " + what);
    }
}
