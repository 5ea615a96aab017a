// The support-cycle table behind base-image-eol and the FROM hover: its age, how tags map onto
// cycles, the hover's dates, and the script that writes the table.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseImageRef } from '../../server/src/language/imageRef';
import { supportHover } from '../../server/src/registry/supportHover';
import { baseImageEol } from '../../server/src/rules/base-image/base-image-eol';
import { cycleOfVersion, supportParts, TABLE_MAX_AGE_DAYS, utcToday } from '../../server/src/language/eolSupport';
import { EOL_TABLE } from '../../server/src/language/eolTable';
import { EMPTY_CONTEXT } from '../../server/src/engine/rule';
import { ROOT } from '../paths';
import { createEngine } from '../../server/src/engine/engine';

const ref = (text: string) => parseImageRef(text)!.ref;
const DAY = '2026-12-01';
const addDays = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
const parts = (image: string, day = DAY) => supportParts(ref(image), day).map((p) => `${p.role} ${p.label}`);

// Not a test of the table's age against today's date: CI would turn red on a calendar day with no
// change to the code. Past its stated age the rule says so itself (the stale-table test below).
test('the committed end-of-support table records its date and source commit, and the date is not in the future', () => {
  assert.match(EOL_TABLE.generatedAt, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(Date.parse(EOL_TABLE.generatedAt) <= Date.parse(utcToday()), EOL_TABLE.generatedAt);
  assert.match(EOL_TABLE.source.commit, /^[0-9a-f]{40}$/);
});

test('every cycle in the table has a release date and an end that is a date or a boolean', () => {
  for (const [key, product] of Object.entries(EOL_TABLE.products)) {
    assert.match(product.url, /^https:\/\/endoflife\.date\/[a-z-]+$/, key);
    assert.ok(product.cycles.length > 0, key);
    for (const c of product.cycles) {
      assert.match(c.released, /^\d{4}-\d{2}-\d{2}$/, `${key} ${c.cycle}`);
      assert.ok(typeof c.eol === 'boolean' || /^\d{4}-\d{2}-\d{2}$/.test(c.eol), `${key} ${c.cycle}`);
    }
  }
});

test('versions map to the longest cycle they start with, shorter tags to the newest released cycle they start', () => {
  const python = EOL_TABLE.products.python!.cycles;
  assert.equal(cycleOfVersion(python, '3.7.12', DAY)?.cycle, '3.7');
  assert.equal(cycleOfVersion(python, '3.10', DAY)?.cycle, '3.10');
  assert.equal(cycleOfVersion(python, '3.1', DAY)?.cycle, '3.1');
  assert.equal(cycleOfVersion(EOL_TABLE.products.postgres!.cycles, '9', DAY)?.cycle, '9.6');
  assert.equal(cycleOfVersion(EOL_TABLE.products.node!.cycles, '14.21.3', DAY)?.cycle, '14');
  assert.equal(cycleOfVersion(python, '4', DAY), undefined);
});

test('tags name the image cycle by version or codename, and a runtime\'s OS by its suffix', () => {
  assert.deepEqual(parts('python:3.11-slim-buster'), ['image Python 3.11', 'os Debian 10 (buster)']);
  assert.deepEqual(parts('node:14-alpine3.17'), ['image Node.js 14', 'os Alpine Linux 3.17']);
  assert.deepEqual(parts('eclipse-temurin:17-jdk-jammy'), ['image Eclipse Temurin 17', 'os Ubuntu 22.04 (jammy)']);
  assert.deepEqual(parts('mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim'), ['image Microsoft .NET 8', 'os Debian 12 (bookworm)']);
  assert.deepEqual(parts('debian:bullseye-20240110'), ['image Debian 11 (bullseye)']);
  assert.deepEqual(parts('centos:centos7'), ['image CentOS 7']);
  assert.deepEqual(parts('redhat/ubi8-minimal'), ['image Red Hat Enterprise Linux 8']);
  assert.deepEqual(parts('registry.access.redhat.com/ubi9/python-311:1-66'), ['image Red Hat Enterprise Linux 9']);
  // The OS is read only where the image's own cycle is known, and only from a suffix.
  assert.deepEqual(parts('python:alpine3.17'), []);
  assert.deepEqual(parts('debian:alpine3.17'), []);
  for (const unmapped of ['python', 'python:latest', 'node:lts-alpine', 'debian:sid', 'ubuntu:devel', 'openjdk:11-jre', 'example/python:3.7', 'ghcr.io/x/debian:stretch']) {
    assert.deepEqual(parts(unmapped), [], unmapped);
  }
});

test('the rule judges against the context\'s day, not the machine\'s clock', () => {
  const at = (image: string, today: string) => createEngine([baseImageEol]).lint(`FROM ${image}\n`, { context: { ...EMPTY_CONTEXT, today } }).map((d) => `${d.severity} ${String(d.message)}`);
  assert.deepEqual(at('node:22-alpine', '2026-12-01'), []);
  assert.deepEqual(at('node:22-alpine', '2027-02-15'), ['3 `node:22-alpine`: Node.js 22 reaches its end of life on 2027-04-30 (in 74 days). Nearest supported: `node:24-alpine`.']);
  assert.deepEqual(at('alpine:3.21', '2026-08-02'), []);
  assert.match(at('alpine:3.21', '2026-08-03')[0] ?? '', /\(in 90 days\)/);
  assert.deepEqual(at('alpine:3.21', '2026-09-01'), ['3 `alpine:3.21`: Alpine Linux 3.21 reaches its end of life on 2026-11-01 (in 61 days). Nearest supported: `alpine:3.22`.']);
  assert.deepEqual(at('alpine:3.21', '2026-11-01'), ['2 `alpine:3.21`: Alpine Linux 3.21 reached its end of life on 2026-11-01. Nearest supported: `alpine:3.22`.']);
});

test('a stale table says so once per document and claims only ends that had passed by its date', () => {
  const text = 'FROM node:24\nFROM python:3.7\nFROM node:14\n';
  const at = (days: number) => createEngine([baseImageEol]).lint(text, { context: { ...EMPTY_CONTEXT, today: addDays(EOL_TABLE.generatedAt, days) } }).map((d) => String(d.message));
  assert.ok(at(TABLE_MAX_AGE_DAYS).every((m) => !/table is from/.test(m)));
  const stale = at(TABLE_MAX_AGE_DAYS + 1);
  assert.equal(stale.filter((m) => /table is from/.test(m)).length, 1);
  assert.equal(stale.length, 3, stale.join('\n'));
  assert.ok(stale.every((m) => !/Nearest supported|itself is supported/.test(m)), stale.join('\n'));
});

test('the FROM hover shows the support dates of the cycles a tag names, with links to endoflife.date', () => {
  const hover = supportHover(ref('python:3.11-slim-buster'), DAY);
  assert.equal(
    hover,
    [
      `**Support** (endoflife.date, as of ${EOL_TABLE.generatedAt})`,
      '',
      '- [Python 3.11](https://endoflife.date/python): supported until 2027-10-31',
      '- [Debian 10 (buster)](https://endoflife.date/debian) (its OS): ended 2022-09-10, Debian LTS until 2024-06-30 ⚠',
    ].join('\n'),
  );
  assert.match(supportHover(ref('debian:bookworm'), DAY), /regular security support ended 2026-07-11, Debian LTS until 2028-06-30/);
  assert.match(supportHover(ref('fedora:43'), DAY), /supported until 2026-12-09 \(ending soon\)/);
  assert.equal(supportHover(ref('python:latest'), DAY), '');
  // Stale: the dates, and no word on what is supported today.
  const stale = supportHover(ref('python:3.11'), addDays(EOL_TABLE.generatedAt, TABLE_MAX_AGE_DAYS + 30));
  assert.match(stale, /over 180 days, so dates may have moved since/);
  assert.match(stale, /Python 3\.11\]\(https:\/\/endoflife\.date\/python\): end of life 2027-10-31$/);
});

