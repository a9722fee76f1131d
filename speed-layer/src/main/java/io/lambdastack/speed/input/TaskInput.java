package io.lambdastack.speed.input;

import org.apache.spark.TaskContext;

/**
 * The Kafka slice the running task reads, when its input can be read again: set by the micro-batch's read step, read
 * by the fold that runs after it in the same task (Spark runs a stage's narrow steps in one thread, one task at a
 * time). Kept with the task's attempt id, so a thread that Spark reuses for another task never sees a stale slice;
 * inputs that cannot be read again (socket, files, queues) set none.
 */
public final class TaskInput {
  private record Current(long taskAttempt, KafkaSlice slice) {}

  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  private TaskInput() {}

  /** Called by the task that reads {@code slice}, before it hands on its first event. */
  public static void reads(KafkaSlice slice) {
    TaskContext task = TaskContext.get();
    if (task != null) {
      CURRENT.set(new Current(task.taskAttemptId(), slice));
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> CURRENT.remove());
    }
  }

  /** The slice the running task reads, or null: outside a task, or an input that cannot be read again. */
  public static KafkaSlice slice() {
    TaskContext task = TaskContext.get();
    Current current = CURRENT.get();
    return task != null && current != null && current.taskAttempt() == task.taskAttemptId() ? current.slice() : null;
  }
}
