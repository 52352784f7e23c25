/**
 * The options of the EMQX profile's Extended levels on an agent (`emqx.pool`,
 * `emqx.binaryArtifacts`): types only, so the profile's options and the code that
 * serves them do not depend on each other.
 */

/** Membership of a profile pool (`{root}/request/{org}/{unit}/pool/{pool}`). */
export interface EmqxPoolOptions {
  /** The pool id (the profile's identifier rule). Members of one pool give the same id. */
  pool: string;
  /**
   * The shared subscription group. Every member of the pool must use the same one.
   * @default the profile's deterministic `a2a.{org}.{unit}.{pool}` (cut to 64 characters with a hash)
   */
  group?: string;
  /**
   * How long the start-up check waits for its probe through a `$share` subscription
   * under a `$` root (mosquitto never delivers it), in milliseconds.
   * @default 3000
   */
  probeTimeoutMs?: number;
}

/** Native binary artifact mode of the profile, responder side. */
export interface BinaryArtifactOptions {
  /**
   * Largest binary chunk published, in bytes: a raw part bigger than this goes out as
   * several chunks, so no message exceeds it (keep it below the requesters' and the
   * broker's packet limits).
   * @default 262144 (256 KiB)
   */
  chunkBytes?: number;
}

/** The Extended conformance levels an agent serves on the profile (docs/emqx-profile.md). */
export interface EmqxExtendedOptions {
  /** Also take requests of this unit pool through its shared subscription. */
  pool?: EmqxPoolOptions;
  /**
   * Answer `a2a-artifact-mode: binary` requests with native binary artifact chunks
   * (`false`: always JSON, and replies say `a2a-artifact-mode: json`).
   * @default true
   */
  binaryArtifacts?: boolean | BinaryArtifactOptions;
}
