import { InvalidConfigInputError } from '@rcc/redis-config/publisher';

/** The part of a multer file the import reads (multer keeps uploads in memory here). */
export interface UploadedImportFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** The JSON of an uploaded export file; a file that is not UTF-8 JSON is a 400 naming `file`. */
export function readImportUpload(file: UploadedImportFile): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
  } catch {
    throw new InvalidConfigInputError([{ field: 'file', message: 'is not UTF-8 text' }]);
  }
  try {
    // Editors on Windows may save JSON with a byte-order mark; JSON.parse refuses it.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new InvalidConfigInputError([{ field: 'file', message: `is not valid JSON${reason}` }]);
  }
}
