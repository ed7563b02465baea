// Security headers for every response (@fastify/helmet, registered by src/server.ts). Our pages
// (the demo page, the tracking page, /docs) run only our own scripts, are never framed, and send
// no Referer: a tracking page's address carries its tracking code. widget.js is the exception
// that is meant to leave our origin: other sites load it with <script src>, so it is served with
// Cross-Origin-Resource-Policy: cross-origin (webchatPlugin).
import { createHash } from 'node:crypto';
import type { FastifyHelmetOptions } from '@fastify/helmet';

type Directives = Record<string, string[]>;

export const CSP_DIRECTIVES: Directives = {
  defaultSrc: ["'self'"],
  // No inline script; a page with its own inline scripts lists their hashes (scriptHashes).
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // The tracking page and the widget carry their styles inline.
  styleSrc: ["'self'", "'unsafe-inline'"],
  // Images in chat replies come from platform CDNs and staff-given https addresses.
  imgSrc: ["'self'", 'data:', 'https:'],
  fontSrc: ["'self'", 'data:'],
  // Same-origin fetches and the chat WebSocket.
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // No includeSubDomains: the hotline's host says nothing about its parent domain's other sites.
  strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  crossOriginResourcePolicy: { policy: 'same-origin' },
};

/** The CSP of a page whose own inline <script> blocks are allowed by their sha256 hashes. */
export function cspWithInlineScripts(html: string): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES, scriptSrc: ["'self'", ...scriptHashes(html)] } },
  };
}

/** 'sha256-…' of every inline <script> of a page (those without src), as CSP wants them. */
export function scriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  }
  return hashes;
}
