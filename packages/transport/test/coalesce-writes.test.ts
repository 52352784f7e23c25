import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { Duplex } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AedesHandle, startAedes, waitFor } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";
import { coalesceWrites, holdAck, sendHeldNow } from "../src/mqtt/coalesce-writes.js";

/** Counts the socket's calls into its handle (one per syscall-level write). */
function countWrites(socket: Socket): { count: number } {
  const counter = { count: 0 };
  const s = socket as unknown as Record<"_writev" | "_write", (...args: unknown[]) => void>;
  for (const name of ["_writev", "_write"] as const) {
    const original = s[name];
    s[name] = function (this: unknown, ...args: unknown[]) {
      counter.count++;
      return original.apply(this, args);
    };
  }
  return counter;
}

/** What mqtt-packet does for every packet: cork, write the pieces, uncork on the next tick. */
function writePacket(socket: Socket, text: string): void {
  socket.cork();
  for (const piece of text) socket.write(piece);
  process.nextTick(() => socket.uncork());
}

/** Runs `body` as an I/O callback runs: from the event loop, then its ticks and promise turns. */
const inCallback = (body: () => void): Promise<void> =>
  new Promise((resolve) =>
    setImmediate(() => {
      body();
      // Queued after everything `body` queued: runs once those ticks and turns ran.
      setImmediate(resolve);
    }),
  );

