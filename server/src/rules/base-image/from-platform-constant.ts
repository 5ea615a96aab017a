import { stageRule } from '../../engine/rule';

export const fromPlatformConstant = stageRule({
  meta: {
    id: 'from-platform-constant',
    title: '`FROM --platform` with a fixed value',
    description: 'Flags FROM --platform set to a constant, which pins the stage to one architecture whatever the build targets.',
    category: 'base-image',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['FromPlatformFlagConstDisallowed'] },
    docs: {
      why: `\`FROM --platform=linux/amd64 node:20\` forces that stage to amd64 even when you build for arm64. On an
Apple-silicon Mac or an arm64 CI runner the stage then runs under emulation (slow), and in the final stage it
produces an image for the wrong architecture. Cross-building uses the build arguments instead:
\`--platform=$BUILDPLATFORM\` for stages that run build tools, and no flag (the target platform) for the
rest.`,
      bad: `FROM --platform=linux/amd64 golang:1.23 AS build`,
      good: `FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .`,
      fix: `Use \`$BUILDPLATFORM\` for build stages, or drop the flag and pass \`--platform\` to \`docker build\`.`,
    },
  },
  checkStage(stage) {
    const flag = stage.platformFlag;
    const value = flag?.getValue();
    if (!flag || !value || value.includes('$')) return [];
    return [{ range: flag.getValueRange() ?? flag.getRange(), message: `\`--platform=${value}\` fixes this stage to one platform whatever the build targets. Use \`$BUILDPLATFORM\` or leave the flag out.` }];
  },
});
