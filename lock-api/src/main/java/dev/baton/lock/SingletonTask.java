package dev.baton.lock;

/**
 * Work that must run on exactly one process of a fleet at a time: see {@link Coordinator#singleton(String, String,
 * SingletonTask)}.
 *
 * <p>The task runs on a thread of its own while its candidate leads. When leadership is lost the thread is
 * interrupted: the task must stop promptly when interrupted, and should pass {@link Leadership#fencingToken()} to
 * every resource it writes, because an interrupt cannot stop a process that is paused.
 */
@FunctionalInterface
public interface SingletonTask {
    /**
     * Runs the task for one term.
     *
     * @param leadership the current term
     * @throws Exception any failure; it is logged, the term is resigned and the candidate campaigns again
     */
    void run(Leadership leadership) throws Exception;
}
