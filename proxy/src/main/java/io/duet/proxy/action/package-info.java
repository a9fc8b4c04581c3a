/**
 * Route actions: what the data plane does with a request once the router has chosen its route. Each action is a
 * small Undertow handler compiled once from the configuration records ({@link io.duet.proxy.action.RouteActions}
 * builds the chain); no action parses configuration, blocks, or allocates much per request.
 *
 * <p>Order on the way in:
 * <ol>
 *   <li>response header rules register a commit listener (they act on the way back, see below);</li>
 *   <li>request header rules ({@link io.duet.proxy.action.RequestHeaderRulesHandler});</li>
 *   <li>path rewrite ({@link io.duet.proxy.action.RewriteHandler}), for forwarding routes only;</li>
 *   <li>the route's body limit ({@link io.duet.proxy.action.BodyLimitHandler}): 413 and close when the declared
 *       length is over it;</li>
 *   <li>compression registers its response wrapper ({@link io.duet.proxy.action.CompressionHandler});</li>
 *   <li>the terminal action: forward to the pool, redirect ({@link io.duet.proxy.action.RedirectHandler}) or
 *       a fixed response ({@link io.duet.proxy.action.FixedResponseHandler}).</li>
 * </ol>
 * On the way back, when the response starts (response headers known, none written yet): compression decides on
 * the response as produced (the backend's headers, or the local response's), then the response header rules apply
 * and have the last word. Error pages ({@link io.duet.proxy.response.ErrorResponses}, ids in
 * {@link io.duet.proxy.response.ErrorId} and proxy/ERRORS.md) go through the same way back.
 */
package io.duet.proxy.action;
