/** The embedded broker: aedes (MQTT 3.1.1), TCP_NODELAY on every socket. */
import { createServer, type AddressInfo, type Socket } from "node:net";
import { Aedes } from "aedes";
import type { ServerControl, StartedServer } from "../lib/server-control.js";

export async function start(_env: Record<string, string>, _control: ServerControl): Promise<StartedServer> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    info: { url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}` },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
