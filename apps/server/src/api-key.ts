import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './http-errors.js';

/** Routes that answer without a key: health probes and the static page (it holds no data). */
export function isPublicPath(url: string): boolean {
  const pathname = url.split('?')[0]!;
  return pathname === '/healthz' || pathname === '/readiness' || pathname === '/' || pathname === '/favicon.ico' || pathname.startsWith('/ui/');
}

/** The key wherever Roboflow's clients put it: `Authorization: Bearer`, `?api_key=`, or `api_key` in a JSON body. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
  const query = (request.query as Record<string, unknown> | undefined)?.api_key;
  if (typeof query === 'string' && query) return query;
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body) && typeof body.api_key === 'string') return body.api_key;
  return undefined;
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws 401 unless the request carries the configured key. */
export function checkApiKey(request: FastifyRequest, expected: string | undefined): void {
  if (!expected || isPublicPath(request.url)) return;
  const given = presentedKey(request);
  if (given === undefined) {
    throw new HttpProblem(401, 'UnauthorizedError', 'this server requires an API key: send it as "api_key" in the JSON body, the "api_key" query parameter, or "Authorization: Bearer <key>"', 'api_key');
  }
  if (!sameKey(given, expected)) throw new HttpProblem(401, 'UnauthorizedError', 'the API key is not valid for this server', 'api_key');
}
