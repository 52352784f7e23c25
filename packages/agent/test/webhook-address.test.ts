import { describe, expect, it } from "vitest";
import { blockedAddressReason, parsePushTarget } from "../src/push/push-target.js";
import { WebhookPoster } from "../src/push/webhook-post.js";

const strict = { allowLoopback: false, allowPrivateNetworks: false };

describe("webhook addresses", () => {
  it("refuses forbidden IPv4 addresses in their NAT64, IPv4-compatible, mapped and 6to4 IPv6 forms", () => {
    const forms = [
      "::ffff:10.0.0.1",
      "::ffff:a00:1",
      "64:ff9b::10.0.0.1",
      "64:ff9b::a00:1",
      "64:ff9b::a9fe:a9fe", // 169.254.169.254, the cloud metadata service
      "64:ff9b:1::7f00:1",
      "::10.0.0.1",
      "::a00:1",
      "::7f00:1",
      "::127.0.0.1",
      "2002:a9fe:a9fe::1",
    ];
    for (const address of forms) expect(blockedAddressReason(address, strict), address).toBeDefined();
    // As URLs too (the URL parser writes them in hex).
    for (const host of ["[64:ff9b::10.0.0.1]", "[::127.0.0.1]", "[::ffff:192.168.1.1]"]) {
      expect(parsePushTarget(`http://${host}/hook`, strict).ok, host).toBe(false);
    }
    // Public IPv4 addresses behind NAT64 stay allowed, and so do ordinary IPv6 addresses.
    for (const address of ["64:ff9b::8.8.8.8", "::ffff:8.8.8.8", "2001:4860:4860::8888", "2606:4700::1111"]) {
      expect(blockedAddressReason(address, strict), address).toBeUndefined();
    }
    expect(blockedAddressReason("::1", strict)).toMatch(/loopback/);
    expect(blockedAddressReason("::", strict)).toMatch(/unspecified/);
  });

  it("resolves a POST to a forbidden address with an error instead of throwing", async () => {
    const poster = new WebhookPoster(strict);
    try {
      const outcome = await poster.post({ url: new URL("http://10.0.0.1/hook"), body: "{}", headers: {}, timeoutMs: 1000, signal: new AbortController().signal });
      expect("error" in outcome && outcome.error.message).toMatch(/refused/);
      const nat64 = await poster.post({ url: new URL("http://[64:ff9b::a9fe:a9fe]/latest"), body: "{}", headers: {}, timeoutMs: 1000, signal: new AbortController().signal });
      expect("error" in nat64 && nat64.error.message).toMatch(/169\.254\.169\.254/);
    } finally {
      poster.close();
    }
  });
});
