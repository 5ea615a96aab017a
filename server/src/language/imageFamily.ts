/**
 * What a base image's name says about it, before any registry is asked: whether it has a shell,
 * which C library it uses, whether it already runs as non-root. Facts kept as data.
 */
import type { ImageRef } from './imageRef';

const CHAINGUARD_WITH_SHELL = new Set(['chainguard/wolfi-base', 'chainguard/busybox', 'chainguard/bash']);

/** Shell-less families and the tags that add a shell back. */
const SHELL_LESS: readonly { readonly match: (ref: ImageRef) => boolean; readonly shellTag: RegExp }[] = [
  { match: (r) => r.domain === 'gcr.io' && r.path.startsWith('distroless/'), shellTag: /(?:^|-)debug(?:-|$)/ },
  // wolfi-base, busybox and bash are shell environments whatever the tag.
  { match: (r) => r.domain === 'cgr.dev' && r.path.startsWith('chainguard/') && !CHAINGUARD_WITH_SHELL.has(r.path), shellTag: /(?:^|-)dev(?:-|$)/ },
];

/** Debian's Python in each distroless Python image. */
const DISTROLESS_PYTHON: Readonly<Record<string, string>> = {
  'distroless/python3-debian11': '3.9',
  'distroless/python3-debian12': '3.11',
  'distroless/python3-debian13': '3.13',
};

export function isDistroless(ref: ImageRef): boolean {
  return SHELL_LESS.some((f) => f.match(ref));
}

/** `false` when the image is known to have no `/bin/sh`; `true` otherwise (most images have one). */
export function hasShell(ref: ImageRef): boolean {
  const family = SHELL_LESS.find((f) => f.match(ref));
  return !family || family.shellTag.test(ref.tag ?? '');
}

/** Docker Official Images whose Dockerfile ends with a non-root `USER`. */
const OFFICIAL_NON_ROOT = new Set(['sonarqube', 'solr', 'elasticsearch', 'kibana', 'logstash', 'jetty', 'memcached', 'rocket.chat']);

/**
 * Images that are documented to run as an unprivileged user by default: distroless `:nonroot`,
 * Chainguard (not `-dev`), the Jupyter stacks (jovyan), Bitnami's application images (uid 1001),
 * nginx-unprivileged, .NET's chiseled images (app, uid 1654), Windows Nano Server (ContainerUser),
 * and a few others whose own Dockerfile ends with a non-root USER.
 */
export function runsAsNonRoot(ref: ImageRef): boolean {
  const tag = ref.tag ?? '';
  if (ref.domain === 'gcr.io' && ref.path.startsWith('distroless/')) return /nonroot/.test(tag);
  if (ref.domain === 'cgr.dev' && ref.path.startsWith('chainguard/')) return !/(?:^|-)dev(?:-|$)/.test(tag);
  if (ref.domain === 'quay.io' && ref.path.startsWith('jupyter/')) return true;
  if (ref.domain === 'mcr.microsoft.com') {
    if (ref.path.startsWith('dotnet/')) return /chiseled/.test(tag);
    return ref.path === 'windows/nanoserver';
  }
  if (ref.domain === 'docker.elastic.co') return /^(?:elasticsearch|kibana|logstash)\//.test(ref.path);
  if (ref.domain !== 'docker.io') return false;
  const [owner, name] = ref.path.split('/');
  if (owner === 'library') return OFFICIAL_NON_ROOT.has(name ?? '');
  // bitnami/minideb is Bitnami's plain Debian base, root like any distro.
  if (owner === 'bitnami') return name !== 'minideb';
  return owner === 'jupyter' || ref.path === 'nginxinc/nginx-unprivileged' || ref.path === 'jenkins/jenkins' || ref.path === 'grafana/grafana' || owner === 'prom';
}

/** Base images of Windows containers (Server Core, Nano Server, .NET Framework, and tags built on them). */
export function isWindows(ref: ImageRef): boolean {
  if (ref.domain === 'mcr.microsoft.com' && /^(?:windows(?:\/|$)|dotnet\/framework\/)/.test(ref.path)) return true;
  return /(?:^|-)(?:windowsservercore|nanoserver)(?:-|$)|(?:^|-)ltsc20\d\d(?:-|$)/.test(ref.tag ?? '');
}

