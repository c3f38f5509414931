package org.neuroplastic.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.neuroplastic.jobs.sweep.Distribution;
import org.neuroplastic.jobs.sweep.SweptParameter;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines the search benchmark exchanges with its Optuna process ({@code optuna_ask_tell.py}), one JSON
 * object a line: a study line (seed and search space), an ask line answered by the trial's number and
 * parameters, and a tell line with the trial's value. Parameters come back as the sweep writes a setting:
 * a float as Java's shortest decimal text, an integer without a fraction.
 */
final class AskTellCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Optuna's answer to an ask: the trial to tell about, and its setting. */
    record Ask(int number, Map<String, String> setting) {
    }

    private AskTellCodec() {
    }

    /**
     * A new study of {@code seed} over {@code parameters}; {@code fix5110}: with the Parzen log-density that
     * Optuna's pull request 5110 corrected (see optuna_ask_tell.py), else with the installed one.
     */
    static String study(long seed, List<SweptParameter> parameters, boolean fix5110) {
        ObjectNode message = JSON.createObjectNode().put("op", "study").put("seed", seed).put("fix_5110", fix5110);
        ArrayNode space = message.putArray("space");
        for (SweptParameter parameter : parameters) {
            Distribution d = parameter.distribution();
            if (d == null) {
                throw new IllegalArgumentException(parameter.key() + ": the benchmark sends distributions only, "
                        + "found listed values");
            }
            space.addObject().put("name", parameter.key()).put("kind", d.kind().name().toLowerCase(Locale.ROOT))
                    .put("low", d.min()).put("high", d.max());
        }
        return message.toString();
    }

    static String ask() {
        return JSON.createObjectNode().put("op", "ask").toString();
    }

    static String tell(int number, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("trial " + number + "'s value must be finite to be sent, found " + value);
        }
        return JSON.createObjectNode().put("op", "tell").put("number", number).put("value", value).toString();
    }

    /** Reads an ask's answer, e.g. {@code {"number": 3, "params": {"x": 0.5, "width": 12}}}. */
    static Ask answer(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("optuna answered an ask with no JSON object: " + line);
        }
        if (node == null || !node.path("number").canConvertToInt() || !node.path("params").isObject()) {
            throw new IllegalArgumentException("optuna answered an ask without a number and params: " + line);
        }
        Map<String, String> setting = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.get("params").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (!value.isNumber()) {
                throw new IllegalArgumentException("optuna's parameter " + field.getKey() + " is not a number: " + line);
            }
            setting.put(field.getKey(), value.isIntegralNumber() ? Long.toString(value.longValue())
                    : Double.toString(value.doubleValue()));
        }
        return new Ask(node.get("number").intValue(), setting);
    }
}
