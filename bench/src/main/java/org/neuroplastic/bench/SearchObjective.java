package org.neuroplastic.bench;

import org.neuroplastic.jobs.sweep.SweptParameter;

import java.util.List;
import java.util.Map;

/**
 * A function the search benchmark minimises: its search space as the sweep declares one, and its value at a
 * setting given as the sweep gives it (each key's value as YAML text), so every search method reaches it the
 * same way.
 */
interface SearchObjective {

    String name();

    /** What the benchmark prints about it: dimensions, range, known minimum. */
    String description();

    List<SweptParameter> parameters();

    /**
     * The value the excess is measured from: the known minimum, or a lower bound when none is known (the
     * ratio lines compare best value minus this).
     */
    double reference();

    double value(Map<String, String> setting);
}
