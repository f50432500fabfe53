package io.pgturso.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The application in its own JVM, as ops run it, so tests can kill it with SIGKILL at any moment. */
public final class SyncProcess implements AutoCloseable {
    private final Process process;

    private SyncProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code App} with {@code args} and {@code --config dir}; output goes to {@code log}. */
    public static SyncProcess start(Path dir, Path log, Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.pgturso.App"));
        command.addAll(List.of(args));
        command.add("--config");
        command.add(dir.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new SyncProcess(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the sync process: " + e.getMessage(), e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit and returns its exit code. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The sync process did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
