/**
 * The day the corpus and project snapshots, the precision verdicts and the tests' CLI runs are judged as of. Rules that
 * depend on the date (base-image-eol) would otherwise change their findings as support cycles end,
 * and the snapshots with them, on a calendar day with no change to the code. Move it on purpose,
 * with the snapshots and verdicts, as when the end-of-support table is regenerated.
 */
export const SNAPSHOT_DAY = '2026-12-01';

/** The same day as `SOURCE_DATE_EPOCH`, for the CLI runs of tests (the CLI judges support ends as of it). */
export const SNAPSHOT_EPOCH = String(Date.parse(`${SNAPSHOT_DAY}T00:00:00Z`) / 1000);
