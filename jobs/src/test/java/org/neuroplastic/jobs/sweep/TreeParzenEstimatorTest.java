package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.sweep.TreeParzenEstimator.Observation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TreeParzenEstimatorTest {

    private static final SweptParameter X = new SweptParameter("x", List.of(),
            new Distribution(Distribution.Kind.UNIFORM, -5, 10));
    private static final SweptParameter Y = new SweptParameter("y", List.of(),
            new Distribution(Distribution.Kind.UNIFORM, 0, 15));

    /** Branin-Hoo, whose minimum 0.397887 is reached at (-π, 12.275), (π, 2.275) and (9.42478, 2.475). */
    private static double branin(Map<String, String> s) {
        double x = Double.parseDouble(s.get("x"));
        double y = Double.parseDouble(s.get("y"));
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return Math.pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.cos(x) + 10;
    }

    private static double bestAfter(TreeParzenEstimator sampler, int trials, ToDoubleFunction<Map<String, String>> f) {
        List<Observation> finished = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < trials; i++) {
            Map<String, String> setting = sampler.suggest(i, finished);
            double value = f.applyAsDouble(setting);
            finished.add(new Observation(setting, value));
            best = Math.min(best, value);
        }
        return best;
    }

    /**
     * Observations 30, 45, 48, 52, 55, 70 on [0, 100]: with the prior at 50, the sorted means are
     * 30, 45, 48, 50, 52, 55, 70; deviations by Optuna 3.1's {@code _calculate_numerical_params} with its
     * defaults: the larger neighbour distance, the outermost ones' distance to their one neighbour (15,
     * not 30 to the range's end), clipped below at 100 / min(100, 7 + 1) = 12.5, the prior's 100.
     */
    private static final double[] OPTUNA_DEVIATIONS = {15, 15, 12.5, 100, 12.5, 15, 15};

    private static TreeParzenEstimator.ParzenMixture mixtureOfSixObservations() {
        return TreeParzenEstimator.ParzenMixture.of(
                TreeParzenEstimator.SearchSpace.of(new Distribution(Distribution.Kind.UNIFORM, 0, 100)),
                new double[]{30, 45, 48, 52, 55, 70});
    }

    @Test
    void theOutermostComponentsTakeTheDistanceToTheirNeighbourNotToTheRangeEnd() {
        // Defect fixed: the smallest and largest observations took the distance to the range's end when it
        // was larger (Optuna's consider_endpoints=True, not its default), which widened them to 30.
        TreeParzenEstimator.ParzenMixture mixture = mixtureOfSixObservations();
        assertThat(mixture.means()).containsExactly(30, 45, 48, 50, 52, 55, 70);
        assertThat(mixture.deviations()[0]).isCloseTo(OPTUNA_DEVIATIONS[0], within(1e-12));
        assertThat(mixture.deviations()[6]).isCloseTo(OPTUNA_DEVIATIONS[6], within(1e-12));
    }

    @Test
    void theMagicClipDividesTheRangeByTheComponentsPlusOne() {
        // Defect fixed: the lower clip was range / min(100, components) = 100 / 7, not Hyperopt's and
        // Optuna's range / min(100, components + 1) = 100 / 8.
        assertThat(mixtureOfSixObservations().deviations()).containsExactly(OPTUNA_DEVIATIONS, within(1e-12));
    }

    /**
     * Integers 1-5 (search range [0.5, 5.5]) after one observation of 2: the observation's component has
     * mean 2 and deviation max(1, 5 / 3) = 5/3 (its one neighbour, the prior at 3, is 1 away; the clip is
     * 5 / min(100, 2 + 1)), the prior's mean 3 and deviation 5, weights 1/2 each. The mass of 4's unit
     * interval [3.5, 4.5], each component's normal mass over its mass in range:
     * (Φ(1.5) - Φ(0.9)) / (Φ(2.1) - Φ(-0.9)) = 0.146920 and (Φ(0.3) - Φ(0.1)) / (Φ(0.5) - Φ(-0.5)) = 0.203914,
     * so 0.175417 (Φ from Python's math.erf).
     */
    @Test
    void anIntegerIsScoredByTheMassOfItsUnitInterval() {
        TreeParzenEstimator.ParzenMixture mixture = TreeParzenEstimator.ParzenMixture.of(
                TreeParzenEstimator.SearchSpace.of(new Distribution(Distribution.Kind.INT_UNIFORM, 1, 5)),
                new double[]{2});
        assertThat(mixture.deviations()).containsExactly(new double[]{5.0 / 3, 5}, within(1e-12));
        assertThat(mixture.logMass(3.5, 4.5)).isCloseTo(Math.log(0.1754165794614926), within(1e-9));
        double total = 0;
        for (int k = 1; k <= 5; k++) {
            total += Math.exp(mixture.logMass(k - 0.5, k + 0.5));
        }
        assertThat(total).isCloseTo(1, within(1e-12));
    }

    @Test
    void trialsDrawFromIndependentStreamsSoNoTrialReusesAnothersDraws() {
        // Defect fixed: trial i's generator was seeded with seed ^ (0x9E3779B97F4A7C15 * (i + 1)), a multiple
        // of SplittableRandom's own increment, so trials' streams were shifted copies of each other: with seed
        // 0, trial i + 1 drew x0..x4 = trial i's x1..x5, and 100 trials of 6 keys held 105 distinct values.
        List<SweptParameter> six = new ArrayList<>();
        for (int j = 0; j < 6; j++) {
            six.add(new SweptParameter("x" + j, List.of(), new Distribution(Distribution.Kind.UNIFORM, 0, 1)));
        }
        for (long seed = 0; seed < 20; seed++) {
            TreeParzenEstimator sampler = new TreeParzenEstimator(six, Integer.MAX_VALUE, seed);
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                distinct.addAll(sampler.suggest(i, List.of()).values());
            }
            assertThat(distinct).as("seed %d", seed).hasSize(600);
        }
    }

    @Test
    void theSameSeedIndexAndObservationsGiveTheSameSuggestion() {
        List<Observation> finished = new ArrayList<>();
        TreeParzenEstimator first = new TreeParzenEstimator(List.of(X, Y), 5, 11);
        for (int i = 0; i < 30; i++) {
            Map<String, String> setting = first.suggest(i, finished);
            assertThat(new TreeParzenEstimator(List.of(X, Y), 5, 11).suggest(i, List.copyOf(finished)))
                    .isEqualTo(setting);
            finished.add(new Observation(setting, branin(setting)));
        }
        assertThat(new TreeParzenEstimator(List.of(X, Y), 5, 12).suggest(29, finished))
                .isNotEqualTo(first.suggest(29, finished));
    }

    @Test
    void beatsRandomSearchOnBraninInMedianOverSeeds() {
        double[] tpe = new double[15];
        double[] random = new double[15];
        for (int seed = 0; seed < tpe.length; seed++) {
            tpe[seed] = bestAfter(new TreeParzenEstimator(List.of(X, Y), 10, seed), 60,
                    TreeParzenEstimatorTest::branin);
            // Random search is the same sampler that never leaves its start-up phase.
            random[seed] = bestAfter(new TreeParzenEstimator(List.of(X, Y), Integer.MAX_VALUE, seed), 60,
                    TreeParzenEstimatorTest::branin);
        }
        Arrays.sort(tpe);
        Arrays.sort(random);
        assertThat(tpe[tpe.length / 2]).isLessThan(random[random.length / 2]);
        assertThat(tpe[tpe.length / 2]).isLessThan(1.0);
    }

    @Test
    void suggestionsStayInRangeAndOnTheKeysGrid() {
        SweptParameter rate = new SweptParameter("rate", List.of(),
                new Distribution(Distribution.Kind.LOG_UNIFORM, 1e-5, 1e-1));
        SweptParameter width = new SweptParameter("width", List.of(),
                new Distribution(Distribution.Kind.INT_UNIFORM, 8, 64));
        SweptParameter rule = new SweptParameter("rule", List.of("\"oja\"", "\"bcm\"", "\"plain\""), null);
        TreeParzenEstimator sampler = new TreeParzenEstimator(List.of(rate, width, rule), 3, 5);
        List<Observation> finished = new ArrayList<>();
        SplittableRandom noise = new SplittableRandom(1);
        for (int i = 0; i < 40; i++) {
            Map<String, String> s = sampler.suggest(i, finished);
            double r = Double.parseDouble(s.get("rate"));
            assertThat(r).isBetween(1e-5, 1e-1);
            assertThat(s.get("width")).matches("\\d+");
            assertThat(Long.parseLong(s.get("width"))).isBetween(8L, 64L);
            assertThat(rule.values()).contains(s.get("rule"));
            finished.add(new Observation(s, Math.abs(Math.log10(r) + 3) + noise.nextDouble()));
        }
    }

    @Test
    void aListedValueThatIsAlwaysBestIsSuggestedMostOfTheTime() {
        SweptParameter rule = new SweptParameter("rule", List.of("\"a\"", "\"b\"", "\"c\"", "\"d\""), null);
        TreeParzenEstimator sampler = new TreeParzenEstimator(List.of(rule), 8, 3);
        List<Observation> finished = new ArrayList<>();
        int later = 0;
        int chosenA = 0;
        for (int i = 0; i < 60; i++) {
            Map<String, String> s = sampler.suggest(i, finished);
            finished.add(new Observation(s, s.get("rule").equals("\"a\"") ? 0 : 1));
            if (i >= 20) {
                later++;
                chosenA += s.get("rule").equals("\"a\"") ? 1 : 0;
            }
        }
        // Random choice would pick "a" a quarter of the time.
        assertThat((double) chosenA / later).isGreaterThan(0.6);
    }

    @Test
    void nonFiniteObservationsAreIgnored() {
        TreeParzenEstimator sampler = new TreeParzenEstimator(List.of(X), 1, 2);
        List<Observation> finished = List.of(new Observation(Map.of("x", "1.0"), Double.NaN),
                new Observation(Map.of("x", "2.0"), 3.0), new Observation(Map.of("x", "3.0"), 4.0));
        double x = Double.parseDouble(sampler.suggest(5, finished).get("x"));
        assertThat(x).isBetween(-5.0, 10.0);
    }
}
