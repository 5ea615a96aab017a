import { addLocalFile } from './add-local-file';
import { addUrlUnverified } from './add-url-unverified';
import { alpineNativeBuild } from './alpine-native-build';
import { baseImageEol } from './base-image-eol';
import { buildkitRefuses } from './buildkit-refuses';
import { aptGetNoInstallRecommends } from './apt-get-no-install-recommends';
import { aptInsteadOfAptGet } from './apt-instead-of-apt-get';
import { cacheMountMissing } from './cache-mount-missing';
import { cdInRun } from './cd-in-run';
import { cmdShellForm } from './cmd-shell-form';
import { copyBeforeDependencyInstall } from './copy-before-dependency-install';
import { copyDestinationNotDirectory } from './copy-destination-not-directory';
import { copyFromSelf } from './copy-from-self';
import { copyFromUnknownStage } from './copy-from-unknown-stage';
import { credentialFileCopied } from './credential-file-copied';
import { copyRelativeDestination } from './copy-relative-destination';
import { distrolessPythonMismatch } from './distroless-python-mismatch';
import { digestPinStale } from './digest-pin-stale';
import { dockerignoreMissing } from './dockerignore-missing';
import { downloadInsecure } from './download-insecure';
import { downloadOverHttp } from './download-over-http';
import { emptyContinuation } from './empty-continuation';
import { exposeInvalid } from './expose-invalid';
import { exposeProtocolCasing } from './expose-protocol-casing';
import { fromArgEmptyDefault } from './from-arg-empty-default';
import { fromArgUndefined } from './from-arg-undefined';
import { fromAsCasing } from './from-as-casing';
import { fromPlatformConstant } from './from-platform-constant';
import { fromPlatformRedundant } from './from-platform-redundant';
import { imageDigestRecommended } from './image-digest-recommended';
import { imageReferenceInvalid } from './image-reference-invalid';
import { imageTagFloating } from './image-tag-floating';
import { imageTagLatest } from './image-tag-latest';
import { instructionBeforeFrom } from './instruction-before-from';
import { instructionCasing } from './instruction-casing';
import { instructionMissingArguments } from './instruction-missing-arguments';
import { instructionRepeated } from './instruction-repeated';
import { jsonArrayInvalid } from './json-array-invalid';
import { legacyKeyValue } from './legacy-key-value';
import { maintainerDeprecated } from './maintainer-deprecated';
import { multipleServices } from './multiple-services';
import { onbuildInvalid } from './onbuild-invalid';
import { packageCacheNotCleaned } from './package-cache-not-cleaned';
import { passwordLiteral } from './password-literal';
import { packageInstallWithoutYes } from './package-install-without-yes';
import { packageUpdateAlone } from './package-update-alone';
import { packageUpgrade } from './package-upgrade';
import { pipNoCacheDir } from './pip-no-cache-dir';
import { platformMissing } from './platform-missing';
import { pipeWithoutPipefail } from './pipe-without-pipefail';
import { pointlessCommand } from './pointless-command';
import { remoteScriptPiped } from './remote-script-piped';
import { runsAsRoot } from './runs-as-root';
import { secretGeneratedInImage } from './secret-generated-in-image';
import { secretsInArgEnv } from './secrets-in-arg-env';
import { shellFormWithoutShell } from './shell-form-without-shell';
import { shellRelink } from './shell-relink';
import { smallerVariant } from './smaller-variant';
import { stageNameCasing } from './stage-name-casing';
import { stageNameDuplicate } from './stage-name-duplicate';
import { stageNameReserved } from './stage-name-reserved';
import { sudoInRun } from './sudo-in-run';
import { undefinedVar } from './undefined-var';
import { unknownFlag } from './unknown-flag';
import { unknownInstruction } from './unknown-instruction';
import { untrustedPublisher } from './untrusted-publisher';
import { untrustedRegistry } from './untrusted-registry';
import { useraddHighUid } from './useradd-high-uid';
import { venvIntoDistroless } from './venv-into-distroless';
import { workdirRelative } from './workdir-relative';
import type { Rule } from './rule';
import { stageUnused } from './stage-unused';
import { contextIncludesUnwanted } from './context-includes-unwanted';
import { copySourceIgnored } from './copy-source-ignored';
import { copySourceMissing } from './copy-source-missing';
import { installManifestMissing } from './install-manifest-missing';

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