describe("coalesceWrites", () => {
  let server: Server;
  let peer: Socket;
  let socket: Socket;
  let received = "";

  beforeAll(async () => {
    server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    socket?.destroy();
    peer?.destroy();
  });

  async function pair(): Promise<void> {
    received = "";
    const accepted = once(server, "connection");
    socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await once(socket, "connect");
    [peer] = (await accepted) as [Socket];
    peer.setEncoding("utf8");
    peer.on("data", (chunk: string) => (received += chunk));
  }

  it("sends packets written in the ticks and promise turns of one callback in one write", async () => {
    await pair();
    coalesceWrites(socket);
    const writes = countWrites(socket);
    await inCallback(() => {
      // mqtt.js: a PUBACK, the next packet's PUBACK a tick later, a reply a few promise turns on.
      writePacket(socket, "ack1");
      process.nextTick(() => {
        writePacket(socket, "ack2");
        void Promise.resolve()
          .then(() => undefined)
          .then(() => writePacket(socket, "reply"));
      });
    });
    expect(writes.count).toBe(1);
    await waitFor(() => received === "ack1ack2reply", { message: "the coalesced bytes at the peer" });
  });

  it("also waits for replies made after further ticks (an agent saving a task on a tick before it answers)", async () => {
    await pair();
    coalesceWrites(socket);
    const writes = countWrites(socket);
    await inCallback(() => {
      writePacket(socket, "ack");
      void Promise.resolve()
        .then(() => new Promise<void>((resolve) => process.nextTick(resolve)))
        .then(() => new Promise<void>((resolve) => process.nextTick(resolve)))
        .then(() => writePacket(socket, "reply"));
    });
    expect(writes.count).toBe(1);
    await waitFor(() => received === "ackreply", { message: "the coalesced bytes at the peer" });
  });

  it("holds nothing beyond the callback: it is written before the event loop goes on", async () => {
    await pair();
    coalesceWrites(socket);
    const writes = countWrites(socket);
    await inCallback(() => writePacket(socket, "one"));
    expect(writes.count).toBe(1);
    await waitFor(() => received === "one", { message: "the first callback's bytes" });
    await inCallback(() => writePacket(socket, "two"));
    expect(writes.count).toBe(2);
    await waitFor(() => received === "onetwo", { message: "the second callback's bytes" });
  });

  it("sends the first message of a hold at once, with what was held before it, and the rest at the end of the turn", async () => {
    await pair();
    coalesceWrites(socket);
    const writes = countWrites(socket);
    const whenSent: number[] = [];
    const turn = () =>
      inCallback(() => {
        writePacket(socket, "ack");
        void Promise.resolve().then(() => {
          writePacket(socket, "one");
          sendHeldNow(socket);
          whenSent.push(writes.count);
          writePacket(socket, "two");
          sendHeldNow(socket);
          whenSent.push(writes.count);
          writePacket(socket, "three");
        });
      });
    await turn();
    // "ack" + "one" left before the turn went on; "two" and "three" waited for its end.
    expect(whenSent).toEqual([1, 1]);
    expect(writes.count).toBe(2);
    expect(socket.writableCorked).toBe(0);
    await waitFor(() => received === "ackonetwothree", { message: "every byte in order" });
    // The next hold sends its first message at once again.
    await turn();
    expect(whenSent).toEqual([1, 1, 3, 3]);
    expect(writes.count).toBe(4);
    await waitFor(() => received === "ackonetwothree".repeat(2), { message: "the second turn's bytes" });
  });

  it("puts held acknowledgements after the message that leaves with them, in their own order", async () => {
    await pair();
    coalesceWrites(socket);
    const writes = countWrites(socket);
    const answers: Array<boolean | undefined> = [];
    await inCallback(() => {
      socket.cork();
      answers.push(holdAck(socket, Buffer.from("<a1>")), holdAck(socket, Buffer.from("<a2>")));
      process.nextTick(() => socket.uncork());
      void Promise.resolve().then(() => {
        writePacket(socket, "reply");
        sendHeldNow(socket);
      });
    });
    expect(answers).toEqual([true, true]);
    expect(writes.count).toBe(1);
    await waitFor(() => received === "reply<a1><a2>", { message: "the reply, then the acknowledgements" });
  });

  it("never puts a held acknowledgement inside a packet whose pieces reach the socket in several writes", async () => {
    await pair();
    coalesceWrites(socket);
    const large = "L".repeat(20_000);
    // A packet with a piece too large to copy: its head is held, the piece goes on.
    await inCallback(() => {
      socket.cork();
      holdAck(socket, Buffer.from("<ack1>"));
      socket.write("<head>");
      socket.write(large);
      socket.write("</tail>");
      process.nextTick(() => socket.uncork());
    });
    const first = `<head>${large}</tail><ack1>`;
    await waitFor(() => received.length >= first.length, { message: "the first packet" });
    expect(received).toBe(first);
    if (socket.writableNeedDrain) await once(socket, "drain");
    // A packet of small pieces that crosses the high-water mark while it is written.
    const piece = "f".repeat(1_000);
    const pieces = Math.ceil(socket.writableHighWaterMark / piece.length) + 1;
    await inCallback(() => {
      socket.cork();
      holdAck(socket, Buffer.from("<ack2>"));
      socket.write("<big>");
      for (let i = 0; i < pieces; i++) socket.write(piece);
      socket.write("</big>");
      process.nextTick(() => socket.uncork());
    });
    const second = `<big>${piece.repeat(pieces)}</big><ack2>`;
    await waitFor(() => received.length >= first.length + second.length, { message: "the second packet" });
    expect(received.slice(first.length)).toBe(second);
  });

  it("holds no acknowledgement outside a hold: the caller writes it", async () => {
    await pair();
    expect(holdAck(socket, Buffer.from("<a>"))).toBeUndefined();
    coalesceWrites(socket);
    expect(holdAck(socket, Buffer.from("<a>"))).toBeUndefined();
  });

  it("sends nothing early outside a hold, or for a socket it does not coalesce", async () => {
    await pair();
    const writes = countWrites(socket);
    socket.cork();
    socket.write("plain");
    sendHeldNow(socket);
    expect(writes.count).toBe(0);
    socket.uncork();
    expect(writes.count).toBe(1);
  });

  it("flushes on end() without waiting for the loop turn to finish", async () => {
    await pair();
    coalesceWrites(socket);
    writePacket(socket, "bye");
    socket.end();
    await once(peer, "end");
    expect(received).toBe("bye");
  });

  it("hands the socket the held pieces as one buffer, in order, larger pieces as they are", async () => {
    await pair();
    coalesceWrites(socket);
    const chunks: number[] = [];
    const s = socket as unknown as { _writev: (data: Array<{ chunk: Buffer }>, cb: () => void) => void };
    const writev = s._writev.bind(socket);
    s._writev = (data, cb) => {
      chunks.push(data.length);
      writev(data, cb);
    };
    const large = "L".repeat(20_000);
    await inCallback(() => {
      writePacket(socket, "abc");
      socket.cork();
      socket.write(Buffer.from("déf"));
      socket.write(large);
      socket.write("ghi", "utf8");
      process.nextTick(() => socket.uncork());
    });
    // "abc" + "déf" copied together, the large piece on its own, then "ghi".
    expect(chunks).toEqual([3]);
    await waitFor(() => received === `abcdéf${large}ghi`, { message: "every byte in order" });
  });

  it("says when to wait: past the high-water mark the socket takes the held bytes and answers false, then drains", async () => {
    await pair();
    coalesceWrites(socket);
    const piece = Buffer.alloc(1_000, 0x61);
    let answer = true;
    let written = 0;
    await inCallback(() => {
      socket.cork();
      while (answer) {
        answer = socket.write(piece);
        written += piece.length;
      }
      process.nextTick(() => socket.uncork());
    });
    expect(written).toBeGreaterThanOrEqual(socket.writableHighWaterMark);
    expect(written).toBeLessThan(socket.writableHighWaterMark + piece.length * 2);
    if (socket.writableNeedDrain) await once(socket, "drain");
    await waitFor(() => received.length === written, { message: "every held byte at the peer" });
  });

  it("passes a write with a callback on after the held pieces, and calls it", async () => {
    await pair();
    coalesceWrites(socket);
    let called = false;
    await inCallback(() => {
      writePacket(socket, "first");
      socket.cork();
      socket.write("second", () => (called = true));
      process.nextTick(() => socket.uncork());
    });
    await waitFor(() => called && received === "firstsecond", { message: "the callback and the bytes in order" });
  });

  it("without it, a packet written a tick later takes a write of its own", async () => {
    await pair();
    const writes = countWrites(socket);
    await inCallback(() => {
      writePacket(socket, "ack1");
      process.nextTick(() => writePacket(socket, "ack2"));
    });
    expect(writes.count).toBe(2);
  });

  it("leaves streams that are not sockets alone", () => {
    const stream = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
    coalesceWrites(stream);
    expect(Object.hasOwn(stream, "cork")).toBe(false);
  });
});

