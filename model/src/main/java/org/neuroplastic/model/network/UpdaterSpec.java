package org.neuroplastic.model.network;

import java.util.Locale;
import org.neuroplastic.model.plasticity.Enums;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The gradient updater of the learned parameters (plastic state never goes through it).
 *
 * @param name         which updater
 * @param learningRate its learning rate, finite and > 0
 */
public record UpdaterSpec(Name name, double learningRate) {

    /** Updaters, named as configurations spell them. */
    public enum Name {
        ADAM, SGD, NESTEROVS, RMSPROP;

        public static Name parse(String field, String value) {
            return Enums.parse(Name.class, field, value);
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public UpdaterSpec {
        if (name == null) {
            throw new IllegalArgumentException("updater.name must be one of adam, sgd, nesterovs, rmsprop, found null");
        }
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("updater.learning_rate must be a finite number > 0, found " + learningRate);
        }
    }

    public static UpdaterSpec adam(double learningRate) {
        return new UpdaterSpec(Name.ADAM, learningRate);
    }

    IUpdater toDl4j() {
        return switch (name) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Sgd(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate);
            case RMSPROP -> new RmsProp(learningRate);
        };
    }
}
