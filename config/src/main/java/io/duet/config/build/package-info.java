/**
 * Builders of configuration records by name rather than by position, for tests and tools:
 * {@code ConfigBuilders.document().listener(...).virtualHost(...).pool(...).build()}. A field left unset is passed
 * as {@code null}, so the record fills its default exactly as a document that leaves the field out.
 *
 * <p>Depends on {@code io.duet.config} only; nothing in {@code io.duet.config} depends on it. The builders are
 * mutable and not thread-safe; {@code build()} may be called again and returns a new record each time.
 */
package io.duet.config.build;
