import { isDistroless, LATEST_TAG } from '../../language/imageFamily';
import type { ImageRef } from '../../language/imageRef';
import { pinFixes } from '../shared/pin';
import { stageRule } from '../../engine/rule';

/** Tags (their first `-` part) that name a release channel rather than a release, on any image. */
const CHANNELS: Readonly<Record<string, string>> = {
  lts: 'whichever release line is LTS today',
  current: 'the newest release line',
  stable: 'whichever release is stable today',
  oldstable: 'whichever release was stable before the current one',
  mainline: 'the newest mainline release',
  nightly: 'a daily build',
  tip: 'a build of the development head',
};

/** Development branches that change continuously (Debian `sid`, Fedora `rawhide`, Alpine `edge`, …). */
const ROLLING = new Set(['sid', 'unstable', 'testing', 'experimental', 'rawhide', 'devel', 'rolling', 'edge', 'tumbleweed']);

/**
 * Images where a major-only tag floats into breaking changes: each new minor release of the
 * language or distribution is not a drop-in update. The value is the first major line that still
 * receives minor releases (`python:2` has been frozen at 2.7.18 since 2020, `ruby:2` at 2.7).
 * Other images (Node, Java, databases) maintain each major as one compatible line.
 */
const MINOR_BREAKS: Readonly<Record<string, { readonly since: number; readonly label: string }>> = {
  python: { since: 3, label: 'Python' },
  golang: { since: 1, label: 'Go' },
  rust: { since: 1, label: 'Rust' },
  ruby: { since: 3, label: 'Ruby' },
  php: { since: 8, label: 'PHP' },
  perl: { since: 5, label: 'Perl' },
  alpine: { since: 3, label: 'Alpine' },
};

/**
 * Official images of languages and applications that publish version tags, where a tag without a
 * version (`alpine`, `slim`, `bookworm`, `alpine3.20`, `apache`) is the newest release with that
 * variant: `latest` under another name. OS images (`debian:bookworm`, `ubuntu:jammy`,
 * `buildpack-deps:trixie`) are not here: their codenames name a release.
 */
const VERSIONED = new Set([
  'python', 'pypy', 'node', 'golang', 'rust', 'ruby', 'php', 'perl', 'openjdk', 'eclipse-temurin', 'amazoncorretto',
  'ibm-semeru-runtimes', 'sapmachine', 'maven', 'gradle', 'groovy', 'clojure', 'haskell', 'elixir', 'erlang', 'julia',
  'swift', 'gcc', 'r-base', 'dart', 'nginx', 'httpd', 'tomcat', 'jetty', 'redis', 'postgres', 'mysql', 'mariadb', 'mongo',
  'memcached', 'rabbitmq', 'haproxy', 'traefik', 'caddy', 'docker', 'composer', 'wordpress',
]);

/**
 * Distribution releases past their end of life, whose variants the official images no longer build
 * (Buster's were dropped on 2024-07-01, e.g. rust-lang/docker-rust#205, nodejs/docker-node#2114): a
 * tag naming one (`node:lts-buster`, `rust:buster`) is frozen at its last build and no longer moves.
 * An old base is a problem of its own, not a floating tag.
 */
const FROZEN_RELEASES = new Set(['jessie', 'stretch', 'buster', 'trusty', 'xenial', 'bionic']);

/** Node's LTS codenames name one major line (`hydrogen` = 18, `iron` = 20), like `node:18`. */
const NODE_CODENAMES = new Set(['argon', 'boron', 'carbon', 'dubnium', 'erbium', 'fermium', 'gallium', 'hydrogen', 'iron', 'jod', 'krypton']);


/** The Docker Official Image a reference names (`python`), also through mirrors (`public.ecr.aws/docker/library/python`). */
function officialName(ref: ImageRef): string | undefined {
  return /(?:^|\/)library\/([^/]+)$/.exec(ref.path)?.[1];
}

