/**
 * How a node came to hold its group: `pinned` (it asked for a group that exists), `assigned`
 * (placed in a group of the pool) or `none`. Reported with every heartbeat (`{ns}:node-info`).
 */
export type GroupHolding = 'pinned' | 'assigned' | 'none';
