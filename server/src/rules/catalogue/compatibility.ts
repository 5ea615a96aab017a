/**
 * The checks of BuildKit, hadolint, Trivy and checkov that users already know, each either mapped onto
 * a dockwise rule (through `meta.aliases`, by the policy written on RuleMeta.aliases) or listed in
 * LEFT_OUT with the reason. Titles are our own short descriptions.
 */
import type { RuleMeta } from '../../engine/rule';

export const BUILDKIT_CHECKS: Readonly<Record<string, string>> = {
  ConsistentInstructionCasing: 'instructions in mixed upper and lower case',
  CopyIgnoredFile: 'COPY/ADD of a path that .dockerignore excludes',
  DuplicateStageName: 'two stages with the same name',
  ExposeInvalidFormat: 'EXPOSE with an IP address or host port',
  ExposeProtoCasing: 'EXPOSE protocol not in lower case',
  FromAsCasing: '`AS` cased differently from `FROM`',
  FromPlatformFlagConstDisallowed: 'FROM --platform with a constant value',
  InvalidBaseImagePlatform: 'base image not published for the target platform',
  InvalidDefaultArgInFrom: 'global ARG default that leaves FROM empty or invalid',
  JSONArgsRecommended: 'CMD/ENTRYPOINT in shell form',
  LegacyKeyValueFormat: '`ENV key value` instead of `ENV key=value`',
  MaintainerDeprecated: 'MAINTAINER instruction',
  MultipleInstructionsDisallowed: 'more than one CMD, ENTRYPOINT or HEALTHCHECK in a stage',
  NoEmptyContinuation: 'empty line inside a continued instruction',
  RedundantTargetPlatform: 'FROM --platform=$TARGETPLATFORM, which is the default',
  ReservedStageName: 'stage named `scratch` or `context`',
  SecretsUsedInArgOrEnv: 'secret-looking names in ARG or ENV',
  StageNameCasing: 'stage name not in lower case',
  UndefinedArgInFrom: 'FROM uses an ARG that is not declared before it',
  UndefinedVar: 'variable used but never defined',
  WorkdirRelativePath: 'relative WORKDIR without an absolute one before it',
};

export const HADOLINT_RULES: Readonly<Record<string, string>> = {
  DL3000: 'WORKDIR must be absolute',
  DL3001: 'commands that make no sense in a container (ssh, vim, shutdown, …)',
  DL3002: 'last USER should not be root',
  DL3003: 'cd in RUN instead of WORKDIR',
  DL3004: 'sudo in RUN',
  DL3005: 'apt-get upgrade / dist-upgrade',
  DL3006: 'image without an explicit tag',
  DL3007: 'image with the latest tag',
  DL3008: 'apt-get install without version pins',
  DL3009: 'apt lists not deleted',
  DL3010: 'COPY then extract instead of ADD for archives',
  DL3011: 'EXPOSE port out of range',
  DL3012: 'more than one HEALTHCHECK',
  DL3013: 'pip install without version pins',
  DL3014: 'apt-get install without -y',
  DL3015: 'apt-get install without --no-install-recommends',
  DL3016: 'npm install without version pins',
  DL3018: 'apk add without version pins',
  DL3019: 'apk add without --no-cache',
  DL3020: 'ADD for local files instead of COPY',
  DL3021: 'COPY of several sources to a destination without a trailing slash',
  DL3022: 'COPY --from a name that is not an earlier stage',
  DL3023: 'COPY --from the stage itself',
  DL3024: 'duplicate stage names',
  DL3025: 'CMD/ENTRYPOINT not in JSON form',
  DL3026: 'base image from a registry that is not trusted',
  DL3027: 'apt instead of apt-get',
  DL3028: 'gem install without version pins',
  DL3029: 'FROM --platform',
  DL3030: 'yum install without -y',
  DL3032: 'yum clean all missing',
  DL3033: 'yum install without version pins',
  DL3034: 'zypper install without -n',
  DL3035: 'zypper dist-upgrade',
  DL3036: 'zypper clean missing',
  DL3037: 'zypper install without version pins',
  DL3038: 'dnf install without -y',
  DL3040: 'dnf clean all missing',
  DL3041: 'dnf install without version pins',
  DL3042: 'pip install without --no-cache-dir',
  DL3043: 'ONBUILD with FROM, MAINTAINER or ONBUILD',
  DL3044: 'ENV referring to a variable set in the same ENV',
  DL3045: 'COPY to a relative destination without WORKDIR',
  DL3046: 'useradd with a high UID but without -l',
  DL3047: 'wget without --progress',
  DL3048: 'invalid label key',
  DL3049: 'required label missing',
  DL3050: 'label not in the allowed list',
  DL3051: 'empty label',
  DL3052: 'label that should be a URL',
  DL3053: 'label that should be an RFC 3339 date',
  DL3054: 'label that should be an SPDX licence',
  DL3055: 'label that should be a git hash',
  DL3056: 'label that should be semantic version',
  DL3057: 'HEALTHCHECK missing',
  DL3058: 'label that should be an email address',
  DL3059: 'consecutive RUN instructions',
  DL3060: 'yarn cache clean missing',
  DL3061: 'instruction before FROM other than ARG',
  DL3062: 'go install without a version',
  DL4000: 'MAINTAINER is deprecated',
  DL4001: 'both wget and curl',
  DL4003: 'more than one CMD',
  DL4004: 'more than one ENTRYPOINT',
  DL4005: 'changing the shell by relinking /bin/sh instead of SHELL',
  DL4006: 'pipe in RUN without pipefail',
};

