/**
 * Which support cycle an image reference names, and where that cycle stands on a given day, from
 * the offline endoflife.date table (eolTable.ts). Shared by the base-image-eol rule and the FROM
 * hover. Only what the name says is judged: a tag we cannot map (`latest`, `lts`, `alpine`, a
 * codename the table lacks) gives nothing, never a guess.
 */
import type { ImageRef } from './imageRef';
import { EOL_TABLE } from './eolTable';
import type { EolCycle, EolTable } from './eolTypes';

/** Past this age the table cannot say what is supported today: it says so and claims only past ends. */
export const TABLE_MAX_AGE_DAYS = 180;
/** A cycle this close to its end is reported as ending soon. */
export const ENDING_SOON_DAYS = 90;

interface Family {
  readonly product: string;
  /** Repositories, as `domain/path`. */
  readonly names: readonly string[];
  /** Runtimes and servers built on an OS whose cycle a tag suffix may name (`-slim-bullseye`, `-alpine3.17`). */
  readonly onOs?: true;
  /** Written before the version in the tag (`centos7`). */
  readonly prefix?: string;
  /** Cycles the image was not built from, so the product's dates do not apply to it. */
  readonly notThisImage?: readonly string[];
  /** How its tags write a cycle, when not as endoflife.date does (.NET's `8` is tagged `8.0`). */
  readonly tagOf?: (cycle: string) => string;
}

/** Docker Official Images, under their Hub name and the ECR Public mirror of the library. */
const official = (name: string): string[] => [`docker.io/library/${name}`, `public.ecr.aws/docker/library/${name}`];

const FAMILIES: readonly Family[] = [
  { product: 'debian', names: official('debian') },
  { product: 'ubuntu', names: official('ubuntu') },
  { product: 'alpine', names: official('alpine') },
  { product: 'centos', names: official('centos'), prefix: 'centos' },
  { product: 'rocky', names: [...official('rockylinux'), 'docker.io/rockylinux/rockylinux', 'quay.io/rockylinux/rockylinux'] },
  { product: 'alma', names: official('almalinux') },
  { product: 'amazonlinux', names: [...official('amazonlinux'), 'public.ecr.aws/amazonlinux/amazonlinux'] },
  { product: 'fedora', names: [...official('fedora'), 'registry.fedoraproject.org/fedora', 'registry.fedoraproject.org/fedora-minimal', 'quay.io/fedora/fedora'] },
  { product: 'python', names: official('python'), onOs: true },
  { product: 'node', names: official('node'), onOs: true },
  { product: 'go', names: official('golang'), onOs: true },
  // Docker's openjdk image took 8 and 11 from AdoptOpenJDK, not from Oracle's jdk.java.net builds.
  { product: 'openjdk', names: official('openjdk'), onOs: true, notThisImage: ['8', '11'] },
  { product: 'temurin', names: official('eclipse-temurin'), onOs: true },
  {
    product: 'dotnet',
    names: ['sdk', 'aspnet', 'runtime', 'runtime-deps', 'core/sdk', 'core/aspnet', 'core/runtime', 'core/runtime-deps'].map((n) => `mcr.microsoft.com/dotnet/${n}`),
    onOs: true,
    tagOf: (cycle) => (cycle.includes('.') ? cycle : `${cycle}.0`),
  },
  { product: 'php', names: official('php'), onOs: true },
  { product: 'ruby', names: official('ruby'), onOs: true },
  { product: 'postgres', names: official('postgres'), onOs: true },
  { product: 'mysql', names: [...official('mysql'), 'docker.io/mysql/mysql-server'], onOs: true },
  { product: 'mariadb', names: official('mariadb'), onOs: true },
  { product: 'redis', names: official('redis'), onOs: true },
  { product: 'nginx', names: official('nginx'), onOs: true },
];

/** Red Hat's Universal Base Images name the RHEL major in the repository: `ubi8`, `ubi9/ubi-minimal`, Hub's `redhat/ubi8`. */
const UBI = /^(?:(?:registry\.access\.redhat\.com|registry\.redhat\.io)\/ubi(\d+)(?:\/|$)|docker\.io\/redhat\/ubi(\d+)(?:-[a-z]+)?$)/;

const VERSION = /^(\d+(?:\.\d+)*)(?:u\d+|_\d+)?$/;
const ALPINE_SUFFIX = /^alpine(\d+\.\d+)$/;

/** How the tag wrote the cycle, which a fix keeps. */
export type Written = 'version' | 'codename' | 'alpine' | 'name';

export interface SupportPart {
  readonly product: string;
  readonly cycle: EolCycle;
  /** `Python 3.7`, `Debian 10 (buster)`. */
  readonly label: string;
  /** `image`: what the image is; `os`: the OS a runtime image is built on, from its tag suffix. */
  readonly role: 'image' | 'os';
  /** The index of the tag's `-`-separated part that names it; absent when the repository name does. */
  readonly part?: number;
  readonly written: Written;
  /** What the tag writes before the version (`centos` in `centos7`). */
  readonly prefix?: string;
  readonly tagOf?: (cycle: string) => string;
}

export type Phase = 'supported' | 'ending' | 'extended' | 'ended';

export interface Standing {
  readonly phase: Phase;
  /** The last day of support, Debian LTS included. */
  readonly until?: string;
}

const DAY = 86_400_000;
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

export function labelOf(product: string, cycle: EolCycle, table: EolTable = EOL_TABLE): string {
  const title = table.products[product]?.title ?? product;
  return `${title} ${cycle.cycle}${cycle.codename ? ` (${cycle.codename})` : ''}`;
}

