package dev.argon.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Runs a closed loop: N threads, each repeating one step (one logical operation, which times itself through
 * its {@link OpRecorder}) as fast as the server answers, first for the warm-up, then for the measured time or
 * until a step budget is spent. Each thread drops what it recorded during the warm-up the first time it sees
 * the measured phase, so no histogram is touched by two threads. Used from one thread.
 */
final class LoadRunner {
    /** One logical operation of a workload, on one client thread. */
    interface Step {
        void run(OpRecorder recorder, SplittableRandom rnd);
    }

    /**
     * What to run.
     *
     * @param maxWarmupSteps and maxSteps cap the number of steps (all threads together) for workloads whose steps
     *        leave something behind, such as branches; {@code Long.MAX_VALUE} for none
     */
    record Plan(String label, int threads, double warmupSeconds, double seconds, long maxWarmupSteps, long maxSteps) {
        static Plan timed(String label, int threads, BenchConfig c) {
            return new Plan(label, threads, c.warmupSeconds(), c.seconds(), Long.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    /** Merged figures of a run. */
    record Outcome(List<OpStats> ops, double seconds, String firstError) {}

    private final ProgressLine progress;

    LoadRunner(ProgressLine progress) {
        this.progress = progress;
    }

    Outcome run(Plan plan, long seed, IntFunction<Step> stepForThread) {
        return run(plan, seed, stepForThread, () -> { });
    }

    /** As {@link #run(Plan, long, IntFunction)}, calling atMeasureStart when the warm-up ends. */
    Outcome run(Plan plan, long seed, IntFunction<Step> stepForThread, Runnable atMeasureStart) {
        LongAdder liveOps = new LongAdder();
        LongAdder liveErrors = new LongAdder();
        LongAdder liveSteps = new LongAdder();
        AtomicLong budget = new AtomicLong(plan.maxWarmupSteps());
        Phase phase = new Phase();
        List<OpRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < plan.threads(); i++) {
            OpRecorder rec = new OpRecorder(liveOps, liveErrors);
            recorders.add(rec);
            Step step = stepForThread.apply(i);
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
            Thread t = new Thread(() -> loop(step, rec, rnd, phase, budget, liveSteps), "argon-bench-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        long start = System.nanoTime();
        progress.show(() -> status(plan, phase, start, liveOps, liveSteps, liveErrors));
        threads.forEach(Thread::start);
        try {
            waitPhase(plan.warmupSeconds(), budget);
            liveOps.reset();
            liveSteps.reset();
            atMeasureStart.run();
            phase.measureStart = System.nanoTime();
            phase.measuring = true;
            budget.set(plan.maxSteps());
            waitPhase(plan.seconds(), budget);
            phase.stop = true;
            for (Thread t : threads) {
                t.join();
            }
            // After the join: operations in flight at the stop are recorded, so their time counts too.
            long end = System.nanoTime();
            double seconds = (end - phase.measureStart) / 1e9;
            return merge(recorders, seconds);
        } catch (InterruptedException e) {
            phase.stop = true;
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            progress.stop();
        }
    }

    private static void loop(Step step, OpRecorder rec, SplittableRandom rnd, Phase phase, AtomicLong budget, LongAdder steps) {
        boolean measuring = false;
        while (!phase.stop) {
            if (!measuring && phase.measuring) {
                measuring = true;
                rec.reset();
            }
            if (budget.getAndDecrement() <= 0) {
                // Budget spent: idle until the phase changes rather than spin on the counter.
                pause();
                continue;
            }
            try {
                step.run(rec, rnd);
            } catch (RuntimeException e) {
                // Work around the timed operations (setting up a branch, cleaning up) failed: count it, go on.
                rec.error("step", e);
            }
            steps.increment();
        }
    }

    /** Sleeps until the phase's time is up or its step budget is spent. */
    private static void waitPhase(double seconds, AtomicLong budget) throws InterruptedException {
        // Capped at about 30 years so that "no time limit" cannot overflow the deadline.
        long deadline = System.nanoTime() + (long) Math.min(seconds * 1e9, 1e18);
        while (deadline - System.nanoTime() > 0 && budget.get() > 0) {
            Thread.sleep(Math.max(1, Math.min(20, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Outcome merge(List<OpRecorder> recorders, double seconds) {
        Map<String, Histogram> merged = new LinkedHashMap<>();
        Map<String, Long> errors = new LinkedHashMap<>();
        String firstError = null;
        for (OpRecorder r : recorders) {
            for (Map.Entry<String, Histogram> e : r.latencies().entrySet()) {
                merged.computeIfAbsent(e.getKey(), k -> OpRecorder.newHistogram()).add(e.getValue());
                errors.merge(e.getKey(), r.errors(e.getKey()), Long::sum);
            }
            if (firstError == null) {
                firstError = r.firstError();
            }
        }
        List<OpStats> ops = new ArrayList<>();
        merged.forEach((op, h) -> ops.add(OpStats.of(op, h, seconds, errors.get(op))));
        return new Outcome(ops, seconds, firstError);
    }

    private static String status(Plan plan, Phase phase, long start, LongAdder ops, LongAdder steps, LongAdder errors) {
        double elapsed = ((phase.measuring ? System.nanoTime() - phase.measureStart : System.nanoTime() - start)) / 1e9;
        if (!phase.measuring) {
            return String.format("%s  warm-up %.0f/%.0fs", plan.label(), elapsed, plan.warmupSeconds());
        }
        long n = ops.sum();
        String limit = plan.maxSteps() < Long.MAX_VALUE ? String.format("%.0fs  %,d/%,d steps  %,d", elapsed, steps.sum(), plan.maxSteps(), n)
                : String.format("%.0f/%.0fs  %,d", elapsed, plan.seconds(), n);
        return String.format("%s  %s ops  %,.0f ops/s  %d errors", plan.label(), limit, elapsed > 0 ? n / elapsed : 0.0, errors.sum());
    }

    /** Phase flags shared by the controller and the client threads. */
    private static final class Phase {
        volatile boolean measuring;
        volatile boolean stop;
        volatile long measureStart;
    }
}