/** Trivy's Dockerfile misconfiguration checks (aquasecurity/trivy-checks, checks/docker/*.rego), by the id Trivy prints. */
export const TRIVY_CHECKS: Readonly<Record<string, string>> = {
  'DS-0001': 'FROM image with the latest tag or no tag',
  'DS-0002': 'no USER, or the last USER is root',
  'DS-0004': 'EXPOSE of port 22',
  'DS-0005': 'ADD of local files instead of COPY (archives and URLs aside)',
  'DS-0006': 'COPY --from the stage itself',
  'DS-0007': 'more than one ENTRYPOINT in a stage',
  'DS-0008': 'EXPOSE port above 65535',
  'DS-0009': 'relative WORKDIR',
  'DS-0010': 'sudo in RUN',
  'DS-0011': 'COPY of several sources to a destination without a trailing slash',
  'DS-0012': 'two stages with the same name',
  'DS-0013': 'cd in RUN instead of WORKDIR',
  'DS-0014': 'both wget and curl',
  'DS-0015': 'yum install without yum clean all',
  'DS-0016': 'more than one CMD in a stage',
  'DS-0017': 'package index update in a RUN without an install',
  'DS-0019': 'dnf install without dnf clean all',
  'DS-0020': 'zypper install without zypper clean',
  'DS-0021': 'apt-get install without -y',
  'DS-0022': 'MAINTAINER instruction',
  'DS-0023': 'more than one HEALTHCHECK in a stage',
  'DS-0024': 'apt-get dist-upgrade (deprecated in Trivy)',
  'DS-0025': 'apk add without --no-cache',
  'DS-0026': 'HEALTHCHECK missing',
  'DS-0027': 'microdnf install without microdnf clean all',
  'DS-0029': 'apt-get install without --no-install-recommends',
  'DS-0030': 'WORKDIR under /proc, /boot, /dev and other system folders',
  'DS-0031': 'secrets in ARG or ENV of the final stage, copied cloud credential files, cloud logins in RUN',
};

