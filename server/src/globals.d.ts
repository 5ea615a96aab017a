/** Set by the bundler from package.json, so the server reports the version it ships in. */
declare const DOCKWISE_VERSION: string;
