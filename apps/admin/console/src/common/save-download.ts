import type { DownloadedFile } from '../api/api-client';

/**
 * Saves a fetched file: the request needed the bearer header, so it was fetched first and is
 * saved from a blob URL.
 */
export function saveDownload(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