/** Distribution and vendor bases, besides Docker Official Images, whose default user is root. */
const ROOT_DEFAULT: readonly RegExp[] = [
  /^mcr\.microsoft\.com\/(?:dotnet|devcontainers|openjdk|cbl-mariner|azurelinux|azure-functions|playwright|vscode)\//,
  /^registry\.access\.redhat\.com\/ubi\d+(?:\/ubi)?(?:-minimal|-micro|-init)?$/,
  /^registry\.fedoraproject\.org\/fedora(?:-minimal)?$/,
  /^quay\.io\/(?:centos\/centos|fedora\/fedora)$/,
  /^public\.ecr\.aws\/(?:docker\/library\/|amazonlinux\/amazonlinux$|lambda\/)/,
  /^docker\.io\/bitnami\/minideb$/,
  /^docker\.io\/(?:nvidia\/cuda|pytorch\/pytorch|tensorflow\/tensorflow)$/,
];

/**
 * Whether the image is known to run as root when nothing says otherwise: Docker Official Images
 * (but those in `runsAsNonRoot`), the distributions' own bases, distroless without `nonroot`,
 * Chainguard's `-dev` tags. For any other image only its config (or what the Dockerfile does on it)
 * can tell: a third-party image may well set a user of its own.
 */
export function defaultsToRoot(ref: ImageRef): boolean {
  if (runsAsNonRoot(ref)) return false;
  if (isDistroless(ref)) return true;
  if (ref.domain === 'docker.io' && ref.path.startsWith('library/')) return true;
  return ROOT_DEFAULT.some((re) => re.test(`${ref.domain}/${ref.path}`));
}

export function isAlpine(ref: ImageRef): boolean {
  return ref.path === 'library/alpine' || /(?:^|-)alpine/.test(ref.tag ?? '');
}

/** The Python minor version an image runs, when its name says so (`python:3.12-slim` → `3.12`). */
export function pythonVersion(ref: ImageRef): string | undefined {
  const distroless = DISTROLESS_PYTHON[ref.path];
  if (ref.domain === 'gcr.io' && distroless) return distroless;
  if (ref.path !== 'library/python') return undefined;
  return /^(\d+\.\d+)/.exec(ref.tag ?? '')?.[1];
}

/** How to run as non-root on a base: the command that creates the user, if one is needed, and the user. */
export interface NonRootUser {
  readonly create?: string;
  readonly user: string;
  /** What `COPY --chown=` should name. */
  readonly owner: string;
}

const DEBIAN_USER: NonRootUser = { create: 'groupadd --system app && useradd --system --gid app --no-log-init --create-home app', user: 'app', owner: 'app:app' };
const ALPINE_USER: NonRootUser = { create: 'addgroup -S app && adduser -S -D -G app app', user: 'app', owner: 'app:app' };
/** The uid distroless and Chainguard images use for their built-in unprivileged user. */
const NUMERIC_USER: NonRootUser = { user: '65532:65532', owner: '65532:65532' };

/** The user to add to a stage built on `ref` (`undefined`: scratch), by the image's family. */
export function nonRootUserFor(ref: ImageRef | undefined): NonRootUser {
  // Windows images have the built-in ContainerUser; `--chown` does not apply to them.
  if (ref && isWindows(ref)) return { user: 'ContainerUser', owner: 'ContainerUser' };
  if (!ref || !hasShell(ref)) return ref && ref.domain === 'gcr.io' ? { user: 'nonroot', owner: '65532:65532' } : NUMERIC_USER;
  if (ref.path === 'library/node') return { user: 'node', owner: 'node:node' };
  return isAlpine(ref) || ref.path === 'library/busybox' ? ALPINE_USER : DEBIAN_USER;
}

/**
 * The names of Docker Official Images (docker.io/library/<name>), as listed in docker-library's
 * official-images repository (library/ folder, late 2026). A plain name such as `COPY --from=busybox`
 * that is one of these is an image on purpose; any other plain name is a stage or build context
 * that is missing, or a typo.
 */