/** Why a tag floats across releases, or `undefined` when it names a release. */
export function floatingReason(ref: ImageRef): string | undefined {
  const { tag } = ref;
  if (tag === undefined || ref.digest !== undefined || LATEST_TAG.test(tag) || isDistroless(ref)) return undefined;
  const parts = tag.toLowerCase().split('-');
  if (parts.some((part) => FROZEN_RELEASES.has(part))) return undefined;
  const first = parts[0]!;
  const channel = CHANNELS[first];
  if (channel) return `follows the \`${first}\` channel (${channel}), so a rebuild can move to a new release line. Pin a tag that names the version`;
  if (ROLLING.has(first)) return `is \`${first}\`, a development branch that changes continuously. Pin a numbered release or its codename`;
  const major = /^(\d{1,2})(?:-|$)/.exec(tag)?.[1];
  const name = officialName(ref);
  if (name === undefined) return undefined;
  const line = MINOR_BREAKS[name];
  if (major !== undefined && line !== undefined && Number(major) >= line.since) {
    return `follows every ${line.label} ${major}.x release, and a new ${line.label} minor release is not a drop-in update. Pin a tag with the minor version`;
  }
  if (VERSIONED.has(name) && !/^v?\d/.test(tag) && !(name === 'node' && NODE_CODENAMES.has(first))) {
    return `names no version: it is the newest ${name} release with that variant, so a rebuild can move to a new release line. Pin a tag that names the version`;
  }
  return undefined;
}

export const imageTagFloating = stageRule({
  meta: {
    id: 'image-tag-floating',
    title: 'Base image tag that floats across releases',
    description:
      'Flags tags that move to a new release line without notice: channels (`node:lts`), development branches (`debian:sid`), version-less variants of versioned images (`golang:alpine`) and major-only tags where minors break (`python:3`).',
    category: 'base-image',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    facts: ['digest', 'pinTag'],
    docs: {
      why: `Some tags are not releases but pointers that jump to the next release line:

- **Channels**: \`node:lts\` was Node 18, then 20, then 22; \`nginx:stable\`, \`debian:stable\` and \`current\` move the
  same way.
- **Development branches**: \`debian:sid\`, \`debian:testing\`, \`fedora:rawhide\`, \`alpine:edge\`,
  \`ubuntu:devel\` change with every upload.
- **Version-less variants** of images that publish versions: \`golang:alpine\`, \`node:alpine3.20\`,
  \`rust:buster\`, \`python:slim\` are the newest release with that variant, \`latest\` under another name.
- **Major-only tags where minor releases break**: \`python:3\`, \`golang:1\`, \`ruby:3\`, \`php:8\`, \`rust:1\`,
  \`perl:5\` and \`alpine:3\` move to each new minor release, which removes APIs, changes the toolchain or the
  packages.

A rebuild then changes the language or the distribution under you, and breaks compiled extensions, native
modules or deprecated calls. Not reported: major-only tags of images that keep each major as one compatible
line (\`node:18-slim\`, \`eclipse-temurin:17-jre\`, \`debian:12\`), tags that no longer move because their line
is frozen (\`python:2\`) or their distribution is past its end of life and no longer built (\`rust:buster\`,
\`node:lts-buster\`: old, but a different problem),
OS release codenames and numbers (\`debian:bookworm\` is \`debian:12\`, \`ubuntu:jammy\` is \`ubuntu:22.04\`),
Node's LTS codenames (\`node:iron\` is \`node:20\`), version-less tags of images we know nothing about,
\`latest\` (image-tag-latest) and distroless/Chainguard images (image-digest-recommended).`,
      bad: `FROM python:3
FROM node:lts-alpine
FROM golang:alpine
FROM debian:sid-slim`,
      good: `FROM python:3.12-slim-bookworm
FROM node:22-alpine3.20
FROM golang:1.23-alpine3.20
FROM debian:bookworm-slim`,
      fix: `Replace the tag with one that names the release line: the minor version for Python, Go, Rust, Ruby, PHP,
Perl and Alpine, the major for Node or Java, a release codename or number for an OS, ideally with the OS
variant.
With registry data the quick fix offers to pin to the most specific tag that shares today's digest
(preferred) or to that tag with the digest, \`node:22.11.0@sha256:<index digest>\`: the digest of the
multi-platform index, with the tag kept for readers and for Renovate and Dependabot, which move the
digest (and the version) in pull requests.`,
    },
  },
  checkStage(stage) {
    const base = stage.base;
    if (base?.kind !== 'image' || base.ref.tag === undefined) return [];
    const reason = floatingReason(base.ref);
    if (!reason) return [];
    return [
      {
        range: base.source.spans.tag ?? base.source.spans.name,
        message: `\`${base.ref.familiar}\` ${reason}.`,
        data: { image: base.ref.canonicalName, tag: base.ref.tag },
      },
    ];
  },
  fix: pinFixes,
});
