import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestPki, freePort, startMosquitto, type MosquittoHandle, type TestPki } from "@a2a/testing";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from "jose";

/** mosquitto (MQTT 5) with a plain listener and a TLS listener signed by a throwaway CA. */
export interface TlsMosquitto {
  broker: MosquittoHandle;
  pki: TestPki;
  /** `mqtts://127.0.0.1:{port}` */
  tlsUrl: string;
  close(): Promise<void>;
}

export async function startTlsMosquitto(): Promise<TlsMosquitto> {
  const pki = createTestPki();
  const tlsPort = await freePort();
  const broker = await startMosquitto({
    extraConfig: [`listener ${tlsPort} 127.0.0.1`, `cafile ${pki.caPath}`, `certfile ${pki.server.certPath}`, `keyfile ${pki.server.keyPath}`].join("\n"),
  });
  return {
    broker,
    pki,
    tlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    async close() {
      await broker.close();
      pki.remove();
    },
  };
}

/** A key pair of an identity provider, its JWKS served over real HTTP, and a token signer. */
export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  /** How often the JWKS was fetched. */
  readonly fetches: number;
  sign(claims: JWTPayload & { scope?: string }, options?: { expiresIn?: string | number; key?: CryptoKey; kid?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "ES256", use: "sig" };
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== "/jwks.json") {
      response.writeHead(404).end();
      return;
    }
    fetches++;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = "https://idp.example.test";
  return {
    issuer,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    get fetches() {
      return fetches;
    },
    async sign(claims, options = {}) {
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "ES256", kid: options.kid ?? "test-key-1" })
        .setIssuer(claims.iss ?? issuer)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m")
        .sign(options.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
