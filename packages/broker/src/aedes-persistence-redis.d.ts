// aedes-persistence-redis ships no type declarations; this is the part used here.
declare module "aedes-persistence-redis" {
  interface RedisPersistence {
    setup(broker: unknown): Promise<void>;
    destroy(): Promise<void>;
    delWill(client: { id: string; brokerId: string }): Promise<unknown>;
  }
  /** Takes ioredis options, e.g. `{ host, port }`, or `{ conn }`. */
  function aedesPersistenceRedis(options: Record<string, unknown>): RedisPersistence;
  export default aedesPersistenceRedis;
}
