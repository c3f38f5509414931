package org.neuroplastic.jobs.analyze;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which group and replica each train run of a study is ({@code analyze --groups FILE}), and which groups are
 * compared with which: a CSV file with the header {@code run_id,group,replica} or
 * {@code run_id,group,replica,baselines} and one line per run. Train runs record their configuration but no
 * method name, and a study's methods differ in several keys at once (Shrink and Perturb is L2 plus noise), so
 * the script that trains them names them. Runs of different groups with the same replica number are paired.
 *
 * <p>A group is compared with {@code --baseline-group} (every other group) and with the groups its lines'
 * {@code baselines} field names, separated by {@code ;} (a continual study compares plastic-ewc with dense-ewc
 * and with plastic-naive): one baseline would pair the plastic network's methods with the wrong partner.
 *
 * @param file      where the groups were read, for messages
 * @param members   run id to its group and replica, in the file's order (the order groups are shown in)
 * @param baselines group to the groups it is compared with, as the file names them (groups it names none for absent)
 * @param baseline  the group every other group is compared with ({@code --baseline-group}), if any
 */
public record StudyGroups(String file, Map<String, Member> members, Map<String, List<String>> baselines,
                          Optional<String> baseline) {

    static final String HEADER = "run_id,group,replica";
    static final String HEADER_WITH_BASELINES = HEADER + ",baselines";

    /** One run's place in the study. */
    public record Member(String group, int replica) {
    }

    /** {@code group} minus {@code baseline}, paired by replica. */
    public record Comparison(String group, String baseline) {
    }

    public StudyGroups {
        Map<String, Member> copy = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        List<String> known = groups(copy);
        if (baseline.isPresent() && !known.contains(baseline.get())) {
            throw new InvalidInputException("--baseline-group " + baseline.get() + " names no group of " + file
                    + "; its groups are " + String.join(", ", known));
        }
        Map<String, List<String>> named = new LinkedHashMap<>();
        baselines.forEach((group, list) -> {
            for (String other : list) {
                if (!known.contains(other) || other.equals(group)) {
                    throw new InvalidInputException("--groups " + file + ": group " + group + " names baseline " + other
                            + ", which is " + (other.equals(group) ? "itself" : "no group of the file; its groups are "
                            + String.join(", ", known)));
                }
            }
            named.put(group, List.copyOf(list));
        });
        members = copy;
        baselines = Collections.unmodifiableMap(named);
    }

    /** The groups in the order the file first names them. */
    List<String> groups() {
        return groups(members);
    }

    /**
     * Every comparison, group by group in file order: against {@code --baseline-group} first, then the file's
     * baselines in the order its line names them; each pair once.
     */
    List<Comparison> comparisons() {
        List<Comparison> comparisons = new ArrayList<>();
        for (String group : groups()) {
            List<String> against = new ArrayList<>();
            baseline.filter(b -> !b.equals(group)).ifPresent(against::add);
            baselines.getOrDefault(group, List.of()).stream().filter(b -> !against.contains(b)).forEach(against::add);
            against.forEach(b -> comparisons.add(new Comparison(group, b)));
        }
        return comparisons;
    }

    private static String listed(List<String> groups) {
        return groups.isEmpty() ? "(none)" : String.join(";", groups);
    }

    private static List<String> groups(Map<String, Member> members) {
        return members.values().stream().map(Member::group).distinct().toList();
    }

    /**
     * Reads and checks the file: the header, its fields a line, a non-negative integer replica, each run id
     * once, no run twice in one group under the same replica number, and one baselines list per group.
     */
    public static StudyGroups read(Storage storage, Location file, Optional<String> baseline) {
        String text;
        try {
            text = storage.readText(file);
        } catch (IOException e) {
            throw new InvalidInputException("--groups " + file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text, baseline);
    }

    static StudyGroups parse(String file, String text, Optional<String> baseline) {
        List<String> lines = text.lines().map(String::strip).toList();
        String header = lines.isEmpty() ? "" : lines.get(0);
        if (!header.equals(HEADER) && !header.equals(HEADER_WITH_BASELINES)) {
            throw new InvalidInputException("--groups " + file + ": expected the header line " + HEADER + " or "
                    + HEADER_WITH_BASELINES + ", found " + (lines.isEmpty() ? "an empty file" : header));
        }
        int columns = header.split(",").length;
        if (lines.stream().skip(1).allMatch(String::isEmpty)) {
            throw new InvalidInputException("--groups " + file + ": names no run; expected one line " + header + " per run");
        }
        Map<String, Member> members = new LinkedHashMap<>();
        Map<String, String> replicas = new LinkedHashMap<>();
        Map<String, List<String>> baselines = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            String[] fields = lines.get(i).split(",", -1);
            String where = "--groups " + file + " line " + (i + 1) + ": ";
            if (fields.length != columns || fields[0].isBlank() || fields[1].isBlank()) {
                throw new InvalidInputException(where + "expected " + header + " (" + columns
                        + " fields, the first two non-empty), found " + lines.get(i));
            }
            int replica;
            try {
                replica = Integer.parseInt(fields[2].strip());
            } catch (NumberFormatException e) {
                replica = -1;
            }
            if (replica < 0) {
                throw new InvalidInputException(where + "replica must be an integer >= 0, found " + fields[2]);
            }
            Member member = new Member(fields[1].strip(), replica);
            String run = fields[0].strip();
            if (members.put(run, member) != null) {
                throw new InvalidInputException(where + "run " + run + " is named twice");
            }
            String earlier = replicas.put(member.group() + "\u0000" + replica, run);
            if (earlier != null) {
                throw new InvalidInputException(where + "group " + member.group() + " has replica " + replica + " twice (runs "
                        + earlier + " and " + run + ")");
            }
            if (columns == 4) {
                List<String> named = Arrays.stream(fields[3].split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                List<String> before = baselines.putIfAbsent(member.group(), named);
                if (before != null && !before.equals(named)) {
                    throw new InvalidInputException(where + "group " + member.group() + " names baselines "
                            + listed(named) + ", an earlier line " + listed(before) + "; expected one list per group");
                }
            }
        }
        baselines.values().removeIf(List::isEmpty);
        return new StudyGroups(file, members, baselines, baseline);
    }
}
