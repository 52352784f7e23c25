/** Node's certificate verification codes meaning "the broker's certificate chains to no CA this client trusts". */
const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

/**
 * What to do about a TLS failure of `connect()`, or undefined for other errors. Node's
 * own messages ("self-signed certificate in certificate chain") say what failed but not
 * which option fixes it.
 */
export function tlsHint(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return undefined;
  if (UNTRUSTED.has(code)) return "the broker's TLS certificate is not signed by a CA this client trusts; pass that CA (PEM) as tls.ca";
  if (code === "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED") return "the broker requires a client certificate; pass tls.cert and tls.key";
  if (code === "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA" || code === "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE" || code === "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN") {
    return "the broker did not accept this client certificate; use one signed by a CA the broker trusts";
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "the broker's TLS certificate does not name this host; connect by a host name the certificate lists";
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") return "the broker's TLS certificate is outside its validity period";
  return undefined;
}
