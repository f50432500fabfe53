package io.pgturso;

/** Command-line entry point. */
public final class App {
    public static void main(String[] args) {
    }
}
