/**
 * The responses the data plane writes itself when something goes wrong: {@link io.duet.proxy.response.ErrorResponses}
 * is the one writer (JSON or HTML pages with a stable {@link io.duet.proxy.response.ErrorId}, and the edge's short
 * text refusals, {@link io.duet.proxy.response.EdgeError}); {@link io.duet.proxy.response.QualityValues} reads the
 * Accept q-values that choose the format. Depends on nothing else in the data plane, so every layer may use it.
 */
package io.duet.proxy.response;
