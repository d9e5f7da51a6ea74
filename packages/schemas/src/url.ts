/** The https check shared by data rows and conversation content (URLs are stored, never fetched). */
import { z } from 'zod';

export function isHttpsUrl(value: string): boolean {
  if (!value.startsWith('https://')) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

export const HttpsUrl = z
  .string()
  .refine(isHttpsUrl, 'must be an https URL (http:// and other schemes are refused; URLs are never fetched)');
