package org.neuroplastic.jobs;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs' log4j2.properties, as bin/neuroplastic runs them: what reaches the console and what does not. */
class LoggingConfigurationTest {

    private static final String SCHEDULER = "org.apache.spark.scheduler.TaskSetManager";

    private static Configuration configuration;

    /** Parsed into a context of its own: the JVM's logging, which other tests use, is left alone. */
    @BeforeAll
    static void readTheJobsConfiguration() {
        ConfigurationSource source = ConfigurationSource.fromResource("log4j2.properties",
                LoggingConfigurationTest.class.getClassLoader());
        configuration = new PropertiesConfigurationFactory().getConfiguration(
                new LoggerContext("logging-configuration-test"), source);
        configuration.initialize();
    }

    private static boolean printed(String logger, Level level, String message) {
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level)
                .setMessage(new SimpleMessage(message)).build();
        var loggerConfig = configuration.getLoggerConfig(logger);
        Filter filter = loggerConfig.getFilter();
        boolean denied = filter != null && filter.filter(event) == Filter.Result.DENY;
        return !denied && level.isMoreSpecificThan(loggerConfig.getLevel());
    }

    @Test
    void theSchedulersWarningsReachTheConsoleAndItsProgressDoesNot() {
        assertThat(printed(SCHEDULER, Level.WARN, "Lost task 0.0 in stage 1.0 (TID 3) (127.0.0.1 executor 0): "
                + "java.lang.OutOfMemoryError")).isTrue();
        assertThat(printed(SCHEDULER, Level.INFO, "Starting task 0.0 in stage 1.0")).isFalse();
    }
}
