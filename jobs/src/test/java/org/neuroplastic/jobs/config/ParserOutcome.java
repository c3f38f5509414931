package org.neuroplastic.jobs.config;

import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What a parser may do with any document: return a record, or throw {@link InvalidInputException} with
 * a one-line message. Anything else (another exception, a multi-line message, running past the time
 * limit) fails the property.
 */
public final class ParserOutcome {

    /** Far above what any document takes (a few ms); a parse this slow is a hang. */
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private ParserOutcome() {
    }

    /** Runs {@code parse}; returns its record, or null when it rejected the input properly. */
    public static <T> T parseOrReject(Supplier<T> parse) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            try {
                T parsed = parse.get();
                assertThat(parsed).isNotNull();
                return parsed;
            } catch (InvalidInputException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "\r");
                return null;
            } catch (RuntimeException | StackOverflowError e) {
                return fail("the parser threw " + e + " instead of InvalidInputException", e);
            }
        });
    }
}
