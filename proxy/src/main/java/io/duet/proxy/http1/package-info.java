/**
 * Small HTTP/1.1 codecs shared by the edge (validating what clients send) and the forwarder (reading what servers
 * send). Pure; no I/O.
 */
package io.duet.proxy.http1;
