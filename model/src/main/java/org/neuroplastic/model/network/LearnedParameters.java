package org.neuroplastic.model.network;

import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Learned parameters, the entries the updater changes, of a network, and the hidden widths of the dense
 * baseline that has as many as the plastic network (issue 19: a free alpha doubles a plastic layer's).
 *
 * <p>A plastic layer learns {@code W} and {@code b}, {@code alpha} when Hebbian learning is on and alpha is
 * not fixed (one per connection when free, one scalar when shared), and the gain {@code g} when adaptation
 * is on (see {@link org.neuroplastic.model.layer.PlasticDenseParameters}); its trace, mask, scaling, activity
 * and threshold are state. Every entry of {@code W} and {@code alpha} counts, masked out or not: the updater
 * holds them all and rewiring regrows absent connections, so every entry can be trained during a run.
 */
public final class LearnedParameters {

    private LearnedParameters() {
    }

    /** The learned parameters of the network {@code spec} builds. */
    public static long of(NetworkSpec spec) {
        return spec.variant() == NetworkSpec.Variant.PLASTIC ? plastic(spec)
                : dense(spec.nIn(), spec.builtHidden().stream().map(LayerSpec::size).toList(), spec.output().size());
    }

    /** The learned parameters of the plastic network of {@code spec}'s architecture, whatever its variant. */
    public static long plastic(NetworkSpec spec) {
        long total = 0;
        long nIn = spec.nIn();
        for (LayerSpec layer : spec.hidden()) {
            total += plasticLayer(nIn, layer.size(), layer.plasticity());
            nIn = layer.size();
        }
        return total + denseLayer(nIn, spec.output().size());
    }

    /** The learned parameters of dense hidden layers of {@code widths} and an output layer of {@code outputs}. */
    public static long dense(int nIn, List<Integer> widths, int outputs) {
        long total = 0;
        long in = nIn;
        for (int width : widths) {
            total += denseLayer(in, width);
            in = width;
        }
        return total + denseLayer(in, outputs);
    }

    /**
     * The hidden widths of {@code spec}'s parameter-matched dense baseline: every width {@code n_i} scaled
     * by one common factor {@code s >= 1} and rounded half up, {@code round(s n_i)}, the input and output
     * layers unchanged. Of the widths that some {@code s} gives, those whose dense count is closest to the
     * plastic network's learned count; at a tie, the smaller network. At {@code s = 1} the widths are the
     * plastic network's, so a plastic network that learns only {@code W} and {@code b} keeps them.
     *
     * <p>The widths change only where {@code s n_i} crosses a half-integer, {@code s = (2w - 1) / (2 n_i)};
     * the search steps through those points in exact integer arithmetic, and the dense count grows with
     * {@code s}, so it stops at the first widths at or above the plastic count and compares them with the
     * widths just before.
     */
    public static List<Integer> matchedWidths(NetworkSpec spec) {
        long[] widths = spec.hidden().stream().mapToLong(LayerSpec::size).toArray();
        if (widths.length == 0) {
            return List.of();
        }
        long target = plastic(spec);
        long count = dense(spec.nIn(), widths, spec.output().size());
        while (count < target) {
            long[] wider = nextWidths(spec, widths);
            long widerCount = dense(spec.nIn(), wider, spec.output().size());
            if (widerCount >= target) {
                return asList(target - count <= widerCount - target ? widths : wider);
            }
            widths = wider;
            count = widerCount;
        }
        return asList(widths);
    }

    /**
     * One line saying which widths {@code spec}'s parameter-matched baseline was built with, for the console:
     * {@code dense_matched: hidden widths [119] for the plastic [64], 8935 learned parameters for the
     * plastic network's 8906}.
     */
    public static String describeMatch(NetworkSpec spec) {
        return ConfigName.of(NetworkSpec.Variant.DENSE_MATCHED) + ": hidden widths "
                + matchedWidths(spec) + " for the plastic " + spec.hidden().stream().map(LayerSpec::size).toList()
                + ", " + dense(spec.nIn(), matchedWidths(spec), spec.output().size())
                + " learned parameters for the plastic network's " + plastic(spec);
    }

    /**
     * The widths at the next half-integer crossing: layer {@code i} of configured width {@code n_i}, now
     * {@code w_i}, widens at {@code s = (2 w_i + 1) / (2 n_i)}; every layer whose crossing is the smallest
     * widens by one.
     */
    private static long[] nextWidths(NetworkSpec spec, long[] widths) {
        int first = 0;
        for (int i = 1; i < widths.length; i++) {
            if (crossingCompare(spec, widths, i, first) < 0) {
                first = i;
            }
        }
        long[] next = widths.clone();
        for (int i = 0; i < widths.length; i++) {
            if (crossingCompare(spec, widths, i, first) == 0) {
                next[i]++;
            }
        }
        return next;
    }

    private static int crossingCompare(NetworkSpec spec, long[] widths, int i, int j) {
        long ni = spec.hidden().get(i).size();
        long nj = spec.hidden().get(j).size();
        return Long.compare((2 * widths[i] + 1) * nj, (2 * widths[j] + 1) * ni);
    }

    private static long dense(int nIn, long[] widths, int outputs) {
        return dense(nIn, asList(widths), outputs);
    }

    private static List<Integer> asList(long[] widths) {
        List<Integer> list = new ArrayList<>(widths.length);
        for (long width : widths) {
            list.add(Math.toIntExact(width));
        }
        return List.copyOf(list);
    }

    private static long denseLayer(long nIn, long nOut) {
        return nIn * nOut + nOut;
    }

    private static long plasticLayer(long nIn, long nOut, PlasticitySettings p) {
        long alpha = !p.hebbian().enabled() ? 0 : switch (p.hebbian().coefficient()) {
            case FREE -> nIn * nOut;
            case SHARED -> 1;
            case FIXED -> 0;
        };
        long gain = p.adaptation().enabled() ? nOut : 0;
        return denseLayer(nIn, nOut) + alpha + gain;
    }
}
