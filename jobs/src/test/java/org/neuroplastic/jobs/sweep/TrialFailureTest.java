package org.neuroplastic.jobs.sweep;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrialFailureTest {

    /** Keeps what reaches it, as the console appender of the jobs' log4j2.properties would print it. */
    private static final class Recorded extends AbstractAppender {
        final List<LogEvent> events = new ArrayList<>();

        Recorded() {
            super("recorded", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }
    }

    @Test
    void aFailedTrialKeepsItsWholeStackTraceInTheLogAndTheFirstLineForTheTable() {
        Logger logger = (Logger) LogManager.getLogger(TrialFailure.class);
        Recorded recorded = new Recorded();
        recorded.start();
        logger.addAppender(recorded);
        IllegalStateException failure = new IllegalStateException("cannot read part-0003\nsecond line",
                new java.io.IOException("connection reset"));
        String firstLine;
        try {
            firstLine = TrialFailure.logged("trial t0003", failure);
        } finally {
            logger.removeAppender(recorded);
        }

        assertThat(firstLine).isEqualTo("cannot read part-0003");
        assertThat(recorded.events).singleElement().satisfies(event -> {
            assertThat(event.getLevel().name()).isEqualTo("WARN");
            assertThat(event.getMessage().getFormattedMessage()).isEqualTo("trial t0003 failed");
            assertThat(event.getThrown()).isSameAs(failure);
            assertThat(event.getThrown().getCause()).hasMessage("connection reset");
        });
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsClass() {
        assertThat(TrialFailure.firstLine(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
    }
}
