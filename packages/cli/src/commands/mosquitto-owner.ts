import { chown, readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** A system user, as /etc/passwd lists it. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** The user `name` of /etc/passwd, or undefined. */
export async function systemUser(name: string, passwdFile = "/etc/passwd"): Promise<SystemUser | undefined> {
  const text = await readFile(passwdFile, "utf8").catch(() => "");
  for (const line of text.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** The first directory on the way to `dir` (itself included) that `user` may not enter. */
export async function unreachableDirectory(dir: string, user: SystemUser): Promise<string | undefined> {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    const s = await stat(d).catch(() => undefined);
    if (s === undefined) return d;
    const enter = s.uid === user.uid ? s.mode & 0o100 : s.gid === user.gid ? s.mode & 0o010 : s.mode & 0o001;
    if (enter === 0) return d;
  }
  return undefined;
}

/**
 * mosquitto started as root switches to the user `mosquitto` before it reads the
 * password and ACL files, so files private to root fail with "Unable to open pwfile".
 * Run as root, this gives `acl` and `passwd` (still 0600) to that user when the files
 * are where mosquitto will read them, and returns what the user must still do, if anything.
 */
export async function handOverToMosquitto(files: { acl: string; passwd: string }, installDir: string, out: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const user = await systemUser("mosquitto");
  const fix = `chown mosquitto: ${resolve(installDir, "acl")} ${resolve(installDir, "passwd")}`;
  if (user === undefined || resolve(installDir) !== resolve(out)) {
    return `Started as root, mosquitto switches to the user mosquitto, which must own acl and passwd; on the mosquitto host run: ${fix}`;
  }
  await chown(files.acl, user.uid, user.gid);
  await chown(files.passwd, user.uid, user.gid);
  const blocked = await unreachableDirectory(installDir, user);
  if (blocked === undefined) return undefined;
  return (
    `Started as root, mosquitto switches to the user mosquitto, which cannot enter ${blocked}, so it cannot read ${installDir}/passwd. ` +
    "Write the files where it can (e.g. --out /etc/mosquitto/a2a), or let it in: chmod o+x on each directory on the way."
  );
}
