import { basename, copySpec, wholeContextSource } from '../../language/query';
import type { Rule } from '../../engine/rule';

/**
 * Manifests whose ecosystem writes dependencies or build output next to them on a developer's
 * machine, with the folders it writes and what the project is.
 */
const LOCAL_OUTPUT: readonly { readonly manifest: RegExp; readonly folders: readonly string[]; readonly kind: string }[] = [
  { manifest: /^package\.json$/, folders: ['node_modules'], kind: 'Node' },
  { manifest: /\.(?:csproj|fsproj|vbproj|sln)$/, folders: ['bin', 'obj'], kind: '.NET' },
  { manifest: /^(?:build|settings)\.gradle(?:\.kts)?$/, folders: ['build', '.gradle'], kind: 'Gradle' },
  { manifest: /^pom\.xml$/, folders: ['target'], kind: 'Maven' },
  { manifest: /^Cargo\.toml$/, folders: ['target'], kind: 'Cargo' },
  { manifest: /^composer\.json$/, folders: ['vendor'], kind: 'Composer' },
  { manifest: /^mix\.exs$/, folders: ['_build', 'deps'], kind: 'Mix' },
];

/** The folders local builds write into the context, by the manifests it holds (`bin/`, `Api/obj/`). */
function localOutput(paths: Iterable<string>): { kind: string; folders: string[] } | undefined {
  const kinds: string[] = [];
  const folders: string[] = [];
  for (const path of paths) {
    // Manifests of installed dependencies are not the project's own.
    if (/(?:^|\/)(?:node_modules|vendor|bin|obj|build|target)\//.test(path)) continue;
    const found = LOCAL_OUTPUT.find((o) => o.manifest.test(basename(path)));
    if (!found) continue;
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    if (!kinds.includes(found.kind)) kinds.push(found.kind);
    for (const folder of found.folders) if (!folders.includes(`${dir}${folder}/`)) folders.push(`${dir}${folder}/`);
  }
  return folders.length > 0 ? { kind: kinds.join('/'), folders } : undefined;
}

export const dockerignoreMissing: Rule = {
  meta: {
    id: 'dockerignore-missing',
    title: 'Whole context copied without a `.dockerignore`',
    description: 'Flags COPY . or ADD . when the build context has no .dockerignore and holds a project whose local builds write dependencies or output into it (node_modules, bin/obj, build, target).',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Without a \`.dockerignore\`, \`COPY . .\` copies everything in the context. What is there today is reported
by \`context-includes-unwanted\` (\`.git\`, \`.env\`, \`node_modules\`, keys); this rule is about what a local
build puts there tomorrow. A Node project gets \`node_modules\` from \`npm install\`, a .NET project \`bin/\` and
\`obj/\` from \`dotnet build\`, Gradle \`build/\` and \`.gradle/\`, Maven and Cargo \`target/\`, Composer \`vendor/\`.
Copied in, they overwrite what the image installed with files built for another OS (a host \`obj/project.assets.json\`
breaks \`dotnet publish --no-restore\`; host \`node_modules\` carry native modules for the wrong platform), grow the
image, and invalidate its cache. A \`.dockerignore\` listing them keeps the build the same on every machine.

Contexts with no such manifest (a few Python or Go sources) are not reported: nothing would appear there.
Without the build context on disk the rule stays quiet.`,
      bad: `# package.json in the context, no .dockerignore
FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .`,
      good: `# .dockerignore beside the Dockerfile:
#   node_modules
#   .git
#   .env
FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .`,
      fix: `Create a \`.dockerignore\` in the build context that excludes the folders the message names, and version control,
secrets and other build output; or copy only the folders the image needs.`,
    },
  },
  check(model, context) {
    const build = context.buildContext;
    // With something unwanted already there, context-includes-unwanted names it instead.
    if (build?.hasDockerignore !== false || (build.unwanted?.length ?? 0) > 0) return [];
    const output = localOutput(build.paths ?? build.files ?? []);
    if (!output) return [];
    const shown = output.folders.slice(0, 4);
    const named = output.folders.length > 4 ? `${shown.join(', ')}, …` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0]!;
    for (const info of model.instructions) {
      if (info.keyword !== 'COPY' && info.keyword !== 'ADD') continue;
      const source = wholeContextSource(copySpec(info));
      if (source) {
        return [
          {
            range: source.range,
            message: `\`${info.keyword} ${source.value}\` copies the whole build context, and it has no .dockerignore: local installs and builds of this ${output.kind} project write ${named} into it, and those would go in too.`,
          },
        ];
      }
    }
    return [];
  },
};
