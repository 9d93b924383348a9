package dev.argon.bench.harness;

/** A workload: given a loaded session, it measures and returns one result. Implementations are stateless. */
interface Workload {
    /** The name used on the command line and in reports ({@code A}, {@code branch}, ...). */
    String name();

    /** One line for people reading a report. */
    String description();

    WorkloadResult run(Session session, LoadRunner runner);
}
