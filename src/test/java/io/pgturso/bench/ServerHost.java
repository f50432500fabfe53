package io.pgturso.bench;

import io.pgturso.testing.LibsqlTestServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A process of its own that hosts libSQL test servers for the benchmark, so that they can run on a CPU of their own as
 * Turso Cloud's server runs on a machine of its own. One process serves the whole benchmark (its JIT stays warm).
 * Commands on standard input, one per line: {@code start FILE LATENCY_MS} (answers the server's URL), {@code stop URL}
 * (answers {@code stopped}); the process ends when its input ends.
 */
public final class ServerHost implements AutoCloseable {
    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;

    private ServerHost(Process process) {
        this.process = process;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the host process with this JVM's class path (the test class path under Maven). */
    public static ServerHost fork() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath(), ServerHost.class.getName());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return new ServerHost(builder.start());
    }

    private static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            return Arrays.stream(loader.getURLs()).map(url -> {
                try {
                    return Path.of(url.toURI()).toString();
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    /** The host's process id (to pin it to a CPU). */
    public long pid() {
        return process.pid();
    }

    /** Starts a server on a new database file with this simulated round trip; returns its URL. */
    public synchronized String start(Path file, Duration latency) {
        return ask("start " + file + " " + latency.toMillis());
    }

    /** Stops the server at this URL. */
    public synchronized void stop(String url) {
        ask("stop " + url);
    }

    private String ask(String command) {
        try {
            commands.write(command);
            commands.newLine();
            commands.flush();
            String answer = answers.readLine();
            if (answer == null || answer.startsWith("error ")) {
                throw new IllegalStateException("server host: " + command + ": " + answer);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        commands.close();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The host process: serves the commands on standard input. */
    public static void main(String[] args) throws IOException {
        Map<String, LibsqlTestServer> servers = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.split(" ");
            try {
                if (words[0].equals("start")) {
                    LibsqlTestServer server = LibsqlTestServer.start(Path.of(words[1]))
                            .latency(Duration.ofMillis(Long.parseLong(words[2])));
                    servers.put(server.url(), server);
                    System.out.println(server.url());
                } else if (words[0].equals("stop")) {
                    LibsqlTestServer server = servers.remove(words[1]);
                    if (server != null) {
                        server.close();
                    }
                    System.out.println("stopped");
                } else {
                    System.out.println("error unknown command " + words[0]);
                }
            } catch (RuntimeException e) {
                System.out.println("error " + e);
            }
            System.out.flush();
        }
        servers.values().forEach(LibsqlTestServer::close);
    }
}
