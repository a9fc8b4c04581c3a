package io.duet.admin.api;

/** What answers one route: reads the request, writes the answer, or throws an error for {@link ErrorMapping}. */
@FunctionalInterface
public interface Service {
    void serve(Request request) throws Exception;
}