const OFFICIAL_IMAGES = new Set(
  (
    'adminer aerospike almalinux alpine alt amazoncorretto amazonlinux api-firewall arangodb archlinux backdrop bash bonita ' +
    'buildpack-deps busybox caddy cassandra chronograf cirros clearlinux clefos clickhouse clojure composer convertigo couchbase ' +
    'couchdb crate dart debian docker drupal eclipse-mosquitto eclipse-temurin eggdrop elasticsearch elixir emqx erlang fedora ' +
    'flink fluentd friendica gazebo gcc geonetwork ghost golang gradle groovy haproxy haskell haxe hello-world hitch httpd hylang ' +
    'ibm-semeru-runtimes ibmjava influxdb irssi jetty joomla jruby julia kapacitor kibana kong krakend liquibase logstash mageia ' +
    'mariadb matomo maven mediawiki memcached mongo mongo-express monica mono mysql nats neo4j neurodebian nextcloud nginx node ' +
    'notary odoo open-liberty openjdk oraclelinux orientdb percona perl photon php php-zendserver phpmyadmin plone postfixadmin ' +
    'postgres pypy python rabbitmq rakudo-star redis redmine registry rethinkdb rocket.chat rockylinux ruby rust sapmachine satosa ' +
    'silverpeas solr sonarqube spark spiped storm swift swipl teamspeak telegraf tomcat tomee traefik ubuntu unit varnish ' +
    'websphere-liberty wordpress xwiki yourls znc zookeeper'
  ).split(' '),
);

export function isOfficialImageName(name: string): boolean {
  return OFFICIAL_IMAGES.has(name.toLowerCase());
}

/**
 * Which shell `/bin/sh` is in an image, by what its name says: busybox `ash` (Alpine, BusyBox), `dash`
 * (Debian, Ubuntu and the official images built on them) or `bash` (the Red Hat and SUSE families).
 * `undefined` when the name does not say.
 */
export function binSh(ref: ImageRef | undefined): 'ash' | 'dash' | 'bash' | undefined {
  if (!ref) return undefined;
  const tag = ref.tag ?? '';
  if (isAlpine(ref) || ref.path === 'library/busybox') return 'ash';
  if (/windows|nanoserver|ltsc/.test(tag)) return undefined;
  if (ref.domain === 'docker.io' && BASH_AS_SH.includes(ref.path)) return 'bash';
  if (/(?:^|\/)ubi\d*(?:-\w+)?$/.test(ref.path) || ref.path.startsWith('opensuse/') || ref.path.startsWith('fedora/')) return 'bash';
  if (/(?:^|-)(?:ubi\d*|centos\d*|rockylinux\d*|almalinux\d*|oraclelinux\d*|oracle|amazonlinux\d*|al2|al2023|fedora\d*|leap|tumbleweed)(?:-|$)/.test(tag)) return 'bash';
  if (/(?:^|-)(?:bookworm|bullseye|buster|stretch|jessie|trixie|forky|sid|xenial|bionic|focal|jammy|noble|oracular|plucky)(?:-|$)/.test(tag)) return 'dash';
  if (ref.domain === 'docker.io' && DEBIAN_BASED.includes(ref.path)) return 'dash';
  return undefined;
}

const BASH_AS_SH = ['library/fedora', 'library/centos', 'library/rockylinux', 'library/almalinux', 'library/amazonlinux', 'library/oraclelinux', 'library/archlinux', 'redhat/ubi8', 'redhat/ubi9'];
/** Official images whose default (untagged-variant) flavour is Debian or Ubuntu. */
const DEBIAN_BASED = [
  'library/debian', 'library/ubuntu', 'library/buildpack-deps', 'library/python', 'library/node', 'library/golang', 'library/rust', 'library/ruby', 'library/php',
  'library/perl', 'library/openjdk', 'library/eclipse-temurin', 'library/maven', 'library/gradle', 'library/gcc', 'library/haskell', 'library/elixir', 'library/erlang',
  'library/nginx', 'library/httpd', 'library/postgres', 'library/redis', 'library/mongo', 'library/julia', 'library/r-base',
];

/** Tags that are `latest` or a variant of it (`latest-slim`). */
export const LATEST_TAG = /^latest(?:-|$)/;
