package org.neuroplastic.jobs.sweep;

import org.apache.commons.math3.special.Erf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS 2011, section 4), univariate as in Hyperopt and Optuna's default
 * sampler: after {@code startupTrials} random settings, the finished trials are split into the best
 * γ(n) = min(⌈0.1 n⌉, 25) ("below", density l) and the rest (density g); for each swept key, 24 candidates are
 * drawn from l and the one with the largest l(x)/g(x) is suggested.
 *
 * <p>Densities, as Hyperopt's {@code adaptive_parzen_normal}: a numeric key is handled in its search space
 * (the logarithm for {@code log_uniform}, integers widened by half a step on each side), l and g are
 * mixtures of Gaussians truncated to the range, one per observation with equal weights and one prior
 * component at the middle of the range with the range's width as its deviation (weight 1); each
 * observation's deviation is the larger distance to its sorted neighbours (prior included; the smallest and
 * the largest take the distance to their one neighbour, as Optuna's default {@code consider_endpoints=False}),
 * clipped to [range / min(100, n + 2), range] for n observations. An integer candidate is scored by l's and
 * g's mass on its unit interval rather than their densities at it (Optuna's and Hyperopt's quantised
 * densities). The observations' weights are equal, whereas Hyperopt and Optuna lower the older ones' when a
 * density has more than 25. A listed key's l and g are its values' counts plus 1 each.
 *
 * <p>A suggestion is a function of the seed, the trial's index and the observations passed in alone, so a
 * sweep that passes each trial the same observations (e.g. every trial at least {@code parallelism}
 * places before it) suggests the same settings whatever the executors.
 */
public final class TreeParzenEstimator {

    /** A finished trial: its setting and the value to minimise (a maximised metric is negated). */
    public record Observation(Map<String, String> setting, double value) {
    }

    /** Optuna's {@code n_startup_trials} default. */
    public static final int DEFAULT_STARTUP_TRIALS = 10;
    private static final int CANDIDATES = 24;
    private static final int MAX_BELOW = 25;
    private static final double PRIOR_WEIGHT = 1.0;

    private final List<SweptParameter> parameters;
    private final int startupTrials;
    private final long seed;

    public TreeParzenEstimator(List<SweptParameter> parameters, int startupTrials, long seed) {
        if (startupTrials < 1) {
            throw new IllegalArgumentException("startup_trials must be at least 1, found " + startupTrials);
        }
        this.parameters = List.copyOf(parameters);
        this.startupTrials = startupTrials;
        this.seed = seed;
    }

    /** The setting of trial {@code index}, from the observations of trials finished before it was drawn. */
    public Map<String, String> suggest(int index, List<Observation> finished) {
        SplittableRandom random = new SplittableRandom(trialSeed(seed, index));
        List<Observation> usable = finished.stream().filter(o -> Double.isFinite(o.value())).toList();
        Map<String, String> setting = new LinkedHashMap<>();
        if (index < startupTrials || usable.size() < 2) {
            for (SweptParameter parameter : parameters) {
                setting.put(parameter.key(), parameter.distribution() == null
                        ? parameter.values().get(random.nextInt(parameter.values().size()))
                        : parameter.distribution().sample(random));
            }
            return Collections.unmodifiableMap(setting);
        }
        List<Observation> sorted = new ArrayList<>(usable);
        sorted.sort(Comparator.comparingDouble(Observation::value));
        int below = Math.min((int) Math.ceil(0.1 * sorted.size()), MAX_BELOW);
        List<Observation> good = sorted.subList(0, below);
        List<Observation> bad = sorted.subList(below, sorted.size());
        for (SweptParameter parameter : parameters) {
            setting.put(parameter.key(), parameter.distribution() == null
                    ? suggestListed(parameter, good, bad, random)
                    : suggestNumeric(parameter.key(), parameter.distribution(), good, bad, random));
        }
        return Collections.unmodifiableMap(setting);
    }