/** Where a cycle stands on `day`. Debian LTS counts as support: it is Debian's own, from the same archive. */
export function standing(cycle: EolCycle, day: string): Standing {
  if (cycle.eol === true) return { phase: 'ended' };
  if (cycle.eol === false) return { phase: 'supported' };
  const end = cycle.extended ?? cycle.eol;
  if (end <= day) return { phase: 'ended', until: end };
  if (daysBetween(day, end) <= ENDING_SOON_DAYS) return { phase: 'ending', until: end };
  return { phase: cycle.eol <= day ? 'extended' : 'supported', until: end };
}

/**
 * The cycle a version names: the longest cycle it starts with (`3.7.12` → `3.7`, `14.21.3` → `14`),
 * or for a shorter tag the newest released cycle it starts (`python:3` → the newest 3.x, `postgres:9` → 9.6).
 */
export function cycleOfVersion(cycles: readonly EolCycle[], version: string, day: string): EolCycle | undefined {
  const within = cycles.filter((c) => version === c.cycle || version.startsWith(`${c.cycle}.`)).sort((a, b) => b.cycle.length - a.cycle.length)[0];
  if (within) return within;
  return cycles.filter((c) => c.cycle.startsWith(`${version}.`) && c.released <= day).sort((a, b) => b.released.localeCompare(a.released))[0];
}

function familyOf(ref: ImageRef): { family: Family; fromName?: string } | undefined {
  const name = ref.canonicalName;
  const ubi = UBI.exec(name);
  if (ubi) return { family: { product: 'rhel', names: [] }, fromName: ubi[1] ?? ubi[2]! };
  const family = FAMILIES.find((f) => f.names.includes(name));
  return family && { family };
}

/** The OS a runtime tag names in a suffix (`bullseye`, `jammy`, `alpine3.17`). */
function osPart(parts: readonly string[], table: EolTable): SupportPart | undefined {
  for (let i = 1; i < parts.length; i++) {
    const word = parts[i]!;
    const alpine = ALPINE_SUFFIX.exec(word);
    const alpineCycle = alpine && table.products.alpine?.cycles.find((c) => c.cycle === alpine[1]);
    if (alpineCycle) return { product: 'alpine', cycle: alpineCycle, label: labelOf('alpine', alpineCycle, table), role: 'os', part: i, written: 'alpine' };
    for (const product of ['debian', 'ubuntu']) {
      const cycle = table.products[product]?.cycles.find((c) => c.codename === word);
      if (cycle) return { product, cycle, label: labelOf(product, cycle, table), role: 'os', part: i, written: 'codename' };
    }
  }
  return undefined;
}

/** The cycles an image reference names: the image's own and, for runtimes, the OS its tag names. */
export function supportParts(ref: ImageRef, day: string, table: EolTable = EOL_TABLE): SupportPart[] {
  const found = familyOf(ref);
  if (!found) return [];
  const { family, fromName } = found;
  const product = table.products[family.product];
  if (!product) return [];
  const part = (cycle: EolCycle | undefined, written: Written, index?: number, prefix?: string): SupportPart[] =>
    cycle && !family.notThisImage?.includes(cycle.cycle)
      ? [{ product: family.product, cycle, label: labelOf(family.product, cycle, table), role: 'image', written, ...(index !== undefined ? { part: index } : {}), ...(prefix ? { prefix } : {}), ...(family.tagOf ? { tagOf: family.tagOf } : {}) }]
      : [];
  if (fromName) return part(product.cycles.find((c) => c.cycle === fromName), 'name');
  if (!ref.tag) return [];
  const parts = ref.tag.split('-');
  const first = parts[0]!;
  const prefix = family.prefix && first.startsWith(family.prefix) ? family.prefix : undefined;
  const version = VERSION.exec(first.slice(prefix?.length ?? 0))?.[1];
  const own = version ? part(cycleOfVersion(product.cycles, version, day), 'version', 0, prefix) : part(product.cycles.find((c) => c.codename === first), 'codename', 0);
  if (!family.onOs || own.length === 0) return own;
  const os = osPart(parts, table);
  return os ? [...own, os] : own;
}

/**
 * The nearest newer cycle that is fully supported on `day` (not ending soon, not only in extended
 * support), on the same track: a long-term release moves to a long-term release.
 */
export function nearestSupported(product: string, cycle: EolCycle, day: string, table: EolTable = EOL_TABLE): EolCycle | undefined {
  return (table.products[product]?.cycles ?? [])
    .filter((c) => c.released > cycle.released && c.released <= day && (!cycle.longTerm || c.longTerm) && standing(c, day).phase === 'supported')
    .sort((a, b) => a.released.localeCompare(b.released))[0];
}

/** How a part is written after moving to `cycle`, in the tag's own form; `undefined` when it cannot be. */
export function rewritten(part: SupportPart, cycle: EolCycle): string | undefined {
  if (part.written === 'version') return `${part.prefix ?? ''}${part.tagOf?.(cycle.cycle) ?? cycle.cycle}`;
  if (part.written === 'alpine') return `alpine${cycle.cycle}`;
  if (part.written === 'codename') return cycle.codename;
  return undefined;
}

/** The table's age on `day`, and whether it is past what it can vouch for. */
export function tableAge(day: string, table: EolTable = EOL_TABLE): { readonly days: number; readonly stale: boolean } {
  const days = daysBetween(table.generatedAt, day);
  return { days, stale: days > TABLE_MAX_AGE_DAYS };
}

/** Today in UTC as `YYYY-MM-DD`: the rules' clock when the context sets none. Made again only when the day changes: rules ask for it per stage. */
let today = { day: Number.NaN, text: '' };
export function utcToday(): string {
  const day = Math.floor(Date.now() / DAY);
  if (day !== today.day) today = { day, text: new Date(day * DAY).toISOString().slice(0, 10) };
  return today.text;
}
