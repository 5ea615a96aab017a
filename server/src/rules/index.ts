import { addLocalFile } from './maintainability/add-local-file';
import { addUrlUnverified } from './security/add-url-unverified';
import { alpineNativeBuild } from './base-image/alpine-native-build';
import { baseImageEol } from './base-image/base-image-eol';
import { buildkitRefuses } from './syntax/buildkit-refuses';
import { aptGetNoInstallRecommends } from './image-size/apt-get-no-install-recommends';
import { aptInsteadOfAptGet } from './correctness/apt-instead-of-apt-get';
import { cacheMountMissing } from './build-cache/cache-mount-missing';
import { cdInRun } from './maintainability/cd-in-run';
import { cmdShellForm } from './correctness/cmd-shell-form';
import { copyBeforeDependencyInstall } from './build-cache/copy-before-dependency-install';
import { copyDestinationNotDirectory } from './correctness/copy-destination-not-directory';
import { copyFromSelf } from './correctness/copy-from-self';
import { copyFromUnknownStage } from './correctness/copy-from-unknown-stage';
import { credentialFileCopied } from './security/credential-file-copied';
import { copyRelativeDestination } from './correctness/copy-relative-destination';
import { distrolessPythonMismatch } from './correctness/distroless-python-mismatch';
import { digestPinStale } from './base-image/digest-pin-stale';
import { dockerignoreMissing } from './security/dockerignore-missing';
import { downloadInsecure } from './security/download-insecure';
import { downloadOverHttp } from './security/download-over-http';
import { emptyContinuation } from './syntax/empty-continuation';
import { exposeInvalid } from './correctness/expose-invalid';
import { exposeProtocolCasing } from './style/expose-protocol-casing';
import { fromArgEmptyDefault } from './correctness/from-arg-empty-default';
import { fromArgUndefined } from './correctness/from-arg-undefined';
import { fromAsCasing } from './style/from-as-casing';
import { fromPlatformConstant } from './base-image/from-platform-constant';
import { fromPlatformRedundant } from './style/from-platform-redundant';
import { imageDigestRecommended } from './base-image/image-digest-recommended';
import { imageReferenceInvalid } from './syntax/image-reference-invalid';
import { imageTagFloating } from './base-image/image-tag-floating';
import { imageTagLatest } from './base-image/image-tag-latest';
import { instructionBeforeFrom } from './syntax/instruction-before-from';
import { instructionCasing } from './style/instruction-casing';
import { instructionMissingArguments } from './syntax/instruction-missing-arguments';
import { instructionRepeated } from './correctness/instruction-repeated';
import { jsonArrayInvalid } from './syntax/json-array-invalid';
import { legacyKeyValue } from './style/legacy-key-value';
import { maintainerDeprecated } from './maintainability/maintainer-deprecated';
import { multipleServices } from './maintainability/multiple-services';
import { onbuildInvalid } from './syntax/onbuild-invalid';
import { packageCacheNotCleaned } from './image-size/package-cache-not-cleaned';
import { passwordLiteral } from './security/password-literal';
import { packageInstallWithoutYes } from './correctness/package-install-without-yes';
import { packageUpdateAlone } from './build-cache/package-update-alone';
import { packageUpgrade } from './base-image/package-upgrade';
import { pipNoCacheDir } from './image-size/pip-no-cache-dir';
import { platformMissing } from './base-image/platform-missing';
import { pipeWithoutPipefail } from './correctness/pipe-without-pipefail';
import { pointlessCommand } from './maintainability/pointless-command';
import { remoteScriptPiped } from './security/remote-script-piped';
import { runsAsRoot } from './security/runs-as-root';
import { secretGeneratedInImage } from './security/secret-generated-in-image';
import { secretsInArgEnv } from './security/secrets-in-arg-env';
import { shellFormWithoutShell } from './correctness/shell-form-without-shell';
import { shellRelink } from './maintainability/shell-relink';
import { smallerVariant } from './image-size/smaller-variant';
import { stageNameCasing } from './style/stage-name-casing';
import { stageNameDuplicate } from './correctness/stage-name-duplicate';
import { stageNameReserved } from './correctness/stage-name-reserved';
import { sudoInRun } from './security/sudo-in-run';
import { undefinedVar } from './correctness/undefined-var';
import { unknownFlag } from './syntax/unknown-flag';
import { unknownInstruction } from './syntax/unknown-instruction';
import { untrustedPublisher } from './security/untrusted-publisher';
import { untrustedRegistry } from './security/untrusted-registry';
import { useraddHighUid } from './image-size/useradd-high-uid';
import { venvIntoDistroless } from './correctness/venv-into-distroless';
import { workdirRelative } from './correctness/workdir-relative';
import type { Rule } from '../engine/rule';
import { stageUnused } from './maintainability/stage-unused';
import { contextIncludesUnwanted } from './security/context-includes-unwanted';
import { copySourceIgnored } from './correctness/copy-source-ignored';
import { copySourceMissing } from './correctness/copy-source-missing';
import { installManifestMissing } from './correctness/install-manifest-missing';

/** Every rule dockwise knows. Findings are reported sorted by position. */
export const rules: readonly Rule[] = [
  addLocalFile,
  addUrlUnverified,
  alpineNativeBuild,
  aptGetNoInstallRecommends,
  aptInsteadOfAptGet,
  baseImageEol,
  buildkitRefuses,
  cacheMountMissing,
  cdInRun,
  cmdShellForm,
  copyBeforeDependencyInstall,
  copyDestinationNotDirectory,
  copyFromSelf,
  copyFromUnknownStage,
  copyRelativeDestination,
  credentialFileCopied,
  distrolessPythonMismatch,
  digestPinStale,
  dockerignoreMissing,
  downloadInsecure,
  downloadOverHttp,
  emptyContinuation,
  exposeInvalid,
  exposeProtocolCasing,
  fromArgEmptyDefault,
  fromArgUndefined,
  fromAsCasing,
  fromPlatformConstant,
  fromPlatformRedundant,
  imageDigestRecommended,
  imageReferenceInvalid,
  imageTagFloating,
  imageTagLatest,
  instructionBeforeFrom,
  instructionCasing,
  instructionMissingArguments,
  instructionRepeated,
  jsonArrayInvalid,
  legacyKeyValue,
  maintainerDeprecated,
  multipleServices,
  onbuildInvalid,
  packageCacheNotCleaned,
  packageInstallWithoutYes,
  packageUpdateAlone,
  packageUpgrade,
  passwordLiteral,
  pipNoCacheDir,
  platformMissing,
  pipeWithoutPipefail,
  pointlessCommand,
  remoteScriptPiped,
  runsAsRoot,
  secretGeneratedInImage,
  secretsInArgEnv,
  shellFormWithoutShell,
  shellRelink,
  smallerVariant,
  stageNameCasing,
  stageUnused,
  stageNameDuplicate,
  stageNameReserved,
  sudoInRun,
  undefinedVar,
  unknownFlag,
  unknownInstruction,
  untrustedPublisher,
  untrustedRegistry,
  useraddHighUid,
  venvIntoDistroless,
  workdirRelative,
  copySourceMissing,
  copySourceIgnored,
  contextIncludesUnwanted,
  installManifestMissing,
];
