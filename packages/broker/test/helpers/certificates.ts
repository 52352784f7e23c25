import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  dir: string;
  ca: string;
  server: { key: string; cert: string; keyPath: string; certPath: string };
  caPath: string;
  /** Client key and certificate per CN. */
  clients: Record<string, { key: string; cert: string }>;
  /** A client certificate from a CA the broker does not trust. */
  stranger: { key: string; cert: string };
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

// openssl's -subj separates fields with '/'; a '/' inside the CN must be escaped.
const subject = (cn: string) => `/CN=${cn.replaceAll("/", "\\/")}`;

function issue(dir: string, name: string, cn: string, caName: string, extensions?: string): void {
  openssl(dir, ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject(cn)]);
  const args = ["x509", "-req", "-in", `${name}.csr`, "-CA", `${caName}.crt`, "-CAkey", `${caName}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "2"];
  if (extensions) {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    args.push("-extfile", `${name}.ext`);
  }
  openssl(dir, args);
}

function selfSignedCa(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`]);
}

/** A CA, a server certificate for localhost/127.0.0.1 and client certificates, made with the openssl CLI. */
export function createTestPki(clientNames: string[]): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "a2a-broker-pki-"));
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  selfSignedCa(dir, "ca");
  issue(dir, "server", "localhost", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  const clients: TestPki["clients"] = {};
  clientNames.forEach((cn, i) => {
    issue(dir, `client-${i}`, cn, "ca");
    clients[cn] = { key: read(`client-${i}.key`), cert: read(`client-${i}.crt`) };
  });
  selfSignedCa(dir, "other-ca");
  issue(dir, "stranger", "acme/echo", "other-ca");
  return {
    dir,
    ca: read("ca.crt"),
    caPath: join(dir, "ca.crt"),
    server: { key: read("server.key"), cert: read("server.crt"), keyPath: join(dir, "server.key"), certPath: join(dir, "server.crt") },
    clients,
    stranger: { key: read("stranger.key"), cert: read("stranger.crt") },
  };
}
