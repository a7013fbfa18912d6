/**
 * One-shot messages across a redirect ("You're enrolled", "Signed out"), and the email a
 * sign-up or reset is waiting on — in short-lived httpOnly cookies rather than the URL, so
 * nothing personal ends up in history, logs or Referer headers.
 */
import type { AstroCookies } from 'astro';
import { cookieNames, cookieOptions } from './session';

export type Flash = { kind: 'success' | 'info' | 'error'; text: string };

export function setFlash(cookies: AstroCookies, flash: Flash) {
  cookies.set(cookieNames().flash, JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, 300) }), cookieOptions(60));
}

/** The flash message, if any (the middleware clears it once an HTML page has shown it). */
export function readFlash(cookies: AstroCookies): Flash | null {
  const raw = cookies.get(cookieNames().flash)?.value;
  if (!raw) return null;
  try {
    const value = JSON.parse(raw);
    if (['success', 'info', 'error'].includes(value?.kind) && typeof value?.text === 'string') return value as Flash;
  } catch {
    /* a tampered cookie is simply ignored */
  }
  return null;
}

/** A Set-Cookie value that deletes the flash cookie. */
export function expiredFlashCookie(): string {
  const { secure } = cookieOptions(0);
  return `${cookieNames().flash}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** `registration`: a sign-up's token (its code verifies only together with it), kept server-side in this cookie. */
export type Pending = { email: string; purpose: 'verify' | 'reset'; registration?: string };

export function setPending(cookies: AstroCookies, pending: Pending) {
  // Sign-in sends an unverified student to the code page without a sign-up token: keep the one
  // this browser's sign-up of the same email left, or the code could no longer be used here.
  const registration = pending.registration ?? (pending.purpose === 'verify' && getPending(cookies, 'verify') === pending.email ? getPendingRegistration(cookies) : undefined);
  cookies.set(cookieNames().pending, JSON.stringify({ ...pending, ...(registration ? { registration } : {}) }), cookieOptions(60 * 60));
}

export function getPending(cookies: AstroCookies, purpose: Pending['purpose']): string | undefined {
  try {
    const value = JSON.parse(cookies.get(cookieNames().pending)?.value ?? 'null');
    return value?.purpose === purpose && typeof value.email === 'string' ? value.email : undefined;
  } catch {
    return undefined;
  }
}

/** The token of the sign-up this browser made, if the pending email is waiting for verification. */
export function getPendingRegistration(cookies: AstroCookies): string | undefined {
  try {
    const value = JSON.parse(cookies.get(cookieNames().pending)?.value ?? 'null');
    return value?.purpose === 'verify' && typeof value.registration === 'string' ? value.registration : undefined;
  } catch {
    return undefined;
  }
}

export function clearPending(cookies: AstroCookies) {
  const { maxAge: _ignored, ...options } = cookieOptions(0);
  cookies.delete(cookieNames().pending, options);
}
