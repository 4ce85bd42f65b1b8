/**
 * A shared group a node follows and the version of it that the node runs (null: the group does not
 * exist, so it contributes nothing). Reported with every heartbeat (`{ns}:node-info`, `shared`).
 */
export interface SharedGroupVersion {
  /** The shared group's name. */
  name: string;
  /** The version the node runs; null while the group does not exist. */
  version: number | null;
}
