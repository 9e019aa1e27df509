import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { InvalidInputError } from '@vad/core';

/**
 * Fetches an image given as `{type: "url"}`. The address every connection actually uses is
 * checked at connect time (a `lookup` hook), so DNS rebinding and redirects to internal hosts
 * are refused too, unless private addresses are explicitly allowed.
 */
const blocked = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  blocked.addSubnet(address, prefix, 'ipv6');
}

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export interface UrlFetchOptions {
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  name: string;
}

function guardedLookup(allowPrivate: boolean, url: string, name: string): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((entry) => isPrivateAddress(entry.address));
      if (refused) {
        return callback(new InvalidInputError({ message: `input "${name}": URL ${url} resolves to ${refused.address}, a private or loopback address; set VAD_ALLOW_PRIVATE_URLS=true to allow it`, property: name, path: url }) as NodeJS.ErrnoException, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

function fetchOnce(url: URL, options: UrlFetchOptions): Promise<{ redirect?: string; bytes?: Buffer }> {
  return new Promise((resolve, reject) => {
    const fail = (message: string, cause?: unknown) => reject(InvalidInputError.isInstance(cause) ? cause : new InvalidInputError({ message: `input "${options.name}": ${message}`, property: options.name, path: url.href, cause }));
    // Literal IP hosts never go through lookup, so check them here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(literal) && !options.allowPrivate && isPrivateAddress(literal)) {
      return fail(`URL ${url.href} points at ${literal}, a private or loopback address; set VAD_ALLOW_PRIVATE_URLS=true to allow it`);
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, { lookup: guardedLookup(options.allowPrivate, url.href, options.name), timeout: options.timeoutMs, signal: options.signal, headers: { accept: 'image/*' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        return resolve({ redirect: new URL(response.headers.location, url).href });
      }
      if (status !== 200) {
        response.resume();
        return fail(`fetching ${url.href} answered HTTP ${status}`);
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) {
        response.destroy();
        return fail(`${url.href} is ${declared} bytes, over the limit of ${options.maxBytes}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          response.destroy();
          fail(`${url.href} is over the limit of ${options.maxBytes} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ bytes: Buffer.concat(chunks) }));
      response.on('error', (error) => fail(`reading ${url.href} failed: ${error.message}`, error));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) => fail(`fetching ${url.href} failed: ${error.message}`, error));
  });
}

/** Downloads an image URL with the private-address guard, a size limit, a timeout and at most 3 redirects. */
export async function fetchImageUrl(href: string, options: UrlFetchOptions): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(href);
  } catch (cause) {
    throw new InvalidInputError({ message: `input "${options.name}": ${JSON.stringify(href.slice(0, 200))} is not a URL`, property: options.name, cause });
  }
  for (let hop = 0; hop <= 3; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidInputError({ message: `input "${options.name}": only http and https URLs are fetched, not ${url.protocol}`, property: options.name, path: url.href });
    }
    const result = await fetchOnce(url, options);
    if (result.bytes) return result.bytes;
    url = new URL(result.redirect!);
  }
  throw new InvalidInputError({ message: `input "${options.name}": more than 3 redirects from ${href}`, property: options.name, path: href });
}
