import { isDistroless } from '../../language/imageFamily';
import { copySpec, rootImage } from '../../language/query';
import { stageRule } from '../../engine/rule';

const VENV = /(?:^|\/)\.?venv(?:\/|$)|virtualenv/;

export const venvIntoDistroless = stageRule({
  meta: {
    id: 'venv-into-distroless',
    title: 'Virtualenv copied into a distroless image',
    description: 'Flags a Python virtualenv copied into distroless, where its interpreter links point at a Python that is not there.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `A virtualenv is not self-contained: \`venv/bin/python\` is a symlink to the interpreter that created it,
usually \`/usr/local/bin/python\` in the official images. Distroless Python has its interpreter at
\`/usr/bin/python3\`, so the copied venv's \`python\` is a dangling link and its scripts' shebangs point
nowhere. Copy the installed packages (\`site-packages\`, or a \`pip install --target\` folder) and set
\`PYTHONPATH\` instead.`,
      bad: `FROM python:3.11-slim AS build
RUN python -m venv /venv && /venv/bin/pip install flask
FROM gcr.io/distroless/python3-debian12
COPY --from=build /venv /venv
ENTRYPOINT ["/venv/bin/python", "app.py"]`,
      good: `FROM python:3.11-slim AS build
RUN pip install --target=/deps flask
FROM gcr.io/distroless/python3-debian12
COPY --from=build /deps /deps
ENV PYTHONPATH=/deps
ENTRYPOINT ["python3", "app.py"]`,
      fix: `Install with \`pip install --target=/deps\` (or copy \`site-packages\`) and set \`PYTHONPATH\`.`,
    },
  },
  checkStage(stage, model) {
    const image = rootImage(model, stage);
    if (!image || !isDistroless(image) || !/python/.test(image.path)) return [];
    return stage.instructions.flatMap((info) => {
      if (info.keyword !== 'COPY') return [];
      const spec = copySpec(info);
      const venv = spec.from !== undefined ? spec.sources.find((s) => VENV.test(s.value) && !s.value.includes('site-packages')) : undefined;
      return venv ? [{ range: venv.range, message: `\`${venv.value}\` looks like a virtualenv; its interpreter links break in \`${image.familiar}\`. Copy site-packages and set PYTHONPATH instead.` }] : [];
    });
  },
});