test('scripts/eol-table.mjs writes the table from the product pages of a checkout, dated by its commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-eol-'));
  try {
    mkdirSync(join(dir, 'products'));
    const pages = ['debian', 'ubuntu', 'alpine-linux', 'centos', 'rocky-linux', 'almalinux', 'rhel', 'amazon-linux', 'fedora', 'python', 'nodejs', 'go', 'openjdk-builds-from-oracle', 'eclipse-temurin', 'dotnet', 'php', 'ruby', 'postgresql', 'mysql', 'mariadb', 'redis', 'nginx'];
    for (const page of pages) writeFileSync(join(dir, 'products', `${page}.md`), `---\ntitle: ${page}\npermalink: /${page}\nreleases:\n  - releaseCycle: "1.0"\n    releaseDate: 2020-01-01\n    eol: false\n---\n\nText.\n`);
    writeFileSync(
      join(dir, 'products', 'debian.md'),
      '---\ntitle: Debian\npermalink: /debian\nreleases:\n  - releaseCycle: "12"\n    codename: "Bookworm"\n    releaseDate: 2023-06-10\n    eol: 2026-06-10 # a comment\n    eoes: 2028-06-30\n    lts: true\n  - releaseCycle: "1.1"\n    releaseDate: 1996-06-17\n    eol: true\n---\n',
    );
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, GIT_AUTHOR_DATE: '2026-03-04T05:06:07Z', GIT_COMMITTER_DATE: '2026-03-04T05:06:07Z' }, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'products');
    const out = join(dir, 'table.ts');
    execFileSync(process.execPath, [join(ROOT, 'scripts/eol-table.mjs'), dir, out], { stdio: 'pipe' });
    const text = readFileSync(out, 'utf8');
    assert.match(text, /generatedAt: "2026-03-04"/);
    assert.match(text, /"commit":"[0-9a-f]{40}"/);
    assert.match(text, /\{"cycle":"12","released":"2023-06-10","eol":"2026-06-10","longTerm":true,"codename":"bookworm","extended":"2028-06-30"\}/);
    assert.match(text, /\{"cycle":"1\.1","released":"1996-06-17","eol":true\}/);
    assert.match(text, /python: \{\n {6}title: "python",\n {6}url: "https:\/\/endoflife\.date\/python",\n {6}cycles: \[\n {8}\{"cycle":"1\.0","released":"2020-01-01","eol":false\},/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
