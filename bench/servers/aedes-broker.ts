/** The embedded broker in its own process: aedes (MQTT 3.1.1), TCP_NODELAY on every socket. */
import { createServer, type AddressInfo } from "node:net";
import { Aedes } from "aedes";
import { failed, ready, serveIpc } from "../lib/ipc.js";

async function main(): Promise<void> {
  serveIpc();
  const broker = await Aedes.createBroker();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  ready({ url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

main().catch(failed);