    /**
     * Trial {@code index}'s generator seed: a hash of the sweep's seed and the index. Seeds spaced by
     * multiples of SplittableRandom's own increment (0x9E3779B97F4A7C15) give streams that are shifted
     * copies of each other, so trials reused each other's draws; hashed seeds are 64-bit values far apart.
     */
    static long trialSeed(long seed, int index) {
        return mix(mix(seed) + index);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, the mixer SplittableRandom applies to its outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String suggestListed(SweptParameter parameter, List<Observation> good, List<Observation> bad,
                                        SplittableRandom random) {
        List<String> values = parameter.values();
        double[] l = counts(values, parameter.key(), good);
        double[] g = counts(values, parameter.key(), bad);
        double lTotal = Arrays.stream(l).sum();
        double gTotal = Arrays.stream(g).sum();
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            int candidate = drawIndex(l, lTotal, random);
            double score = Math.log(l[candidate] / lTotal) - Math.log(g[candidate] / gTotal);
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return values.get(best);
    }

    private static double[] counts(List<String> values, String key, List<Observation> observations) {
        double[] counts = new double[values.size()];
        Arrays.fill(counts, PRIOR_WEIGHT);
        for (Observation o : observations) {
            int i = values.indexOf(o.setting().get(key));
            if (i >= 0) {
                counts[i]++;
            }
        }
        return counts;
    }

    private static int drawIndex(double[] weights, double total, SplittableRandom random) {
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String suggestNumeric(String key, Distribution distribution, List<Observation> good,
                                         List<Observation> bad, SplittableRandom random) {
        SearchSpace space = SearchSpace.of(distribution);
        ParzenMixture l = ParzenMixture.of(space, points(space, key, good));
        ParzenMixture g = ParzenMixture.of(space, points(space, key, bad));
        boolean integer = distribution.kind() == Distribution.Kind.INT_UNIFORM;
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            double candidate;
            double score;
            if (integer) {
                // An integer is scored by the mass of its unit interval, as Optuna (q = 1) and Hyperopt
                // (quniform) score it: the density at the integer would favour the narrow components.
                candidate = SearchSpace.clamp(Math.rint(l.sample(random)), distribution.min(), distribution.max());
                score = l.logMass(candidate - 0.5, candidate + 0.5) - g.logMass(candidate - 0.5, candidate + 0.5);
            } else {
                candidate = l.sample(random);
                score = l.logDensity(candidate) - g.logDensity(candidate);
            }
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return space.text(best);
    }

    private static double[] points(SearchSpace space, String key, List<Observation> observations) {
        return observations.stream().mapToDouble(o -> space.toSearch(Double.parseDouble(o.setting().get(key))))
                .toArray();
    }

    /** Where a numeric key's densities live: its range, in log space for log_uniform. */
    record SearchSpace(Distribution distribution, double low, double high) {

        static SearchSpace of(Distribution d) {
            return switch (d.kind()) {
                case UNIFORM -> new SearchSpace(d, d.min(), d.max());
                case LOG_UNIFORM -> new SearchSpace(d, Math.log(d.min()), Math.log(d.max()));
                case INT_UNIFORM -> new SearchSpace(d, d.min() - 0.5, d.max() + 0.5);
            };
        }

        double toSearch(double value) {
            return distribution.kind() == Distribution.Kind.LOG_UNIFORM ? Math.log(value) : value;
        }

        /** The suggestion as the YAML text of a value of the key's own range. */
        String text(double search) {
            return switch (distribution.kind()) {
                case UNIFORM -> Double.toString(clamp(search, distribution.min(), distribution.max()));
                case LOG_UNIFORM -> Double.toString(clamp(Math.exp(search), distribution.min(), distribution.max()));
                case INT_UNIFORM -> Long.toString((long) clamp(Math.rint(search), distribution.min(), distribution.max()));
            };
        }

        private static double clamp(double value, double min, double max) {
            return Math.max(min, Math.min(max, value));
        }
    }

    /** Gaussians truncated to the search range, one per observation and one prior, as Hyperopt builds them. */
    record ParzenMixture(double low, double high, double[] means, double[] deviations, double[] weights) {

        static ParzenMixture of(SearchSpace space, double[] observed) {
            double width = space.high() - space.low();
            double prior = space.low() + width / 2;
            double[] means = Arrays.copyOf(observed, observed.length + 1);
            means[observed.length] = prior;
            Arrays.sort(means);
            double[] deviations = new double[means.length];
            double[] weights = new double[means.length];
            // Hyperopt's and Optuna's "magic clip": the components (prior included) plus one.
            double minimum = width / Math.min(100.0, means.length + 1.0);
            int last = means.length - 1;
            boolean priorSeen = false;
            for (int i = 0; i < means.length; i++) {
                // The outermost components take the distance to their one neighbour, not to the range's end
                // (Optuna's consider_endpoints=False, Hyperopt's lsigma and usigma).
                double spread = last == 0 ? width
                        : i == 0 ? means[1] - means[0]
                        : i == last ? means[last] - means[last - 1]
                        : Math.max(means[i] - means[i - 1], means[i + 1] - means[i]);
                boolean isPrior = !priorSeen && means[i] == prior;
                priorSeen |= isPrior;
                deviations[i] = isPrior ? width : Math.max(minimum, Math.min(width, spread));
                weights[i] = isPrior ? PRIOR_WEIGHT : 1.0;
            }
            double total = Arrays.stream(weights).sum();
            for (int i = 0; i < weights.length; i++) {
                weights[i] /= total;
            }
            return new ParzenMixture(space.low(), space.high(), means, deviations, weights);
        }

        /** A component drawn by weight, then a normal draw from it, redrawn until it falls in range. */
        double sample(SplittableRandom random) {
            int component = drawIndex(weights, 1.0, random);
            for (int attempt = 0; attempt < 1_000; attempt++) {
                double x = means[component] + deviations[component] * random.nextGaussian();
                if (x >= low && x <= high) {
                    return x;
                }
            }
            return Math.max(low, Math.min(high, means[component]));
        }

        double logDensity(double x) {
            double density = 0;
            for (int i = 0; i < means.length; i++) {
                double mass = normalCdf((high - means[i]) / deviations[i]) - normalCdf((low - means[i]) / deviations[i]);
                double z = (x - means[i]) / deviations[i];
                density += weights[i] * Math.exp(-0.5 * z * z) / (deviations[i] * Math.sqrt(2 * Math.PI) * mass);
            }
            return Math.log(Math.max(density, Double.MIN_NORMAL));
        }

        /** The log of the mixture's probability of [a, b], a part of the range. */
        double logMass(double a, double b) {
            double mass = 0;
            for (int i = 0; i < means.length; i++) {
                double inRange = normalMass((low - means[i]) / deviations[i], (high - means[i]) / deviations[i]);
                mass += weights[i] * normalMass((a - means[i]) / deviations[i], (b - means[i]) / deviations[i])
                        / inRange;
            }
            return Math.log(Math.max(mass, Double.MIN_NORMAL));
        }

        private static double normalCdf(double z) {
            return 0.5 * (1 + Erf.erf(z / Math.sqrt(2)));
        }

        /** Φ(zb) - Φ(za) for za <= zb, from the nearer tail so that a mass far from the mean is not lost to rounding. */
        private static double normalMass(double za, double zb) {
            if (za > 0) {
                return 0.5 * (Erf.erfc(za / Math.sqrt(2)) - Erf.erfc(zb / Math.sqrt(2)));
            }
            if (zb < 0) {
                return 0.5 * (Erf.erfc(-zb / Math.sqrt(2)) - Erf.erfc(-za / Math.sqrt(2)));
            }
            return 1 - 0.5 * Erf.erfc(-za / Math.sqrt(2)) - 0.5 * Erf.erfc(zb / Math.sqrt(2));
        }
    }
}
