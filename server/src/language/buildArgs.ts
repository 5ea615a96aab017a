/** Build arguments BuildKit defines itself. */

/** Usable without declaring them; BuildKit leaves them out of the image's history. */
export const PROXY_ARGS: readonly string[] = ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'];

/** Set in `FROM` lines automatically; inside a stage only after `ARG <name>`. */
export const PLATFORM_ARGS: readonly string[] = ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT'];
