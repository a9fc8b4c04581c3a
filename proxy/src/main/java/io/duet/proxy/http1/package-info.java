/**
 * Small HTTP/1.1 codecs shared by the edge (validating what clients send) and the forwarder (reading what servers
 * send), and the list of hop-by-hop headers ({@link io.duet.proxy.http1.HopByHop}) the forwarder and the header
 * rules share. Pure; no I/O.
 */
package io.duet.proxy.http1;
