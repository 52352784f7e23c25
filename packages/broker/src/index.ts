export { createBroker, type Broker, type CreateBrokerOptions } from "./create-broker.js";
export { aclRulesFor, mayPublish, maySubscribe, mayReceive, type AclAccess, type AclPolicyOptions, type AclRule } from "./acl-policy.js";
export { hashPassword, verifyPassword, isPasswordHash, type HashPasswordOptions } from "./password-hash.js";
export { hashMosquittoPassword, isMosquittoPasswordHash, type HashMosquittoPasswordOptions } from "./mosquitto-password.js";
export {
  createUser,
  loadUsersFile,
  resolveUsers,
  usersFileSchema,
  InvalidUserError,
  type BrokerRole,
  type BrokerUser,
  type CreateUserOptions,
  type ResolvedUser,
} from "./users.js";
export type { BrokerTlsOptions } from "./tls.js";
export type { BrokerPersistenceOptions } from "./persistence.js";
export type { BrokerClusterOptions } from "./cluster.js";
export type { BrokerLogEntry, BrokerLogger } from "./log.js";
export { filterCovers, topicMatches } from "./topic-filter.js";
export { toMosquittoConfig, type MosquittoExport, type MosquittoExportOptions, type MosquittoTlsOptions } from "./mosquitto-export.js";
export { bridgesFileSchema, loadBridgesFile, mosquittoBridgeLines, type MosquittoBridgeOptions } from "./mosquitto-bridge.js";