describe("MqttTransport write coalescing", () => {
  let aedes: AedesHandle;
  const open: MqttTransport[] = [];
  beforeAll(async () => {
    aedes = await startAedes({ persistence: false });
  });
  afterAll(() => aedes.close());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  /** Writes the replier's socket makes for one QoS 1 request answered from a promise turn. */
  async function writesPerAnswer(coalesce: boolean, topic: string): Promise<number> {
    const requester = new MqttTransport({ url: aedes.url });
    const replier = new MqttTransport({ url: aedes.url, coalesceWrites: coalesce });
    open.push(requester, replier);
    await Promise.all([requester.connect(), replier.connect()]);
    await replier.subscribe(`${topic}/req`, () => {
      // As an agent answers: a few promise turns after the message (and its PUBACK).
      void Promise.resolve()
        .then(() => undefined)
        .then(() => replier.publish(`${topic}/rep`, "pong", { qos: 1 }));
    });
    let answered!: () => void;
    await requester.subscribe(`${topic}/rep`, () => answered());
    const stream = (replier as unknown as { client: { stream: Socket } }).client.stream;
    const writes = countWrites(stream);
    const got = new Promise<void>((resolve) => (answered = resolve));
    await requester.publish(`${topic}/req`, "ping", { qos: 1 });
    await waitFor(got, { message: "the reply" });
    return writes.count;
  }

  it("writes each PUBLISH as one buffer (mqtt-packet writes it in pieces), and still tells about it", async () => {
    const publisher = new MqttTransport({ url: aedes.url, coalesceWrites: false });
    open.push(publisher);
    await publisher.connect();
    const client = (publisher as unknown as { client: { stream: Socket; on(e: string, l: (p: { cmd: string }) => void): void } }).client;
    const sent: string[] = [];
    client.on("packetsend", (packet) => sent.push(packet.cmd));
    const pieces: number[] = [];
    const s = client.stream as unknown as Record<"_writev" | "_write", (...args: unknown[]) => void>;
    const writev = s._writev.bind(client.stream);
    const write = s._write.bind(client.stream);
    s._writev = (data: unknown, cb: unknown) => (pieces.push((data as unknown[]).length), writev(data, cb));
    s._write = (chunk: unknown, encoding: unknown, cb: unknown) => (pieces.push(1), write(chunk, encoding, cb));
    await publisher.publish("encoded/one", "payload é", { qos: 1 });
    expect(pieces).toEqual([1]);
    expect(sent).toEqual(["publish"]);
  });

  it("sends a reply as it is published, with the PUBACK of its request; a second reply of the turn waits for its end", async () => {
    const requester = new MqttTransport({ url: aedes.url });
    const replier = new MqttTransport({ url: aedes.url });
    open.push(requester, replier);
    await Promise.all([requester.connect(), replier.connect()]);
    const stream = (replier as unknown as { client: { stream: Socket } }).client.stream;
    const writes = countWrites(stream);
    const written: Buffer[] = [];
    const s = stream as unknown as { _write: (chunk: Buffer, encoding: unknown, cb: unknown) => void };
    const write = s._write.bind(stream);
    s._write = (chunk, encoding, cb) => (written.push(Buffer.from(chunk)), write(chunk, encoding, cb));
    const whenPublished: number[] = [];
    await replier.subscribe("early/req", () => {
      void Promise.resolve().then(() => {
        void replier.publish("early/rep", "first", { qos: 1 });
        whenPublished.push(writes.count);
        void replier.publish("early/rep", "second", { qos: 1 });
        whenPublished.push(writes.count);
      });
    });
    const replies: string[] = [];
    await requester.subscribe("early/rep", (message) => replies.push(Buffer.from(message.payload).toString("utf8")));
    const before = writes.count;
    await requester.publish("early/req", "ping", { qos: 1 });
    await waitFor(() => replies.length === 2, { message: "both replies" });
    expect(whenPublished).toEqual([before + 1, before + 1]);
    expect(writes.count).toBe(before + 2);
    expect(replies).toEqual(["first", "second"]);
    // The early write: the reply (a QoS 1 PUBLISH) first, the request's PUBACK behind it.
    const early = written.find((w) => w.includes("first"))!;
    expect(early[0]! >> 4).toBe(3);
    expect([...early.subarray(-4, -2)]).toEqual([0x40, 0x02]);
  });

  it("sends the PUBACK of a request and the reply made from it in one write (two without)", async () => {
    expect(await writesPerAnswer(true, "coalesce/on")).toBe(1);
    expect(await writesPerAnswer(false, "coalesce/off")).toBe(2);
  });
});
