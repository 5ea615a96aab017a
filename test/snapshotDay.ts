/**
 * The day the corpus and project snapshots and the precision verdicts are judged as of. Rules that
 * depend on the date (base-image-eol) would otherwise change their findings as support cycles end,
 * and the snapshots with them, on a calendar day with no change to the code. Move it on purpose,
 * with the snapshots and verdicts, as when the end-of-support table is regenerated.
 */
export const SNAPSHOT_DAY = '2026-12-01';
