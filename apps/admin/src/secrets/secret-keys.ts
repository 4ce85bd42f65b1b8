// One definition of the secret keys for the admin and the library (which encrypts their values).
export { DEFAULT_SECRET_KEYS, secretKeyMatcher } from '@rcc/redis-config/publisher';
