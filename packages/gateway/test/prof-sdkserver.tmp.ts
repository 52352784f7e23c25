import { start } from "../../../bench/servers/sdk-server.ts";
import { ServerControl } from "../../../bench/lib/server-control.ts";
const s = await start({}, new ServerControl());
let c0 = process.cpuUsage();
process.send!({ url: `${s.info.url}/a2a/jsonrpc#` });
process.on("message", async (m: string) => {
  if (m === "reset") { c0 = process.cpuUsage(); process.send!("ok"); return; }
  const c1 = process.cpuUsage(c0);
  process.send!({ cpu: c1.user + c1.system });
  await s.stop();
  process.exit(0);
});
