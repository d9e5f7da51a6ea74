/**
 * The one SDK client of the app, in session mode: the same-origin session cookie and the CSRF
 * token, never an API key. Every server call goes through it.
 */
import { Client } from '@prefer/sdk';

export const client = new Client({
  endpoint: window.location.origin,
  session: true,
  // The UI retries submits itself (it shows "offline, will retry"); GETs keep the SDK's retries.
  maxRetries: 2,
  requestTimeoutMs: 20_000,
});
