package io.minispod.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo jar run as a child JVM on one database: started, killed with SIGKILL, started again.
 * Clients ask it for the live process with {@link #awaitLive}, which waits while the demo is down,
 * so a client cut off by a kill sends its request again to the next process.
 */
final class DemoHost implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("MinisPod demo is running at (http://\\S+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path jar;
  private final Map<String, String> environment;
  private final List<String> arguments;
  private final Path logDirectory;
  private final AtomicInteger leaseLost = new AtomicInteger();
  private final AtomicInteger kills = new AtomicInteger();
  private int generation;
  private Live current;

  /**
   * One process of the demo.
   *
   * @param process the child process
   * @param baseUrl its URL, such as {@code http://localhost:41234}
   * @param generation 1 for the first process, then one more per restart
   */
  record Live(Process process, String baseUrl, int generation) {}

  DemoHost(Path jar, Map<String, String> environment, List<String> arguments, Path logDirectory) {
    this.jar = jar;
    this.environment = Map.copyOf(environment);
    this.arguments = List.copyOf(arguments);
    this.logDirectory = logDirectory;
  }

  /**
   * Starts a process of the demo and waits until it prints that it is running; clients waiting for
   * a live process get it from then on.
   */
  Live start() throws IOException, InterruptedException {
    int next;
    synchronized (this) {
      if (current != null) {
        throw new IllegalStateException("the demo is already running: " + current);
      }
      next = ++generation;
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(javaFromHome()));
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    Path log = logDirectory.resolve("demo-" + next + ".log");
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, log, ready), "demo-" + next + "-output");
    pump.setDaemon(true);
    pump.start();
    String baseUrl;
    try {
      baseUrl = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "demo process " + next + " was not ready within " + START_TIMEOUT + "; see " + log, e);
    }
    synchronized (this) {
      current = new Live(process, baseUrl, next);
      notifyAll();
      return current;
    }
  }

  /**
   * Kills the live process with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for
   * it to be gone. Clients asking for a live process wait from now on until {@link #start()}.
   */
  Live kill() throws InterruptedException {
    Live killed;
    synchronized (this) {
      killed = current;
      if (killed == null) {
        throw new IllegalStateException("no demo process is running");
      }
      current = null;
    }
    killed.process().destroyForcibly();
    if (!killed.process().waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("demo process " + killed.generation() + " did not die");
    }
    kills.incrementAndGet();
    return killed;
  }

  /**
   * The live process, other than {@code failed} (one a client could not reach): waits while the
   * demo is down or still the failed one, up to {@code timeout}.
   */
  synchronized Live awaitLive(Live failed, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (current == null || (current.equals(failed) && !current.process().isAlive())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("no live demo process within " + timeout);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return current;
  }

  /** How often a demo process logged that a workflow's lease was lost. */
  int leaseLostLines() {
    return leaseLost.get();
  }

  /** How many processes were killed. */
  int kills() {
    return kills.get();
  }

  /** How many processes were started. */
  synchronized int generations() {
    return generation;
  }

  /** Stops the live process, if any (with SIGKILL: nothing of it is needed any more). */
  @Override
  public void close() throws InterruptedException {
    Live live;
    synchronized (this) {
      live = current;
      current = null;
    }
    if (live != null) {
      live.process().destroyForcibly();
      live.process().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void pump(Process process, Path log, CompletableFuture<String> ready) {
    try (BufferedReader output =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = output.readLine()) != null) {
        file.write(line);
        file.write('\n');
        file.flush();
        Matcher matcher = READY.matcher(line);
        if (matcher.find()) {
          ready.complete(matcher.group(1));
        }
        if (line.contains("lease was lost")) {
          leaseLost.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // The process was killed while its output was read.
    } finally {
      ready.completeExceptionally(
          new IllegalStateException("the demo's output ended before it was ready; see " + log));
    }
  }

  private static String javaFromHome() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (!Files.isExecutable(java)) {
      throw new UncheckedIOException(new IOException("no java executable at " + java));
    }
    return java.toString();
  }
}
