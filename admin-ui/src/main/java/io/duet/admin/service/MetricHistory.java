package io.duet.admin.service;

import java.util.List;

/**
 * What {@link LiveNode#metricsHistory} returns: the series asked for and how the node keeps them.
 *
 * @param periodMillis nominal interval between samples (5000 by default)
 * @param capacity     samples kept per object (720: one hour at 5 s)
 * @param maxSeries    objects kept at most
 * @param untracked    objects left without history because {@code maxSeries} were kept already
 * @param series       the series that match the query
 */
public record MetricHistory(long periodMillis, int capacity, int maxSeries, int untracked, List<MetricSeries> series) {
    /** No history kept (tests, a node without a data plane). */
    public static final MetricHistory NONE = new MetricHistory(0, 0, 0, 0, List.of());

    public MetricHistory {
        series = List.copyOf(series);
    }
}
