export * from './config-group-exists.error';
export * from './config-group-not-found.error';
export * from './config-key-missing.error';
export * from './config-version-conflict.error';
export * from './invalid-config-input.error';
export * from './redis-unavailable.error';
export * from './secret-decryption.error';
export * from './rollout-running.error';
