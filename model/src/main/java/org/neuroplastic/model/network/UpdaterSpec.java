package org.neuroplastic.model.network;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.Locale;

/**
 * The gradient updater of the learned parameters (plastic state never goes through it).
 *
 * @param name         which updater
 * @param learningRate its learning rate, finite and > 0
 * @param decay        how the learning rate falls with the epochs
 */
public record UpdaterSpec(Name name, double learningRate, LearningRateDecay decay) {

    /**
     * Step decay: the learning rate is multiplied by {@code factor} after every {@code everyEpochs} epochs,
     * {@code lr(e) = lr * factor^floor(e / everyEpochs)} for the e-th epoch counted from 0. Epochs are
     * counted over the whole run, across the tasks of a task stream.
     *
     * @param everyEpochs epochs between two decays, >= 1
     * @param factor      in (0, 1]; 1 keeps the learning rate constant
     */
    public record LearningRateDecay(int everyEpochs, double factor) {

        public static final LearningRateDecay NONE = new LearningRateDecay(1, 1);

        public LearningRateDecay {
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("learning_rate_decay.every_epochs must be >= 1, found " + everyEpochs);
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("learning_rate_decay.factor must be in (0, 1], found " + factor);
            }
        }

        public boolean decays() {
            return factor < 1;
        }
    }

    /** Updaters, named as configurations spell them. */
    public enum Name {
        ADAM, SGD, NESTEROVS, RMSPROP;
    }

    public UpdaterSpec {
        if (name == null) {
            throw new IllegalArgumentException("updater.name must be one of adam, sgd, nesterovs, rmsprop, found null");
        }
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("updater.learning_rate must be a finite number > 0, found " + learningRate);
        }
        if (decay == null) {
            throw new IllegalArgumentException("updater.learning_rate_decay must be given, found null");
        }
    }

    /** An updater whose learning rate stays constant. */
    public UpdaterSpec(Name name, double learningRate) {
        this(name, learningRate, LearningRateDecay.NONE);
    }

    public static UpdaterSpec adam(double learningRate) {
        return new UpdaterSpec(Name.ADAM, learningRate);
    }

    IUpdater toDl4j() {
        if (!decay.decays()) {
            return switch (name) {
                case ADAM -> new FusedAdam(learningRate);
                case SGD -> new Sgd(learningRate);
                case NESTEROVS -> new Nesterovs(learningRate);
                case RMSPROP -> new RmsProp(learningRate);
            };
        }
        ISchedule schedule = new StepSchedule(ScheduleType.EPOCH, learningRate, decay.factor(), decay.everyEpochs());
        return switch (name) {
            case ADAM -> new FusedAdam(schedule);
            case SGD -> new Sgd(schedule);
            case NESTEROVS -> new Nesterovs(schedule);
            case RMSPROP -> new RmsProp(schedule);
        };
    }
}
