/** The shape of the support-cycle table that scripts/eol-table.mjs writes (eolTable.ts). */
export interface EolCycle {
  /** As endoflife.date names it: `3.12`, `22.04`, `12`. */
  readonly cycle: string;
  readonly released: string;
  /** End of support, `YYYY-MM-DD`; `false` when none is announced, `true` when it ended on a date not recorded. */
  readonly eol: string | boolean;
  /** A long-term-support release (Ubuntu LTS, Node.js even releases, Java LTS, …). */
  readonly longTerm?: true;
  /** The codename tags use (`bookworm`, `jammy`), lower-cased. */
  readonly codename?: string;
  /** End of free extended support from the same archive (Debian LTS), after `eol`. */
  readonly extended?: string;
}

export interface EolProduct {
  readonly title: string;
  /** The product's page on endoflife.date. */
  readonly url: string;
  /** Newest first, as endoflife.date lists them. */
  readonly cycles: readonly EolCycle[];
}

export interface EolTable {
  /** The date of the data: the endoflife.date commit the table was read from. */
  readonly generatedAt: string;
  readonly source: { readonly repository: string; readonly commit: string };
  readonly products: Readonly<Record<string, EolProduct>>;
}
