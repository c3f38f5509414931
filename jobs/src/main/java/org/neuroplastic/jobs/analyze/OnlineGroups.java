package org.neuroplastic.jobs.analyze;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which method and replica each train run of a study is ({@code analyze --groups FILE}): a CSV file with the
 * header {@code run_id,group,replica} and one line per run. Train runs record their configuration but no
 * method name, and a study's methods differ in several keys at once (Shrink and Perturb is L2 plus noise), so
 * the script that trains them names them. Runs of different groups with the same replica number are paired.
 *
 * @param file      where the groups were read, for messages
 * @param members   run id to its group and replica, in the file's order (the order methods are shown in)
 * @param baseline  the group every other group is compared with ({@code --baseline-group}), if any
 */
public record OnlineGroups(String file, Map<String, Member> members, Optional<String> baseline) {

    static final String HEADER = "run_id,group,replica";

    /** One run's place in the study. */
    public record Member(String group, int replica) {
    }

    public OnlineGroups {
        Map<String, Member> copy = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        if (baseline.isPresent() && copy.values().stream().noneMatch(m -> m.group().equals(baseline.get()))) {
            throw new InvalidInputException("--baseline-group " + baseline.get() + " names no group of " + file
                    + "; its groups are " + String.join(", ", groups(copy)));
        }
        members = copy;
    }

    /** The groups in the order the file first names them. */
    List<String> groups() {
        return groups(members);
    }

    private static List<String> groups(Map<String, Member> members) {
        return members.values().stream().map(Member::group).distinct().toList();
    }

    /**
     * Reads and checks the file: the header, three fields a line, a non-negative integer replica, each run id
     * once, and no run twice in one group under the same replica number.
     */
    public static OnlineGroups read(Storage storage, Location file, Optional<String> baseline) {
        String text;
        try {
            text = storage.readText(file);
        } catch (IOException e) {
            throw new InvalidInputException("--groups " + file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text, baseline);
    }

    static OnlineGroups parse(String file, String text, Optional<String> baseline) {
        List<String> lines = text.lines().map(String::strip).toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new InvalidInputException("--groups " + file + ": expected the header line " + HEADER + ", found "
                    + (lines.isEmpty() ? "an empty file" : lines.get(0)));
        }
        if (lines.stream().skip(1).allMatch(String::isEmpty)) {
            throw new InvalidInputException("--groups " + file + ": names no run; expected one line " + HEADER + " per run");
        }
        Map<String, Member> members = new LinkedHashMap<>();
        Map<String, String> replicas = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            String[] fields = lines.get(i).split(",", -1);
            String where = "--groups " + file + " line " + (i + 1) + ": ";
            if (fields.length != 3 || fields[0].isBlank() || fields[1].isBlank()) {
                throw new InvalidInputException(where + "expected " + HEADER + " (three non-empty fields), found " + lines.get(i));
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
        }
        return new OnlineGroups(file, members, baseline);
    }
}
