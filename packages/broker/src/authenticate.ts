import type { AedesOptions, AuthenticateError, Client } from "aedes";
import { describeClient, type BrokerLogger } from "./log.js";
import { hashPassword, verifyPassword } from "./password-hash.js";
import { clientIdProblem } from "./client-id.js";
import { PacketGuard } from "./packet-guard.js";
import { certificateIdentity } from "./tls.js";
import type { ResolvedUser } from "./users.js";

// CONNACK return codes of MQTT 3.1.1 (aedes' AuthErrorCode is a const enum, not importable at runtime).
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

type AuthenticateHandler = NonNullable<AedesOptions["authenticate"]>;

export interface AuthenticatorOptions {
  users: ReadonlyMap<string, ResolvedUser>;
  log: BrokerLogger;
  /** Where the authenticated user of each client is kept for the ACL checks. */
  identities: WeakMap<Client, ResolvedUser>;
  /** A further check of an identified user (e.g. its will against the ACL): why to refuse, or undefined. */
  check?: (client: Client, user: ResolvedUser) => string | undefined;
}

// Hashing a password for an unknown user costs the same as for a known one, so the
// response time does not tell which usernames exist.
let dummyHash: Promise<string> | undefined;

function refuse(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * Who is connecting: the CN of a verified client certificate, else username and
 * password checked against the scrypt hash; then whether the client id is one of the
 * user's own (see `clientIdProblem`).
 */
async function identify(
  options: AuthenticatorOptions,
  { client, username, password }: { client: Client; username: string | undefined; password: Buffer | undefined },
): Promise<ResolvedUser | { code: number; reason: string }> {
  const connection = client.conn instanceof PacketGuard ? client.conn.inner : client.conn;
  const certName = certificateIdentity(connection) ?? certificateIdentity(client.req?.socket);
  let user: ResolvedUser | undefined;
  if (certName !== undefined) {
    if (username !== undefined && username !== certName) {
      return { code: BAD_USERNAME_OR_PASSWORD, reason: `username ${JSON.stringify(username)} differs from the certificate CN ${JSON.stringify(certName)}` };
    }
    user = options.users.get(certName);
    if (!user) return { code: NOT_AUTHORIZED, reason: `certificate CN ${JSON.stringify(certName)} is not a known user` };
  } else {
    if (username === undefined || password === undefined) {
      return { code: BAD_USERNAME_OR_PASSWORD, reason: "no username and password (and no client certificate)" };
    }
    user = options.users.get(username);
    const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword("unused")));
    const ok = await verifyPassword(password.toString("utf8"), hash);
    if (!user || !user.passwordHash || !ok) return { code: BAD_USERNAME_OR_PASSWORD, reason: "bad username or password" };
  }
  // Refused before aedes registers the client, so the session's owner is neither
  // disconnected nor its queued messages discarded.
  const idProblem = clientIdProblem(user, client.id);
  if (idProblem !== undefined) return { code: IDENTIFIER_REJECTED, reason: idProblem };
  const problem = options.check?.(client, user);
  return problem === undefined ? user : { code: NOT_AUTHORIZED, reason: problem };
}

/** The aedes `authenticate` handler for a users list. */
export function createAuthenticator(options: AuthenticatorOptions): AuthenticateHandler {
  // eslint-disable-next-line @typescript-eslint/max-params -- aedes' authenticate signature
  return (client, username, password, done) => {
    identify(options, { client, username, password }).then(
      (result) => {
        if ("code" in result) {
          const message = `[a2a-broker] refused CONNECT of ${describeClient(client.id, username)}: ${result.reason}.`;
          options.log({ kind: "auth-failed", clientId: client.id, username, reason: result.reason, message });
          done(refuse(result.code, message), null);
          return;
        }
        options.identities.set(client, result);
        done(null, true);
      },
      (error: unknown) => done(refuse(BAD_USERNAME_OR_PASSWORD, `authentication failed: ${String(error)}`), null),
    );
  };
}
