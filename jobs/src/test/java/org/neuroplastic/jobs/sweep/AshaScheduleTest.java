package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jobs of an asha sweep on the clock of epochs: 4 trials of 4 epochs, one rung after epoch 1,
 * reduction factor 2, 2 slots. By hand: slots 0 and 1 start t0 and t1 (epochs 0-1). At time 1 rung 0 holds
 * t0 (0.5) and t1 (0.2); floor(2/2) = 1 goes on: t1 (1-4) on slot 0 until time 4, and slot 1 starts t2
 * (0-1). At time 2 rung 0 holds three; its best, t2 (0.1), goes on (1-4) until time 5. At time 4 slot 0
 * starts t3 (0-1). At time 5 rung 0 holds four, its best two went on, a trial went on from the last rung:
 * done, t0 and t3 stopped. t1 went on while t2 and t3 had not reached the rung.
 */
class AshaScheduleTest {

    private static final Metric LOSS = new Metric(Metric.Name.TEST_LOSS, Metric.Goal.MINIMIZE);

    private static List<Trial> trials() {
        SweepConfig sweep = SweepFiles.sweep("""
                method: grid
                parameters:
                  network.updater.learning_rate: {values: [0.001, 0.002, 0.003, 0.004]}
                  training.epochs: {values: [4]}
                """);
        return sweep.trials();
    }

    private static String describe(AshaSchedule.Job job) {
        return job == null ? null : job.index() + ":" + job.trial().trialId() + " " + job.from() + "-" + job.to();
    }

    @Test
    void aTrialGoesOnBeforeItsRungIsFullAndTheOrderResultsArriveInChangesNothing() {
        for (boolean t1First : new boolean[] {true, false}) {
            AshaSchedule schedule = new AshaSchedule(trials(), new EarlyStop(1, 2, 1, EarlyStop.Kind.ASHA), LOSS, 2, t -> 1);
            List<String> jobs = new ArrayList<>();
            jobs.add(describe(schedule.next()));
            jobs.add(describe(schedule.next()));
            assertThat(schedule.next()).as("slot 0 at time 1 waits for both results due by then").isNull();
            if (t1First) {
                schedule.reached(1, 0.2);
                assertThat(schedule.next()).isNull();
                schedule.reached(0, 0.5);
            } else {
                schedule.reached(0, 0.5);
                assertThat(schedule.next()).isNull();
                schedule.reached(1, 0.2);
            }
            jobs.add(describe(schedule.next()));
            jobs.add(describe(schedule.next()));
            assertThat(schedule.next()).isNull();
            schedule.reached(3, 0.1);
            jobs.add(describe(schedule.next()));
            assertThat(schedule.next()).as("slot 0 at time 4 waits for t1's last epochs").isNull();
            schedule.ended(2);
            jobs.add(describe(schedule.next()));
            assertThat(schedule.next()).isNull();
            schedule.ended(4);
            schedule.reached(5, 0.3);
            assertThat(schedule.next()).isNull();
            assertThat(schedule.done()).isTrue();

            assertThat(jobs).as(t1First ? "t1's result first" : "t0's result first")
                    .containsExactly("0:t0000 0-1", "1:t0001 0-1", "2:t0001 1-4", "3:t0002 0-1", "4:t0002 1-4", "5:t0003 0-1");
            assertThat(schedule.stopped()).containsExactly("t0000", "t0003");
        }
    }

    /**
     * The same sweep with t0's epochs costing 4 on the clock and the others' 1. Slot 1 frees at time 1 with only
     * t1 due (t0 is due at 4), so t2 starts without t0's result; at 2, t1 and t2 have reached the rung and t2 (0.1)
     * goes on (until 5). Slot 0 decides at 4, once t0's result is in: t3 starts. On the clock of epochs the
     * third job waited for t0 (the test above).
     */
    @Test
    void aTrialWhoseEpochsCostMoreIsDueLaterSoCheaperTrialsDoNotWaitForIt() {
        AshaSchedule schedule = new AshaSchedule(trials(), new EarlyStop(1, 2, 1, EarlyStop.Kind.ASHA), LOSS, 2,
                t -> t.trialId().equals("t0000") ? 4 : 1);
        assertThat(describe(schedule.next())).isEqualTo("0:t0000 0-1");
        assertThat(describe(schedule.next())).isEqualTo("1:t0001 0-1");
        assertThat(schedule.next()).isNull();
        schedule.reached(1, 0.2);
        assertThat(describe(schedule.next())).as("decided without t0's result").isEqualTo("2:t0002 0-1");
        schedule.reached(2, 0.1);
        assertThat(describe(schedule.next())).isEqualTo("3:t0002 1-4");
        assertThat(schedule.next()).as("slot 0 at time 4 waits for t0's result").isNull();
        schedule.reached(0, 0.5);
        assertThat(describe(schedule.next())).isEqualTo("4:t0003 0-1");
    }

    @Test
    void withFewerTrialsThanTheReductionFactorOneStillTrainsToItsLastEpoch() {
        AshaSchedule schedule = new AshaSchedule(trials().subList(0, 1), new EarlyStop(2, 3, 1, EarlyStop.Kind.ASHA),
                LOSS, 2, t -> 1);
        assertThat(describe(schedule.next())).isEqualTo("0:t0000 0-1");
        assertThat(schedule.next()).isNull();
        schedule.reached(0, 1.0);
        assertThat(describe(schedule.next())).isEqualTo("1:t0000 1-3");
        schedule.reached(1, 0.5);
        assertThat(describe(schedule.next())).isEqualTo("2:t0000 3-4");
        schedule.ended(2);
        assertThat(schedule.next()).isNull();
        assertThat(schedule.done()).isTrue();
        assertThat(schedule.stopped()).isEmpty();
    }
}
