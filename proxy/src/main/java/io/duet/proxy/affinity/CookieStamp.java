package io.duet.proxy.affinity;

/**
 * What an insert cookie says, once its signature checked out.
 *
 * @param serverId  the stable id of the server (from the document)
 * @param issuedSec when the binding to this server was made (epoch seconds; absolute lifetime)
 * @param seenSec   when Duet last refreshed the stamp (epoch seconds; idle lifetime)
 * @param nonce     random client id, kept across refreshes; counts distinct sticky clients
 */
record CookieStamp(String serverId, long issuedSec, long seenSec, long nonce) {
}
