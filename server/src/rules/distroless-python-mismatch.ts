import { pythonVersion } from '../engine/imageFamily';
import { copySpec, rootImage, stageNamed } from './query';
import type { Rule } from './rule';

export const distrolessPythonMismatch: Rule = {
  meta: {
    id: 'distroless-python-mismatch',
    title: 'Build stage Python differs from the distroless Python it copies into',
    description: 'Flags packages built with one Python minor version and copied into a distroless Python image that runs another.',
    category: 'correctness',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `\`gcr.io/distroless/python3-debian12\` ships Debian's own Python, 3.11 (debian11: 3.9). Packages installed in
a \`python:3.12\` build stage land in \`python3.12/site-packages\` and their compiled extensions are built for
3.12's ABI: in the 3.11 final image they are not on the path, or fail to import. The build succeeds and the
container crashes at start. The build stage must use the same minor version as the final image.`,
      bad: `FROM python:3.12-slim AS build
RUN pip install --target=/deps flask
FROM gcr.io/distroless/python3-debian12
COPY --from=build /deps /deps`,
      good: `FROM python:3.11-slim AS build
RUN pip install --target=/deps flask
FROM gcr.io/distroless/python3-debian12
COPY --from=build /deps /deps`,
      fix: `Use \`python:<same minor>-slim\` for the build stage (3.11 for debian12, 3.9 for debian11).`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const finalImage = rootImage(model, stage);
      const runtime = finalImage?.domain === 'gcr.io' ? pythonVersion(finalImage) : undefined;
      if (!runtime) return [];
      return stage.instructions.flatMap((info) => {
        const spec = info.keyword === 'COPY' ? copySpec(info) : undefined;
        const source = spec?.from !== undefined ? stageNamed(model, spec.from, stage.index) : undefined;
        const built = source && rootImage(model, source);
        const buildPython = built && pythonVersion(built);
        if (!buildPython || buildPython === runtime) return [];
        const flag = info.flags.find((f) => f.getName().toLowerCase() === 'from')!;
        return [
          {
            range: flag.getValueRange() ?? flag.getRange(),
            message: `Stage \`${spec!.from}\` runs Python ${buildPython} but \`${finalImage!.familiar}\` runs Python ${runtime}: packages built there will not load here. Build with python:${runtime}.`,
          },
        ];
      });
    });
  },
};
