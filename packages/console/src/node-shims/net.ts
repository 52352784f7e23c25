/**
 * node:net in the browser: there are no TCP sockets, so the transport's `instanceof
 * Socket` check (write coalescing for TCP only) is simply never true.
 */
export class Socket {}