/** checkov's Dockerfile checks (bridgecrewio/checkov, checkov/dockerfile/checks/ and its graph_checks/). */
export const CHECKOV_CHECKS: Readonly<Record<string, string>> = {
  CKV_DOCKER_1: 'EXPOSE of port 22',
  CKV_DOCKER_2: 'HEALTHCHECK missing',
  CKV_DOCKER_3: 'no USER instruction',
  CKV_DOCKER_4: 'any ADD instruction',
  CKV_DOCKER_5: 'package index update without an install',
  CKV_DOCKER_6: 'MAINTAINER instruction',
  CKV_DOCKER_7: 'FROM image with the latest tag or no tag',
  CKV_DOCKER_8: 'last USER is root',
  CKV_DOCKER_9: 'apt instead of apt-get',
  CKV_DOCKER_10: 'relative WORKDIR',
  CKV_DOCKER_11: 'two stages with the same name',
  CKV2_DOCKER_1: 'sudo in RUN',
  CKV2_DOCKER_2: 'curl -k / --insecure',
  CKV2_DOCKER_3: 'wget --no-check-certificate',
  CKV2_DOCKER_4: 'pip --trusted-host',
  CKV2_DOCKER_5: 'PYTHONHTTPSVERIFY=0',
  CKV2_DOCKER_6: 'NODE_TLS_REJECT_UNAUTHORIZED=0',
  CKV2_DOCKER_7: 'apk --allow-untrusted',
  CKV2_DOCKER_8: 'apt-get --allow-unauthenticated',
  CKV2_DOCKER_9: 'yum, dnf or tdnf --nogpgcheck',
  CKV2_DOCKER_10: 'rpm --nosignature, --nodigest, --noverify or --nofiledigest',
  CKV2_DOCKER_11: 'apt-get --force-yes',
  CKV2_DOCKER_12: 'NPM_CONFIG_STRICT_SSL=false',
  CKV2_DOCKER_13: 'npm or yarn config set strict-ssl false',
  CKV2_DOCKER_14: 'GIT_SSL_NO_VERIFY set',
  CKV2_DOCKER_15: 'yum or dnf config-manager --setopt=sslverify=0',
  CKV2_DOCKER_16: 'PIP_TRUSTED_HOST set',
  CKV2_DOCKER_17: 'any use of chpasswd',
};

export type Tool = keyof RuleMeta['aliases'];

export interface ToolInfo {
  /** How docs and messages name the tool. */
  readonly name: string;
  /** What its checks are called, plural. */
  readonly noun: string;
  /** Every Dockerfile check it has, by id. */
  readonly checks: Readonly<Record<string, string>>;
  /** The shape of its ids as it prints them. */
  readonly id: RegExp;
  /** Where its checks are defined, for people keeping the table current. */
  readonly source: string;
  /** Another spelling the tool accepts, turned into the one it prints; `undefined` when it is not one. */
  readonly canonical?: (name: string) => string | undefined;
}

/** The other tools, in the order docs and SARIF list them. */
export const TOOLS: Readonly<Record<Tool, ToolInfo>> = {
  hadolint: { name: 'hadolint', noun: 'rules', checks: HADOLINT_RULES, id: /^DL\d{4}$/, source: 'https://github.com/hadolint/hadolint#rules' },
  buildkit: { name: 'BuildKit', noun: 'checks', checks: BUILDKIT_CHECKS, id: /^[A-Z][A-Za-z]+$/, source: 'https://docs.docker.com/reference/build-checks/' },
  trivy: {
    name: 'Trivy',
    noun: 'checks',
    checks: TRIVY_CHECKS,
    id: /^DS-\d{4}$/,
    source: 'https://github.com/aquasecurity/trivy-checks/tree/main/checks/docker',
    // Before trivy-checks 2.0 Trivy printed AVD-DS-0002; its rego packages still say DS002. It accepts both in .trivyignore.
    canonical: (name) => {
      const digits = /^(?:AVD-)?DS-?(\d{3,4})$/i.exec(name)?.[1];
      return digits === undefined ? undefined : `DS-${digits.padStart(4, '0')}`;
    },
  },
  checkov: { name: 'checkov', noun: 'checks', checks: CHECKOV_CHECKS, id: /^CKV2?_DOCKER_\d+$/, source: 'https://github.com/bridgecrewio/checkov/tree/main/checkov/dockerfile/checks' },
};

