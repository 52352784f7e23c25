// aedes-persistence-level ships no type declarations; this is the part used here.
declare module "aedes-persistence-level" {
  interface LevelPersistence {
    setup(broker: unknown): Promise<void>;
    destroy(): Promise<void>;
  }
  /** Takes an opened `level` database. */
  function aedesPersistenceLevel(db: object): LevelPersistence;
  export default aedesPersistenceLevel;
}
