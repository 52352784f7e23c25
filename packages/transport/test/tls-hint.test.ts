import { describe, expect, it } from "vitest";
import { tlsHint } from "../src/mqtt/tls-hint.js";

const failure = (code: unknown) => Object.assign(new Error("tls failure"), { code });

// The connect failures the TLS suites (test/integration) cannot provoke on loopback
// (host name, validity) are checked here by their Node error codes.
describe("tlsHint", () => {
  it("says which TLS option fixes a connect failure", () => {
    expect(tlsHint(failure("SELF_SIGNED_CERT_IN_CHAIN"))).toMatch(/tls\.ca/);
    expect(tlsHint(failure("UNABLE_TO_VERIFY_LEAF_SIGNATURE"))).toMatch(/tls\.ca/);
    expect(tlsHint(failure("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"))).toMatch(/tls\.cert and tls\.key/);
    expect(tlsHint(failure("ERR_SSL_TLSV1_ALERT_UNKNOWN_CA"))).toMatch(/did not accept this client certificate/);
    expect(tlsHint(failure("ERR_TLS_CERT_ALTNAME_INVALID"))).toMatch(/does not name this host/);
    expect(tlsHint(failure("CERT_HAS_EXPIRED"))).toMatch(/validity period/);
  });

  it("adds nothing to other failures", () => {
    expect(tlsHint(failure("ECONNREFUSED"))).toBeUndefined();
    expect(tlsHint(failure(5))).toBeUndefined();
    expect(tlsHint(new Error("no code"))).toBeUndefined();
    expect(tlsHint(undefined)).toBeUndefined();
  });
});