export const TOOL_NAMES = Object.keys(TOOLS) as Tool[];

/** Why a check that users know has no dockwise rule. */
export const LEFT_OUT: Readonly<Record<string, string>> = {
  DL3008: 'pinning Debian package versions breaks builds when the archive moves on; dockwise asks for a pinned base image instead, which fixes the whole package set.',
  DL3013: 'version pins belong in requirements files or lock files, which dockwise cannot see from the RUN line; pin the base image and use a lock file.',
  DL3016: 'version pins belong in package.json and its lock file; `npm ci` already installs exactly those.',
  DL3018: 'Alpine removes old package versions from its mirrors, so pinned `apk add` versions break builds; pin the base image instead.',
  DL3019: "hadolint asks for `apk add --no-cache` even when the RUN removes /var/cache/apk itself; `package-cache-not-cleaned` reports an apk index only when it stays in the image, which either way avoids.",
  DL3028: 'version pins belong in the Gemfile.lock; `bundle install` installs exactly those.',
  DL3033: 'as DL3008: pin the base image rather than individual packages.',
  DL3037: 'as DL3008: pin the base image rather than individual packages.',
  DL3041: 'as DL3008: pin the base image rather than individual packages.',
  DL3010: 'a style preference with no failure behind it; ADD extracting archives surprises more readers than it helps.',
  DL3029: 'a constant --platform is reported by `from-platform-constant` (BuildKit FromPlatformFlagConstDisallowed); --platform=$BUILDPLATFORM is the right way to cross-build and is not flagged.',
  DL3044: 'BuildKit expands ENV variables left to right since Docker 1.13, so the case hadolint guards against works as people expect.',
  DL3047: 'wget progress output only affects build logs; not worth a warning.',
  DL3048: 'label policies differ per team; a label schema setting is planned.',
  DL3049: 'label policies differ per team; a label schema setting is planned.',
  DL3050: 'label policies differ per team; a label schema setting is planned.',
  DL3051: 'label policies differ per team; a label schema setting is planned.',
  DL3052: 'label policies differ per team; a label schema setting is planned.',
  DL3053: 'label policies differ per team; a label schema setting is planned.',
  DL3054: 'label policies differ per team; a label schema setting is planned.',
  DL3055: 'label policies differ per team; a label schema setting is planned.',
  DL3056: 'label policies differ per team; a label schema setting is planned.',
  DL3058: 'label policies differ per team; a label schema setting is planned.',
  DL3057: 'orchestrators (Kubernetes probes, compose healthcheck) usually own health checks; a missing HEALTHCHECK is not a defect.',
  DL3059: 'merging RUN instructions trades cache reuse for fewer layers; with BuildKit neither is clearly better, so this is left to taste.',
  DL3062: 'rarely used and better covered by go.mod pinning.',
  DL4001: 'using both wget and curl costs a few hundred KB; not worth a warning.',
  'DS-0004': 'EXPOSE publishes nothing by itself; what matters is whether an SSH server runs in the container, which the port number does not show.',
  'DS-0014': 'as DL4001.',
  'DS-0025': 'as DL3019: `package-cache-not-cleaned` reports an apk index only when it stays in the image.',
  'DS-0026': 'as DL3057.',
  'DS-0027': '`package-cache-not-cleaned` does not know microdnf yet.',
  'DS-0030': 'WORKDIR only creates and enters a folder; it mounts nothing, so there is no breakout to report.',
  CKV_DOCKER_1: 'as DS-0004.',
  CKV_DOCKER_2: 'as DL3057.',
  CKV_DOCKER_4: 'broader than `add-local-file`: it flags every ADD, also URLs, git sources and archives that COPY cannot replace; `add-local-file` reports the ones COPY can replace.',
  CKV2_DOCKER_17: 'broader than `password-literal`: it flags every chpasswd, also one that reads the password from a build secret; `password-literal` reports passwords written in the RUN.',
};
