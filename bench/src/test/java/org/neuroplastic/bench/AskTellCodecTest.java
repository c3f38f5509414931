package org.neuroplastic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.sweep.Distribution;
import org.neuroplastic.jobs.sweep.SweptParameter;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AskTellCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStudyLineCarriesTheSeedAndEachDistribution() throws Exception {
        String line = AskTellCodec.study(7, List.of(
                new SweptParameter("rate", List.of(), new Distribution(Distribution.Kind.LOG_UNIFORM, 0.001, 0.1)),
                new SweptParameter("width", List.of(), new Distribution(Distribution.Kind.INT_UNIFORM, 4, 32))), true);
        assertThat(line).doesNotContain("\n");
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("op").asText()).isEqualTo("study");
        assertThat(node.get("seed").asLong()).isEqualTo(7);
        assertThat(node.get("fix_5110").asBoolean()).isTrue();
        assertThat(node.get("space").get(0).get("name").asText()).isEqualTo("rate");
        assertThat(node.get("space").get(0).get("kind").asText()).isEqualTo("log_uniform");
        assertThat(node.get("space").get(0).get("low").asDouble()).isEqualTo(0.001);
        assertThat(node.get("space").get(1).get("kind").asText()).isEqualTo("int_uniform");
        assertThat(node.get("space").get(1).get("high").asDouble()).isEqualTo(32);
    }

    @Test
    void askAndTellLines() throws Exception {
        assertThat(JSON.readTree(AskTellCodec.ask()).get("op").asText()).isEqualTo("ask");
        JsonNode tell = JSON.readTree(AskTellCodec.tell(3, 0.25));
        assertThat(tell.get("op").asText()).isEqualTo("tell");
        assertThat(tell.get("number").asInt()).isEqualTo(3);
        assertThat(tell.get("value").asDouble()).isEqualTo(0.25);
        assertThatThrownBy(() -> AskTellCodec.tell(3, Double.NaN)).hasMessageContaining("finite");
    }

    @Test
    void anAnswerBecomesASettingAsTheSweepWritesOne() {
        AskTellCodec.Ask ask = AskTellCodec.answer("{\"number\": 12, \"params\": {\"rate\": 1e-05, \"width\": 17}}");
        assertThat(ask.number()).isEqualTo(12);
        assertThat(ask.setting()).isEqualTo(Map.of("rate", "1.0E-5", "width", "17"));
    }

    @Test
    void aMalformedAnswerIsRefusedWithTheLine() {
        assertThatThrownBy(() -> AskTellCodec.answer("Traceback (most recent call last):"))
                .hasMessageContaining("Traceback");
        assertThatThrownBy(() -> AskTellCodec.answer("{\"params\": {}}")).hasMessageContaining("number");
        assertThatThrownBy(() -> AskTellCodec.answer("{\"number\": 1, \"params\": {\"x\": \"a\"}}"))
                .hasMessageContaining("x");
    }
}
