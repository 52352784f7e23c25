import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A PEM key and certificate, with the paths of their files (for mosquitto). */
export interface TestKeyPair {
  key: string;
  cert: string;
  keyPath: string;
  certPath: string;
}

/** A throwaway public key infrastructure for TLS tests. */
export interface TestPki {
  /** The temporary directory holding every file; removed by `remove()`. */
  readonly dir: string;
  /** The CA (PEM) that signed the server and client certificates. */
  readonly ca: string;
  readonly caPath: string;
  /** Server certificate for `localhost` and `127.0.0.1`, signed by `ca`. */
  readonly server: TestKeyPair;
  /** Client certificates by common name (CN), signed by `ca`. */
  readonly clients: Readonly<Record<string, TestKeyPair>>;
  /** A second CA that signed nothing the server presents: "the wrong CA" for a client to trust. */
  readonly otherCa: string;
  readonly otherCaPath: string;
  /** A client certificate (CN of the first client, or `stranger`) signed by `otherCa`, which the broker does not trust. */
  readonly stranger: TestKeyPair;
  /** Deletes the directory. */
  remove(): void;
}

export interface CreateTestPkiOptions {
  /** Common names of the client certificates to issue (may contain `/`, e.g. `acme/echo`). @default [] */
  clients?: readonly string[];
  /** Days the certificates are valid. @default 2 */
  days?: number;
}

/**
 * True when the `openssl` command is available; when it is missing, throws under
 * `CI=true` (suites fail rather than skip) and returns false elsewhere.
 * @example describe.runIf(requireOpenssl())("over TLS", () => { ... });
 */
export function requireOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    if (process.env.CI === "true") throw new Error("openssl is required under CI=true to create the test certificates: install the `openssl` package.");
    return false;
  }
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

// openssl's -subj separates fields with '/'; a '/' inside the CN must be escaped.
const subject = (cn: string) => `/CN=${cn.replaceAll("/", "\\/")}`;

// EC P-256 keys: generated in milliseconds, unlike RSA.
const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function selfSignedCa(dir: string, name: string, days: number): void {
  openssl(dir, ["req", "-x509", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", String(days), "-subj", `/CN=${name}`]);
}

/** A certificate to issue: file name, subject CN, issuing CA, validity, openssl extensions. */
interface Issue {
  name: string;
  cn: string;
  caName: string;
  days: number;
  extensions?: string;
}

function issue(dir: string, { name, cn, caName, days, extensions }: Issue): TestKeyPair {
  openssl(dir, ["req", "-new", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject(cn)]);
  const args = ["x509", "-req", "-in", `${name}.csr`, "-CA", `${caName}.crt`, "-CAkey", `${caName}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", String(days)];
  if (extensions) {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    args.push("-extfile", `${name}.ext`);
  }
  openssl(dir, args);
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), keyPath, certPath };
}

/**
 * Makes a CA, a server certificate for localhost/127.0.0.1, client certificates and an
 * untrusted second CA with the openssl command line, in a new temporary directory.
 * @example
 * const pki = createTestPki({ clients: ["acme/echo", "alice"] });
 * const broker = await createBroker({ port: 0, tls: { ...pki.server, ca: pki.ca, clientCertificates: "optional" } });
 */
export function createTestPki(options: CreateTestPkiOptions = {}): TestPki {
  const days = options.days ?? 2;
  const dir = mkdtempSync(join(tmpdir(), "a2a-pki-"));
  try {
    selfSignedCa(dir, "ca", days);
    const server = issue(dir, { name: "server", cn: "localhost", caName: "ca", days, extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\n" });
    const clients: Record<string, TestKeyPair> = {};
    (options.clients ?? []).forEach((cn, i) => {
      clients[cn] = issue(dir, { name: `client-${i}`, cn, caName: "ca", days });
    });
    selfSignedCa(dir, "other-ca", days);
    const stranger = issue(dir, { name: "stranger", cn: options.clients?.[0] ?? "stranger", caName: "other-ca", days });
    return {
      dir,
      ca: readFileSync(join(dir, "ca.crt"), "utf8"),
      caPath: join(dir, "ca.crt"),
      server,
      clients,
      otherCa: readFileSync(join(dir, "other-ca.crt"), "utf8"),
      otherCaPath: join(dir, "other-ca.crt"),
      stranger,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
