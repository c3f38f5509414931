package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The replica statistics against values worked out by hand (t quantiles from a printed t table). */
class MeanIntervalTest {

    private static final double EPS = 1e-4;

    @Test
    void fiveValuesGiveTheStudentTInterval() {
        // 1..5: mean 3; squared deviations 4+1+0+1+4 = 10, sd = sqrt(10/4) = 1.5811;
        // t(0.975, 4) = 2.7764; half width 2.7764 * 1.5811 / sqrt(5) = 1.9632: 3 ± 1.9632.
        MeanInterval interval = MeanInterval.of(new double[] {1, 2, 3, 4, 5});
        assertThat(interval.n()).isEqualTo(5);
        assertThat(interval.mean()).isCloseTo(3.0, within(1e-12));
        assertThat(interval.sd()).isCloseTo(1.5811, within(EPS));
        assertThat(interval.ciLow()).isCloseTo(3 - 1.9632, within(EPS));
        assertThat(interval.ciHigh()).isCloseTo(3 + 1.9632, within(EPS));
    }

    @Test
    void twoValuesUseOneDegreeOfFreedom() {
        // 2, 4: mean 3, sd = sqrt(2) = 1.4142; t(0.975, 1) = 12.7062; half width 12.7062 * 1.4142 / sqrt(2) = 12.7062.
        MeanInterval interval = MeanInterval.of(new double[] {4, 2});
        assertThat(interval.sd()).isCloseTo(1.4142, within(EPS));
        assertThat(interval.ciLow()).isCloseTo(3 - 12.7062, within(EPS));
        assertThat(interval.ciHigh()).isCloseTo(3 + 12.7062, within(EPS));
        assertThat(MeanInterval.tQuantile(30)).as("t(0.975, 30) from the table").isCloseTo(2.0423, within(EPS));
    }

    @Test
    void oneValueHasNoSpreadAndNoInterval() {
        MeanInterval single = MeanInterval.of(new double[] {0.25});
        assertThat(single.n()).isEqualTo(1);
        assertThat(single.mean()).isEqualTo(0.25);
        assertThat(single.sd()).isNull();
        assertThat(single.ciLow()).isNull();
        assertThat(single.ciHigh()).isNull();
    }

    @Test
    void equalValuesGiveAnIntervalOfZeroWidth() {
        MeanInterval same = MeanInterval.of(new double[] {2, 2, 2});
        assertThat(same.sd()).isZero();
        assertThat(same.ciLow()).isEqualTo(2.0);
        assertThat(same.ciHigh()).isEqualTo(2.0);
        assertThatThrownBy(() -> MeanInterval.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void baselineIsReadAsKeyEqualsValue() {
        Baseline baseline = Baseline.parse("network.variant=dense");
        assertThat(baseline.key()).isEqualTo("network.variant");
        assertThat(baseline.value()).isEqualTo("dense");
        assertThat(Baseline.parse("data.path=a=b.csv").value()).isEqualTo("a=b.csv");
        assertThat(Baseline.parse("plasticity.eta=0.10").matches("0.1")).as("the same number").isTrue();
        assertThat(baseline.matches("plastic")).isFalse();
        assertThat(baseline.matches(null)).isFalse();
        for (String bad : new String[] {"dense", "=dense", "network.variant="}) {
            assertThatThrownBy(() -> Baseline.parse(bad)).isInstanceOf(InvalidInputException.class)
                    .hasMessage("--baseline must be key=value (a configuration key such as network.variant=dense), found " + bad);
        }
    }
}
