import type { Duplex } from "node:stream";
import { TLSSocket, type TlsOptions } from "node:tls";

/** TLS for the broker's listeners (MQTT over TLS and, with `wsPort`, WebSocket over TLS). */
export interface BrokerTlsOptions {
  /** Server private key (PEM). */
  key: string | Buffer;
  /** Server certificate chain (PEM). */
  cert: string | Buffer;
  /** CA certificate(s) (PEM) that client certificates must chain to. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Client certificates: `"off"` (passwords only), `"optional"` (a client may log in
   * with a certificate or a password) or `"required"` (every TLS client must present a
   * certificate signed by `ca`). A valid certificate's common name (CN) is the username.
   * @default "off"
   */
  clientCertificates?: "off" | "optional" | "required";
}

/** The node:tls server options for `options`. */
export function tlsServerOptions(options: BrokerTlsOptions): TlsOptions {
  const mode = options.clientCertificates ?? "off";
  if (mode !== "off" && options.ca === undefined) {
    throw new RangeError(`tls.clientCertificates is "${mode}" but tls.ca is missing: give the CA that signs client certificates.`);
  }
  return {
    key: options.key,
    cert: options.cert,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    requestCert: mode !== "off",
    // "optional": the handshake succeeds without a valid certificate; authentication then
    // looks at `socket.authorized` and falls back to the password.
    rejectUnauthorized: mode === "required",
    minVersion: "TLSv1.2",
  };
}

/**
 * The common name of a client certificate that was verified against the CA, or
 * undefined when the connection has none (plain TCP, no certificate, or not trusted).
 */
export function certificateIdentity(connection: Duplex | undefined): string | undefined {
  if (!(connection instanceof TLSSocket) || !connection.authorized) return undefined;
  const cn = connection.getPeerCertificate().subject?.CN;
  const name = Array.isArray(cn) ? undefined : cn;
  return name === undefined || name === "" ? undefined : name;
}
