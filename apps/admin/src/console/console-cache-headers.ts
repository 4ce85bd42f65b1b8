import type { ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';

/**
 * Vite names every bundled asset after its content hash, so those may be cached for good;
 * `index.html` names the current assets and must be revalidated on every load.
 */
export function setConsoleCacheHeaders(response: ServerResponse, filePath: string): void {
  const hashed = basename(dirname(filePath)) === 'assets';
  response.setHeader(
    'Cache-Control',
    hashed ? 'public, max-age=31536000, immutable' : 'no-cache, must-revalidate',
  );
}
